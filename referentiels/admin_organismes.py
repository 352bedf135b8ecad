"""Admin of the training organisms, the dated parameters and the branches' conventional minima (imported from
``referentiels/admin.py``)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ForfaitPriseEnCharge,
    OrganismeFormation,
    ParametreRegle,
    SalaireMinimumConventionnel,
    Smic,
    TauxConventionnel,
)
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


class _HistoriqueLectureSeule:
    """simple-history's « revert » page saves its form on POST with the *view* permission alone: a POST needs the
    change permission (as ``RattachementAdmin``). Amounts and percentages typed the French way (« 2500,50 »)."""

    formfield_overrides = {models.DecimalField: {"localize": True}}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(SalaireMinimumConventionnel)
class SalaireMinimumConventionnelAdmin(_HistoriqueLectureSeule, SimpleHistoryAdmin):
    """A branch's grid of conventional minima (SAL-03): one line per niveau and/or coefficient, filtered by IDCC.
    A new avenant: add its lines with the new date (the latest line in force for an emploi applies)."""

    list_display = ["idcc", "niveau", "coefficient", "montant_mensuel", "date_debut", "date_fin", "source"]
    list_display_links = ["idcc", "niveau", "coefficient"]
    list_filter = ["idcc"]
    search_fields = ["idcc", "niveau", "coefficient", "source"]
    date_hierarchy = "date_debut"
    fields = ["idcc", "niveau", "coefficient", "montant_mensuel", "date_debut", "date_fin", "source"]
    save_as = True  # « Enregistrer en tant que nouveau » : the next line of the grid from this one


@admin.register(TauxConventionnel)
class TauxConventionnelAdmin(_HistoriqueLectureSeule, SimpleHistoryAdmin):
    """A branch's own rates for the contrat de professionnalisation (SAL-04), cell by cell of the legal grid."""

    list_display = [
        "idcc",
        "tranche_age",
        "qualification",
        "pourcentage_smic",
        "pourcentage_smc",
        "date_debut",
        "date_fin",
        "source",
    ]
    list_display_links = ["idcc", "tranche_age"]
    list_filter = ["idcc", "tranche_age"]
    search_fields = ["idcc", "source"]
    date_hierarchy = "date_debut"
    fieldsets = [
        (None, {"fields": ["idcc", "tranche_age", "qualification"]}),
        ("Minimum", {"fields": ["pourcentage_smic", "pourcentage_smc"]}),
        ("Validité", {"fields": ["date_debut", "date_fin", "source"]}),
    ]
    save_as = True
