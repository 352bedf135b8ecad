"""The Financement and Synthèse tabs' forms.

Financement: a travail temporaire employer may ask, from the start, for the funding of its *reste à charge* and
choose the *type de contribution* (open only on « Oui »; « Non » clears it); any employer may type the training
organisme's quote to estimate its reste à charge. Synthèse: the two attestations to tick and a comment for the
gestionnaire. Mandatory fields are the rules engine's (``dossiers/rules/financement.py``, ``…/synthese.py``).
"""

from __future__ import annotations

from django import forms

from dossiers.calculs.financement import estimation
from dossiers.models import Financement, TypeContribution
from dossiers.saisie.champs import MontantFrField, OuiNonField
from dossiers.saisie.onglets.base import OngletForm


def financement_de(dossier) -> Financement:
    """The Financement tab's instance (an unsaved one for a dossier created before this part)."""
    return Financement.du_dossier(dossier)


class FinancementForm(OngletForm):
    reste_a_charge_demande = OuiNonField(label="Souhaitez-vous demander le financement de votre reste à charge ?")
    type_contribution = forms.ModelChoiceField(
        label="Type de contribution pour la prise en charge du reste à charge",
        queryset=TypeContribution.objects.filter(actif=True),
        empty_label="Sélectionnez un élément",
        error_messages={"invalid_choice": "Ce type de contribution n'est pas proposé : choisissez-en un de la liste."},
    )
    cout_pedagogique = MontantFrField(
        label="Coût pédagogique prévu (devis de l'organisme de formation, HT)",
        help_text="Facultatif, en euros Ex: 4 500,00 — sert seulement à estimer votre reste à charge.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "Ex: 4 500,00"}),
    )

    class Meta:
        model = Financement
        fields = ["reste_a_charge_demande", "type_contribution", "cout_pedagogique"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = self.instance.dossier
        if not self.travail_temporaire:
            del self.fields["reste_a_charge_demande"]
            del self.fields["type_contribution"]
        elif not self.enabled("type_contribution"):
            self.fields["type_contribution"].widget.attrs["disabled"] = "disabled"

    @property
    def travail_temporaire(self) -> bool:
        return bool(self.dossier.employeur.travail_temporaire)

    def enabled(self, name: str) -> bool:
        if name != "type_contribution":
            return True
        if self.is_bound:
            return self.data.get(self.add_prefix("reste_a_charge_demande")) == "True"
        return self.instance.reste_a_charge_demande is True

    def clean(self):
        data = super().clean()
        if "type_contribution" in self.fields and data.get("reste_a_charge_demande") is not True:
            data["type_contribution"] = None  # closed: any input (and its error) is dropped and cleared
            self._errors.pop("type_contribution", None)
        return data

    def save_valid(self) -> None:
        if self.instance.pk is None:  # a dossier created before this part: its row is made now
            self.instance.save()
        super().save_valid()

    def estimation(self):
        return estimation(self.dossier)
