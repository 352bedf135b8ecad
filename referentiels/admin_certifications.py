"""RNCP / RS certifications in the admin (imported data: read it, search it; fix it by re-importing)."""

from django.contrib import admin

from .models import Certification, CertificationRemplacement
from .search import normalize


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["code", "intitule", "abrege_libelle", "niveau", "actif", "accessible_contrat_pro"]
    list_filter = ["type", "actif", "niveau", "accessible_contrat_pro"]
    search_fields = ["code", "intitule_recherche"]
    readonly_fields = ["intitule_recherche", "chaine_de_remplacement"]
    show_full_result_count = False  # ~30k rows: skip the extra COUNT(*)

    def get_search_results(self, request, queryset, search_term):
        # The search column is normalised: normalise the terms the same way (« œuvre » finds « oeuvre »);
        # a code still matches, case-insensitively (« rncp34567 »).
        return super().get_search_results(request, queryset, normalize(search_term))

    @admin.display(description="Remplacée par")
    def chaine_de_remplacement(self, obj):
        chain = obj.replacement_details()
        steps = [f"{c.code}{'' if c.actif else ' (inactive)'}" for c in chain.certifications]
        if chain.broken_code:
            steps.append(f"{chain.broken_code} (absente du référentiel)")
        if chain.cycle_code:
            steps.append(f"{chain.cycle_code} (boucle)")
        return " → ".join(steps) or "—"


@admin.register(CertificationRemplacement)
class CertificationRemplacementAdmin(admin.ModelAdmin):
    list_display = ["ancien_code", "nouveau_code"]
    search_fields = ["ancien_code", "nouveau_code"]
