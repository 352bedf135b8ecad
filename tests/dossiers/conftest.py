"""Fixtures of the training organisations' side: a prestataire user, its organisation, a key of its API."""

import pytest

from dossiers.api import cles
from tests.factories import prestataire_user


@pytest.fixture
def prestataire(db):
    """A prestataire user attached to its own training organisation (a module may define its own)."""
    return prestataire_user()


@pytest.fixture
def organisme(prestataire):
    return prestataire.rattachements.get().organisme


@pytest.fixture
def cle(organisme, prestataire):
    """A key of the organisation's API, in clear (as shown once), its author the prestataire."""
    return cles.creer(organisme, prestataire, "Logiciel")[1]
