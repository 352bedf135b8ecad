"""The gestionnaire's back office (a first list; review and decisions come with their own issue)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Dispositif, Dossier, DossierEvenement, Employeur, SousDispositif


class EmployeurInline(admin.StackedInline):
    model = Employeur
    can_delete = False
    extra = 0


class EvenementInline(admin.TabularInline):
    model = DossierEvenement
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "transition", "from_state", "to_state", "user", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["numero", "state", "employeur_raison_sociale", "employeur_a_verifier", "type_contrat", "created_at"]
    list_filter = ["state", "sous_dispositif", "type_contrat", "employeur__verification_insee"]
    search_fields = ["numero", "employeur__raison_sociale", "employeur__siret"]
    list_select_related = ["employeur", "sous_dispositif"]
    readonly_fields = ["numero", "state", "cerfa", "version", "created_by", "created_at", "updated_at"]
    inlines = [EmployeurInline, EvenementInline]

    @admin.display(description="CERFA")
    def cerfa(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("dossier_cerfa", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Générer le CERFA</a>', url)

    @admin.display(description="Employeur saisi à la main", boolean=True)
    def employeur_a_verifier(self, obj):
        return obj.employeur.a_verifier

    @admin.display(description="Entreprise", ordering="employeur__raison_sociale")
    def employeur_raison_sociale(self, obj):
        return obj.employeur.raison_sociale


class SousDispositifInline(admin.TabularInline):
    model = SousDispositif
    extra = 0


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ouvert", "ordre"]
    list_editable = ["ouvert"]
    inlines = [SousDispositifInline]


from . import admin_financement  # noqa: E402, F401
