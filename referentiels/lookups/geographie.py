"""Lookups of the geographie and nomenclatures referentials (htmx ``<option>`` partials, JSON on request).

- ``code-postal/<code>/communes/``: the current communes served by a postal code (all of them: up to 46);
- ``communes/?q=``: communes by name (each word a prefix of a word of the name, accents ignored), by code
  INSEE or postal code; ``historiques=1`` adds delegated and associated communes and municipal
  arrondissements (birthplaces), ``departement=42`` restricts to one département;
- ``naf/?q=``: NAF sub-classes by code or title words;
- ``idcc/?q=``: collective agreements in force by IDCC or title words (``historiques=1``: all of them).
"""

import re
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_GET

from referentiels.lookups import LIMIT, respond
from referentiels.models import CodeNaf, CodePostal, Commune, ConventionCollective, TypeCommune

# A postal code serves at most 46 communes (51300): the select must offer every one of them.
CODE_POSTAL_MAX = 100
_CODE_POSTAL = re.compile(r"^[0-9]{5}$")
_CODE_DEPARTEMENT = re.compile(r"^(?:[0-9]{2}|2[AB]|9[78][0-9])$")
OPTIONS = "referentiels/lookups/options.html"  # generic <option> list (communes, NAF, IDCC)


def _oui(request, name: str) -> bool:
    return request.GET.get(name, "").lower() in {"1", "true", "on", "oui"}


def commune_rows(ids: list[int]) -> list[dict]:
    """Lookup rows of the communes ``ids``, in that order: two queries, no model instances."""
    if not ids:
        return []
    communes = list(
        Commune.objects.filter(pk__in=ids).values(
            "pk",
            "code",
            "nom",
            "type",
            "actuelle",
            "departement_id",
            "departement__nom",
            "commune_parente__code",
            "commune_parente__nom",
        )
    )
    position = {pk: rang for rang, pk in enumerate(ids)}
    communes.sort(key=lambda commune: position[commune["pk"]])
    codes_postaux = defaultdict(list)
    paires = CodePostal.objects.filter(commune_id__in=ids).order_by("code").values_list("commune_id", "code")
    for commune_id, code in paires:
        codes_postaux[commune_id].append(code)
    return [
        {
            "value": commune["code"],
            "label": _label(commune),
            "code": commune["code"],
            "nom": commune["nom"],
            "type": commune["type"],
            "actuelle": commune["actuelle"],
            "departement": commune["departement_id"],
            "departement_nom": commune["departement__nom"],
            "codes_postaux": codes_postaux[commune["pk"]],
            "commune_parente": (
                {"code": commune["commune_parente__code"], "nom": commune["commune_parente__nom"]}
                if commune["commune_parente__code"]
                else None
            ),
        }
        for commune in communes
    ]


def _label(commune: dict) -> str:
    label = f"{commune['nom']} ({commune['departement_id']})"
    if commune["type"] in (TypeCommune.DELEGUEE, TypeCommune.ASSOCIEE) and commune["commune_parente__nom"]:
        label += f" — {TypeCommune(commune['type']).label.lower()}, rattachée à {commune['commune_parente__nom']}"
    return label


@login_required
@require_GET
def communes(request):
    departement = request.GET.get("departement", "").strip().upper()
    ids = Commune.objects.recherche(
        request.GET.get("q", ""),
        historiques=_oui(request, "historiques"),
        departement=departement if _CODE_DEPARTEMENT.match(departement) else "",
        limit=LIMIT,
    )
    rows = commune_rows(ids)
    return respond(request, OPTIONS, rows, vide="Aucune commune ne correspond à cette saisie.")


@login_required
@require_GET
def communes_du_code_postal(request, code: str):
    rows = []
    if _CODE_POSTAL.match(code):
        communes = Commune.objects.du_code_postal(code)
        rows = commune_rows(list(communes.values_list("pk", flat=True)[:CODE_POSTAL_MAX]))
    return respond(request, "referentiels/lookups/communes_code_postal.html", rows, code=code)


@login_required
@require_GET
def naf(request):
    rows = [
        {
            "value": code.code_compact,
            "label": f"{code.code} — {code.libelle}",
            "code": code.code,
            "code_compact": code.code_compact,
            "libelle": code.libelle,
        }
        for code in CodeNaf.objects.recherche(request.GET.get("q", ""))[:LIMIT]
    ]
    return respond(request, OPTIONS, rows, vide="Aucun code NAF ne correspond à cette saisie.")


@login_required
@require_GET
def idcc(request):
    queryset = ConventionCollective.objects.recherche(request.GET.get("q", ""))
    if not _oui(request, "historiques"):
        queryset = queryset.filter(active=True)
    rows = [
        {
            "value": convention.idcc,
            "label": f"{convention.idcc} — {convention.titre}"
            + ("" if convention.active else f" ({convention.get_statut_display().lower()})"),
            "idcc": convention.idcc,
            "titre": convention.titre,
            "statut": convention.statut,
            "active": convention.active,
        }
        for convention in queryset[:LIMIT]
    ]
    return respond(request, OPTIONS, rows, vide="Aucune convention collective ne correspond à cette saisie.")


urlpatterns = [
    path("communes/", communes, name="lookup_communes"),
    path("code-postal/<str:code>/communes/", communes_du_code_postal, name="lookup_code_postal_communes"),
    # The same, with the code as a parameter: what an address form's postal-code input sends (htmx).
    path(
        "code-postal/communes/",
        lambda request: communes_du_code_postal(request, request.GET.get("code_postal", "").strip()),
        name="lookup_communes_du_code_postal",
    ),
    path("naf/", naf, name="lookup_naf"),
    path("idcc/", idcc, name="lookup_idcc"),
]
