"""The webhooks' outbox: an event row per subscription written with the transition, delivered signed, exactly once as
far as the database can tell (ADR 0025, after the notifications' ADR 0004).

``publier_transition`` is called by ``workflow.fire`` inside the transition's transaction: the rows commit or roll
back with it. After commit one task per row is published on a connection that fails at once; with Redis down the
rows stay pending and the sweep (``relancer``, celery beat every minute) delivers them. ``livrer`` locks its row,
returns if it is no longer pending, POSTs the body signed with the subscription's secret (no redirect followed) and
records the outcome: 2xx is delivered, anything else is retried after 1, 2, 4… minutes, given up after
``TENTATIVES_MAX`` attempts. The payload carries the dossier's number and states, never a NIR nor a name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dossiers.enums import StatutLivraison
from dossiers.models import AbonnementWebhook, LivraisonWebhook
from portal.celery import app

logger = logging.getLogger(__name__)

TYPE_ETAT_MODIFIE = "dossier.etat_modifie"
TYPE_PING = "ping"
ENTETE_SIGNATURE = "X-Portail-Signature"
ENTETE_EVENEMENT = "X-Portail-Evenement"
USER_AGENT = "Portail-Contrats-Pro-Webhooks/1"
TACHE_LIVRER = "dossiers.tasks.livrer_webhook"

# The sweep leaves a fresh row to the task published at commit for this long, then retries with a doubling delay.
DELAI_RELANCE = timedelta(minutes=1)
# After this many failed attempts (the last one about two hours after the first) the delivery is given up.
TENTATIVES_MAX = 8
# Rows delivered per sweep: a backlog is worked through over several runs (each attempt may wait ``DELAI_HTTP``).
LOT_RELANCE = 100
# The row stays locked while the receiver answers: never wait on it for long.
DELAI_HTTP = 5
PREFIXE_SECRET = "whsec_"
ERREUR_REVOQUE = "AbonnementRevoque"

MSG_SCHEMA = "L'adresse doit commencer par https://."
MSG_SCHEMA_LOCAL = "L'adresse doit commencer par https:// (http:// seulement pour 127.0.0.1 ou localhost)."
MSG_IDENTIFIANTS = "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."
MSG_HOTE = "L'adresse doit indiquer un nom de serveur."
HOTES_LOCAUX = {"127.0.0.1", "localhost", "::1"}


# -- the signature (also what a receiver runs: docs/adr/0025-webhooks-signes.md) ---------------------------------


def signer(secret: str, corps: bytes) -> str:
    """The ``X-Portail-Signature`` header of ``corps``: ``sha256=<hex HMAC-SHA256(secret, corps)>``."""
    return "sha256=" + hmac.new(secret.encode(), corps, hashlib.sha256).hexdigest()


def verifier_signature(secret: str, corps: bytes, entete: str | None) -> bool:
    """Whether ``entete`` (the received ``X-Portail-Signature``) signs the raw body ``corps`` with ``secret``."""
    return bool(entete) and hmac.compare_digest(signer(secret, corps), entete)


def corps(livraison: LivraisonWebhook) -> bytes:
    """The body sent, the same bytes at every attempt (sorted keys: a JSON column may reorder them)."""
    return json.dumps(livraison.contenu, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


# -- subscriptions ----------------------------------------------------------------------------------------------


def valider_url(url: str) -> None:
    """Raise ``ValidationError`` (a French message) unless ``url`` is an https address without credentials (http for
    this machine only, when ``API_WEBHOOKS_HTTP_LOCAL``: development and tests)."""
    parties = urlsplit(url)
    local = getattr(settings, "API_WEBHOOKS_HTTP_LOCAL", False)
    if parties.scheme != "https" and not (local and parties.scheme == "http" and parties.hostname in HOTES_LOCAUX):
        raise ValidationError(MSG_SCHEMA_LOCAL if local else MSG_SCHEMA, code="schema")
    if parties.username is not None or parties.password is not None:
        raise ValidationError(MSG_IDENTIFIANTS, code="identifiants")
    if not parties.hostname:
        raise ValidationError(MSG_HOTE, code="hote")


def abonnement_creer(organisme, user, url: str) -> tuple[AbonnementWebhook, str]:
    """A new subscription of ``organisme`` to its dossiers' events, and its secret in clear (to show once)."""
    valider_url(url)
    secret = PREFIXE_SECRET + secrets.token_urlsafe(32)
    abonnement = AbonnementWebhook(organisme=organisme, url=url, cree_par=user)
    abonnement.secret = secret
    abonnement.save()
    return abonnement, secret


