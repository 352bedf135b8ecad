"""L'onglet Employeur : l'établissement d'exécution du contrat (données INSEE) et ce que l'adhérent complète."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from dossiers.models import CHAMPS_INSEE_SAISISSABLES, Employeur
from dossiers.saisie.champs import MSG_ENTIER
from dossiers.saisie.onglets.base import OngletForm
from referentiels.validators import (
    normalize_naf,
    normalize_phone,
    validate_idcc,
    validate_postal_code,
)


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
