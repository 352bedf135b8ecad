"""Geography and nomenclatures in the admin (imported by ``referentiels.admin``)."""

from django.contrib import admin

from .models import CodeNaf, CodePostal, Commune, ConventionCollective, Departement


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "nom"]


class CodePostalInline(admin.TabularInline):
    model = CodePostal
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "departement", "type", "actuelle", "commune_parente", "population"]
    list_filter = ["type", "actuelle", "departement__zone"]
    search_fields = ["code", "nom", "nom_recherche", "codes_postaux__code"]
    list_select_related = ["departement", "commune_parente"]
    raw_id_fields = ["commune_parente"]
    readonly_fields = ["nom_recherche", "actuelle"]
    inlines = [CodePostalInline]


@admin.register(CodePostal)
class CodePostalAdmin(admin.ModelAdmin):
    list_display = ["code", "commune"]
    search_fields = ["code", "commune__nom"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]


@admin.register(CodeNaf)
class CodeNafAdmin(admin.ModelAdmin):
    list_display = ["code", "code_compact", "libelle", "niveau", "parent"]
    list_filter = ["niveau"]
    search_fields = ["code", "code_compact", "libelle"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(ConventionCollective)
class ConventionCollectiveAdmin(admin.ModelAdmin):
    list_display = ["idcc", "titre", "statut", "active", "etats_legifrance"]
    list_filter = ["active", "statut"]
    search_fields = ["idcc", "titre"]
    readonly_fields = ["statut", "active"]
