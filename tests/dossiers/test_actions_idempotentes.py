"""Idempotent actions and fresh pages (issue 20): a repeated *Transmettre*, *Finaliser*, *Accepter* by the same
user on a dossier already in the target state (by that user's last event) answers the first success, never the
« Action … impossible » error; anyone else's repeat keeps the error. The dossier pages are sent ``no-store``."""

import html
import re

import pytest
from django.contrib.messages import get_messages

from dossiers import rules
from dossiers.enums import DossierState
from dossiers.instruction import decisions as instruction
from dossiers.models import Dossier, DossierEvenement
from dossiers.saisie import onglets
from dossiers.workflow import ACCEPTER_DOSSIER, ACCEPTER_REPRISE, FINALISER, TRANSMETTRE, deja_appliquee
from portal.models import Role
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory, attach, prestataire_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def dialogue(response) -> str:
    """The answer's dialog (the rest of the answer carries a fresh CSRF token)."""
    return re.search(r"<dialog.*?</dialog>", text(response), re.S).group(0)


def evenements(dossier, transition) -> int:
    return DossierEvenement.objects.filter(dossier=dossier, transition=transition).count()


@pytest.fixture
def valide(monkeypatch):
    """Every tab valid (the complete dossier's journey is the browser test's)."""
    monkeypatch.setattr(onglets, "puces", lambda anomalies: [onglets.Puce(o, "valid") for o in onglets.ONGLETS])
    monkeypatch.setattr(rules, "onglets_invalides", lambda dossier, anomalies=None: [])


@pytest.fixture
def brouillon(adherent):
    return DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)


def collegue_de(adherent):
    """Another adhérent acting for the same establishment."""
    user = UserFactory()
    attach(user, adherent.rattachements.get().etablissement)
    return user


# -- Transmettre ------------------------------------------------------------------------------------------------


def test_transmettre_twice_answers_the_same_success_with_the_tab_read_only(adherent, brouillon, valide):
    client = client_for(adherent)
    url = f"/dossiers/{brouillon.pk}/transmettre/"
    premiere = client.post(url, {"onglet": "contrat"}, HTTP_HX_REQUEST="true")
    seconde = client.post(url, {"onglet": "contrat"}, HTTP_HX_REQUEST="true")
    assert (premiere.status_code, seconde.status_code) == (200, 200)
    assert dialogue(seconde) == dialogue(premiere)
    assert "Votre demande a été transmise à AKTO" in dialogue(seconde)
    assert "impossible" not in text(seconde)
    assert evenements(brouillon, TRANSMETTRE) == 1
    # Out of band, behind the dialog: the state and the tab asked for, read-only, without its buttons.
    page = text(seconde)
    assert '<span id="dossier-etat" hx-swap-oob="true">Transmis</span>' in page
    assert re.search(r'<section id="onglet"[^>]*aria-labelledby="tab-contrat" hx-swap-oob="true">', page)
    assert "il est en lecture seule" in page
    assert ">Transmettre<" not in page and ">Enregistrer<" not in page


def test_transmettre_repeated_by_another_adherent_is_still_refused(adherent, brouillon, valide):
    client_for(adherent).post(f"/dossiers/{brouillon.pk}/transmettre/")
    response = client_for(collegue_de(adherent)).post(f"/dossiers/{brouillon.pk}/transmettre/")
    assert response.status_code == 409
    assert "Action « Transmettre » impossible : le dossier est à l'état « Transmis »." in text(response)


def test_transmettre_again_after_akto_acted_is_refused(adherent, brouillon, valide, gestionnaire):
    client = client_for(adherent)
    client.post(f"/dossiers/{brouillon.pk}/transmettre/")
    instruction.prendre_en_instruction(Dossier.objects.get(pk=brouillon.pk), gestionnaire)
    response = client.post(f"/dossiers/{brouillon.pk}/transmettre/")
    assert response.status_code == 409
    assert "impossible : le dossier est à l'état « En cours d'instruction »" in text(response)


