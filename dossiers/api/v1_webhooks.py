"""API v1: the organisation's webhooks, as on the portal page « Webhooks » (ADR 0025): list, register (the secret
answered once), revoke, the delivery log. Mounted by ``v1.py`` (``api.add_router``); the same services
(``dossiers.webhooks``) and the same permission (the key's organisation, acting as the key's author)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from dossiers import webhooks
from dossiers.models import AbonnementWebhook

router = Router(tags=["Webhooks"])

MSG_INTROUVABLE = "Webhook introuvable."
TAILLE_JOURNAL = 50


class ErreurWebhook(Schema):
    detail: str


class AbonnementSchema(Schema):
    id: int
    url: str
    actif: bool
    cree_le: dt.datetime
    revoque_le: dt.datetime | None


class AbonnementCree(AbonnementSchema):
    secret: str = Field(description="Secret de signature (HMAC-SHA256) : donné une seule fois, à conserver")


class NouvelAbonnement(Schema):
    url: str = Field(max_length=500, description="Adresse https de réception des événements")


class LivraisonSchema(Schema):
    id: str = Field(description="Identifiant de l'événement (en-tête `X-Portail-Evenement`)")
    type: str
    numero: str = Field(description="Numéro du dossier (vide pour un `ping`)")
    statut: str
    tentatives: int
    dernier_code_http: int | None
    cree_le: dt.datetime
    livree_le: dt.datetime | None


def _abonnement(a: AbonnementWebhook) -> dict:
    return {"id": a.pk, "url": a.url, "actif": a.actif, "cree_le": a.cree_le, "revoque_le": a.revoque_le}


def _de(request, pk: int) -> AbonnementWebhook:
    try:
        return AbonnementWebhook.objects.get(pk=pk, organisme=request.auth)
    except AbonnementWebhook.DoesNotExist:
        raise HttpError(404, MSG_INTROUVABLE) from None


@router.get(
    "/webhooks",
    response={200: list[AbonnementSchema], 401: ErreurWebhook, 429: ErreurWebhook},
    summary="Lister les webhooks de l'organisme",
)
def lister_webhooks(request):
    return [_abonnement(a) for a in AbonnementWebhook.objects.filter(organisme=request.auth)]


@router.post(
    "/webhooks",
    response={201: AbonnementCree, 401: ErreurWebhook, 422: ErreurWebhook, 429: ErreurWebhook},
    summary="Enregistrer un webhook",
    description=(
        "Chaque changement d'état d'un dossier de l'organisme est envoyé en POST à cette adresse "
        "(`dossier.etat_modifie`), signé par `X-Portail-Signature: sha256=<HMAC-SHA256(secret, corps)>`. "
        "Le secret n'est donné que dans cette réponse."
    ),
)
def enregistrer_webhook(request, donnees: NouvelAbonnement):
    try:
        abonnement, secret = webhooks.abonnement_creer(request.auth, request.cle_api.cree_par, donnees.url.strip())
    except ValidationError as erreur:
        return Status(422, {"detail": erreur.messages[0]})
    return Status(201, {**_abonnement(abonnement), "secret": secret})


@router.delete(
    "/webhooks/{identifiant}",
    response={200: AbonnementSchema, 401: ErreurWebhook, 404: ErreurWebhook, 429: ErreurWebhook},
    summary="Révoquer un webhook",
)
def revoquer_webhook(request, identifiant: int):
    abonnement = _de(request, identifiant)
    webhooks.abonnement_revoquer(abonnement)
    return _abonnement(abonnement)


@router.get(
    "/webhooks/{identifiant}/livraisons",
    response={200: list[LivraisonSchema], 401: ErreurWebhook, 404: ErreurWebhook, 429: ErreurWebhook},
    summary="Journal des livraisons d'un webhook (les 50 dernières)",
)
def journal_webhook(request, identifiant: int):
    abonnement = _de(request, identifiant)
    return [
        {
            "id": str(livraison.evenement),
            "type": livraison.type,
            "numero": livraison.numero,
            "statut": livraison.statut,
            "tentatives": livraison.tentatives,
            "dernier_code_http": livraison.dernier_code_http,
            "cree_le": livraison.cree_le,
            "livree_le": livraison.livree_le,
        }
        for livraison in abonnement.livraisons.order_by("-cree_le", "-pk")[:TAILLE_JOURNAL]
    ]
