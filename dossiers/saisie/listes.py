"""*Dossiers* and *Brouillons*: the user's dossiers in a filterable, sortable, paginated table."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.models.dossier import parties_des_dates
from dossiers.recherche import filtrer_dossiers
from portal.htmx import render_page_or_partial

PAR_PAGE = 20

# Sortable columns: parameter → ORDER BY (a whitelist: the parameter never reaches the ORM as is).
TRIS = {
    "numero": "numero",
    "dep": "dispositif__code",
    "formation": "formation__intitule",
    "debut": "periode__date_debut",  # the contract's or the agreement's (PERIODE)
    "fin": "periode__date_fin",
    "entreprise": "employeur__raison_sociale",
    "beneficiaire": "salarie__nom_naissance",
    "etat": "state",
}
COLONNES = [
    ("numero", "Numéro"),
    ("dep", "Dep"),
    ("formation", "Formation"),
    ("debut", "Début"),
    ("fin", "Fin"),
    ("entreprise", "Entreprise"),
    ("beneficiaire", "Bénéficiaire"),
    ("etat", "Etat"),
]

PAGES = {
    "brouillons": {"titre": "Brouillons", "states": DossierState.brouillons},
    "dossiers": {"titre": "Dossiers", "states": DossierState.dossiers},
}


# « Début » / « Fin »: the dates of the part the dossier's dispositif shows (``Dossier.periode``: the contract's, the
# agreement's), read from whichever of those parts has them.
PERIODE = "periode"


def _colonne_de_partie(partie: str, colonne: str):
    relation = Dossier._meta.get_field(partie)
    return Subquery(relation.related_model.objects.filter(dossier=OuterRef("pk")).values(colonne)[:1])


def cle_de_tri(champ: str):
    """The ORDER BY of one sort field (the page's ids, then its rows).

    A column of a part (``salarie__nom_naissance``) is read per visible dossier from the part's (dossier, column)
    index, as a scalar subquery: a join let PostgreSQL hash the whole part table for a user who sees a few
    thousand dossiers. Same values (NULL when the part is missing), so the same order as the join gives. The
    period's dates (``periode__date_debut``) are the first non-NULL of the parts that may hold them.
    """
    descendant = champ.startswith("-")
    nom = champ.removeprefix("-")
    partie, _, colonne = nom.partition("__")
    relation = Dossier._meta.get_field(partie) if colonne and partie != PERIODE else None
    if partie == PERIODE:
        cle = Coalesce(*[_colonne_de_partie(p, colonne) for p in parties_des_dates()])
    elif relation is not None and relation.one_to_one and relation.auto_created:
        cle = _colonne_de_partie(partie, colonne)
    else:
        cle = F(nom)
    return cle.desc() if descendant else cle.asc()


def _states_for(user, page):
    return PAGES[page]["states"](prestataire=user.is_prestataire)


FILTRES = ("etat", "q", "tri", "page")


def url_liste(path: str, **params) -> str:
    """The list's URL: each parameter once, in a fixed order, empty ones (and page 1) dropped."""
    propres = {}
    for key in FILTRES:
        value = params.get(key)
        if value not in (None, "") and not (key == "page" and str(value) == "1"):
            propres[key] = str(value)
    return f"{path}?{urlencode(propres)}" if propres else path


@login_required
def liste(request, page):
    config = PAGES[page]
    states = _states_for(request.user, page)
    queryset = Dossier.objects.visible_to(request.user).filter(state__in=states)

    etat = request.GET.get("etat", "")
    if etat in states:
        queryset = queryset.filter(state=etat)
    else:
        etat = ""
    q = request.GET.get("q", "").strip()
    if q:  # number, employer, SIRET, salarié's names, training title: accents, case and ligatures ignored
        queryset = filtrer_dossiers(queryset, q)
    tri = request.GET.get("tri", "")
    champ = TRIS.get(tri.removeprefix("-"))
    if champ:
        ordre = [("-" if tri.startswith("-") else "") + champ, "-pk"]
    else:
        tri = ""
        ordre = ["-created_at", "-pk"]

    demande = {key: request.GET.getlist(key)[-1].strip() for key in FILTRES if key in request.GET}
    propre = url_liste(request.path, **demande)
    if not request.htmx and dict(request.GET.lists()) != {k: [v] for k, v in parse_qsl(propre.partition("?")[2])}:
        return redirect(propre)  # a plain GET of the form (or an old link): its parameters once, empty ones dropped

    # Two steps: the page's ids, sorted, from the dossiers the user sees (read from indexes only), then those 20
    # rows with what the table shows: a deep page no longer joins every dossier before it.
    cles = queryset.order_by(*[cle_de_tri(champ) for champ in ordre]).values("pk")
    page_obj = Paginator(cles, PAR_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = (
        Dossier.objects.filter(pk__in=page_obj.object_list).for_list().order_by(*[cle_de_tri(c) for c in ordre])
    )
    context = {
        "page_name": page,
        "titre": config["titre"],
        "page_obj": page_obj,
        "etats": [(s, DossierState(s).label) for s in states],
        "etat": etat,
        "q": q,
        "tri": tri,
        "colonnes": [
            (key, label, url_liste(request.path, etat=etat, q=q, tri=f"-{key}" if tri == key else key))
            for key, label in COLONNES
        ],
        "url_precedente": page_obj.has_previous()
        and url_liste(request.path, etat=etat, q=q, tri=tri, page=page_obj.previous_page_number()),
        "url_suivante": page_obj.has_next()
        and url_liste(request.path, etat=etat, q=q, tri=tri, page=page_obj.next_page_number()),
        "peut_creer": request.user.is_adherent or request.user.is_prestataire,
    }
    response = render_page_or_partial(request, "dossiers/liste.html", "resultats", context)
    if request.htmx:  # the form's request carries every field, empty or not: the address bar shows them once
        response["HX-Push-Url"] = url_liste(request.path, etat=etat, q=q, tri=tri, page=page_obj.number)
    return response
