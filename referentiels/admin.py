"""Reference data in the admin."""

from django.contrib import admin

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
class RattachementAdmin(admin.ModelAdmin):
    list_display = ["user", "entreprise", "etablissement"]
    list_select_related = ["user", "entreprise", "etablissement__entreprise"]
    raw_id_fields = ["user", "entreprise", "etablissement"]


# Each referential registers its own models.
from . import admin_certifications, admin_geographie, admin_organismes  # noqa: E402, F401
