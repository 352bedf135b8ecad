"""The API keys: ``<prefixe>.<secret>``, the prefix to find the row, the secret's SHA-256 stored (never the key).

The secret is 32 random bytes (``secrets.token_urlsafe``): a fast hash is enough, a brute force of it is out of
reach; the comparison is constant-time. ``derniere_utilisation`` is written at most once a minute per key (a
call does not always write). The rate limit counts the calls of a key per minute in the shared cache.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dossiers.models import CleApi

PREFIXE_MARQUE = "ak_"
ECART_DERNIERE_UTILISATION = timedelta(minutes=1)


def empreinte(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def creer(organisme, user, nom: str) -> tuple[CleApi, str]:
    """A new key of ``organisme``: the row and the key in clear, to show once."""
    prefixe = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    cle = CleApi.objects.create(
        organisme=organisme, nom=nom, prefixe=prefixe, empreinte=empreinte(secret), cree_par=user
    )
    return cle, f"{PREFIXE_MARQUE}{prefixe}.{secret}"


def revoquer(cle: CleApi) -> None:
    if cle.revoquee_le is None:
        cle.revoquee_le = timezone.now()
        cle.save(update_fields=["revoquee_le"])


def verifier(valeur: str) -> CleApi | None:
    """The active key ``valeur`` is, or None (unknown, wrong secret, revoked, or its author's account deactivated:
    the writes act as the author, and a deactivated account acts no more, by key as by session)."""
    if not valeur or not valeur.startswith(PREFIXE_MARQUE) or "." not in valeur:
        return None
    prefixe, _, secret = valeur[len(PREFIXE_MARQUE) :].partition(".")
    cle = (
        CleApi.objects.select_related("organisme", "cree_par")
        .filter(prefixe=prefixe, revoquee_le__isnull=True, cree_par__is_active=True)
        .first()
    )
    if cle is None or not hmac.compare_digest(cle.empreinte, empreinte(secret)):
        return None
    maintenant = timezone.now()
    if cle.derniere_utilisation is None or maintenant - cle.derniere_utilisation >= ECART_DERNIERE_UTILISATION:
        CleApi.objects.filter(pk=cle.pk).update(derniere_utilisation=maintenant)
        cle.derniere_utilisation = maintenant
    return cle


def limite_atteinte(cle: CleApi) -> bool:
    """Whether this call is over the key's limit (``API_LIMITE_PAR_MINUTE`` calls per calendar minute)."""
    minute = int(time.time() // 60)
    compteur = f"api:limite:{cle.pk}:{minute}"
    cache.add(compteur, 0, timeout=120)
    try:
        appels = cache.incr(compteur)
    except ValueError:  # evicted between add and incr
        cache.set(compteur, 1, timeout=120)
        appels = 1
    return appels > settings.API_LIMITE_PAR_MINUTE
