"""Admin of the Financement tab's data: the *types de contribution* offered for the reste à charge.

Imported by ``dossiers/admin.py`` (``from . import admin_financement  # noqa: F401``).
"""

from django.contrib import admin

from dossiers.models import TypeContribution


@admin.register(TypeContribution)
class TypeContributionAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre", "actif"]
    list_editable = ["ordre", "actif"]
    ordering = ["ordre", "libelle"]
