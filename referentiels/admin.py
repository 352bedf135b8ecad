"""Reference data in the admin."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Entreprise, Etablissement, Rattachement


@admin.register(Entreprise)
class EntrepriseAdmin(admin.ModelAdmin):
    list_display = ["raison_sociale", "siren", "categorie_juridique"]
    search_fields = ["raison_sociale", "siren"]


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["siret", "entreprise", "commune", "naf", "idcc", "travail_temporaire", "geiq", "adherent"]
    list_filter = ["travail_temporaire", "geiq", "adherent"]
    search_fields = ["siret", "entreprise__raison_sociale", "enseigne", "commune"]
    list_select_related = ["entreprise"]


@admin.register(Rattachement)
class RattachementAdmin(SimpleHistoryAdmin):
    """Edited by the *Administrateurs des rattachements AKTO* only (``dossiers/acces.py``); every change kept with
    its author and time (« Historique »)."""

    list_display = ["user", "entreprise", "etablissement"]
    list_select_related = ["user", "entreprise", "etablissement__entreprise"]
    raw_id_fields = ["user", "entreprise", "etablissement"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's « revert » page saves its form on POST with the *view* permission alone: a POST needs
        the change permission (a gestionnaire reads a past version, never restores it)."""
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Each referential registers its own models.
from . import admin_certifications, admin_geographie, admin_organismes  # noqa: E402, F401
