"""The dossier's workflow: every state change is declared here, with its sources and who may fire it.

Views never assign ``state``; they call ``fire`` (or the creation helper) and catch
``TransitionError`` to show its French message. Each change writes a ``DossierEvenement``.
Later issues add transmission, takeover and the gestionnaire's decisions to ``TRANSITIONS``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from .enums import DossierState
from .models import Dossier, DossierEvenement


class TransitionError(Exception):
    """A transition that may not happen now; ``str(error)`` is shown to the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[object, Dossier], bool]


CREATION = "creation"
CREATION_TARGET = {
    "adherent": DossierState.BROUILLON,
    "prestataire": DossierState.BROUILLON_PRESTATAIRE,
}

TRANSITIONS: dict[str, Transition] = {}


def record_creation(dossier: Dossier, *, user) -> DossierEvenement:
    """The first event of every dossier: from nothing to its initial state."""
    return DossierEvenement.objects.create(
        dossier=dossier, transition=CREATION, from_state="", to_state=dossier.state, user=user
    )


@transaction.atomic
def fire(dossier: Dossier, name: str, *, user, comment: str = "") -> DossierEvenement:
    transition = TRANSITIONS[name]
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.state not in transition.sources:
        raise TransitionError(
            f"Action « {transition.label} » impossible : le dossier est à l'état « {locked.get_state_display()} »."
        )
    if not transition.allowed(user, locked):
        raise TransitionError(f"Vous n'êtes pas autorisé(e) à effectuer l'action « {transition.label} ».")
    event = DossierEvenement.objects.create(
        dossier=locked, transition=name, from_state=locked.state, to_state=transition.target, user=user,
        comment=comment,
    )
    Dossier.objects.filter(pk=locked.pk).update(state=transition.target)
    dossier.state = transition.target
    return event
