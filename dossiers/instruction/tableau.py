"""The gestionnaire's landing dashboard (the back office's home, ``/admin/``): the work queue in figures.

Each figure is one aggregate query (``GROUP BY`` or conditional counts) over the back office's own queryset (the
admin's ``get_queryset``: what reached AKTO), whatever the number of dossiers; each bar is a link to the dossiers'
list filtered on what it counts (the list's own filters, so that the link shows exactly those dossiers):

- by state (the back office's states) → ``?etat=``;
- awaiting a decision, by deadline band (« J+n », ``decisions.BANDES``, the list's « Délai » filter) → ``?delai=``;
- awaiting a decision, by branch (the employer's IDCC, the convention's title from the referential; the first
  ``BRANCHES`` then « Autres ») → ``?idcc=``;
- awaiting a decision, by gestionnaire (``Dossier.instruit_par``, « Non attribué ») → ``?instruit_par=``;
- the decisions of the last ``SEMAINES`` weeks (accepted, refused: ``decide_le``), with the median of the calendar
  days from the (last) transmission to the decision, per week and over the period → ``?etat=&decide_le__gte=…``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.instruction.decisions import BANDES, debut_du_jour
from dossiers.models import Employeur
from referentiels.models import ConventionCollective

BRANCHES = 8  # the branches shown by name; the others are summed in « Autres »
SEMAINES = 12  # the decisions' weeks, this one included
AUCUN = "aucun"  # the « Instruit par » filter's value (``InstruitParFilter``) for the dossiers no one took


@dataclass(frozen=True)
class Segment:
    """A part of a bar: its count and the filtered list it links to (none for « Autres »)."""

    valeur: int
    url: str = ""
    classe: str = ""
    libelle: str = ""  # the link's name in a bar of several segments (a bar of one is named by its visible text)


@dataclass(frozen=True)
class Ligne:
    """A bar of a figure: its label, its segments, and its numbers written in words after it."""

    libelle: str
    segments: tuple[Segment, ...]
    texte: str
    titre: str = ""  # the full label, when ``libelle`` is shortened

    @property
    def total(self) -> int:
        return sum(s.valeur for s in self.segments)


@dataclass(frozen=True)
class Figure:
    id: str
    titre: str
    description: str
    lignes: tuple[Ligne, ...]
    legende: tuple[tuple[str, str], ...] = field(default=())  # (css class, label) of the segments, if several
    note: str = ""


def liste(**parametres) -> str:
    """The back office's list of dossiers with these filters."""
    return f"{reverse('admin:dossiers_dossier_changelist')}?{urlencode(parametres)}"


def nombre(n: int) -> str:
    """``13 516``: thousands apart by a narrow no-break space, as French writes them."""
    return f"{n:,}".replace(",", "\u202f")


def dossiers(n: int) -> str:
    return f"{nombre(n)} dossier{'s' if n > 1 else ''}"


def court(texte: str, longueur: int = 34) -> str:
    return texte if len(texte) <= longueur else texte[: longueur - 1].rstrip() + "…"


def jours_fr(valeur: float | None) -> str:
    if valeur is None:
        return "—"
    texte = f"{valeur:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{texte} j"


# -- the figures ------------------------------------------------------------------------------------------------


def par_etat(queryset) -> Figure:
    comptes = dict(queryset.order_by().values_list("state").annotate(n=Count("pk")))
    lignes = []
    for state in DossierState.dossiers():
        n, nom = comptes.get(state, 0), DossierState(state).label
        lignes.append(Ligne(nom, (Segment(n, liste(etat=state), f"etat--{state}"),), dossiers(n)))
    return Figure("par-etat", "Dossiers par état", "Les dossiers transmis à AKTO, par état.", tuple(lignes))


def par_delai(queryset, aujourdhui: dt.date) -> Figure:
    comptes = queryset.aggregate(**{b.code: Count("pk", filter=b.condition(aujourdhui)) for b in BANDES})
    lignes = tuple(
        Ligne(
            b.libelle,
            (Segment(comptes[b.code], liste(delai=b.code), b.niveau),),
            dossiers(comptes[b.code]),
        )
        for b in BANDES
    )
    return Figure(
        "par-delai",
        "En attente de décision, par délai",
        "Jours écoulés depuis la transmission (délai de décision de 20 jours, art. D6325-2), dossiers Transmis ou "
        "En cours d'instruction.",
        lignes,
    )


def par_branche(queryset) -> Figure:
    # Grouped from the employer's side: the convention's title is then read once per IDCC, not once per dossier.
    titre = ConventionCollective.objects.filter(idcc=OuterRef("idcc")).values("titre")[:1]
    comptes = list(
        Employeur.objects.filter(dossier__in=queryset.filter(state__in=DossierState.a_traiter()).values("pk"))
        .values("idcc")
        .annotate(n=Count("pk"), titre=Subquery(titre))
        .order_by("-n", "idcc")
        .values_list("idcc", "titre", "n")
    )
    nommees = [(idcc, titre, n) for idcc, titre, n in comptes if idcc][:BRANCHES]
    lignes = []
    for idcc, titre, n in nommees:
        nom = f"{idcc} {titre}" if titre else idcc
        lignes.append(Ligne(court(nom), (Segment(n, liste(idcc=idcc), "branche"),), dossiers(n), nom))
    autres = sum(n for _, _, n in comptes) - sum(n for _, _, n in nommees)
    if autres:
        reste = len(comptes) - len(nommees)  # an IDCC not entered counts as one
        lignes.append(
            Ligne(
                "Autres",
                (Segment(autres, "", "autres"),),
                f"{dossiers(autres)}, {reste} branche{'s' if reste > 1 else ''}",
            )
        )
    return Figure(
        "par-branche",
        "En attente de décision, par branche",
        f"La convention collective de l'employeur (IDCC) : les {BRANCHES} premières, puis les autres.",
        tuple(lignes),
    )


