"""Le formulaire d'une étape de l'assistant « Nouvelle demande » : un choix dans une liste."""

from __future__ import annotations

from django import forms


class ChoixForm(forms.Form):
    """One wizard step: a radio list whose labels are the options' texts."""

    choix = forms.ChoiceField(
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Veuillez sélectionner un élément.",
            "invalid_choice": "Ce choix n'est pas proposé : sélectionnez un élément de la liste.",
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choix"].choices = choices
        self.fields["choix"].label = ""
