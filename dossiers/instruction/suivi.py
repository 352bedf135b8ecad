"""What the back office records on a dossier besides its decisions: who handles it (assignment), the gestionnaires'
internal notes, the dossier page's history (decisions with their data, assignments), and which dossiers a bulk
*Accepter* may accept, each with its estimated amount.

The assignment is ``Dossier.instruit_par``, each change logged by an ``Attribution`` row (who gave it to whom);
it changes no state and notifies nobody (ADR « attribution et notes internes »). It is not a new version of the
dossier either: an adhérent saving a tab of a dossier sent back to him is not refused because AKTO reassigned it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from documents import services as pieces
from dossiers import acces, rules
from dossiers.calculs.financement import euros
from dossiers.instruction import decisions
from dossiers.models import Attribution, Dossier, DossierEvenement, NoteInterne
from dossiers.saisie.chargement import MODULES, PARTIES
from dossiers.workflow import ACCEPTER_DOSSIER, TransitionError, label, verifier

# -- assignment -----------------------------------------------------------------------------------------------


def attribuer(dossiers: Iterable[Dossier], *, par, a) -> list[Dossier]:
    """Give ``dossiers`` to the gestionnaire ``a`` (None: withdraw the assignment), as ``par``; one ``Attribution``
    per dossier that changes hands (those already ``a``'s are left as they are). Returns the dossiers changed."""
    if not acces.peut_attribuer(par):
        raise TransitionError("Vous n'êtes pas autorisé(e) à attribuer des dossiers.")
    if a is not None and not acces.gestionnaires_akto().filter(pk=a.pk).exists():
        raise TransitionError(f"{a} n'est pas un gestionnaire AKTO : le dossier ne peut lui être attribué.")
    cible = a.pk if a is not None else None
    with transaction.atomic():
        verrouilles = Dossier.objects.select_for_update().filter(pk__in=[d.pk for d in dossiers]).order_by("pk")
        changes = [d for d in verrouilles if d.instruit_par_id != cible]
        Dossier.objects.filter(pk__in=[d.pk for d in changes]).update(instruit_par=cible)
        Attribution.objects.bulk_create(
            Attribution(dossier=d, instruit_par_id=cible, precedent_id=d.instruit_par_id, par=par) for d in changes
        )
    for dossier in dossiers:
        if dossier.pk in {d.pk for d in changes}:
            dossier.instruit_par = a
    return changes


# -- internal notes ---------------------------------------------------------------------------------------------


def ajouter_note(dossier: Dossier, auteur, texte: str, evenement: DossierEvenement | None = None) -> NoteInterne:
    """An internal note on ``dossier``, for the gestionnaires only."""
    if not acces.voit_notes_internes(auteur, dossier):
        raise TransitionError("Vous n'êtes pas autorisé(e) à écrire une note interne.")
    texte = texte.strip()
    if not texte:
        raise TransitionError("Saisissez le texte de la note interne.")
    return NoteInterne.objects.create(dossier=dossier, auteur=auteur, texte=texte, evenement=evenement)


def demander_complements(dossier: Dossier, user, commentaire: str, note_interne: str = "") -> DossierEvenement:
    """*Demander des compléments*: the comment goes to the adhérent, the optional note stays with AKTO."""
    with transaction.atomic():
        evenement = decisions.demander_complements(dossier, user, commentaire)
        if note_interne.strip():
            ajouter_note(dossier, user, note_interne, evenement)
    return evenement


# -- the dossier page's history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneHistorique:
    le: dt.datetime
    action: str
    etat: str
    par: str
    detail: str
    commentaire: str


def _nom(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def evenements(dossier: Dossier) -> list:
    """The dossier's state events, in time order (one query): the history and the modifications read them."""
    return list(dossier.evenements.select_related("user").order_by("created_at", "pk"))


def historique(dossier: Dossier, evenements_du_dossier: list | None = None) -> list[LigneHistorique]:
    """The dossier's events (each decision with its data: amount engaged, refusal reason) and its assignments, in
    time order (two queries; one when the events are given, ``evenements``)."""
    lignes = []
    for e in evenements(dossier) if evenements_du_dossier is None else evenements_du_dossier:
        detail = ""
        if e.montant_engage is not None:
            detail = f"Montant de la prise en charge engagée : {euros(e.montant_engage)}"
        elif e.motif_refus:
            detail = f"Motif du refus : {e.get_motif_refus_display()}"
        etat = e.get_to_state_display()
        if e.from_state:
            etat = f"{e.get_from_state_display()} → {etat}"
        lignes.append(LigneHistorique(e.created_at, label(e.transition), etat, _nom(e.user), detail, e.comment))
    for a in dossier.attributions.select_related("instruit_par", "precedent", "par").order_by("created_at", "pk"):
        if a.instruit_par is None:
            detail = f"Attribution retirée (instruit auparavant par {_nom(a.precedent)})"
        else:
            detail = f"Instruit par {_nom(a.instruit_par)}"
            if a.precedent is not None:
                detail += f" (auparavant {_nom(a.precedent)})"
        lignes.append(LigneHistorique(a.created_at, "Attribution", "", _nom(a.par), detail, ""))
    return sorted(lignes, key=lambda ligne: ligne.le)


# -- bulk *Accepter* --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidat:
    """A selected dossier of a bulk *Accepter*: its estimated amount if it may be accepted, else why not."""

    dossier: Dossier
    montant: Decimal | None = None
    exclusion: str = ""

    @property
    def montant_fr(self) -> str:
        return euros(self.montant) if self.montant is not None else ""


def charger_pour_controle(queryset):
    """The dossiers of ``queryset`` with everything the rules engine and the estimate read (as a tab view loads one,
    ``saisie/chargement.py``): a fixed number of queries for the lot."""
    dossiers = list(
        queryset.avec_tuteurs()
        .avec_indices()
        .select_related(*PARTIES)
        .prefetch_related(MODULES, pieces.pieces_avec_type())
        .order_by("transmis_le", "pk")
    )
    for dossier in dossiers:
        dossier.noter_indices()
    return dossiers


def candidats_acceptation(dossiers: Iterable[Dossier], user) -> list[Candidat]:
    """Each dossier with its estimated amount (``montant_propose``, what the *Accepter* form offers), or why a bulk
    *Accepter* leaves it out: a state or right that forbids it, a blocking anomaly, no estimate."""
    candidats = []
    for dossier in dossiers:
        try:
            verifier(dossier, ACCEPTER_DOSSIER, user=user)
        except TransitionError as erreur:
            candidats.append(Candidat(dossier, exclusion=str(erreur)))
            continue
        bloquants = [a for a in rules.check(dossier) if a.bloquant]
        if bloquants:
            exclusion = f"{len(bloquants)} anomalie(s) bloquante(s) : à instruire seul"
            candidats.append(Candidat(dossier, exclusion=exclusion))
            continue
        montant = decisions.montant_propose(dossier)
        if not montant or montant <= 0:
            candidats.append(Candidat(dossier, exclusion="Aucun montant estimé : à instruire seul"))
            continue
        candidats.append(Candidat(dossier, montant=montant))
    return candidats


def accepter_en_masse(candidats: Iterable[Candidat], user, confirmes: dict[int, Decimal]) -> tuple[list, list]:
    """Accept each acceptable candidate with its estimated amount, if it is the amount the gestionnaire confirmed
    (``confirmes``: dossier id → amount shown); one transaction each (a dossier refused does not undo the others).
    Returns (accepted dossiers, (dossier, reason) of those left out)."""
    acceptes, ecartes = [], []
    for candidat in candidats:
        dossier = candidat.dossier
        if candidat.exclusion:
            ecartes.append((dossier, candidat.exclusion))
        elif confirmes.get(dossier.pk) != candidat.montant:
            ecartes.append((dossier, "Le montant estimé a changé depuis la confirmation : à confirmer à nouveau"))
        else:
            try:
                decisions.accepter(dossier, user, candidat.montant)
            except TransitionError as erreur:
                ecartes.append((dossier, str(erreur)))
            else:
                acceptes.append(dossier)
    return acceptes, ecartes
