"""The dossier's workflow: every state change, declared once with its sources, who may fire it and whom it notifies.

Views never assign ``state``; they call a service that calls ``fire`` and catch ``TransitionError``
to show its French message. Each change writes a ``DossierEvenement`` (who, when, from, to, comment)
and, in the same transaction, the notifications it causes (``notifications.services.notifier``: an outbox
whose e-mails leave after commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from portal.models import Role, User

from .enums import DossierState
from .models import Dossier, DossierEvenement

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


def _adherent_du_dossier(user, dossier) -> bool:
    return user.is_adherent and Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


def _prestataire_du_dossier(user, dossier) -> bool:
    return user.is_prestataire and Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


def _adherent_d_une_presaisie(user, dossier) -> bool:
    return dossier.prestataire_id is not None and _adherent_du_dossier(user, dossier)


def prestataires(dossier) -> Iterable:
    """The prestataire users of the organisation that pre-entered the dossier (none for the adhérent's own)."""
    if dossier.prestataire_id is None:
        return User.objects.none()
    return User.objects.filter(role=Role.PRESTATAIRE, is_active=True, rattachements__organisme=dossier.prestataire_id)


def adherents(dossier) -> Iterable:
    from notifications.services import destinataires_adherents

    return destinataires_adherents(dossier.etablissement)


def adherents_et_prestataires(dossier) -> list:
    return [*adherents(dossier), *prestataires(dossier)]


TRANSMETTRE = "transmettre"
FINALISER = "finaliser"
ACCEPTER_REPRISE = "accepter_reprise"
REFUSER_REPRISE = "refuser_reprise"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            TRANSMETTRE,
            "Transmettre",
            frozenset({DossierState.BROUILLON, DossierState.A_COMPLETER}),
            DossierState.TRANSMIS,
            _adherent_du_dossier,
            "dossier_transmis",
            adherents_et_prestataires,
        ),
        # The prestataire's pre-entry and its takeover by the adhérent (guide: « Reprise d'une demande »).
        Transition(
            FINALISER,
            "Finaliser",
            frozenset({DossierState.BROUILLON_PRESTATAIRE}),
            DossierState.A_REPRENDRE,
            _prestataire_du_dossier,
            "dossier_a_reprendre",
            adherents,
        ),
        Transition(
            ACCEPTER_REPRISE,
            "Accepter",
            frozenset({DossierState.A_REPRENDRE}),
            DossierState.BROUILLON,
            _adherent_du_dossier,
            "reprise_acceptee",
            prestataires,
        ),
        Transition(
            REFUSER_REPRISE,
            "Refuser",
            frozenset({DossierState.A_REPRENDRE, DossierState.BROUILLON}),
            DossierState.REFUSE_PAR_ADHERENT,
            _adherent_d_une_presaisie,
            "reprise_refusee",
            prestataires,
        ),
    ]
}


def possibles(user, dossier) -> list[Transition]:
    """The transitions ``user`` may fire on ``dossier`` now (the buttons to show)."""
    return [t for t in TRANSITIONS.values() if dossier.state in t.sources and t.allowed(user, dossier)]


def record_creation(dossier: Dossier, *, user) -> DossierEvenement:
    """The first event of every dossier: from nothing to its initial state."""
    return DossierEvenement.objects.create(
        dossier=dossier, transition=CREATION, from_state="", to_state=dossier.state, user=user
    )


def fire(dossier: Dossier, name: str, *, user, comment: str = "") -> DossierEvenement:
    """Apply transition ``name`` to ``dossier`` (locked row, checked source and permission), with its event.

    Must run inside a transaction (the caller's, so that its own checks and this change are one unit).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Une transition s'applique dans une transaction.")
    transition = TRANSITIONS[name]
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.state not in transition.sources:
        raise TransitionError(
            f"Action « {transition.label} » impossible : le dossier est à l'état « {locked.get_state_display()} »."
        )
    if not transition.allowed(user, locked):
        raise TransitionError(f"Vous n'êtes pas autorisé(e) à effectuer l'action « {transition.label} ».")
    Dossier.objects.filter(pk=locked.pk).update(state=transition.target)
    event = DossierEvenement.objects.create(
        dossier=locked,
        transition=name,
        from_state=locked.state,
        to_state=transition.target,
        user=user,
        comment=comment,
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
    dossier.state = transition.target
    return event
