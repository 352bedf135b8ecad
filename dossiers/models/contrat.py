"""The contract (CERFA « Le contrat », C1–C14): the Contrat tab's data."""

from django.db import models

from .dossier import Dossier

__all__ = ["Contrat"]


class Contrat(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="contrat")
    date_debut = models.DateField("Date de début d'exécution du contrat", null=True, blank=True)
    date_fin = models.DateField(
        "Date de fin du CDD ou de l'action de professionnalisation si CDI", null=True, blank=True
    )
    date_conclusion = models.DateField("Date de conclusion (signature du contrat)", null=True, blank=True)
