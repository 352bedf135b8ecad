"""The gestionnaire's instruction of a transmitted dossier: one service per decision, the decision deadline.

Each decision is one function running its transition (``dossiers/workflow.py``) inside ``transaction.atomic()``:
*Prendre en instruction*, *Demander des compléments* (the adhérent gets the dossier back editable and sees the
comment), *Accepter* (with the funding amount engaged), *Refuser* (with a reason from the notice's list). Views
(the admin's buttons and bulk action) call these and show ``TransitionError``'s French text.

The adhérent (and the prestataire who pre-entered the dossier, if any) is notified of each decision: each
transition declares its notification, written by ``fire`` in the same transaction (an outbox).

The deadline: the OPCO decides within 20 calendar days of the receipt of the complete dossier (art. D6325-2);
it is counted from the last transmission (``Dossier.transmis_le``) while the dossier awaits a decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.calculs.financement import estimation
from dossiers.enums import DossierState, MotifRefus
from dossiers.models import Dossier, DossierEvenement
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TransitionError,
    fire,
)

DELAI_DECISION_JOURS = 20  # Code du travail, art. D6325-2
DELAI_ALERTE_JOURS = 15  # from then on the list shows the dossier in orange


# -- the decisions ----------------------------------------------------------------------------------------


def prendre_en_instruction(dossier: Dossier, user, commentaire: str = "") -> DossierEvenement:
    """*Transmis* → *En cours d'instruction*."""
    with transaction.atomic():
        evenement = fire(dossier, PRENDRE_EN_INSTRUCTION, user=user, comment=commentaire)
    return evenement


def demander_complements(dossier: Dossier, user, commentaire: str) -> DossierEvenement:
    """→ *A compléter*: the adhérent edits the dossier again, reads ``commentaire``, and transmits it again."""
    with transaction.atomic():
        evenement = fire(dossier, DEMANDER_COMPLEMENTS, user=user, comment=commentaire)
    return evenement


def accepter(dossier: Dossier, user, montant: Decimal, commentaire: str = "") -> DossierEvenement:
    """*En cours d'instruction* → *Accepté*, with the amount of the funding AKTO engages (decision date kept)."""
    if montant is None or montant <= 0:
        raise TransitionError("Le montant de la prise en charge engagée doit être supérieur à zéro.")
    with transaction.atomic():
        evenement = fire(dossier, ACCEPTER_DOSSIER, user=user, comment=commentaire, valeurs={"montant_engage": montant})
    return evenement


def refuser(dossier: Dossier, user, motif: str, commentaire: str = "") -> DossierEvenement:
    """*En cours d'instruction* → *Refusé*, motivated by one of the notice's reasons (D6325-2)."""
    if motif not in MotifRefus.values:
        raise TransitionError("Choisissez le motif du refus parmi ceux de la notice.")
    with transaction.atomic():
        evenement = fire(dossier, REFUSER_DOSSIER, user=user, comment=commentaire, valeurs={"motif_refus": motif})
    return evenement


def montant_propose(dossier: Dossier) -> Decimal | None:
    """The amount the *Accepter* form offers: the funding estimate's total (training + tutor aid once designated)."""
    return estimation(dossier).total_aides


# -- the deadline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delai:
    """Calendar days since the last transmission, for a dossier awaiting a decision."""

    jours: int

    @property
    def depasse(self) -> bool:
        return self.jours > DELAI_DECISION_JOURS

    @property
    def niveau(self) -> str:
        """``depasse`` (red), ``alerte`` (orange, from 15 days) or ``normal``."""
        if self.depasse:
            return "depasse"
        return "alerte" if self.jours >= DELAI_ALERTE_JOURS else "normal"

    @property
    def libelle(self) -> str:
        return "Délai dépassé" if self.depasse else f"J+{self.jours}"

    @property
    def titre(self) -> str:
        reste = DELAI_DECISION_JOURS - self.jours
        if self.depasse:
            return f"Transmis il y a {self.jours} jours : délai de décision de {DELAI_DECISION_JOURS} jours dépassé"
        return f"Transmis il y a {self.jours} jour(s) : {reste} jour(s) avant la fin du délai de décision"


def delai(dossier: Dossier, aujourdhui: dt.date | None = None) -> Delai | None:
    """The deadline's count while the dossier awaits a decision (*Transmis*, *En cours d'instruction*), else None."""
    return delai_de(dossier.state, dossier.transmis_le, aujourdhui)


