"""Who may edit what of a dossier: one place for the editing rights (``visible_to`` says who may see it).

- an adhérent edits its drafts (*Brouillon*) and the dossiers AKTO sent back (*A compléter*); a pre-entry
  waiting for it (*A reprendre par l'adhérent*) is read-only until it is accepted;
- a prestataire edits its pre-entry while it is a *Brouillon prestataire*, and only the tabs it knows:
  the employer's editable fields, the funding and the synthesis stay the adhérent's;
- a gestionnaire never edits the adhérent's data (he asks for compléments).

The views load a dossier through ``charger`` so that ``dossier.est_modifiable`` speaks for the user
who is looking at it. Who may fire which transition is declared with the transition (``workflow.py``);
the back office's Django permissions are in ``permissions.py``.
"""

from __future__ import annotations

from dossiers.enums import DossierState
from portal.models import Role

ETATS_MODIFIABLES = {
    Role.ADHERENT: frozenset({DossierState.BROUILLON, DossierState.A_COMPLETER}),
    Role.PRESTATAIRE: frozenset({DossierState.BROUILLON_PRESTATAIRE}),
}
ONGLETS_PRESTATAIRE = frozenset({"introduction", "salarie", "contrat", "formation", "documents"})
# The employer's attestations on those tabs: only the employer attests (the prestataire sees them unticked).
ATTESTATIONS_EMPLOYEUR = frozenset({"attestation_tuteur", "attestation_pieces"})


def peut_modifier(user, dossier, onglet: str | None = None) -> bool:
    """May ``user`` (who can see ``dossier``) change it now, or change tab ``onglet`` of it?"""
    if not getattr(user, "is_authenticated", False) or user.is_gestionnaire:
        return False
    if dossier.state not in ETATS_MODIFIABLES.get(user.role, ()):
        return False
    if user.is_prestataire and onglet is not None:
        return onglet in ONGLETS_PRESTATAIRE
    return True


def champs_reserves(user) -> frozenset[str]:
    """Fields of an editable tab that ``user`` may still not change (disabled: their posted value is ignored)."""
    return ATTESTATIONS_EMPLOYEUR if getattr(user, "is_prestataire", False) else frozenset()


def charger(dossier, user):
    """Tie the dossier to the user looking at it: ``dossier.est_modifiable`` then answers for that user."""
    dossier._modifiable = peut_modifier(user, dossier)
    return dossier