def abonnement_revoquer(abonnement: AbonnementWebhook) -> None:
    """No new event for it; what was still waiting is given up (``livrer`` checks it again under its lock)."""
    with transaction.atomic():
        if abonnement.revoque_le is None:
            abonnement.revoque_le = timezone.now()
            abonnement.save(update_fields=["revoque_le"])
        abonnement.livraisons.filter(statut=StatutLivraison.EN_ATTENTE).update(
            statut=StatutLivraison.ECHEC, prochain_essai=None, derniere_erreur=ERREUR_REVOQUE
        )


# -- the outbox -------------------------------------------------------------------------------------------------


def _ligne(abonnement_id: int, type_: str, donnees: dict, maintenant, dossier_id=None) -> LivraisonWebhook:
    evenement = uuid.uuid4()
    return LivraisonWebhook(
        evenement=evenement,
        abonnement_id=abonnement_id,
        dossier_id=dossier_id,
        type=type_,
        contenu={"id": str(evenement), "type": type_, "cree_le": maintenant.isoformat(), "donnees": donnees},
        cree_le=maintenant,
        prochain_essai=maintenant + DELAI_RELANCE,
    )


def publier_transition(dossier, evenement) -> list[LivraisonWebhook]:
    """One ``dossier.etat_modifie`` row per active subscription of the organisation that pre-entered ``dossier``.

    Called by ``workflow.fire`` in the transition's transaction (``evenement`` is its ``DossierEvenement``); no query
    for a dossier the adhérent entered alone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Un webhook s'écrit dans la transaction du changement qu'il annonce.")
    if dossier.prestataire_id is None:
        return []
    abonnements = AbonnementWebhook.objects.actifs().filter(organisme_id=dossier.prestataire_id)
    ids_abonnements = list(abonnements.values_list("pk", flat=True))
    if not ids_abonnements:
        return []
    maintenant = timezone.now()
    donnees = {
        "numero": dossier.numero,
        "etat": evenement.to_state,
        "etat_precedent": evenement.from_state,
        "transition": evenement.transition,
        "date": evenement.created_at.isoformat(),
    }
    lignes = LivraisonWebhook.objects.bulk_create(
        [_ligne(pk, TYPE_ETAT_MODIFIE, donnees, maintenant, dossier_id=dossier.pk) for pk in ids_abonnements]
    )
    ids = [ligne.pk for ligne in lignes]
    transaction.on_commit(lambda: planifier(ids))
    return lignes


def envoyer_test(abonnement: AbonnementWebhook) -> LivraisonWebhook:
    """A ``ping`` event to ``abonnement`` (« Envoyer un test »), through the same outbox."""
    with transaction.atomic():
        donnees = {"message": "Événement de test envoyé depuis la page « Webhooks » du portail."}
        ligne = _ligne(abonnement.pk, TYPE_PING, donnees, timezone.now())
        ligne.save()
        transaction.on_commit(lambda: planifier([ligne.pk]))
    return ligne


def planifier(ids: list[int]) -> None:
    """Queue one delivery task per row; never raises (the sweep covers what could not be queued).

    A dedicated connection that fails at once: with Redis down, the request that made the change must not wait."""
    try:
        if app.conf.task_always_eager:  # embedded run and tests: delivered right here, no broker
            for pk in ids:
                livrer(pk)
            return
        with app.connection_for_write(transport_options={"max_retries": 0, "socket_connect_timeout": 2}) as conn:
            for pk in ids:
                app.send_task(TACHE_LIVRER, args=(pk,), connection=conn, retry=False, ignore_result=True)
    except Exception as error:  # broker down, or anything else: the rows stay pending for the sweep
        logger.warning(
            "Livraison des webhooks %s non planifiée (%s) : la relance périodique s'en chargera.",
            ids,
            type(error).__name__,
        )


class _SansRedirection(urllib.request.HTTPRedirectHandler):
    """A 3xx is the receiver's answer (a failure), never followed: the signed body goes to the registered URL only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_ouvreur = urllib.request.build_opener(_SansRedirection)


