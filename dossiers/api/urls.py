"""URLs of the API (``/api/v1/``: the endpoints, ``openapi.json``, ``docs``) and of its keys' portal page."""

from django.urls import path

from dossiers.api import saisie, vues  # noqa: F401 — saisie registers the writes (POST, PATCH) on v1's api
from dossiers.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("cles-api/", vues.cles, name="cles_api"),
    path("cles-api/<int:pk>/revoquer/", vues.revoquer, name="cle_api_revoquer"),
]
