"""The dossier's workflow: every state change, declared once with its sources, who may fire it and whom it notifies.

Views never assign ``state``; they call a service that calls ``fire`` and catch ``TransitionError``
to show its French message. Each change writes a ``DossierEvenement`` (who, when, from, to, comment)
and, in the same transaction, the notifications it causes (``notifications.services.notifier``: an outbox
whose e-mails leave after commit) and the pre-entering organisation's webhook events (``dossiers.webhooks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dossiers import acces, webhooks
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement
from portal.models import Role

CREATION = "creation"
CREATION_TARGET = {
    Role.ADHERENT: DossierState.BROUILLON,
    Role.PRESTATAIRE: DossierState.BROUILLON_PRESTATAIRE,
}


class TransitionError(Exception):
    """A transition that may not happen now; ``str(error)`` is shown to the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[object, Dossier], bool]
    # The notification it causes (a ``notifications.events.Evenement``) and to whom; nobody when empty.
    notification: str = ""
    destinataires: Callable[[Dossier], Iterable] | None = None
    commentaire_obligatoire: bool = False
    horodatage: str = ""  # a Dossier field set to the time of the transition (``transmis_le``, ``decide_le``)
    champs: frozenset[str] = frozenset()  # other Dossier fields the caller writes with it (the decision's data)
    # A transition fired first, in the same transaction, when the dossier is in one of its sources: *Accepter* on
    # a *Transmis* dossier takes it in instruction, then accepts it (two events, each notifying as declared).
    prealable: str = ""


# Whom a transition notifies (the queries are the notifications app's).


def prestataires(dossier) -> Iterable:
    """The prestataire users of the organisation that pre-entered the dossier (none for the adhérent's own)."""
    from notifications.services import destinataires_prestataires

    return destinataires_prestataires(dossier.prestataire_id)


def adherents(dossier) -> Iterable:
    """The adhérents acting for the dossier's establishment."""
    from notifications.services import destinataires_adherents

    return destinataires_adherents(dossier.etablissement)


def adherents_et_prestataires(dossier) -> list:
    return [*adherents(dossier), *prestataires(dossier)]


def adherents_prestataires_et_instructeur(dossier) -> list:
    """The adhérents, the prestataire's users and the gestionnaire the dossier is assigned to (if any)."""
    return [*adherents_et_prestataires(dossier), dossier.instruit_par]


TRANSMETTRE = "transmettre"
# The prestataire's pre-entry and its takeover by the adhérent.
FINALISER = "finaliser"
ACCEPTER_REPRISE = "accepter_reprise"
REFUSER_REPRISE = "refuser_reprise"
# The gestionnaire's decisions (back office, ``dossiers/instruction.py``).
PRENDRE_EN_INSTRUCTION = "prendre_en_instruction"
DEMANDER_COMPLEMENTS = "demander_complements"
ACCEPTER_DOSSIER = "accepter_dossier"
REFUSER_DOSSIER = "refuser_dossier"
# The law's own decision: no decision within the D6325-2 deadline (the daily task, instruction/decisions.py).
ACCEPTER_TACITEMENT = "accepter_tacitement"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            TRANSMETTRE,
            "Transmettre",
            frozenset({DossierState.BROUILLON, DossierState.A_COMPLETER}),
            DossierState.TRANSMIS,
            acces.adherent_du_dossier,
            "dossier_transmis",
            adherents_et_prestataires,
            horodatage="transmis_le",
        ),
        # The prestataire's pre-entry and its takeover by the adhérent (guide: « Reprise d'une demande »).
        Transition(
            FINALISER,
            "Finaliser",
            frozenset({DossierState.BROUILLON_PRESTATAIRE}),
            DossierState.A_REPRENDRE,
            acces.prestataire_du_dossier,
            "dossier_a_reprendre",
            adherents,
        ),
        Transition(
            ACCEPTER_REPRISE,
            "Accepter",
            frozenset({DossierState.A_REPRENDRE}),
            DossierState.BROUILLON,
            acces.adherent_du_dossier,
            "reprise_acceptee",
            prestataires,
        ),
        Transition(
            REFUSER_REPRISE,
            "Refuser",
            frozenset({DossierState.A_REPRENDRE, DossierState.BROUILLON}),
            DossierState.REFUSE_PAR_ADHERENT,
            acces.adherent_d_une_presaisie,
            "reprise_refusee",
            prestataires,
        ),
        # -- Instruction by AKTO's gestionnaires ------------------------------------------------------------
        # A decision (accept, refuse) follows *Prendre en instruction*: the log then says who instructed the
        # dossier and from when. On a dossier still *Transmis* it is offered in one step, which fires *Prendre en
        # instruction* first (``prealable``: two events). Asking for compléments is also possible on a dossier
        # still *Transmis*: the completeness check comes first (D6325-2's 20 days run from the receipt of the
        # *complete* dossier).
        Transition(
            PRENDRE_EN_INSTRUCTION,
            "Prendre en instruction",
            frozenset({DossierState.TRANSMIS}),
            DossierState.EN_INSTRUCTION,
            acces.gestionnaire,
            "en_instruction",
            adherents_et_prestataires,
        ),
        Transition(
            DEMANDER_COMPLEMENTS,
            "Demander des compléments",
            frozenset({DossierState.TRANSMIS, DossierState.EN_INSTRUCTION}),
            DossierState.A_COMPLETER,
            acces.gestionnaire,
            "a_completer",
            adherents_et_prestataires,
            commentaire_obligatoire=True,
        ),
        Transition(
            ACCEPTER_DOSSIER,
            "Accepter",
            frozenset({DossierState.TRANSMIS, DossierState.EN_INSTRUCTION}),
            DossierState.ACCEPTE,
            acces.gestionnaire,
            "dossier_accepte",
            adherents_et_prestataires,
            horodatage="decide_le",
            champs=frozenset({"montant_engage"}),
            prealable=PRENDRE_EN_INSTRUCTION,
        ),
        Transition(
            REFUSER_DOSSIER,
            "Refuser",
            frozenset({DossierState.TRANSMIS, DossierState.EN_INSTRUCTION}),
            DossierState.REFUSE,
            acces.gestionnaire,
            "dossier_refuse",
            adherents_et_prestataires,
            horodatage="decide_le",
            champs=frozenset({"motif_refus"}),
            prealable=PRENDRE_EN_INSTRUCTION,
        ),
        # D6325-2: without a decision at the end of the deadline, the funding is deemed accepted (« réputée
        # acceptée ») and the contract deemed deposited. Fired by the daily task under the portal's own account.
        Transition(
            ACCEPTER_TACITEMENT,
            "Acceptation tacite (article D6325-2)",
            frozenset({DossierState.TRANSMIS, DossierState.EN_INSTRUCTION}),
            DossierState.ACCEPTE,
            acces.compte_systeme_de,
            "dossier_accepte_tacitement",
            adherents_prestataires_et_instructeur,
            horodatage="decide_le",
            champs=frozenset({"montant_engage"}),
        ),
        # -- end of the instruction block ---------------------------------------------------------------------
    ]
}