def par_gestionnaire(queryset) -> Figure:
    comptes = (
        queryset.filter(state__in=DossierState.a_traiter())
        .values("instruit_par")
        .annotate(n=Count("pk"))
        .order_by("-n", "instruit_par__last_name", "instruit_par__first_name", "instruit_par")
        .values_list("instruit_par", "instruit_par__first_name", "instruit_par__last_name", "instruit_par__email", "n")
    )
    lignes = []
    for pk, prenom, nom, email, n in comptes:
        libelle = f"{prenom} {nom}".strip() or email if pk else "Non attribué"
        segment = Segment(n, liste(instruit_par=pk or AUCUN), "gestionnaire")
        lignes.append(Ligne(court(libelle), (segment,), dossiers(n), libelle))
    return Figure(
        "par-gestionnaire",
        "En attente de décision, par gestionnaire",
        "Le gestionnaire qui instruit le dossier (« Instruit par »).",
        tuple(lignes),
    )


def mediane(durees: Counter) -> float | None:
    """The median of the values counted in ``durees`` (value → how many times), without a list of every value."""
    total = sum(durees.values())
    if not total:
        return None
    rangs = ((total - 1) // 2, total // 2)  # the middle value's rank, twice if ``total`` is odd
    milieu, vu = [], 0
    for valeur in sorted(durees):
        suivant = vu + durees[valeur]
        milieu += [valeur for rang in rangs if vu <= rang < suivant]
        vu = suivant
    return sum(milieu) / 2


def decisions_par_semaine(queryset, aujourdhui: dt.date) -> Figure:
    debut = aujourdhui - dt.timedelta(days=aujourdhui.weekday(), weeks=SEMAINES - 1)  # a Monday
    # One row per (state, decision day, transmission day): the count of the days between, by calendar day as the
    # deadline, without a row per dossier; the weeks and medians are summed here.
    comptes = (
        queryset.filter(
            state__in=[DossierState.ACCEPTE, DossierState.REFUSE],
            decide_le__gte=debut_du_jour(debut),
            transmis_le__isnull=False,
        )
        .annotate(jour_decision=TruncDate("decide_le"), jour_transmission=TruncDate("transmis_le"))
        .values("state", "jour_decision", "jour_transmission")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("state", "jour_decision", "jour_transmission", "n")
    )
    nombres: dict[tuple[dt.date, str], int] = defaultdict(int)
    durees: dict[dt.date, Counter] = defaultdict(Counter)
    for state, decision, transmission, n in comptes:
        semaine = decision - dt.timedelta(days=decision.weekday())
        nombres[semaine, state] += n
        durees[semaine][(decision - transmission).days] += n
    lignes = []
    for i in range(SEMAINES):
        lundi = debut + dt.timedelta(weeks=i)
        periode = {
            "decide_le__gte": debut_du_jour(lundi).isoformat(),
            "decide_le__lt": debut_du_jour(lundi + dt.timedelta(weeks=1)).isoformat(),
        }
        acceptes, refuses = nombres[lundi, DossierState.ACCEPTE], nombres[lundi, DossierState.REFUSE]
        semaine = f"sem. du {lundi:%d/%m}"
        segments = (
            Segment(
                acceptes, liste(etat=DossierState.ACCEPTE, **periode), "accepte", f"{acceptes} accepté(s), {semaine}"
            ),
            Segment(refuses, liste(etat=DossierState.REFUSE, **periode), "refuse", f"{refuses} refusé(s), {semaine}"),
        )
        texte = f"{nombre(acceptes)} acc., {nombre(refuses)} ref." + (
            f", médiane {jours_fr(mediane(durees[lundi]))}" if durees[lundi] else ""
        )
        lignes.append(Ligne(f"Sem. du {lundi:%d/%m}", segments, texte, f"Semaine du {lundi:%d/%m/%Y}"))
    toutes: Counter = sum(durees.values(), Counter())
    total = sum(toutes.values())
    return Figure(
        "decisions",
        "Décisions par semaine",
        f"Dossiers acceptés et refusés, par semaine de décision ({SEMAINES} dernières semaines), et la médiane des "
        "jours de la transmission à la décision.",
        tuple(lignes),
        legende=(("accepte", "Acceptés"), ("refuse", "Refusés")),
        note=(
            f"Délai médian de décision : {jours_fr(mediane(toutes))} de la transmission à la décision, "
            f"sur {nombre(total)} décision{'s' if total > 1 else ''} des {SEMAINES} dernières semaines."
            if total
            else f"Aucune décision ces {SEMAINES} dernières semaines."
        ),
    )


def figures(queryset, aujourdhui: dt.date | None = None) -> list[Figure]:
    """The dashboard's figures over ``queryset`` (the admin's dossiers), one query each."""
    aujourdhui = aujourdhui or timezone.localdate()
    return [
        par_delai(queryset, aujourdhui),
        par_etat(queryset),
        par_gestionnaire(queryset),
        par_branche(queryset),
        decisions_par_semaine(queryset, aujourdhui),
    ]
