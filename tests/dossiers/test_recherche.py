"""Searching dossiers as a French user types: « lefevre », « Lefèvre », « theo » find « LEFÈVRE Théo »."""

import importlib
import re

import pytest
from django.apps import apps

from dossiers import recherche
from dossiers.models import Dossier
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def numeros(response):
    return re.findall(r"(CP\d{10})", response.content.decode())


@pytest.fixture
def theo(adherent):
    dossier = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        parts={"salarie": {"nom_naissance": "LEFÈVRE", "prenom": "Théo"}},
    )
    employeur = dossier.employeur
    employeur.raison_sociale = "CŒUR DE LOIRE"
    employeur.save()
    return dossier


def test_the_key_is_the_normalised_number_employer_siret_names_and_title(theo):
    theo.refresh_from_db()
    assert "lefevre theo" in theo.recherche and "coeur de loire" in theo.recherche
    assert theo.numero.lower() in theo.recherche and theo.employeur.siret in theo.recherche


@pytest.mark.parametrize("q", ["Lefèvre", "lefevre", "LEFEVRE", "theo", "Théo lefèvre", "coeur de loire", "cœur"])
def test_the_lists_find_a_salarie_whatever_the_accents_case_and_ligatures(adherent, theo, q):
    autre = DossierFactory(etablissement=theo.etablissement, parts={"salarie": {"nom_naissance": "MARTIN"}})
    found = numeros(client_for(adherent).get("/brouillons/", {"q": q}))
    assert theo.numero in found and autre.numero not in found


def test_the_back_office_search_is_the_same(gestionnaire):
    dossier = DossierFactory(transmis=True, parts={"salarie": {"nom_naissance": "LEFÈVRE", "prenom": "Théo"}})
    page = client_for(gestionnaire).get("/admin/dossiers/dossier/", {"q": "lefevre theo", "etat": "tous"})
    assert dossier.numero in page.content.decode()


def test_the_key_follows_a_tab_save(theo):
    salarie = theo.salarie
    salarie.nom_naissance = "DUPRÉ"
    salarie.save()
    assert "dupre theo" in Dossier.objects.get(pk=theo.pk).recherche


def test_the_migration_indexes_the_dossiers_already_stored(theo):
    Dossier.objects.filter(pk=theo.pk).update(recherche="")
    importlib.import_module("dossiers.migrations.0014_recherche").indexer(apps, None)
    assert Dossier.objects.get(pk=theo.pk).recherche == recherche.cle(Dossier.objects.get(pk=theo.pk))


def test_a_tab_save_reindexes_from_memory_in_one_update(adherent, theo):
    """Through the tab view: the name typed is searchable at once, for one UPDATE more than a save touching no
    searched field (the key is computed from the dossier in memory, not read again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(adherent)

    def enregistrer(**champs):
        theo.refresh_from_db()
        with CaptureQueriesContext(connection) as requetes:
            client.post(f"/dossiers/{theo.pk}/salarie/", {"version": theo.version, **champs}, HTTP_HX_REQUEST="true")
        sql = [q["sql"] for q in requetes.captured_queries]
        return len(sql), [q for q in sql if q.startswith("UPDATE") and '"recherche"' in q]

    enregistrer(nom_naissance="Lefèvre", prenom="Théo")  # the same values as stored: nothing to index
    sans, cles = enregistrer(nom_naissance="Lefèvre", prenom="Théo")
    assert cles == []
    avec, cles = enregistrer(nom_naissance="Lefèvre-Dupré", prenom="Théo")
    assert len(cles) == 1 and avec == sans + 1
    assert set(numeros(client.get("/brouillons/", {"q": "dupre"}))) == {theo.numero}
