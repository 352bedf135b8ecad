"""The « Accord » tab of a période de reconversion: its written agreement (L6324-3), on the generic tab view.

Mandatory fields and the checks are the rules engine's (``dossiers/rules/accord.py``).
"""

from __future__ import annotations

from django import forms

from dossiers.calculs import reconversion
from dossiers.enums import NatureContratAccueil, ObjetReconversion, SousDispositifReconversion
from dossiers.models import AccordReconversion
from dossiers.saisie.champs import ChoixSelect, DateFrField, MontantFrField, OuiNonField
from dossiers.saisie.onglets.base import OngletForm


def accord_de(dossier) -> AccordReconversion:
    return AccordReconversion.du_dossier(dossier)


def _choix(choices):
    return [("", "Sélectionnez un élément"), *choices]


class AccordForm(OngletForm):
    date_debut = DateFrField(label="Date de début de la période de reconversion")
    date_fin = DateFrField(label="Date de fin de la période de reconversion")
    duree_formation_heures = forms.IntegerField(
        label="Durée totale de la formation (heures)", min_value=0, max_value=9999
    )
    accord_collectif = forms.BooleanField(
        label="Un accord de branche ou d'entreprise porte la durée jusqu'à 2 100 heures sur 36 mois", required=False
    )
    objet = forms.ChoiceField(
        label="Qualification visée", choices=_choix(ObjetReconversion.choices), widget=ChoixSelect
    )
    intitule_qualification = forms.CharField(label="Intitulé de la qualification visée", max_length=255)
    hors_temps_travail = OuiNonField(label="La formation se déroule-t-elle hors temps de travail ?")
    accord_ecrit_salarie = forms.BooleanField(
        label="Le salarié a donné son accord écrit pour la formation hors temps de travail", required=False
    )
    cpf_montant = MontantFrField(label="Co-financement CPF (montant en euros)")
    cpf_heures = forms.IntegerField(label="Co-financement CPF (heures)", min_value=0, max_value=9999)
    salarie_en_cdi = OuiNonField(label="Le salarié est-il en contrat à durée indéterminée ?")
    accueil_siret = forms.CharField(label="SIRET de l'entreprise d'accueil", max_length=14)
    accueil_raison_sociale = forms.CharField(label="Raison sociale de l'entreprise d'accueil", max_length=255)
    accueil_nature_contrat = forms.ChoiceField(
        label="Nature du contrat dans l'entreprise d'accueil",
        choices=_choix(NatureContratAccueil.choices),
        widget=ChoixSelect,
    )
    accueil_duree_mois = forms.IntegerField(label="Durée du CDD (mois)", min_value=0, max_value=99)
    date_avenant = DateFrField(label="Date de conclusion de l'avenant")

    EXTERNE = ("accueil_siret", "accueil_raison_sociale", "accueil_nature_contrat", "accueil_duree_mois")
    PRO_A = ("salarie_en_cdi", "date_avenant")

    class Meta:
        model = AccordReconversion
        fields = [
            "date_debut",
            "date_fin",
            "duree_formation_heures",
            "accord_collectif",
            "objet",
            "intitule_qualification",
            "hors_temps_travail",
            "accord_ecrit_salarie",
            "cpf_montant",
            "cpf_heures",
            "salarie_en_cdi",
            "accueil_siret",
            "accueil_raison_sociale",
            "accueil_nature_contrat",
            "accueil_duree_mois",
            "date_avenant",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.instance.dossier.sous_dispositif.code
        # The host company is an external reconversion's; the avenant's date and the CDI a Pro-A's.
        externe, pro_a = code == SousDispositifReconversion.EXTERNE, code == SousDispositifReconversion.PRO_A
        for name in (*self.EXTERNE * (not externe), *self.PRO_A * (not pro_a)):
            del self.fields[name]
        if pro_a:
            del self.fields["accord_collectif"]

    @property
    def estimation(self) -> reconversion.EstimationReconversion:
        """The funding estimate on the stored agreement (hours × the dated forfait, the branch's if recorded)."""
        return reconversion.estimation(self.instance, self.instance.dossier.employeur.idcc)
