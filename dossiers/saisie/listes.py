"""*Dossiers* and *Brouillons*: the user's dossiers in a filterable, sortable, paginated table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.recherche import filtrer_dossiers
from portal.htmx import render_page_or_partial

PAR_PAGE = 20

# Sortable columns: parameter → ORDER BY (a whitelist: the parameter never reaches the ORM as is).
TRIS = {
    "numero": "numero",
    "dep": "dispositif__code",
    "formation": "formation__intitule",
    "debut": "contrat__date_debut",
    "fin": "contrat__date_fin",
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


def _states_for(user, page):
    return PAGES[page]["states"](prestataire=user.is_prestataire)


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

    # Two steps: the page's ids, sorted, from the dossiers the user sees (only the sort's join: no row of the
    # other parts is read for the dossiers before the page), then those rows with what the table shows.
    page_obj = Paginator(queryset.order_by(*ordre).values("pk"), PAR_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = Dossier.objects.filter(pk__in=page_obj.object_list).for_list().order_by(*ordre)
    context = {
        "page_name": page,
        "titre": config["titre"],
        "page_obj": page_obj,
        "etats": [(s, DossierState(s).label) for s in states],
        "etat": etat,
        "q": q,
        "tri": tri,
        "colonnes": COLONNES,
        "peut_creer": request.user.is_adherent or request.user.is_prestataire,
    }
    return render_page_or_partial(request, "dossiers/liste.html", "resultats", context)
