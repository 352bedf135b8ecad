"""URLs of the API (``/api/v1/``: endpoints, ``openapi.json``, ``docs``) and of its portal pages (keys, webhooks)."""

from django.urls import path, re_path

# saisie registers the writes (POST, PATCH of /dossiers, /dossiers/{numero}) on v1's api itself: a router of its own
# could not share those paths with the reads.
from dossiers.api import pieces, saisie, v1_webhooks, vues, vues_webhooks  # noqa: F401
from dossiers.api.v1 import api

# The writes' routers are mounted here, not in v1.py: they read v1 (its schemas, ``dossier_de``, ``detail``), and
# the modules of dossiers.api import one another without a cycle (pyproject's acyclic_siblings contract).
api.add_router("", pieces.router)
api.add_router("", v1_webhooks.router)  # the organisation's webhooks (ADR 0025)

urlpatterns = [
    path("api/v1/", api.urls),
    # Any other path under /api/ (a number with a « / », a version that does not exist): the API's JSON 404, not
    # the portal's HTML page.
    re_path(r"^api/", vues.introuvable),
    path("cles-api/", vues.cles, name="cles_api"),
    path("cles-api/<int:pk>/revoquer/", vues.revoquer, name="cle_api_revoquer"),
    path("webhooks/", vues_webhooks.abonnements, name="webhooks"),
    path("webhooks/<int:pk>/", vues_webhooks.journal, name="webhook_journal"),
    path("webhooks/<int:pk>/revoquer/", vues_webhooks.revoquer, name="webhook_revoquer"),
    path("webhooks/<int:pk>/tester/", vues_webhooks.tester, name="webhook_tester"),
]