def test_another_companys_dossier_is_404_even_for_a_repeat(adherent, brouillon, valide):
    client_for(adherent).post(f"/dossiers/{brouillon.pk}/transmettre/")
    etranger = UserFactory()
    attach(etranger, DossierFactory().etablissement)
    assert client_for(etranger).post(f"/dossiers/{brouillon.pk}/transmettre/").status_code == 404


def test_a_repeat_is_the_users_last_event_in_one_query(adherent, brouillon, valide, django_assert_num_queries):
    client_for(adherent).post(f"/dossiers/{brouillon.pk}/transmettre/")
    with django_assert_num_queries(1):
        assert deja_appliquee(brouillon, TRANSMETTRE, user=adherent)
    assert not deja_appliquee(brouillon, TRANSMETTRE, user=collegue_de(adherent))
    assert not deja_appliquee(brouillon, FINALISER, user=adherent)


# -- Finaliser, Accepter la reprise -----------------------------------------------------------------------------


@pytest.fixture
def prestataire(db):
    return prestataire_user()


def presaisie(prestataire, adherent, state) -> Dossier:
    organisme = prestataire.rattachements.get().organisme
    etablissement = adherent.rattachements.get().etablissement
    return DossierFactory(etablissement=etablissement, created_by=prestataire, prestataire=organisme, state=state)


def messages_de(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_finaliser_twice_redirects_twice_with_the_success(prestataire, adherent):
    dossier = presaisie(prestataire, adherent, DossierState.BROUILLON_PRESTATAIRE)
    client = client_for(prestataire)
    url = f"/dossiers/{dossier.pk}/action/finaliser/"
    premiere, seconde = client.post(url, HTTP_HX_REQUEST="true"), client.post(url, HTTP_HX_REQUEST="true")
    assert (premiere.status_code, seconde.status_code) == (204, 204)
    assert premiere["HX-Redirect"] == seconde["HX-Redirect"] == "/dossiers/"
    succes = f"La demande {dossier.numero} est finalisée : l'adhérent est invité à la reprendre."
    assert messages_de(seconde) == [succes, succes]  # one per answer, shown by the next page
    assert evenements(dossier, FINALISER) == 1
    collegue = prestataire_user(prestataire.rattachements.get().organisme)
    response = client_for(collegue).post(url)
    assert response.status_code == 409
    assert "Action « Finaliser » impossible" in text(response)


def test_accepter_la_reprise_twice_lands_on_the_tab_with_the_success(prestataire, adherent):
    dossier = presaisie(prestataire, adherent, DossierState.A_REPRENDRE)
    client = client_for(adherent)
    url = f"/dossiers/{dossier.pk}/action/{ACCEPTER_REPRISE}/"
    premiere = client.post(url, {"onglet": "salarie"}, follow=True)
    seconde = client.post(url, {"onglet": "salarie"}, follow=True)
    assert premiere.redirect_chain == seconde.redirect_chain == [(f"/dossiers/{dossier.pk}/salarie/", 302)]
    assert text(seconde).count(f"Vous avez accepté la demande {dossier.numero}") == 1
    assert "impossible" not in text(seconde) and ">Accepter<" not in text(seconde)
    assert evenements(dossier, ACCEPTER_REPRISE) == 1
    response = client_for(collegue_de(adherent)).post(url)
    assert response.status_code == 409
    assert "Action « Accepter » impossible : le dossier est à l'état « Brouillon »." in text(response)


# -- the back office's decisions --------------------------------------------------------------------------------


@pytest.fixture
def transmis(adherent, brouillon, valide):
    client_for(adherent).post(f"/dossiers/{brouillon.pk}/transmettre/")
    return Dossier.objects.get(pk=brouillon.pk)


def test_accepter_posted_twice_by_the_gestionnaire_is_one_decision_and_two_successes(transmis, gestionnaire):
    client = client_for(gestionnaire)
    url = f"/admin/dossiers/dossier/{transmis.pk}/decision/{ACCEPTER_DOSSIER}/"
    page = f"/admin/dossiers/dossier/{transmis.pk}/change/"
    donnees = {"montant": "3 660,00", "commentaire": ""}
    premiere, seconde = client.post(url, donnees, follow=True), client.post(url, donnees, follow=True)
    assert premiere.redirect_chain == seconde.redirect_chain == [(page, 302)]
    succes = f"Le dossier {transmis.numero} est accepté : prise en charge engagée de 3\u202f660,00 €."
    for reponse in (premiere, seconde):
        assert [str(m) for m in reponse.context["messages"]] == [succes]
        assert "impossible" not in text(reponse)
    assert evenements(transmis, ACCEPTER_DOSSIER) == 1
    # Back onto the decision's form: the dossier page, no error, no *Accepter* left to click.
    retour = client.get(url, follow=True)
    assert retour.redirect_chain == [(page, 302)]
    assert list(retour.context["messages"]) == []
    assert f'href="{url}"' not in text(retour)


def test_accepter_repeated_by_another_gestionnaire_is_refused(transmis, gestionnaire):
    url = f"/admin/dossiers/dossier/{transmis.pk}/decision/{ACCEPTER_DOSSIER}/"
    client_for(gestionnaire).post(url, {"montant": "3 660,00", "commentaire": ""})
    autre = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)
    autre.groups.set(gestionnaire.groups.all())
    response = client_for(autre).post(url, {"montant": "3 660,00", "commentaire": ""})
    assert messages_de(response) == ["Action « Accepter » impossible : le dossier est à l'état « Accepté »."]


