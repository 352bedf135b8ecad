"""The API's idempotency keys (``dossiers/api/idempotence.py``): one row per (organisation, ``Idempotency-Key``)."""

from __future__ import annotations

from django.db import models

from referentiels.models import OrganismeFormation

__all__ = ["RequeteIdempotente"]


class RequeteIdempotente(models.Model):
    """A POST sent with an ``Idempotency-Key``: what it was (method, path, body's SHA-256) and, once answered, its
    answer (status, body, content type). ``statut`` empty: the request is still running (its twin gets a 409).

    The body stored is the API's answer, which never carries the NIR; rows are purged after 24 hours."""

    organisme = models.ForeignKey(OrganismeFormation, on_delete=models.CASCADE, related_name="+")
    cle = models.CharField("Clé d'idempotence", max_length=255)
    methode = models.CharField(max_length=10)
    chemin = models.CharField(max_length=500)
    empreinte = models.CharField("SHA-256 du corps", max_length=64)
    statut = models.PositiveSmallIntegerField(null=True, blank=True)
    corps = models.TextField(blank=True)
    type_contenu = models.CharField(max_length=100, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "requête idempotente"
        verbose_name_plural = "requêtes idempotentes"
        constraints = [models.UniqueConstraint(fields=["organisme", "cle"], name="requete_idempotente_unique")]

    def __str__(self):
        return f"{self.methode} {self.chemin} ({self.cle})"
