"""A prestataire pre-enters a dossier; the adhérent takes it over (accept, complete, transmit) or refuses it."""

import html

import pytest
from django.core import mail

from dossiers import rules
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement
from dossiers.saisie import onglets
from notifications.models import Notification
from referentiels.models import Etablissement
from tests.conftest import client_for
from tests.factories import (
    DossierFactory,
    EntrepriseFactory,
    EtablissementFactory,
    UserFactory,
    attach,
    dispositif,
    prestataire_user,
    sous_dispositif,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def etablissement(db):
    return EtablissementFactory(entreprise=EntrepriseFactory(raison_sociale="BRASSERIE DU QUAI"))


@pytest.fixture
def adherents(etablissement):
    """Two adhérents who act for the establishment: one directly, one through its company."""
    direct, company = UserFactory(), UserFactory()
    attach(direct, etablissement)
    attach(company, etablissement.entreprise)
    return direct, company


@pytest.fixture
def prestataire(db):
    return prestataire_user()


def presaisie(prestataire, etablissement, state=DossierState.BROUILLON_PRESTATAIRE) -> Dossier:
    organisme = prestataire.rattachements.get().organisme
    dossier = DossierFactory(etablissement=etablissement, created_by=prestataire, prestataire=organisme, state=state)
    dossier.employeur.email = ""
    dossier.employeur.save()
    return dossier


def all_valid(monkeypatch):
    monkeypatch.setattr(onglets, "puces", lambda anomalies: [onglets.Puce(o, "valid") for o in onglets.ONGLETS])
    monkeypatch.setattr(rules, "onglets_invalides", lambda dossier, anomalies=None: [])  # the domain's verdict


# -- pre-entry by the prestataire ----------------------------------------------------------------------------


def test_prestataire_creates_a_pre_entry_for_a_member_found_by_siret(prestataire, etablissement):
    client = client_for(prestataire)
    assert client.get("/nouvelle-demande/").url == "/nouvelle-demande/etablissement/"
    page = text(client.get("/nouvelle-demande/etablissement/"))
    assert "Siren, siret ou dénomination..." in page and "BRASSERIE DU QUAI" not in page  # search first
    page = text(client.get("/nouvelle-demande/etablissement/", {"q": etablissement.siret}))
    assert "BRASSERIE DU QUAI" in page
    assert "BRASSERIE DU QUAI" in text(client.get("/nouvelle-demande/etablissement/", {"q": "brasserie quai"}))
    client.post("/nouvelle-demande/etablissement/", {"choix": str(etablissement.pk)})
    client.post("/nouvelle-demande/dispositif/", {"choix": str(dispositif().pk)})
    client.post("/nouvelle-demande/sous_dispositif/", {"choix": str(sous_dispositif().pk)})
    response = client.post("/nouvelle-demande/type_contrat/", {"choix": "11"})
    dossier = Dossier.objects.get(created_by=prestataire)
    assert response.url == f"/dossiers/{dossier.pk}/introduction/"
    assert dossier.state == DossierState.BROUILLON_PRESTATAIRE
    assert dossier.prestataire == prestataire.rattachements.get().organisme
    assert dossier.employeur.siret == etablissement.siret
    assert dossier.employeur.email == ""  # the employer's e-mail is the adhérent's to give


def test_prestataire_cannot_choose_a_non_member_establishment(prestataire):
    non_adherent = EtablissementFactory(adherent=False)
    client = client_for(prestataire)
    page = text(client.get("/nouvelle-demande/etablissement/", {"q": non_adherent.siret}))
    assert f"SIRET {non_adherent.siret}" not in page and "Aucun résultat" in page
    response = client.post("/nouvelle-demande/etablissement/", {"choix": str(non_adherent.pk)})
    assert response.status_code == 200
    assert "Ce choix n'est pas proposé" in text(response)


def test_prestataire_without_organisation_cannot_create(etablissement):
    from dossiers.services import PermissionRefusee, dossier_create

    with pytest.raises(PermissionRefusee, match="aucun organisme"):
        dossier_create(
            user=UserFactory(prestataire=True),
            etablissement=etablissement,
            sous_dispositif=sous_dispositif(),
            type_contrat="11",
        )


def test_prestataire_edits_its_tabs_but_not_the_employers(prestataire, etablissement):
    dossier = presaisie(prestataire, etablissement)
    client = client_for(prestataire)
    salarie = client.post(
        f"/dossiers/{dossier.pk}/salarie/",
        {"version": dossier.version, "nom_naissance": "Martin"},
        HTTP_HX_REQUEST="true",
    )
    assert salarie.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).salarie.nom_naissance == "MARTIN"
    version = Dossier.objects.get(pk=dossier.pk).version
    for slug, field in (("employeur", "caisse_retraite"), ("financement", "commentaire"), ("synthese", "commentaire")):
        response = client.post(f"/dossiers/{dossier.pk}/{slug}/", {"version": version, field: "X"})
        assert response.status_code == 409, slug
    page = text(client.get(f"/dossiers/{dossier.pk}/employeur/"))
    assert "complété par l'adhérent" in page and ">Enregistrer<" not in page
    page = text(client.get(f"/dossiers/{dossier.pk}/salarie/"))
    assert ">Enregistrer<" in page and ">Finaliser<" in page and ">Transmettre<" not in page


