"""The training organisations' webhooks: their subscriptions and the deliveries' outbox (``dossiers/webhooks.py``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from dossiers.enums import StatutLivraison
from portal import chiffrement
from referentiels.models import OrganismeFormation

__all__ = ["AbonnementWebhook", "LivraisonWebhook"]


class AbonnementWebhookQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(revoque_le__isnull=True)


class AbonnementWebhook(models.Model):
    """An HTTPS address of an organisation that receives its dossiers' events, signed with the subscription's secret.

    HMAC needs the secret itself (a hash would not do): it is stored encrypted with the portal's key
    (``portal.chiffrement``), shown once at creation, never logged nor shown again."""

    organisme = models.ForeignKey(OrganismeFormation, on_delete=models.CASCADE, related_name="abonnements_webhook")
    url = models.URLField("Adresse de réception", max_length=500)
    secret_chiffre = models.TextField(editable=False)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("Créé le", auto_now_add=True)
    revoque_le = models.DateTimeField("Révoqué le", null=True, blank=True)

    objects = AbonnementWebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement webhook"
        verbose_name_plural = "abonnements webhook"
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["organisme"], condition=Q(revoque_le__isnull=True), name="webhook_actifs")]

    def __str__(self):
        return self.url

    @property
    def actif(self) -> bool:
        return self.revoque_le is None

    @property
    def secret(self) -> str:
        return chiffrement.decrypt(self.secret_chiffre)

    @secret.setter
    def secret(self, valeur: str) -> None:
        self.secret_chiffre = chiffrement.encrypt(valeur)


class LivraisonWebhookQuerySet(models.QuerySet):
    def a_relancer(self, maintenant):
        """Pending deliveries whose attempt is due (the sweep's work)."""
        return self.filter(statut=StatutLivraison.EN_ATTENTE, prochain_essai__lte=maintenant)


class LivraisonWebhook(models.Model):
    """One event for one subscription: the outbox row written with the transition, and its delivery's log.

    ``contenu`` is the JSON body exactly as the contract gives it (no NIR, no name); the last error is its class and
    the HTTP status only, never the receiver's answer."""

    evenement = models.UUIDField("Identifiant de l'événement", default=uuid.uuid4, unique=True, editable=False)
    abonnement = models.ForeignKey(AbonnementWebhook, on_delete=models.CASCADE, related_name="livraisons")
    # The log outlives a deleted draft (SET_NULL): its number stays in ``contenu``.
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    type = models.CharField("Type", max_length=40)
    contenu = models.JSONField("Contenu")
    statut = models.CharField(
        "Statut", max_length=12, choices=StatutLivraison.choices, default=StatutLivraison.EN_ATTENTE
    )
    tentatives = models.PositiveSmallIntegerField("Tentatives", default=0)
    prochain_essai = models.DateTimeField("Prochain essai", null=True, blank=True)
    dernier_code_http = models.PositiveSmallIntegerField("Dernier code HTTP", null=True, blank=True)
    derniere_erreur = models.CharField("Dernière erreur", max_length=100, blank=True)
    cree_le = models.DateTimeField("Créée le")
    livree_le = models.DateTimeField("Livrée le", null=True, blank=True)

    objects = LivraisonWebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "livraison webhook"
        verbose_name_plural = "livraisons webhook"
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["abonnement", "-cree_le"], name="webhook_journal"),
            models.Index(fields=["prochain_essai"], condition=Q(statut="en_attente"), name="webhook_a_relancer"),
        ]

    def __str__(self):
        return f"{self.type} {self.evenement}"

    @property
    def numero(self) -> str:
        return (self.contenu.get("donnees") or {}).get("numero", "")
