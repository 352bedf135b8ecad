"""The small forms of the gestionnaire's decisions (the admin's intermediate pages).

Whether the comment is mandatory is the transition's (``Transition.commentaire_obligatoire``): the form reads it.
"""

from __future__ import annotations

from django import forms

from dossiers import acces
from dossiers.enums import MotifRefus
from dossiers.models import COMMENTAIRE_MAX, NOTE_MAX
from dossiers.saisie.champs import MontantFrField
from dossiers.workflow import TRANSITIONS


class DecisionForm(forms.Form):
    commentaire = forms.CharField(
        label="Commentaire",
        max_length=COMMENTAIRE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80, "maxlength": COMMENTAIRE_MAX}),
        error_messages={
            "required": "Saisissez un commentaire : il est transmis à l'adhérent.",
            "max_length": f"Le commentaire ne peut dépasser {COMMENTAIRE_MAX} caractères.",
        },
    )

    def __init__(self, *args, transition: str, **kwargs):
        super().__init__(*args, **kwargs)
        obligatoire = TRANSITIONS[transition].commentaire_obligatoire
        self.fields["commentaire"].required = obligatoire
        self.fields["commentaire"].help_text = (
            "Obligatoire — visible par l'adhérent, qui corrige son dossier puis le transmet à nouveau."
            if obligatoire
            else "Facultatif — visible par l'adhérent."
        )


class AccepterForm(DecisionForm):
    montant = MontantFrField(
        label="Montant de la prise en charge engagée (€)",
        help_text="Prérempli avec l'estimation du financement ; Ex : 4 170,00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
        error_messages={"required": "Saisissez le montant de la prise en charge engagée."},
    )

    field_order = ["montant", "commentaire"]

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if montant is not None and montant <= 0:
            raise forms.ValidationError("Le montant de la prise en charge engagée doit être supérieur à zéro.")
        return montant


class RefuserForm(DecisionForm):
    motif = forms.ChoiceField(
        label="Motif du refus",
        choices=MotifRefus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le motif du refus."},
    )

    field_order = ["motif", "commentaire"]


def _note_interne(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="Note interne (non visible par l'adhérent)",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80, "maxlength": NOTE_MAX}),
        error_messages={
            "required": "Saisissez le texte de la note interne.",
            "max_length": f"La note interne ne peut dépasser {NOTE_MAX} caractères.",
        },
        **kwargs,
    )


class ComplementsForm(DecisionForm):
    """*Demander des compléments*: the comment goes to the adhérent; the internal note stays with the gestionnaires."""

    note_interne = _note_interne(
        required=False, help_text="Facultative — lue par les seuls gestionnaires AKTO, jamais par l'adhérent."
    )


class NoteForm(forms.Form):
    texte = _note_interne(help_text="Lue par les seuls gestionnaires AKTO, jamais par l'adhérent ni le prestataire.")


class AttribuerForm(forms.Form):
    """*Attribuer à…*: one of the *Gestionnaires AKTO*, or nobody (the assignment withdrawn)."""

    AUCUN = "aucun"

    instruit_par = forms.ChoiceField(
        label="Attribuer à",
        error_messages={"required": "Choisissez le gestionnaire.", "invalid_choice": "Choisissez le gestionnaire."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gestionnaires = {str(u.pk): u for u in acces.gestionnaires_akto()}
        self.fields["instruit_par"].choices = [
            ("", "— Choisissez un gestionnaire —"),
            *[(pk, u.get_full_name() or u.email) for pk, u in self.gestionnaires.items()],
            (self.AUCUN, "Personne (retirer l'attribution)"),
        ]

    def gestionnaire(self):
        """The chosen user, or None for « Personne »."""
        return self.gestionnaires.get(self.cleaned_data["instruit_par"])
