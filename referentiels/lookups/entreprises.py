"""Lookup of establishments by SIREN, SIRET or name, among those the user may see (visible_to)."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from referentiels.models import Etablissement

from . import LIMIT, respond


@login_required
def etablissements(request):
    q = request.GET.get("q", "").strip()
    queryset = Etablissement.objects.visible_to(request.user).select_related("entreprise").recherche(q)
    rows = [
        {
            "siret": e.siret,
            "siren": e.entreprise.siren,
            "denomination": e.denomination,
            "adresse": f"{e.numero_voie} {e.code_postal} {e.commune}",
            "naf": e.naf,
            "idcc": e.idcc,
        }
        for e in queryset[:LIMIT]
    ]
    return respond(request, "referentiels/lookups/etablissements.html", rows, q=q)


urlpatterns = [path("etablissements/", etablissements, name="lookup_etablissements")]
