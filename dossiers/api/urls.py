"""URLs of the API (``/api/v1/``: the endpoints, ``openapi.json``, ``docs``) and of its keys' portal page."""

from django.urls import path

from dossiers.api import pieces, saisie, vues  # noqa: F401 — saisie registers the writes (POST, PATCH) on v1's api
from dossiers.api.v1 import api

# The writes' routers are mounted here, not in v1.py: they read v1 (its schemas, ``dossier_de``, ``detail``), and
# the modules of dossiers.api import one another without a cycle (pyproject's acyclic_siblings contract).
api.add_router("", pieces.router)

urlpatterns = [
    path("api/v1/", api.urls),
    path("cles-api/", vues.cles, name="cles_api"),
    path("cles-api/<int:pk>/revoquer/", vues.revoquer, name="cle_api_revoquer"),
]
