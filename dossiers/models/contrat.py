"""The contract (CERFA « Le contrat », C1–C14): the Contrat tab's data.

The VAE experiment's box C2 (the contrat pro is an avenant to the initial work contract) and code T7 (the user
company's NAF, printed in the CERFA's tutor block) are entered on this tab too.

The type of contract (C3) lives on ``Dossier.type_contrat`` (chosen in the wizard, editable on the tab);
the sous-dispositif is the dossier's (read-only on the tab).
"""

from django.db import models

from dossiers.enums import NatureContrat
from dossiers.models.dossier import Dossier
from portal.historique import HistoriqueSaisie

__all__ = ["Contrat"]


class Contrat(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="contrat")
    nature = models.CharField("Nature de contrat ou d'avenant", max_length=3, choices=NatureContrat.choices, blank=True)
    # CERFA C2 and T7: only in a contract associating VAE actions (loi n° 2022-1598, art. 11; RULES.md ).
    avenant_vae = models.BooleanField(
        "Si le présent contrat de professionnalisation vaut avenant au contrat de travail initial cochez la case "
        "ci-contre",
        default=False,
    )
    naf_entreprise_utilisatrice = models.CharField(
        "Code activité de l'entreprise utilisatrice (NAF)", max_length=6, blank=True
    )
    emploi = models.CharField("Emploi occupé pendant le contrat (intitulé précis)", max_length=255, blank=True)
    classification = models.CharField(
        "Classification de l'emploi dans la convention collective", max_length=255, blank=True
    )
    niveau = models.CharField("Niveau", max_length=40, blank=True)
    coefficient = models.CharField("Coefficient hiérarchique", max_length=40, blank=True)
    duree_essai_jours = models.PositiveIntegerField(
        "Durée de la période d'essai (en jours calendaires)", null=True, blank=True
    )
    date_debut = models.DateField("Date de début d'exécution du contrat", null=True, blank=True)
    date_fin = models.DateField(
        "Date de fin du CDD ou de l'action de professionnalisation si CDI", null=True, blank=True
    )
    duree_hebdo_minutes = models.PositiveIntegerField(
        "Durée hebdomadaire du travail",
        null=True,
        blank=True,
        help_text="En minutes (35h00 = 2100) ; saisie au format 35h00.",
    )
    salaire_brut = models.DecimalField(
        "Salaire brut mensuel à l'embauche",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Mensuel ; horaire pour un contrat de travail temporaire (CERFA C14).",
    )
    date_effet_avenant = models.DateField("Si avenant, renseignez la date d'effet", null=True, blank=True)
    date_conclusion = models.DateField("Date de conclusion (signature du contrat)", null=True, blank=True)

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        # The lists' sorts by start and end dates (saisie/listes.py TRIS): read from the index, per visible dossier.
        indexes = [
            models.Index(fields=["dossier", "date_debut"], name="contrat_tri_debut_idx"),
            models.Index(fields=["dossier", "date_fin"], name="contrat_tri_fin_idx"),
        ]

    @property
    def duree_hebdo_heures(self):
        """Weekly hours as a Decimal (35h30 → 35.5), None while empty."""
        from decimal import Decimal

        return None if self.duree_hebdo_minutes is None else Decimal(self.duree_hebdo_minutes) / 60
