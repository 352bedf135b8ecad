"""The back office's admin site: its home is the gestionnaire's dashboard (``dossiers/instruction/tableau.py``)."""

from django.contrib import admin


class AdminPortail(admin.AdminSite):
    """``/admin/``: for whoever may see the dossiers (the *Gestionnaires AKTO*), the dashboard of the work queue
    above the usual list of models (referentials, users…); for other staff, the usual index."""

    def index(self, request, extra_context=None):
        from dossiers.instruction.tableau import figures
        from dossiers.models import Dossier

        dossier_admin = self._registry.get(Dossier)
        if dossier_admin is None or not dossier_admin.has_view_permission(request):
            return super().index(request, extra_context)
        contexte = {
            "title": "Tableau de bord",
            "figures": figures(dossier_admin.get_queryset(request)),
            **(extra_context or {}),
        }
        response = super().index(request, contexte)
        response.template_name = "admin/tableau_de_bord.html"
        return response
