"""Lookups of the organismes referential (htmx partials, JSON on request).

``GET /referentiels/organismes/?q=`` — ``q`` is a SIRET (14 digits), a SIREN or longer SIRET prefix (9 to 13
digits), an NDA (11 digits: NDA or SIRET prefix), or words matched, accent-insensitive, against the name,
sign, postal code, commune and networks. Open organisms come first; closed ones and those not known to be
Qualiopi-certified carry a flag.
"""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.urls import path
from django.views.decorators.http import require_GET

from referentiels.lookups import LIMIT, respond
from referentiels.models import OrganismeFormation
from referentiels.search import filtrer, mots

TEMPLATE = "referentiels/lookups/organismes.html"
MIN_LENGTH = 2
_SEPARATORS = re.compile(r"[\s.\-/]")
_FIELDS = [
    "siret",
    "nda",
    "raison_sociale",
    "enseigne",
    "adresse",
    "code_postal",
    "commune",
    "uai",
    "qualiopi",
    "actif",
    "reseaux",
]


def rechercher(q: str):
    """Organisms matching ``q``, open ones first (a queryset: slice it)."""
    compact = _SEPARATORS.sub("", q)
    organismes = OrganismeFormation.objects.only(*_FIELDS)
    if compact.isdigit() and len(compact) >= 9:
        if len(compact) >= 14:
            return organismes.filter(siret=compact[:14]) if len(compact) == 14 else organismes.none()
        # A SIREN or a longer prefix: a range on the unique index (digits only), on every backend.
        condition = Q(siret__gte=compact, siret__lte=compact.ljust(14, "9"))
        if len(compact) == 11:
            condition |= Q(nda=compact)
        return organismes.filter(condition).order_by("-actif", "siret")
    words = mots(q)
    if not words:
        return organismes.none()
    return filtrer(organismes, "nom_recherche", words).order_by("-actif", "nom_recherche", "siret")


def as_row(organisme: OrganismeFormation) -> dict:
    alertes = []
    if not organisme.actif:
        alertes.append("Fermé")
    if organisme.qualiopi is False:
        alertes.append("Non certifié Qualiopi")
    elif organisme.qualiopi is None:
        alertes.append("Qualiopi non renseigné")
    label = f"{organisme.denomination} — SIRET {organisme.siret}"
    if organisme.commune:
        label += f" — {organisme.commune}"
    return {
        "siret": organisme.siret,
        "nda": organisme.nda,
        "denomination": organisme.denomination,
        "raison_sociale": organisme.raison_sociale,
        "enseigne": organisme.enseigne,
        "adresse": organisme.adresse,
        "code_postal": organisme.code_postal,
        "commune": organisme.commune,
        "uai": organisme.uai,
        "qualiopi": organisme.qualiopi,
        "actif": organisme.actif,
        "reseaux": organisme.liste_reseaux,
        "alertes": alertes,
        "label": label + "".join(f" ({alerte})" for alerte in alertes),
    }


@login_required
@require_GET
def organismes(request):
    q = request.GET.get("q", "").strip()[:200]
    trop_court = len(_SEPARATORS.sub("", q)) < MIN_LENGTH
    rows = [] if trop_court else [as_row(o) for o in rechercher(q)[:LIMIT]]
    return respond(request, TEMPLATE, rows, q=q, trop_court=trop_court, limite=LIMIT)


urlpatterns = [
    path("organismes/", organismes, name="lookup_organismes"),
]
