"""The training organisations' webhooks in the back office: read only (the organisations register them in the portal,
the workflow writes the deliveries); never the secret."""

from django.contrib import admin

from dossiers.models import AbonnementWebhook, LivraisonWebhook
from portal.admin import LectureSeuleAdmin


@admin.register(AbonnementWebhook)
class AbonnementWebhookAdmin(LectureSeuleAdmin):
    list_display = ["url", "organisme", "cree_le", "revoque_le"]
    list_filter = [("revoque_le", admin.EmptyFieldListFilter)]
    search_fields = ["url", "organisme__raison_sociale", "organisme__siret"]
    list_select_related = ["organisme"]
    fields = ["organisme", "url", "cree_par", "cree_le", "revoque_le"]  # not the encrypted secret


@admin.register(LivraisonWebhook)
class LivraisonWebhookAdmin(LectureSeuleAdmin):
    list_display = ["cree_le", "type", "numero", "abonnement", "statut", "tentatives", "dernier_code_http"]
    list_filter = ["statut", "type"]
    search_fields = ["dossier__numero", "evenement"]
    list_select_related = ["abonnement"]
    date_hierarchy = "cree_le"
    fields = [
        "evenement",
        "abonnement",
        "dossier",
        "type",
        "contenu",
        "statut",
        "tentatives",
        "prochain_essai",
        "dernier_code_http",
        "derniere_erreur",
        "cree_le",
        "livree_le",
    ]

    @admin.display(description="Dossier")
    def numero(self, obj):
        return obj.numero or "—"
