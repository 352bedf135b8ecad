"""The dossier's workflow: every state change, declared once with its sources and who may fire it.

Views never assign ``state``; they call a service that calls ``fire`` and catch ``TransitionError``
to show its French message. Each change writes a ``DossierEvenement`` (who, when, from, to, comment).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from portal.models import Role

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


def _adherent_du_dossier(user, dossier) -> bool:
    return user.is_adherent and Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


TRANSMETTRE = "transmettre"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            TRANSMETTRE,
            "Transmettre",
            frozenset({DossierState.BROUILLON, DossierState.A_COMPLETER}),
            DossierState.TRANSMIS,
            _adherent_du_dossier,
        ),
    ]
}


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
    dossier.state = transition.target
    return event
