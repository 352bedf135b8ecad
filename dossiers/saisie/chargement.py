"""The dossier as every data-entry view loads it, and what the views say when a write is refused.

``charger(request, pk)``: the dossier if the user may see it (``Dossier.objects.visible_to``: anything else is a
404), tied to the user (``acces.charger``: ``dossier.est_modifiable``), with everything the rules engine reads of
it: its parts and its two tutors in one query (joined, with what the two rules that look at other dossiers need
to know: ``avec_indices``), its training modules (with their organismes) and its files in one query each. The
rules then read no row in the usual case (the reference tables are held in memory: portal/tables.py). The tab
views, the training modules, the pieces and the CERFA all load it here.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from documents import services as pieces
from dossiers import acces
from dossiers.models import Dossier, ModuleFormation

MSG_VERSION_PERIMEE = (
    "Ce dossier a été modifié ailleurs (par un autre utilisateur ou dans un autre onglet du navigateur) "
    "depuis que vous l'avez ouvert : vos modifications n'ont pas été enregistrées. Elles sont toujours "
    "affichées ci-dessous ; rechargez l'onglet pour voir la dernière version puis saisissez-les à nouveau."
)
MSG_NON_MODIFIABLE = "Ce dossier n'est plus modifiable dans son état actuel."

PARTIES = (
    "employeur",
    "salarie",
    "contrat",
    "formation__certification",
    "financement",
    "synthese",
    "accord",
    "etat_documents",
    "sous_dispositif",
    "dispositif",
    "etablissement__entreprise",
    "prestataire",
)
MODULES = Prefetch("formation__modules", queryset=ModuleFormation.objects.select_related("organisme"))


def pour_les_regles(queryset):
    """``queryset`` with everything the rules engine reads: its parts, its tutors and ``avec_indices`` joined, its
    modules and pieces prefetched (one query each, however many dossiers). Call ``noter_indices()`` on each."""
    return (
        queryset.avec_tuteurs()
        .avec_indices()
        .select_related(*PARTIES)
        .prefetch_related(MODULES, pieces.pieces_avec_type())
    )


def charger(request, pk) -> Dossier:
    queryset = pour_les_regles(Dossier.objects.visible_to(request.user))
    dossier = get_object_or_404(queryset, pk=pk)
    dossier.noter_indices()
    return acces.charger(dossier, request.user)
