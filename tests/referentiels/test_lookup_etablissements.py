"""Establishment lookup: SIREN, SIRET or name, never beyond what the user may see."""

import pytest
from django.test import Client

from referentiels.models import Etablissement
from tests.conftest import client_for
from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory, attach

pytestmark = pytest.mark.django_db


URL = "/referentiels/etablissements/"


def sirets(response):
    return [row["siret"] for row in response.json()["results"]]


@pytest.fixture
def world():
    mine = EntrepriseFactory(raison_sociale="Boulangerie Pâtissière du Rhône")
    a = EtablissementFactory(entreprise=mine, commune="LYON")
    b = EtablissementFactory(entreprise=mine, commune="VILLEURBANNE", enseigne="Fournil Saint-Étienne")
    other = EtablissementFactory(entreprise=EntrepriseFactory(raison_sociale="Boulangerie Concurrente"))
    non_member = EtablissementFactory(adherent=False)
    return a, b, other, non_member


def test_adherent_finds_only_its_attachments(world):
    a, b, other, _ = world
    user = UserFactory()
    attach(user, a.entreprise)
    client = client_for(user)
    assert sorted(sirets(client.get(URL, {"q": "boulangerie", "format": "json"}))) == sorted([a.siret, b.siret])
    assert sirets(client.get(URL, {"q": other.siret, "format": "json"})) == []
    assert sorted(sirets(client.get(URL, {"q": a.entreprise.siren, "format": "json"}))) == sorted([a.siret, b.siret])


def test_search_ignores_accents_and_case(world):
    a, b, *_ = world
    user = UserFactory()
    attach(user, a.entreprise)
    response = client_for(user).get(URL, {"q": "patissiere saint etienne", "format": "json"})
    assert sirets(response) == [b.siret]


def test_prestataire_searches_akto_members_only(world):
    *_, non_member = world
    client = client_for(UserFactory(prestataire=True))
    found = sirets(client.get(URL, {"q": "", "format": "json"}))
    assert non_member.siret not in found
    assert len(found) == Etablissement.objects.filter(adherent=True).count()


def test_htmx_partial_and_login_required(world):
    a, *_ = world
    user = UserFactory()
    attach(user, a)
    page = client_for(user).get(URL, {"q": a.siret}).content.decode()
    assert f'data-value="{a.siret}"' in page
    assert Client().get(URL).status_code == 302


def test_search_key_follows_a_company_rename(world):
    a, *_ = world
    a.entreprise.raison_sociale = "Nouvelle Dénomination"
    a.entreprise.save()
    assert "nouvelle denomination" in Etablissement.objects.get(pk=a.pk).recherche