def _poster(abonnement: AbonnementWebhook, livraison: LivraisonWebhook) -> tuple[int | None, str]:
    """POST the signed body; (HTTP status or None, "" on 2xx else the error's class)."""
    donnees = corps(livraison)
    requete = urllib.request.Request(
        abonnement.url,
        data=donnees,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            ENTETE_EVENEMENT: str(livraison.evenement),
            ENTETE_SIGNATURE: signer(abonnement.secret, donnees),
        },
    )
    try:
        with _ouvreur.open(requete, timeout=DELAI_HTTP) as reponse:
            return reponse.status, ""
    except urllib.error.HTTPError as error:  # non-2xx (3xx included): its status, never its body
        error.close()
        return error.code, "HTTPError"
    except urllib.error.URLError as error:
        raison = error.reason
        return None, type(raison).__name__ if isinstance(raison, BaseException) else "URLError"
    except Exception as error:  # a timeout while reading, a reset connection…
        return None, type(error).__name__


def livrer(livraison_id: int) -> bool:
    """Deliver one row unless already delivered or given up; True when this call delivered it.

    The row is locked for the whole attempt: a concurrent attempt skips it (``skip_locked``) and a later one sees it
    delivered. The one case left is a crash between the receiver's 2xx and the commit: the event would be sent again
    (at least once, never lost), with the same ``X-Portail-Evenement`` for the receiver to dedupe on."""
    with transaction.atomic():
        livraison = (
            LivraisonWebhook.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("abonnement")
            .filter(pk=livraison_id)
            .first()
        )
        if livraison is None or livraison.statut != StatutLivraison.EN_ATTENTE:
            return False
        maintenant = timezone.now()
        livraison.tentatives += 1
        abonnement = livraison.abonnement
        if abonnement.actif:
            code, erreur = _poster(abonnement, livraison)
        else:
            code, erreur = None, ERREUR_REVOQUE
        livraison.dernier_code_http, livraison.derniere_erreur = code, erreur
        if not erreur:
            livraison.statut, livraison.livree_le, livraison.prochain_essai = StatutLivraison.LIVREE, maintenant, None
        elif erreur == ERREUR_REVOQUE or livraison.tentatives >= TENTATIVES_MAX:
            livraison.statut, livraison.prochain_essai = StatutLivraison.ECHEC, None
        else:
            livraison.prochain_essai = maintenant + DELAI_RELANCE * 2 ** (livraison.tentatives - 1)
        if erreur:
            logger.warning(
                "Webhook %s (abonnement %s) : livraison en échec (tentative %s/%s, %s%s)%s.",
                livraison.pk,
                abonnement.pk,
                livraison.tentatives,
                TENTATIVES_MAX,
                erreur,
                f" {code}" if code else "",
                " ; abandon" if livraison.statut == StatutLivraison.ECHEC else "",
            )
        livraison.save(
            update_fields=[
                "statut",
                "tentatives",
                "prochain_essai",
                "dernier_code_http",
                "derniere_erreur",
                "livree_le",
            ]
        )
        return livraison.statut == StatutLivraison.LIVREE


def relancer(*, lot: int = LOT_RELANCE) -> int:
    """The periodic sweep: deliver every pending row whose attempt is due; returns how many were delivered."""
    ids = list(
        LivraisonWebhook.objects.a_relancer(timezone.now())
        .order_by("prochain_essai", "pk")
        .values_list("pk", flat=True)[:lot]
    )
    return sum(livrer(pk) for pk in ids)
