"""The training (CERFA « La formation », F1–F17) and its modules: the Formation tab's data."""

from django.db import models

from .dossier import Dossier

__all__ = ["Formation"]


class Formation(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="formation")
    intitule = models.CharField("Intitulé précis", max_length=255, blank=True)
