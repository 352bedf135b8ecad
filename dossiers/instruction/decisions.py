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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from documents.models import AvisPiece, PieceJointe
from dossiers import acces
from dossiers.calculs.montants import montant_estime
from dossiers.enums import CodeDispositif, DossierState, MotifRefus
from dossiers.models import Dossier, DossierEvenement
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    ACCEPTER_TACITEMENT,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TransitionError,
    fire,
)
from referentiels.parametres import ParametreIntrouvable, parametre

# The law's figures, the defaults of the dated parameters below (AKTO may change them per dispositif in the admin).
DELAI_DECISION_JOURS = 20  # Code du travail, art. D6325-2
DELAI_ALERTE_JOURS = 15  # from then on the list shows the dossier in orange and the assignee is warned
PARAMETRE_DELAI = "D6325_2_DELAI_JOURS"
PARAMETRE_ALERTE = "D6325_2_ALERTE_JOURS"
# Whether the end of the deadline deems the funding accepted (1) or not (0), per dispositif: D6325-2 says so of the
# contrat pro; R6324-2 (the période de reconversion) gives the OPCO 20 days but no tacit acceptance.
PARAMETRE_TACITE = "D6325_2_ACCEPTATION_TACITE"


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


MSG_MOTIF_OBLIGATOIRE = "Saisissez le motif de la non-conformité : l'adhérent le lit pour remplacer la pièce."


def donner_avis(dossier: Dossier, piece: PieceJointe, user, avis: str, motif: str = "") -> None:
    """A piece *Conforme* or *Non conforme* (with its reason, mandatory), by whom and when; the adhérent sees a
    non-conforming piece « à remplacer » in his Documents tab."""
    if not acces.peut_donner_avis(user, dossier):
        raise TransitionError(
            f"Avis impossible sur les pièces : le dossier est à l'état « {dossier.get_state_display()} »."
            if acces.gestionnaire(user)
            else "Vous n'êtes pas autorisé(e) à donner un avis sur les pièces."
        )
    if avis not in (AvisPiece.CONFORME, AvisPiece.NON_CONFORME):
        raise TransitionError("Choisissez « Conforme » ou « Non conforme ».")
    motif = " ".join(motif.split()) if avis == AvisPiece.NON_CONFORME else ""
    if avis == AvisPiece.NON_CONFORME and not motif:
        raise TransitionError(MSG_MOTIF_OBLIGATOIRE)
    PieceJointe.objects.filter(pk=piece.pk, dossier=dossier).update(
        avis=avis, motif_avis=motif[:300], avis_par=user, avis_le=timezone.now()
    )


def montant_propose(dossier: Dossier) -> Decimal | None:
    """The amount the *Accepter* form offers: the dispositif's estimate of the funding (``calculs/montants.py``)."""
    return montant_estime(dossier)


# -- the deadline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delai:
    """Calendar days since the last transmission, for a dossier awaiting a decision (J+0 the day of transmission):
    the OPCO decides until the end of day ``decision``; from the next day the funding is deemed accepted."""

    jours: int
    alerte: int = DELAI_ALERTE_JOURS
    decision: int = DELAI_DECISION_JOURS

    @property
    def depasse(self) -> bool:
        return self.jours > self.decision

    @property
    def en_alerte(self) -> bool:
        return self.jours >= self.alerte

    @property
    def niveau(self) -> str:
        """``depasse`` (red), ``alerte`` (orange, from 15 days) or ``normal``."""
        if self.depasse:
            return "depasse"
        return "alerte" if self.en_alerte else "normal"

    @property
    def libelle(self) -> str:
        return "Délai dépassé" if self.depasse else f"J+{self.jours}"

    @property
    def titre(self) -> str:
        reste = self.decision - self.jours
        if self.depasse:
            return f"Transmis il y a {self.jours} jours : délai de décision de {self.decision} jours dépassé"
        return f"Transmis il y a {self.jours} jour(s) : {reste} jour(s) avant la fin du délai de décision"


