"""*Transmettre*: only a valid dossier goes to AKTO, atomically; afterwards it is read-only everywhere."""

import html

import pytest

from dossiers import rules
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement
from dossiers.saisie import onglets
from dossiers.services import SaisieInvalide, dossier_transmettre
from dossiers.workflow import TransitionError
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory, attach

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(adherent):
    return DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)


def text(response):
    return html.unescape(response.content.decode())


def test_incomplete_dossier_gets_saisie_invalide_and_stays_a_draft(adherent, dossier):
    response = client_for(adherent).post(f"/dossiers/{dossier.pk}/transmettre/")
    assert response.status_code == 422
    page = text(response)
    assert "Saisie invalide" in page
    assert "Veuillez corriger les erreurs et renouveler l'opération." in page
    assert "<li>Salarié</li>" in page
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.BROUILLON
    assert not DossierEvenement.objects.filter(dossier=dossier, transition="transmettre").exists()


def all_valid(monkeypatch):
    """Stand-in for a dossier whose every tab is valid (the complete journey is tested in the browser)."""
    monkeypatch.setattr(onglets, "puces", lambda anomalies: [onglets.Puce(o, "valid") for o in onglets.ONGLETS])
    monkeypatch.setattr(rules, "onglets_invalides", lambda dossier, anomalies=None: [])  # the domain's verdict


def test_valid_dossier_is_transmitted_with_its_event(adherent, dossier, monkeypatch):
    all_valid(monkeypatch)
    response = client_for(adherent).post(f"/dossiers/{dossier.pk}/transmettre/")
    assert response.status_code == 200
    assert "Votre demande a été transmise à AKTO" in text(response)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    event = DossierEvenement.objects.get(dossier=dossier, transition="transmettre")
    assert (event.from_state, event.to_state, event.user) == (DossierState.BROUILLON, DossierState.TRANSMIS, adherent)
    client = client_for(adherent)
    assert dossier.numero not in client.get("/brouillons/").content.decode()
    assert dossier.numero in client.get("/dossiers/").content.decode()


def test_transmission_is_atomic(adherent, dossier, monkeypatch):
    all_valid(monkeypatch)

    def boom(*args, **kwargs):
        raise RuntimeError("panne au milieu de la transmission")

    monkeypatch.setattr(DossierEvenement.objects, "create", boom)
    with pytest.raises(RuntimeError):
        dossier_transmettre(dossier=dossier, user=adherent)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.BROUILLON


def test_transmitting_twice_is_refused(adherent, dossier, monkeypatch):
    all_valid(monkeypatch)
    dossier_transmettre(dossier=dossier, user=adherent)
    with pytest.raises(TransitionError, match="Transmis"):
        dossier_transmettre(dossier=dossier, user=adherent)
    # The view answers the same user's repeat as a success (tests/dossiers/test_actions_idempotentes.py); anyone
    # else's is refused.
    collegue = UserFactory()
    attach(collegue, dossier.etablissement)
    response = client_for(collegue).post(f"/dossiers/{dossier.pk}/transmettre/")
    assert response.status_code == 409


def test_saisie_invalide_names_the_tabs(adherent, dossier):
    with pytest.raises(SaisieInvalide) as error:
        dossier_transmettre(dossier=dossier, user=adherent)
    assert "Employeur" in error.value.onglets_invalides


def test_transmitted_dossier_refuses_every_write(adherent, monkeypatch):
    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, transmis=True)
    client = client_for(adherent)
    for onglet in onglets.ONGLETS:
        if onglet.disponible:
            response = client.post(f"/dossiers/{dossier.pk}/{onglet.slug}/", {"version": dossier.version})
            assert response.status_code == 409, onglet.slug
    for url in ["formation/modules/ajouter/"]:
        response = client.post(f"/dossiers/{dossier.pk}/{url}", {"version": dossier.version, "type_module": "interne"})
        assert response.status_code == 409, url
    page = text(client.get(f"/dossiers/{dossier.pk}/employeur/"))
    assert "lecture seule" in page
    assert ">Enregistrer<" not in page and ">Transmettre<" not in page


def test_another_company_cannot_transmit(dossier):
    from tests.factories import EtablissementFactory, UserFactory, attach

    intruder = UserFactory()
    attach(intruder, EtablissementFactory())
    assert client_for(intruder).post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 404


def test_a_save_opened_before_the_transmission_is_refused_after_it(adherent, dossier, monkeypatch):
    """The race the parallel test on SQLite found: the tab was checked editable, then the transmission committed,
    then the save's write came. The transition is a new version: the optimistic lock refuses the write."""
    from dossiers.services import onglet_save

    all_valid(monkeypatch)
    onglet = onglets.get("employeur")
    ouvert = Dossier.objects.select_related("employeur").get(pk=dossier.pk)  # the tab, loaded while a draft
    telephone = ouvert.employeur.telephone
    form = onglet.form_class({"version": ouvert.version, "telephone": "0478000099"}, instance=onglet.instance(ouvert))
    form.is_valid()

    dossier_transmettre(dossier=Dossier.objects.get(pk=dossier.pk), user=adherent)  # meanwhile, in another request

    assert onglet_save(dossier=ouvert, form=form, version=ouvert.version) is False
    stocke = Dossier.objects.select_related("employeur").get(pk=dossier.pk)
    assert stocke.employeur.telephone == telephone
    assert (stocke.state, stocke.version) == (DossierState.TRANSMIS, ouvert.version + 1)
