"""Admin of the training organisms and of the dated parameters (imported from ``referentiels/admin.py``)."""

from django.contrib import admin

from .models import ForfaitPriseEnCharge, OrganismeFormation, ParametreRegle, Smic
from .search import normalize


@admin.register(OrganismeFormation)
class OrganismeFormationAdmin(admin.ModelAdmin):
    list_display = ["siret", "raison_sociale", "enseigne", "nda", "code_postal", "commune", "qualiopi", "actif"]
    list_filter = ["actif", "qualiopi", "nature"]
    search_fields = ["siret", "nda", "nom_recherche", "uai"]
    readonly_fields = ["nom_recherche"]

    def get_search_results(self, request, queryset, search_term):
        # The search column is normalised (no accents, lower case): normalise the terms the same way.
        return super().get_search_results(request, queryset, normalize(search_term))


@admin.register(Smic)
class SmicAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "territoire", "horaire", "mensuel", "source"]
    list_filter = ["territoire"]
    date_hierarchy = "date_effet"


@admin.register(ForfaitPriseEnCharge)
class ForfaitPriseEnChargeAdmin(admin.ModelAdmin):
    list_display = ["date_effet", "idcc", "public", "montant_horaire", "source"]
    list_filter = ["public"]
    search_fields = ["idcc"]
    date_hierarchy = "date_effet"


@admin.register(ParametreRegle)
class ParametreRegleAdmin(admin.ModelAdmin):
    """The rules' uncertain figures (RULES.md [L]/[M]): add a row with a later date d'effet to change one."""

    list_display = ["code", "date_effet", "valeur", "unite", "libelle", "source"]
    list_display_links = ["code", "date_effet"]
    list_editable = ["valeur"]
    list_filter = ["code"]
    search_fields = ["code", "libelle", "source"]
    date_hierarchy = "date_effet"
    ordering = ["code", "-date_effet"]