def seuils(dossier: Dossier) -> tuple[int, int]:
    """(alerte, décision) in days for ``dossier``: the dated parameters in force on its transmission day, its
    dispositif's own (``D6325_2_DELAI_JOURS__CPRO``…) first; the law's figures if none is recorded."""
    jour = timezone.localdate(dossier.transmis_le) if dossier.transmis_le else timezone.localdate()
    variante = dossier.dispositif.code

    def jours(code: str, defaut: int) -> int:
        try:
            return int(parametre(code, jour, variante=variante))
        except ParametreIntrouvable:
            return defaut

    return jours(PARAMETRE_ALERTE, DELAI_ALERTE_JOURS), jours(PARAMETRE_DELAI, DELAI_DECISION_JOURS)


def acceptation_tacite(dossier: Dossier) -> bool:
    """Whether ``dossier``'s dispositif deems the funding accepted at the end of the deadline (the dated parameter
    in force on its transmission day, its dispositif's variant first; if none is recorded, the law's: yes for the
    contrat pro (D6325-2) only)."""
    jour = timezone.localdate(dossier.transmis_le) if dossier.transmis_le else timezone.localdate()
    try:
        return bool(parametre(PARAMETRE_TACITE, jour, variante=dossier.dispositif.code))
    except ParametreIntrouvable:
        return dossier.dispositif.code == CodeDispositif.CONTRAT_PRO


def delai(dossier: Dossier, aujourdhui: dt.date | None = None) -> Delai | None:
    """The deadline's count while the dossier awaits a decision (*Transmis*, *En cours d'instruction*), else None."""
    if dossier.state not in DossierState.a_traiter() or dossier.transmis_le is None:
        return None
    return delai_de(dossier.state, dossier.transmis_le, aujourdhui, seuils=seuils(dossier))


def delai_de(
    state: str, transmis_le: dt.datetime | None, aujourdhui: dt.date | None = None, tz=None, seuils=None
) -> Delai | None:
    """``delai`` from the two columns it reads (the CSV export reads columns, not dossiers; it passes today and the
    time zone once for all its rows, and counts with the law's figures)."""
    if state not in DossierState.a_traiter() or transmis_le is None:
        return None
    aujourdhui = aujourdhui or timezone.localdate()
    return Delai((aujourdhui - timezone.localdate(transmis_le, tz)).days, *(seuils or ()))


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


# -- the daily watch of the deadline (celery beat: tasks.veiller_delais) -------------------------------------

COMMENTAIRE_TACITE = "Prise en charge réputée acceptée (article D6325-2)"


def montant_tacite(dossier: Dossier) -> Decimal | None:
    """What a tacit acceptance engages: the funding as requested, i.e. the estimate from the dated forfaits (the law
    deems the *prise en charge* accepted); empty when it cannot be computed (the gestionnaire sees it so)."""
    try:
        montant = montant_propose(dossier)
    except LookupError:  # a parameter missing at the contract's date
        return None
    return montant if montant is not None and montant > 0 else None


def accepter_tacitement(dossier: Dossier, aujourdhui: dt.date | None = None) -> DossierEvenement | None:
    """D6325-2: no decision at the end of the deadline → *Accepté*, recorded under the portal's own account with
    the estimate as amount engaged, the adhérent, the prestataire and the assignee notified. None when the dossier
    is no longer past its deadline once locked (decided, sent back, transmitted again meanwhile)."""
    with transaction.atomic():
        verrouille = Dossier.objects.select_for_update(of=("self",)).select_related("dispositif").get(pk=dossier.pk)
        compte = delai(verrouille, aujourdhui)
        if compte is None or not compte.depasse or not acceptation_tacite(verrouille):
            return None
        valeurs = {"montant_engage": montant_tacite(dossier)}
        systeme = acces.compte_systeme()
        return fire(verrouille, ACCEPTER_TACITEMENT, user=systeme, comment=COMMENTAIRE_TACITE, valeurs=valeurs)