def record_creation(dossier: Dossier, *, user) -> DossierEvenement:
    """The first event of every dossier: from nothing to its initial state."""
    return DossierEvenement.objects.create(
        dossier=dossier, transition=CREATION, from_state="", to_state=dossier.state, user=user
    )


def fire(dossier: Dossier, name: str, *, user, comment: str = "", valeurs: dict | None = None) -> DossierEvenement:
    """Apply transition ``name`` to ``dossier`` (locked row, checked source and permission), with its event.

    ``valeurs`` are the Dossier fields the transition declares in ``champs`` (the decision's data), written
    in the same UPDATE as the state and kept on the event. Must run inside a transaction (the caller's, so that
    its own checks and this change are one unit). When the dossier is in a source of the transition's
    ``prealable``, that one is fired first (its own event, without the comment: it belongs to the decision).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Une transition s'applique dans une transaction.")
    transition = TRANSITIONS[name]
    valeurs = dict(valeurs or {})
    if set(valeurs) - transition.champs:
        raise ValueError(f"La transition {name} n'écrit pas {sorted(set(valeurs) - transition.champs)}.")
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    verifier(locked, name, user=user)
    comment = comment.strip()
    if transition.commentaire_obligatoire and not comment:
        raise TransitionError(f"Un commentaire est obligatoire pour l'action « {transition.label} ».")
    if transition.prealable and locked.state in TRANSITIONS[transition.prealable].sources:
        fire(locked, transition.prealable, user=user)
    if transition.horodatage:
        valeurs[transition.horodatage] = timezone.now()
    # A transition is a new version of the dossier: a tab save, a piece or a module prepared on the previous
    # version (its form was loaded before this state change) is refused by the optimistic lock, never written
    # onto a dossier that has just been transmitted or decided.
    Dossier.objects.filter(pk=locked.pk).update(state=transition.target, version=F("version") + 1, **valeurs)
    event = DossierEvenement.objects.create(
        dossier=locked,
        transition=name,
        from_state=locked.state,
        to_state=transition.target,
        user=user,
        comment=comment,
        **{champ: valeurs[champ] for champ in transition.champs if champ in valeurs},
    )
    if transition.notification:
        from notifications.services import notifier

        notifier(
            transition.notification,
            locked,
            transition.destinataires(locked),
            commentaire=comment,
            dossier_evenement=event,
        )
    # The organisation's webhooks (its outbox rows), in the same transaction: rolled back with the transition.
    webhooks.publier_transition(locked, event)
    dossier.state, dossier.version = transition.target, locked.version + 1
    for field, value in valeurs.items():
        setattr(dossier, field, value)
    return event


def verifier(dossier: Dossier, name: str, *, user) -> None:
    """Raise ``TransitionError`` (its French message) if ``user`` may not fire ``name`` on ``dossier`` now."""
    transition = TRANSITIONS[name]
    if dossier.state not in transition.sources:
        raise TransitionError(
            f"Action « {transition.label} » impossible : le dossier est à l'état « {dossier.get_state_display()} »."
        )
    if not transition.allowed(user, dossier):
        raise TransitionError(f"Vous n'êtes pas autorisé(e) à effectuer l'action « {transition.label} ».")


def deja_appliquee(dossier: Dossier, name: str, *, user) -> bool:
    """A repeat of ``name`` by ``user``: the dossier is in its target because of that user's own firing of it.

    True when the dossier (read now) is in the transition's target state and its last event is that transition by
    ``user``: a double click, a form sent again, a Back then the same button. The views answer such a repeat as the
    first success; anything else (another user, another transition since) stays ``verifier``'s French error.
    """
    transition = TRANSITIONS[name]
    dernier = (  # one query: the last event, on the condition that the dossier is in the target state now
        DossierEvenement.objects.filter(dossier_id=dossier.pk, dossier__state=transition.target)
        .order_by("-created_at", "-pk")
        .values_list("transition", "user_id")
        .first()
    )
    return dernier == (name, user.pk)


def possibles(dossier: Dossier, user) -> list[Transition]:
    """The transitions ``user`` may fire on ``dossier`` in its current state (the buttons to show)."""
    return [t for t in TRANSITIONS.values() if dossier.state in t.sources and t.allowed(user, dossier)]


def label(name: str) -> str:
    """How an event's transition is shown in a history (``creation`` is not a transition)."""
    return "Création" if name == CREATION else TRANSITIONS[name].label if name in TRANSITIONS else name
