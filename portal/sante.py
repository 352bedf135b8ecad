"""``/sante/``: is this process able to serve? The database and Redis answer, or 503.

For the healthchecks of docker-compose (and of any orchestrator or load balancer). It is a middleware placed
first, so that it answers before host validation (the container asks itself on 127.0.0.1, which real
production does not list in ``ALLOWED_HOSTS``), before the HTTPS redirect (the check is plain HTTP inside the
container) and without a session. It says only « ok » or « indisponible » per dependency; the cause goes to
the log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

CHEMIN = "/sante/"


def verifier_base() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def verifier_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def etat() -> tuple[bool, dict[str, str]]:
    """Each dependency's state (« ok », « indisponible », « non configuré »), and whether all are usable."""
    verifications = {"base_de_donnees": verifier_base}
    resultat = {}
    if settings.REDIS_URL:
        verifications["redis"] = verifier_redis
    else:
        resultat["redis"] = "non configuré"  # embedded run: eager tasks, local-memory cache
    for nom, verifier in verifications.items():
        try:
            verifier()
            resultat[nom] = "ok"
        except Exception as error:
            logger.error("Santé : %s indisponible (%s: %s)", nom, type(error).__name__, error)
            resultat[nom] = "indisponible"
    return all(v != "indisponible" for v in resultat.values()), resultat


class SanteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != CHEMIN:
            return self.get_response(request)
        ok, resultat = etat()
        response = JsonResponse({"statut": "ok" if ok else "indisponible", **resultat}, status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response