def alerter(dossier: Dossier, aujourdhui: dt.date | None = None) -> list:
    """The warning of the deadline's approach, once per dossier and transmission, to its assignee
    (``instruit_par``; nobody while unassigned: the list's orange « J+n » and its filter show it to the team, and the
    warning goes to whoever takes it before the end of the deadline). Returns the notifications written."""
    from notifications.events import Evenement
    from notifications.models import Notification
    from notifications.services import notifier

    with transaction.atomic():
        verrouille = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("dispositif", "instruit_par")
            .get(pk=dossier.pk)
        )
        compte = delai(verrouille, aujourdhui)
        if compte is None or not compte.en_alerte or compte.depasse or verrouille.instruit_par is None:
            return []
        deja = Notification.objects.filter(
            dossier=verrouille, evenement=Evenement.DELAI_ALERTE, created_at__gte=verrouille.transmis_le
        )
        if deja.exists():
            return []
        echeance = timezone.localdate(verrouille.transmis_le) + dt.timedelta(days=compte.decision)
        if acceptation_tacite(verrouille):
            commentaire = (
                f"J+{compte.jours} sur {compte.decision} jours : sans décision au plus tard le {echeance:%d/%m/%Y}, la "
                "prise en charge sera réputée acceptée (article D6325-2)."
            )
        else:
            commentaire = (
                f"J+{compte.jours} sur {compte.decision} jours : la décision est attendue au plus tard le "
                f"{echeance:%d/%m/%Y}."
            )
        return notifier(Evenement.DELAI_ALERTE, verrouille, [verrouille.instruit_par], commentaire=commentaire)


def veiller_delais(aujourdhui: dt.date | None = None) -> dict[str, int]:
    """Every dossier awaiting a decision: past its deadline → tacit acceptance; from the alert threshold → the
    assignee's warning (once). Idempotent: run twice a day, it does nothing the second time."""
    from notifications.events import Evenement
    from notifications.models import Notification

    aujourdhui = aujourdhui or timezone.localdate()
    # The smallest threshold any dispositif may have (dated parameters, in memory) bounds the dossiers to read.
    plus_court = min([*valeurs_seuils(), DELAI_ALERTE_JOURS, DELAI_DECISION_JOURS])
    # Whether this transmission was already warned about, read with the list: only the others are locked.
    alerte_envoyee = Notification.objects.filter(
        dossier=OuterRef("pk"), evenement=Evenement.DELAI_ALERTE, created_at__gte=OuterRef("transmis_le")
    )
    candidats = (
        Dossier.objects.filter(
            state__in=DossierState.a_traiter(),
            transmis_le__lt=debut_du_jour(aujourdhui - dt.timedelta(days=max(plus_court, 1) - 1)),
        )
        .select_related("dispositif")
        .annotate(alerte_envoyee=Exists(alerte_envoyee))
        .order_by("transmis_le", "pk")
    )
    faits = {"acceptes": 0, "alertes": 0}
    for dossier in candidats.iterator(chunk_size=500):
        compte = delai(dossier, aujourdhui)
        if compte is None:
            continue
        if compte.depasse:  # a dispositif without tacit acceptance stays « Délai dépassé » in the list
            faits["acceptes"] += accepter_tacitement(dossier, aujourdhui) is not None
        elif compte.en_alerte and not dossier.alerte_envoyee and dossier.instruit_par_id is not None:
            faits["alertes"] += bool(alerter(dossier, aujourdhui))
    return faits


def valeurs_seuils() -> list[int]:
    """Every value recorded for the two parameters and their dispositifs' variants."""
    from portal.tables import lignes
    from referentiels.models import ParametreRegle

    codes = (PARAMETRE_ALERTE, PARAMETRE_DELAI)  # not PARAMETRE_TACITE: a yes/no
    return [int(r.valeur) for r in lignes(ParametreRegle) if r.code.split("__")[0] in codes]


# -- what the adhérent sees -------------------------------------------------------------------------------

DECISIONS = (DEMANDER_COMPLEMENTS, ACCEPTER_DOSSIER, REFUSER_DOSSIER, ACCEPTER_TACITEMENT)


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
        titre = "Votre demande a été acceptée"
        if evenement.transition == ACCEPTER_TACITEMENT:
            texte = (
                "Sans décision d'AKTO dans le délai de décision, la prise en charge de ce contrat est réputée "
                "acceptée et le contrat réputé déposé (article D6325-2 du code du travail)"
            )
            titre = "Votre demande est réputée acceptée"
        if dossier.montant_engage is not None:
            texte += f" : montant de la prise en charge engagée {euros(dossier.montant_engage)}"
        return Avis("success", titre, texte + ".", evenement.comment, evenement.created_at)
    return Avis(
        "danger",
        "Votre demande a été refusée",
        f"Motif du refus : {dossier.get_motif_refus_display() or 'non précisé'}.",
        evenement.comment,
        evenement.created_at,
    )