def test_adherent_does_not_see_the_pre_entry_before_it_is_finalised(prestataire, etablissement, adherents):
    dossier = presaisie(prestataire, etablissement)
    client = client_for(adherents[0])
    assert client.get(f"/dossiers/{dossier.pk}/introduction/").status_code == 404
    assert dossier.numero not in text(client.get("/brouillons/"))


def test_finaliser_hands_the_dossier_over_and_notifies_every_adherent(
    prestataire, etablissement, adherents, django_capture_on_commit_callbacks
):
    dossier = presaisie(prestataire, etablissement)
    UserFactory(is_active=False).rattachements.create(etablissement=etablissement)  # a former employee
    client = client_for(prestataire)
    dialog = text(client.get(f"/dossiers/{dossier.pk}/action/finaliser/"))
    assert "Confirmez-vous la finalisation" in dialog and "Confirmer" in dialog
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave after commit
        response = client.post(f"/dossiers/{dossier.pk}/action/finaliser/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/dossiers/"
    dossier.refresh_from_db()
    assert dossier.state == DossierState.A_REPRENDRE
    event = DossierEvenement.objects.get(dossier=dossier, transition="finaliser")
    assert (event.from_state, event.user) == (DossierState.BROUILLON_PRESTATAIRE, prestataire)
    notified = Notification.objects.filter(dossier=dossier, evenement="dossier_a_reprendre")
    assert {n.recipient for n in notified} == set(adherents)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in adherents)
    # Read-only for the prestataire from now on; listed among its dossiers with its state.
    version = dossier.version
    assert client.post(f"/dossiers/{dossier.pk}/salarie/", {"version": version, "prenom": "X"}).status_code == 409
    assert "A reprendre par l'adhérent" in text(client.get("/dossiers/"))
    assert dossier.numero not in text(client.get("/brouillons/"))


# -- takeover by the adhérent --------------------------------------------------------------------------------


def test_adherent_sees_the_counter_and_a_read_only_dossier_with_refuser_and_accepter(
    prestataire, etablissement, adherents
):
    dossier = presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    client = client_for(adherents[1])
    accueil = text(client.get("/"))
    assert "demande(s) à valider" in accueil and 'data-counter="a_valider">1<' in accueil
    assert dossier.numero in text(client.get("/brouillons/", {"etat": "a_reprendre"}))
    assert client.get(f"/dossiers/{dossier.pk}/").url == f"/dossiers/{dossier.pk}/introduction/"
    page = text(client.get(f"/dossiers/{dossier.pk}/introduction/"))
    assert ">Refuser<" in page and ">Accepter<" in page
    assert ">Enregistrer<" not in page and ">Transmettre<" not in page
    assert "lecture seule" in page
    response = client.post(f"/dossiers/{dossier.pk}/salarie/", {"version": dossier.version, "prenom": "Léa"})
    assert response.status_code == 409
    assert Dossier.objects.get(pk=dossier.pk).salarie.prenom == ""


def test_accepter_makes_it_the_adherents_draft_and_notifies_the_prestataire(prestataire, etablissement, adherents):
    dossier = presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    adherent = adherents[0]
    client = client_for(adherent)
    response = client.post(f"/dossiers/{dossier.pk}/action/accepter_reprise/", {"onglet": "salarie"})
    assert response.url == f"/dossiers/{dossier.pk}/salarie/"
    dossier.refresh_from_db()
    assert dossier.state == DossierState.BROUILLON
    assert dossier.employeur.email == adherent.email
    assert [n.recipient for n in Notification.objects.filter(evenement="reprise_acceptee")] == [prestataire]
    page = text(client.get(f"/dossiers/{dossier.pk}/salarie/"))
    assert "Vous avez accepté la demande" in page
    assert ">Enregistrer<" in page and ">Transmettre<" in page and ">Refuser<" in page and ">Accepter<" not in page
    response = client.post(f"/dossiers/{dossier.pk}/salarie/", {"version": dossier.version, "prenom": "Léa"})
    assert response.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).salarie.prenom == "Léa"


@pytest.mark.parametrize("state", [DossierState.A_REPRENDRE, DossierState.BROUILLON])
def test_refuser_asks_confirmation_removes_the_draft_and_tells_the_prestataire_why(
    prestataire, etablissement, adherents, state, django_capture_on_commit_callbacks
):
    dossier = presaisie(prestataire, etablissement, state)
    client = client_for(adherents[0])
    dialog = text(client.get(f"/dossiers/{dossier.pk}/action/refuser_reprise/"))
    assert "Confirmez-vous le refus de cette demande" in dialog and "Motif (facultatif)" in dialog
    assert Dossier.objects.get(pk=dossier.pk).state == state  # asking is not refusing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dossiers/{dossier.pk}/action/refuser_reprise/",
            {"motif": "Le salarié a renoncé."},
            HTTP_HX_REQUEST="true",
        )
    assert response["HX-Redirect"] == "/brouillons/"
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REFUSE_PAR_ADHERENT
    assert f"Ouvrir le dossier {dossier.numero}" not in text(client.get("/brouillons/"))
    assert client.get(f"/dossiers/{dossier.pk}/introduction/").status_code == 404
    notification = Notification.objects.get(evenement="reprise_refusee")
    assert notification.recipient == prestataire and notification.commentaire == "Le salarié a renoncé."
    assert "Le salarié a renoncé." in mail.outbox[-1].body
    listed = text(client_for(prestataire).get("/dossiers/"))
    assert dossier.numero in listed and "Refusé par l'adhérent" in listed


