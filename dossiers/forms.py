"""Forms of the dossier's tabs and of the new-dossier wizard.

A tab form never blocks a draft: every field is optional at form level (mandatory fields and
business rules are the rules engine's job) and only format errors keep a field from being written.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from referentiels.validators import normalize_naf, normalize_phone, validate_idcc, validate_postal_code

from .models import CHAMPS_INSEE_SAISISSABLES, Dossier, Employeur

MSG_ENTIER = "Saisissez un nombre entier positif ou nul."


class OngletForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, check_url: str = "", editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "version"
            if name == "version":
                continue
            if not editable:
                field.disabled = True
            attrs = field.widget.attrs
            if isinstance(field.widget, forms.CheckboxInput):
                attrs.setdefault("class", "form-check-input")
            else:
                attrs.setdefault("class", "form-control")
            if check_url and editable:
                # A field's check when the user leaves it (the guide: messages "au fil de la saisie").
                attrs.update(
                    {
                        "hx-post": check_url,
                        "hx-trigger": "change",
                        "hx-target": f"#messages-{name}",
                        "hx-swap": "outerHTML",
                        "hx-vals": f'{{"_field": "{name}"}}',
                    }
                )

    def valid_field_names(self) -> list[str]:
        """Model fields whose submitted value is well-formed (and so may be written)."""
        return [name for name in self.cleaned_data if name != "version" and name in self._meta.fields]


class IntroductionForm(OngletForm):
    class Meta:
        model = Dossier
        fields = ["notice_lue"]


class EmployeurForm(OngletForm):
    """Contact and headcount; plus, in degraded mode, the INSEE data that Sirene could not give."""

    # Typed as "56.10A", stored compact: wider than the column on input.
    naf = forms.CharField(label="NAF", max_length=6, widget=forms.TextInput(attrs={"placeholder": "Ex : 56.10A"}))

    class Meta:
        model = Employeur
        fields = [
            "raison_sociale",
            "numero_voie",
            "code_postal",
            "commune",
            "naf",
            "idcc",
            "telephone",
            "email",
            "effectif_total",
            "caisse_retraite",
            "organisme_prevoyance",
        ]
        widgets = {
            "code_postal": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
            "idcc": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
            "telephone": forms.TextInput(attrs={"placeholder": "Ex: 01 23 45 67 89", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"maxlength": 300}),
            "effectif_total": forms.TextInput(attrs={"inputmode": "numeric"}),
            "caisse_retraite": forms.TextInput(attrs={"placeholder": "Ex: AG2R, APICIL, ..."}),
            "organisme_prevoyance": forms.TextInput(attrs={"placeholder": "Ex: AG2R, APICIL, ..."}),
        }
        help_texts = {"email": "300 caractères maximum"}
        error_messages = {
            "effectif_total": {"invalid": MSG_ENTIER, "min_value": MSG_ENTIER},
            "email": {"invalid": "Saisissez une adresse e-mail valide (Ex : nom@entreprise.fr)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # INSEE data is read-only, except what Sirene could not give (listed at the dossier's creation).
        for name in CHAMPS_INSEE_SAISISSABLES:
            if name not in self.instance.saisie_manuelle:
                del self.fields[name]

    def clean_telephone(self):
        value = self.cleaned_data["telephone"].strip()
        return normalize_phone(value) if value else ""

    def clean_code_postal(self):
        value = self.cleaned_data["code_postal"].strip()
        if value:
            validate_postal_code(value)
        return value

    def clean_naf(self):
        value = self.cleaned_data["naf"].strip()
        return normalize_naf(value) if value else ""

    def clean_idcc(self):
        value = self.cleaned_data["idcc"].strip()
        if value:
            validate_idcc(value)
        return value

    def clean_effectif_total(self):
        value = self.cleaned_data["effectif_total"]
        if value is not None and value < 0:
            raise ValidationError(MSG_ENTIER, code="format")
        return value


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
