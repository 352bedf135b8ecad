"""The API keys of the training organisations (``dossiers/api``): one per integration, stored hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from referentiels.models import OrganismeFormation

__all__ = ["CleApi"]


class CleApi(models.Model):
    """A key ``<prefixe>.<secret>``: the prefix finds the row, the secret's SHA-256 proves it (the secret is 32 random
    bytes: a slow hash would add nothing). The key itself is shown once, at creation, and never stored."""

    organisme = models.ForeignKey(OrganismeFormation, on_delete=models.CASCADE, related_name="cles_api")
    nom = models.CharField("Nom", max_length=100)
    prefixe = models.CharField(max_length=16, unique=True)
    empreinte = models.CharField(max_length=64)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("Créée le", auto_now_add=True)
    derniere_utilisation = models.DateTimeField("Dernière utilisation", null=True, blank=True)
    revoquee_le = models.DateTimeField("Révoquée le", null=True, blank=True)

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"{self.nom} ({self.prefixe})"