def test_a_too_long_reason_is_kept_on_screen_with_a_message(prestataire, etablissement, adherents):
    dossier = presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    response = client_for(adherents[0]).post(f"/dossiers/{dossier.pk}/action/refuser_reprise/", {"motif": "x" * 1001})
    assert response.status_code == 422
    assert "ne doit pas dépasser 1000 caractères" in text(response) and "x" * 1001 in text(response)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_REPRENDRE


def test_a_reason_of_1000_characters_with_newlines_is_accepted(prestataire, etablissement, adherents):
    dossier = presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    motif = "\r\n".join(["x" * 99] * 10)  # 990 + 9 newlines = 999 characters, 1 008 if CRLF counted twice
    response = client_for(adherents[0]).post(f"/dossiers/{dossier.pk}/action/refuser_reprise/", {"motif": motif})
    assert response.status_code == 302 and "ne doit pas dépasser" not in text(response)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.REFUSE_PAR_ADHERENT


def test_transmitting_a_taken_over_dossier_notifies_the_prestataire(prestataire, etablissement, adherents, monkeypatch):
    all_valid(monkeypatch)
    dossier = presaisie(prestataire, etablissement, DossierState.BROUILLON)
    response = client_for(adherents[0]).post(f"/dossiers/{dossier.pk}/transmettre/")
    assert "Votre demande a été transmise à AKTO" in text(response)
    recipients = {n.recipient for n in Notification.objects.filter(evenement="dossier_transmis")}
    assert recipients == {prestataire, *adherents}
    assert "Transmis" in text(client_for(prestataire).get("/dossiers/"))


def test_only_the_right_user_may_fire_each_step(prestataire, etablissement, adherents):
    pre_entry = presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    own = DossierFactory(etablissement=etablissement, created_by=adherents[0])  # the adhérent's own draft
    adherent = client_for(adherents[0])
    # A prestataire does not accept its own pre-entry; an adhérent does not refuse its own dossier.
    assert client_for(prestataire).post(f"/dossiers/{pre_entry.pk}/action/accepter_reprise/").status_code == 409
    assert "n'est pas possible" in text(adherent.get(f"/dossiers/{own.pk}/action/refuser_reprise/"))
    assert adherent.post(f"/dossiers/{own.pk}/action/refuser_reprise/").status_code == 409
    assert adherent.post(f"/dossiers/{pre_entry.pk}/action/finaliser/").status_code == 409
    assert adherent.get(f"/dossiers/{pre_entry.pk}/action/inconnue/").status_code == 404
    # Another company's adhérent does not even see it.
    stranger = UserFactory()
    attach(stranger, EtablissementFactory())
    assert client_for(stranger).post(f"/dossiers/{pre_entry.pk}/action/accepter_reprise/").status_code == 404
    assert Dossier.objects.get(pk=pre_entry.pk).state == DossierState.A_REPRENDRE
    assert Dossier.objects.get(pk=own.pk).state == DossierState.BROUILLON


def test_prestataire_home_counts_its_pre_entries(prestataire, etablissement):
    presaisie(prestataire, etablissement)
    presaisie(prestataire, etablissement, DossierState.A_REPRENDRE)
    page = text(client_for(prestataire).get("/"))
    assert 'data-counter="brouillons">1<' in page and 'data-counter="a_valider">1<' in page
    assert "en attente de reprise par l'adhérent" in page and "Créer un nouveau dossier" in page


def test_establishment_search_is_shared_with_the_lookup(etablissement):
    assert list(Etablissement.objects.recherche(etablissement.siret[:9])) == [etablissement]
    assert list(Etablissement.objects.recherche("quai brasserie")) == [etablissement]


def test_the_employers_attestations_are_not_the_prestataires_to_tick(prestataire, etablissement):
    dossier = presaisie(prestataire, etablissement)
    client = client_for(prestataire)
    response = client.post(
        f"/dossiers/{dossier.pk}/salarie/",
        {
            "version": dossier.version,
            "nom_naissance": "Martin",
            "attestation_tuteur": "on",
            "attestation_tuteur_qualifie": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    salarie = Dossier.objects.get(pk=dossier.pk).salarie
    assert salarie.nom_naissance == "MARTIN" and salarie.attestation_tuteur is False
    assert salarie.attestation_tuteur_qualifie is False  # TUT-02 is the employer's to attest too
    assert "Attestation réservée à l'employeur" in text(client.get(f"/dossiers/{dossier.pk}/documents/"))