# -- no stale pages ---------------------------------------------------------------------------------------------


def test_the_dossier_pages_are_never_stored_by_the_browser(adherent, brouillon, valide, gestionnaire):
    client = client_for(adherent)
    for url in [
        f"/dossiers/{brouillon.pk}/introduction/",
        f"/dossiers/{brouillon.pk}/contrat/",
        "/dossiers/",
        "/brouillons/",
    ]:
        assert "no-store" in client.get(url)["Cache-Control"], url
    partiel = client.get(f"/dossiers/{brouillon.pk}/salarie/", HTTP_HX_REQUEST="true")
    assert "no-store" in partiel["Cache-Control"]
    assert "no-store" in client.post(f"/dossiers/{brouillon.pk}/transmettre/")["Cache-Control"]
    back_office = client_for(gestionnaire).get(f"/admin/dossiers/dossier/{brouillon.pk}/change/")
    assert back_office.status_code == 200 and "no-store" in back_office["Cache-Control"]


def test_static_files_keep_their_cache(client):
    response = client.get("/static/portal/js/envoi-unique.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_action_button_is_disabled_while_its_request_runs(prestataire, adherent):
    """hx-disabled-elt on each action (the double click of *Transmettre* is the browser test's)."""
    brouillon = presaisie(prestataire, adherent, DossierState.BROUILLON_PRESTATAIRE)
    page = text(client_for(prestataire).get(f"/dossiers/{brouillon.pk}/introduction/"))
    assert re.search(r'<button[^>]*hx-disabled-elt="this">Finaliser</button>', page)
    confirmation = text(client_for(prestataire).get(f"/dossiers/{brouillon.pk}/action/finaliser/"))
    assert 'hx-disabled-elt="#confirmation-confirmer"' in confirmation and 'id="confirmation-confirmer"' in confirmation
    reprise = presaisie(prestataire, adherent, DossierState.A_REPRENDRE)
    page = text(client_for(adherent).get(f"/dossiers/{reprise.pk}/introduction/"))
    assert re.search(r'<button[^>]*hx-disabled-elt="this">Refuser</button>', page)
    assert re.search(r'<form[^>]*action/accepter_reprise/"[^>]*hx-disabled-elt="find button">', page)
