"""Every dossier URL goes through visible_to(user): another company's dossier is a 404."""

import pytest

from dossiers.models import Dossier
from dossiers.saisie import onglets
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, prestataire_user

pytestmark = pytest.mark.django_db


def dossier_urls(pk):
    yield "get", f"/dossiers/{pk}/"
    for onglet in onglets.ONGLETS:
        yield "get", f"/dossiers/{pk}/{onglet.slug}/"
        yield "post", f"/dossiers/{pk}/{onglet.slug}/"
        yield "post", f"/dossiers/{pk}/{onglet.slug}/verifier/"
    yield "get", f"/dossiers/{pk}/cerfa.pdf"
    yield "post", f"/dossiers/{pk}/transmettre/"
    yield "post", f"/dossiers/{pk}/cerfa/preparer/"
    yield "get", f"/dossiers/{pk}/formation/modules/"
    yield "post", f"/dossiers/{pk}/formation/modules/ajouter/"


@pytest.fixture
def other_company_dossier():
    return DossierFactory(etablissement=EtablissementFactory())


def test_every_dossier_url_answers_404_for_another_company(adherent, other_company_dossier):
    client = client_for(adherent)
    payload = {"version": other_company_dossier.version, "caisse_retraite": "PIRATE", "_field": "caisse_retraite"}
    for method, url in dossier_urls(other_company_dossier.pk):
        response = getattr(client, method)(url, payload if method == "post" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    assert Dossier.objects.get(pk=other_company_dossier.pk).employeur.caisse_retraite == ""


def test_same_company_other_establishment_is_404_when_attached_to_one_establishment(adherent):
    mine = adherent.rattachements.get().etablissement
    sibling = EtablissementFactory(entreprise=mine.entreprise)
    dossier = DossierFactory(etablissement=sibling)
    assert client_for(adherent).get(f"/dossiers/{dossier.pk}/introduction/").status_code == 404


def test_company_attachment_sees_every_establishment(adherent_multi):
    etablissement = adherent_multi.rattachements.first().entreprise.etablissements.last()
    dossier = DossierFactory(etablissement=etablissement)
    assert client_for(adherent_multi).get(f"/dossiers/{dossier.pk}/employeur/").status_code == 200


def test_missing_dossier_is_404(adherent):
    assert client_for(adherent).get("/dossiers/999999/introduction/").status_code == 404


def test_adherent_does_not_see_a_prestataire_draft_before_handover(adherent):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, brouillon_prestataire=True)
    assert client_for(adherent).get(f"/dossiers/{dossier.pk}/introduction/").status_code == 404
    handed_over = DossierFactory(etablissement=etablissement, a_reprendre=True)
    assert client_for(adherent).get(f"/dossiers/{handed_over.pk}/introduction/").status_code == 200


def test_prestataire_sees_only_its_organisations_pre_entries(db):
    prestataire = prestataire_user()
    organisme = prestataire.rattachements.get().organisme
    own = DossierFactory(created_by=prestataire, prestataire=organisme, brouillon_prestataire=True)
    colleague = DossierFactory(created_by=prestataire_user(organisme), prestataire=organisme, a_reprendre=True)
    other_prestataire = DossierFactory(created_by=prestataire_user(), brouillon_prestataire=True)
    other_prestataire.prestataire = other_prestataire.created_by.rattachements.get().organisme
    other_prestataire.save()
    adherents_own = DossierFactory()  # an adhérent's own dossier: no prestataire
    client = client_for(prestataire)
    assert client.get(f"/dossiers/{own.pk}/introduction/").status_code == 200
    assert client.get(f"/dossiers/{colleague.pk}/introduction/").status_code == 200
    for dossier in (other_prestataire, adherents_own):
        for url in ("introduction/", "salarie/", "cerfa.pdf", "action/finaliser/"):
            assert client.get(f"/dossiers/{dossier.pk}/{url}").status_code == 404, url
    assert set(Dossier.objects.visible_to(prestataire)) == {own, colleague}
    listed = client.get("/dossiers/").content.decode() + client.get("/brouillons/").content.decode()
    assert own.numero in listed and colleague.numero in listed
    assert other_prestataire.numero not in listed and adherents_own.numero not in listed


def test_gestionnaire_sees_all(db):
    dossier = DossierFactory()
    assert list(Dossier.objects.visible_to(UserFactory(gestionnaire=True))) == [dossier]


def test_anonymous_is_sent_to_login(db):
    dossier = DossierFactory()
    response = client_for.__globals__["Client"]().get(f"/dossiers/{dossier.pk}/introduction/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_inactive_user_sees_nothing(adherent):
    DossierFactory(etablissement=adherent.rattachements.get().etablissement)
    adherent.is_active = False
    assert not Dossier.objects.visible_to(adherent).exists()
