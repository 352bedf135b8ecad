"""L'onglet Synthèse : attestations, commentaire; son récapitulatif est la lecture du dossier (saisie/lecture.py)."""

from __future__ import annotations

from django import forms

from dossiers.calculs.financement import estimation
from dossiers.models import COMMENTAIRE_MAX, Synthese
from dossiers.saisie.champs import TexteField
from dossiers.saisie.onglets.base import OngletForm


def synthese_de(dossier) -> Synthese:
    return Synthese.du_dossier(dossier)


class SyntheseForm(OngletForm):
    commentaire = TexteField(
        label="Commentaire",
        max_length=COMMENTAIRE_MAX,
        help_text=f"{COMMENTAIRE_MAX} caractères maximum — visible par le gestionnaire AKTO lors de l'instruction "
        "de la demande.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENTAIRE_MAX}),
        error_messages={"max_length": f"Le commentaire ne peut dépasser {COMMENTAIRE_MAX} caractères."},
    )

    class Meta:
        model = Synthese
        fields = [
            "attestation_exactitude",
            "attestation_gratuite",
            "attestation_sans_dedit",
            "acceptation_cg",
            "commentaire",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = self.instance.dossier

    def save_valid(self) -> None:
        if self.instance.pk is None:
            self.instance.save()
        super().save_valid()

    def estimation(self):
        return estimation(self.dossier)