def delai_de(state: str, transmis_le: dt.datetime | None, aujourdhui: dt.date | None = None, tz=None) -> Delai | None:
    """``delai`` from the two columns it reads (the CSV export reads columns, not dossiers; it passes today and the
    time zone once for all its rows)."""
    if state not in DossierState.a_traiter() or transmis_le is None:
        return None
    aujourdhui = aujourdhui or timezone.localdate()
    return Delai((aujourdhui - timezone.localdate(transmis_le, tz)).days)


def debut_du_jour(jour: dt.date) -> dt.datetime:
    """Local midnight of ``jour``, aware: the bound of a filter on ``transmis_le`` by calendar day."""
    return timezone.make_aware(dt.datetime.combine(jour, dt.time.min))


def en_attente_depuis(de: int, a: int | None = None, aujourdhui: dt.date | None = None) -> Q:
    """The dossiers awaiting a decision whose count (``Delai.jours``, « J+n ») is from ``de`` to ``a`` days, both
    included (``a`` None: no end), as a condition on ``transmis_le`` by calendar day (the index's column): the
    list's « Délai » filter and the dashboard's deadline bands."""
    aujourdhui = aujourdhui or timezone.localdate()
    condition = Q(state__in=DossierState.a_traiter())
    if de > 0:  # J+n >= de: transmitted on day today - de or before
        condition &= Q(transmis_le__lt=debut_du_jour(aujourdhui - dt.timedelta(days=de - 1)))
    if a is not None:  # J+n <= a: transmitted on day today - a or after
        condition &= Q(transmis_le__gte=debut_du_jour(aujourdhui - dt.timedelta(days=a)))
    return condition


@dataclass(frozen=True)
class Bande:
    """A band of the deadline's count, « J+de » to « J+a » (``a`` None: and beyond); ``code`` is its value in the
    list's « Délai » filter (``?delai=``)."""

    code: str
    libelle: str
    de: int
    a: int | None
    niveau: str  # the colour of the list's column for that band

    def condition(self, aujourdhui: dt.date | None = None) -> Q:
        return en_attente_depuis(self.de, self.a, aujourdhui)


# The dashboard's bands (issue 19): under the orange, the last days before the deadline's end, its end and beyond.
BANDES = (
    Bande("normal", f"0–{DELAI_ALERTE_JOURS - 1} jours", 0, DELAI_ALERTE_JOURS - 1, "normal"),
    Bande(
        "j15_19",
        f"{DELAI_ALERTE_JOURS}–{DELAI_DECISION_JOURS - 1} jours",
        DELAI_ALERTE_JOURS,
        DELAI_DECISION_JOURS - 1,
        "alerte",
    ),
    Bande("j20_plus", f"{DELAI_DECISION_JOURS} jours et plus", DELAI_DECISION_JOURS, None, "depasse"),
)


# -- what the adhérent sees -------------------------------------------------------------------------------

DECISIONS = (DEMANDER_COMPLEMENTS, ACCEPTER_DOSSIER, REFUSER_DOSSIER)


@dataclass(frozen=True)
class Avis:
    """The gestionnaire's last decision, as the adhérent's dossier page shows it."""

    kind: str  # Bootstrap alert colour
    titre: str
    texte: str
    commentaire: str
    le: dt.datetime


def avis_gestionnaire(dossier: Dossier) -> Avis | None:
    """The decision that put the dossier in its current state (compléments, accepted, refused), else None."""
    if dossier.state not in (DossierState.A_COMPLETER, DossierState.ACCEPTE, DossierState.REFUSE):
        return None
    decisions = dossier.evenements.filter(transition__in=DECISIONS, to_state=dossier.state)
    evenement = decisions.order_by("-created_at", "-pk").first()
    if evenement is None:
        return None
    if dossier.state == DossierState.A_COMPLETER:
        return Avis(
            "warning",
            "Le gestionnaire AKTO demande des compléments",
            "Corrigez ou complétez votre dossier comme indiqué ci-dessous, enregistrez, puis transmettez-le à nouveau.",
            evenement.comment,
            evenement.created_at,
        )
    if dossier.state == DossierState.ACCEPTE:
        from dossiers.calculs.financement import euros

        texte = "AKTO accepte la prise en charge de ce contrat"
        if dossier.montant_engage is not None:
            texte += f" : montant de la prise en charge engagée {euros(dossier.montant_engage)}"
        return Avis("success", "Votre demande a été acceptée", texte + ".", evenement.comment, evenement.created_at)
    return Avis(
        "danger",
        "Votre demande a été refusée",
        f"Motif du refus : {dossier.get_motif_refus_display() or 'non précisé'}.",
        evenement.comment,
        evenement.created_at,
    )
