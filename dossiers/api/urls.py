"""URLs of the API (``/api/v1/``: the endpoints, ``openapi.json``, ``docs``) and of its keys' portal page."""

from django.urls import path, re_path

from dossiers.api import vues
from dossiers.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    # Any other path under /api/ (a number with a « / », a version that does not exist): the API's JSON 404, not
    # the portal's HTML page.
    re_path(r"^api/", vues.introuvable),
    path("cles-api/", vues.cles, name="cles_api"),
    path("cles-api/<int:pk>/revoquer/", vues.revoquer, name="cle_api_revoquer"),
]
