"""Fixtures of the notification tests: an adhérent's dossier ready to be transmitted."""

import pytest

from tests.factories import DossierFactory


@pytest.fixture
def etablissement(adherent):
    return adherent.rattachements.get().etablissement


@pytest.fixture
def dossier(adherent, etablissement):
    return DossierFactory(
        etablissement=etablissement,
        created_by=adherent,
        parts={"salarie": {"nom_naissance": "Martin", "prenom": "Léa", "nir": "2 87 01 75 115 423 19"}},
    )
