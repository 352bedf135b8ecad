"""URLs of the API (``/api/v1/``: endpoints, ``openapi.json``, ``docs``) and of its portal pages (keys, webhooks)."""

from django.urls import path

from dossiers.api import vues, vues_webhooks
from dossiers.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("cles-api/", vues.cles, name="cles_api"),
    path("cles-api/<int:pk>/revoquer/", vues.revoquer, name="cle_api_revoquer"),
    path("webhooks/", vues_webhooks.abonnements, name="webhooks"),
    path("webhooks/<int:pk>/", vues_webhooks.journal, name="webhook_journal"),
    path("webhooks/<int:pk>/revoquer/", vues_webhooks.revoquer, name="webhook_revoquer"),
    path("webhooks/<int:pk>/tester/", vues_webhooks.tester, name="webhook_tester"),
]
