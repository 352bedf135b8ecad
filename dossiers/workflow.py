"""The dossier's workflow: where every state change of a dossier is declared and logged.

Views never assign ``state``. Each change writes a ``DossierEvenement`` (who, when, from, to,
comment). This release has one change, the creation (initial state by the creator's role); the
transmission, the takeover and the gestionnaire's decisions are declared here by their issues,
each with its explicit source states and who may fire it.
"""

from __future__ import annotations

from portal.models import Role

from .enums import DossierState
from .models import Dossier, DossierEvenement

CREATION = "creation"
CREATION_TARGET = {
    Role.ADHERENT: DossierState.BROUILLON,
    Role.PRESTATAIRE: DossierState.BROUILLON_PRESTATAIRE,
}


def record_creation(dossier: Dossier, *, user) -> DossierEvenement:
    """The first event of every dossier: from nothing to its initial state."""
    return DossierEvenement.objects.create(
        dossier=dossier, transition=CREATION, from_state="", to_state=dossier.state, user=user
    )
