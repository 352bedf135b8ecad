"""The Accueil's to-do list: what needs the user now, each row a link to its dossier.

Every list is read from ``Dossier.objects.visible_to(user)`` with a bounded slice, so the page costs the same
number of queries whether the user sees 3 dossiers or 3,000:

- « A compléter »: dossiers sent back by AKTO, with the comment of the last *Demander des compléments* event
  (the comment the adhérent is sent, never a gestionnaire's internal note: those are ``NoteInterne`` rows);
- « A valider »: an adhérent's pre-entries by a prestataire waiting for *Accepter la reprise* (a prestataire sees
  there those still waiting for the adhérent, and those the adhérent refused);
- « Brouillons à finaliser »: the ``URGENTS`` most urgent drafts (earliest contract start C9 first, then the
  last modified), loaded as the tabs load a dossier (``chargement.pour_les_regles``: one query plus one per
  prefetch) and checked by the rules engine: the tabs with blocking anomalies the user may complete, and
  « Transmettre au plus tard le JJ/MM » (C9 + 5 days, D6325-1, DAT-03) when C9 is within ``JOURS_PROCHES`` days
  or past;
- « Dossiers récents »: the last ``RECENTS`` modified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers import acces, rules
from dossiers.enums import DossierState, OngletDossier
from dossiers.models import Dossier, DossierEvenement
from dossiers.models.dossier import parties_des_dates
from dossiers.rules.contrat import JOURS_TRANSMISSION
from dossiers.saisie.chargement import pour_les_regles
from dossiers.workflow import DEMANDER_COMPLEMENTS

LIMITE = 10  # rows per to-do section (the lists have the rest)
URGENTS = 5  # drafts checked by the rules engine
JOURS_PROCHES = 30  # a start date this close (or past) shows the transmission deadline
RECENTS = 5
A_REPRENDRE = DossierState.A_REPRENDRE


@dataclass
class Brouillon:
    dossier: Dossier
    transmettre_le: dt.date | None = None
    depasse: bool = False
    onglets: list[str] = field(default_factory=list)  # labels of the user's tabs with blocking anomalies


def _lignes(queryset):
    return queryset.select_related("employeur", "salarie", "contrat").order_by("-updated_at", "-pk")


def _brouillons(user, visibles, states) -> list[Brouillon]:
    jour = timezone.localdate()
    urgents = pour_les_regles(visibles.filter(state__in=states)).order_by(
        Coalesce(*[F(f"{partie}__date_debut") for partie in parties_des_dates()]).asc(nulls_last=True),
        "-updated_at",
        "-pk",
    )[:URGENTS]
    libelles = dict(OngletDossier.choices)
    lignes = []
    for dossier in urgents:
        dossier.noter_indices()
        # The tabs the user may complete (a prestataire: its own, the adhérent completes the others).
        bloquants = {a.onglet for a in rules.check(dossier) if a.bloquant}
        onglets = [libelles[o] for o in libelles if o in bloquants and acces.peut_modifier(user, dossier, o)]
        ligne = Brouillon(dossier, onglets=onglets)
        debut = dossier.contrat.date_debut if hasattr(dossier, "contrat") else None
        if debut is not None and debut <= jour + dt.timedelta(days=JOURS_PROCHES):
            ligne.transmettre_le = debut + dt.timedelta(days=JOURS_TRANSMISSION)
            ligne.depasse = jour > ligne.transmettre_le
        lignes.append(ligne)
    return lignes


def a_faire(user) -> dict:
    """The Accueil's sections for ``user`` (an adhérent or a prestataire), each a list of rows."""
    visibles = Dossier.objects.visible_to(user)
    prestataire = user.is_prestataire
    commentaire = (
        DossierEvenement.objects.filter(
            dossier=OuterRef("pk"), transition=DEMANDER_COMPLEMENTS, to_state=DossierState.A_COMPLETER
        )
        .order_by("-created_at", "-pk")
        .values("comment")[:1]
    )
    sections = {
        "a_completer": list(
            _lignes(visibles.filter(state=DossierState.A_COMPLETER)).annotate(commentaire_akto=Subquery(commentaire))[
                :LIMITE
            ]
        ),
        "a_valider": list(_lignes(visibles.filter(state=DossierState.A_REPRENDRE))[:LIMITE]),
        # The pre-entries to take over are « A valider », not drafts to finalise.
        "brouillons": _brouillons(
            user, visibles, [s for s in DossierState.brouillons(prestataire) if s != A_REPRENDRE]
        ),
        "recents": list(
            _lignes(visibles.exclude(state__in=[] if prestataire else DossierState.hors_listes()))[:RECENTS]
        ),
    }
    if prestataire:
        sections["refuses"] = list(_lignes(visibles.filter(state=DossierState.REFUSE_PAR_ADHERENT))[:LIMITE])
    return sections
