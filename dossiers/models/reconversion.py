"""The période de reconversion's own part: its written agreement (« Accord » tab), one row per dossier.

The written agreement between employer and salarié (L6324-3): dates, training hours, object, on or outside working
time, CPF co-financing; for an external reconversion the host company and its contract; for a Pro-A the date the
avenant was concluded (the Pro-A rules apply to avenants concluded before 01/01/2026).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from dossiers.enums import NatureContratAccueil, ObjetReconversion
from dossiers.models.dossier import Dossier
from portal.historique import HistoriqueSaisie

__all__ = ["AccordReconversion"]


class AccordReconversion(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="accord")
    date_debut = models.DateField("Date de début de la période de reconversion", null=True, blank=True)
    date_fin = models.DateField("Date de fin de la période de reconversion", null=True, blank=True)
    duree_formation_heures = models.PositiveIntegerField("Durée totale de la formation (heures)", null=True, blank=True)
    accord_collectif = models.BooleanField(
        "Un accord de branche ou d'entreprise porte la durée jusqu'à 2 100 heures sur 36 mois", default=False
    )
    objet = models.CharField("Qualification visée", max_length=10, choices=ObjetReconversion.choices, blank=True)
    intitule_qualification = models.CharField("Intitulé de la qualification visée", max_length=255, blank=True)
    hors_temps_travail = models.BooleanField("La formation se déroule hors temps de travail", null=True, blank=True)
    accord_ecrit_salarie = models.BooleanField(
        "Le salarié a donné son accord écrit pour la formation hors temps de travail", default=False
    )
    cpf_montant = models.DecimalField(
        "Co-financement CPF (montant)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    cpf_heures = models.PositiveIntegerField("Co-financement CPF (heures)", null=True, blank=True)
    salarie_en_cdi = models.BooleanField("Le salarié est en contrat à durée indéterminée", null=True, blank=True)
    accueil_siret = models.CharField("SIRET de l'entreprise d'accueil", max_length=14, blank=True)
    accueil_raison_sociale = models.CharField("Raison sociale de l'entreprise d'accueil", max_length=255, blank=True)
    accueil_nature_contrat = models.CharField(
        "Nature du contrat dans l'entreprise d'accueil", max_length=3, choices=NatureContratAccueil.choices, blank=True
    )
    accueil_duree_mois = models.PositiveSmallIntegerField("Durée du CDD (mois)", null=True, blank=True)
    date_avenant = models.DateField("Date de conclusion de l'avenant", null=True, blank=True)

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        verbose_name = "accord de période de reconversion"
        verbose_name_plural = "accords de période de reconversion"

    @classmethod
    def du_dossier(cls, dossier):
        """The dossier's agreement, or a new unsaved one (created by its first save)."""
        try:
            return dossier.accord
        except ObjectDoesNotExist:
            return cls(dossier=dossier)
