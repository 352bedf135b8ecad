"""The organisations' webhooks (dossiers/webhooks.py, ADR 0025): an outbox row per subscription written by every
transition, delivered signed to a real receiver on 127.0.0.1, retried with backoff, never twice; the portal page
« Webhooks » (URL rules, the secret shown once, the test event, the log) and the back office's read-only view."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import acces, webhooks, workflow
from dossiers.api import cles
from dossiers.enums import DossierState, StatutLivraison
from dossiers.models import AbonnementWebhook, Dossier, LivraisonWebhook
from dossiers.tasks import livrer_webhook, relancer_webhooks
from referentiels.validators import nir_key
from tests.complet import NIR_13
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach, prestataire_user
from tests.notifications.outils import broker, port_libre
from tests.recepteur import Recepteur

pytestmark = pytest.mark.django_db

NIR = f"{NIR_13}{nir_key(NIR_13):02d}"


@pytest.fixture
def adherent_et_etablissement(db):
    adherent, etablissement = UserFactory(), EtablissementFactory()
    attach(adherent, etablissement)
    return adherent, etablissement


@pytest.fixture
def presaisie(prestataire, organisme, adherent_et_etablissement):
    """A dossier the organisation pre-entered (its salarié has a NIR), still the prestataire's."""
    _adherent, etablissement = adherent_et_etablissement
    return DossierFactory(
        etablissement=etablissement,
        created_by=prestataire,
        prestataire=organisme,
        state=DossierState.BROUILLON_PRESTATAIRE,
        parts={"salarie": {"nom_naissance": "DUPONT", "prenom": "Camille"}},
    )


def abonner(organisme, user, url="https://erp.exemple.fr/webhooks") -> tuple[AbonnementWebhook, str]:
    return webhooks.abonnement_creer(organisme, user, url)


def finaliser(dossier, user):
    with transaction.atomic():
        return workflow.fire(dossier, workflow.FINALISER, user=user)


def plus_tard():
    """Every pending delivery's next attempt is due."""
    LivraisonWebhook.objects.filter(statut=StatutLivraison.EN_ATTENTE).update(
        prochain_essai=timezone.now() - timedelta(seconds=1)
    )


# -- the outbox, written by the transition ----------------------------------------------------------------------


def test_a_transition_writes_one_row_per_active_subscription_with_the_contracts_payload(
    presaisie, prestataire, organisme
):
    premier, _ = abonner(organisme, prestataire)
    second, _ = abonner(organisme, prestataire, "https://autre.exemple.fr/recevoir")
    revoque, _ = abonner(organisme, prestataire, "https://ancien.exemple.fr/")
    webhooks.abonnement_revoquer(revoque)
    autre_organisme = prestataire_user().rattachements.get().organisme
    abonner(autre_organisme, autre_organisme.rattachements.get().user)

    evenement = finaliser(presaisie, prestataire)

    lignes = list(LivraisonWebhook.objects.order_by("abonnement_id"))
    assert [ligne.abonnement for ligne in lignes] == [premier, second]
    for ligne in lignes:
        assert ligne.statut == StatutLivraison.EN_ATTENTE and ligne.tentatives == 0 and ligne.dossier == presaisie
        assert ligne.contenu == {
            "id": str(ligne.evenement),
            "type": "dossier.etat_modifie",
            "cree_le": ligne.cree_le.isoformat(),
            "donnees": {
                "numero": presaisie.numero,
                "etat": DossierState.A_REPRENDRE,
                "etat_precedent": DossierState.BROUILLON_PRESTATAIRE,
                "transition": "finaliser",
                "date": evenement.created_at.isoformat(),
            },
        }
    assert lignes[0].evenement != lignes[1].evenement


def test_no_row_without_a_subscription_nor_for_the_adherents_own_dossier(
    presaisie, prestataire, organisme, adherent_et_etablissement
):
    finaliser(presaisie, prestataire)  # the organisation has no subscription
    adherent, etablissement = adherent_et_etablissement
    abonner(organisme, prestataire)
    propre = DossierFactory(etablissement=etablissement, created_by=adherent)  # no prestataire
    with transaction.atomic():
        workflow.fire(propre, workflow.TRANSMETTRE, user=adherent)
    assert not LivraisonWebhook.objects.exists()


def test_the_row_is_rolled_back_with_the_transition(presaisie, prestataire, organisme):
    abonner(organisme, prestataire)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.fire(presaisie, workflow.FINALISER, user=prestataire)
        assert LivraisonWebhook.objects.count() == 1
        raise RuntimeError("la suite de la transaction échoue")
    assert not LivraisonWebhook.objects.exists()
    assert Dossier.objects.get(pk=presaisie.pk).state == DossierState.BROUILLON_PRESTATAIRE


def test_every_transition_of_the_journey_and_the_tacit_acceptance_send_an_event(
    presaisie, prestataire, organisme, adherent_et_etablissement, gestionnaire
):
    adherent, _ = adherent_et_etablissement
    abonner(organisme, prestataire)
    finaliser(presaisie, prestataire)
    with transaction.atomic():
        workflow.fire(presaisie, workflow.ACCEPTER_REPRISE, user=adherent)
    with transaction.atomic():
        workflow.fire(presaisie, workflow.TRANSMETTRE, user=adherent)
    with transaction.atomic():  # *Accepter* on a *Transmis* dossier: two transitions, two events
        workflow.fire(presaisie, workflow.ACCEPTER_DOSSIER, user=gestionnaire, valeurs={"montant_engage": 1000})
    second = DossierFactory(
        etablissement=presaisie.etablissement, created_by=prestataire, prestataire=organisme, transmis=True
    )
    with transaction.atomic():
        workflow.fire(second, workflow.ACCEPTER_TACITEMENT, user=acces.compte_systeme())
    transitions = [
        (ligne.contenu["donnees"]["numero"], ligne.contenu["donnees"]["transition"], ligne.contenu["donnees"]["etat"])
        for ligne in LivraisonWebhook.objects.order_by("pk")
    ]
    assert transitions == [
        (presaisie.numero, "finaliser", DossierState.A_REPRENDRE),
        (presaisie.numero, "accepter_reprise", DossierState.BROUILLON),
        (presaisie.numero, "transmettre", DossierState.TRANSMIS),
        (presaisie.numero, "prendre_en_instruction", DossierState.EN_INSTRUCTION),
        (presaisie.numero, "accepter_dossier", DossierState.ACCEPTE),
        (second.numero, "accepter_tacitement", DossierState.ACCEPTE),
    ]


def test_the_outbox_costs_no_query_for_the_adherents_own_dossier_and_two_otherwise(
    presaisie, prestataire, organisme, adherent_et_etablissement
):
    adherent, etablissement = adherent_et_etablissement
    propre = DossierFactory(etablissement=etablissement, created_by=adherent)
    abonner(organisme, prestataire)
    abonner(organisme, prestataire, "https://deux.exemple.fr/")
    evenement = presaisie.evenements.model(
        dossier=presaisie, transition="finaliser", from_state="x", to_state="y", created_at=timezone.now()
    )
    with transaction.atomic():
        with CaptureQueriesContext(connection) as aucune:
            webhooks.publier_transition(propre, evenement)
        with CaptureQueriesContext(connection) as deux:
            webhooks.publier_transition(presaisie, evenement)  # the subscriptions, one INSERT of both rows
    assert (len(aucune), len(deux)) == (0, 2)


def test_the_payload_carries_no_nir_nor_name(presaisie, prestataire, organisme):
    presaisie.salarie.nir = NIR
    presaisie.salarie.save()
    abonner(organisme, prestataire)
    finaliser(presaisie, prestataire)
    (ligne,) = LivraisonWebhook.objects.all()
    corps = webhooks.corps(ligne).decode()
    assert NIR not in corps and NIR_13 not in corps and NIR[:5] + " " not in corps
    assert "DUPONT" not in corps and "Camille" not in corps
    assert set(ligne.contenu["donnees"]) == {"numero", "etat", "etat_precedent", "transition", "date"}


# -- delivery ---------------------------------------------------------------------------------------------------


def test_the_receiver_gets_the_signed_body_at_commit_and_the_signature_verifies(
    presaisie, prestataire, organisme, django_capture_on_commit_callbacks
):
    with Recepteur() as recepteur:
        abonnement, secret = abonner(organisme, prestataire, recepteur.url)
        with django_capture_on_commit_callbacks(execute=True):
            finaliser(presaisie, prestataire)
    (recu,) = recepteur.recus
    (ligne,) = LivraisonWebhook.objects.all()
    assert recu.chemin == "/webhooks/portail"
    assert json.loads(recu.corps) == ligne.contenu and json.loads(recu.corps)["type"] == "dossier.etat_modifie"
    # What a receiver computes with the secret it was shown: HMAC-SHA256 of the raw body.
    attendue = "sha256=" + hmac.new(secret.encode(), recu.corps, hashlib.sha256).hexdigest()
    assert recu.entetes["X-Portail-Signature"] == attendue
    assert webhooks.verifier_signature(secret, recu.corps, recu.entetes["X-Portail-Signature"])
    assert not webhooks.verifier_signature(secret, recu.corps + b" ", recu.entetes["X-Portail-Signature"])
    assert not webhooks.verifier_signature("whsec_autre", recu.corps, recu.entetes["X-Portail-Signature"])
    assert recu.entetes["X-Portail-Evenement"] == str(ligne.evenement)
    assert recu.entetes["Content-Type"] == "application/json"
    assert recu.entetes["User-Agent"] == webhooks.USER_AGENT
    assert (ligne.statut, ligne.tentatives, ligne.dernier_code_http) == (StatutLivraison.LIVREE, 1, 200)
    assert ligne.livree_le is not None and ligne.prochain_essai is None
    # The secret is stored encrypted (HMAC needs it back), never in clear.
    assert secret not in abonnement.secret_chiffre and AbonnementWebhook.objects.get().secret == secret


def test_a_task_delivered_twice_posts_once(presaisie, prestataire, organisme):
    with Recepteur() as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        finaliser(presaisie, prestataire)  # on_commit not run: the row is pending
        (ligne,) = LivraisonWebhook.objects.all()
        assert livrer_webhook(ligne.pk) is True
        assert livrer_webhook(ligne.pk) is False
        plus_tard()
        assert relancer_webhooks() == 0
    assert len(recepteur.recus) == 1


def test_a_row_locked_by_another_delivery_is_skipped(presaisie, prestataire, organisme, monkeypatch):
    """Two deliveries racing: the one that finds the row locked (``skip_locked``) leaves it to the other (the real
    race, on PostgreSQL with the real worker: tests/dossiers/test_webhooks_worker.py)."""
    with Recepteur() as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        finaliser(presaisie, prestataire)
        (ligne,) = LivraisonWebhook.objects.all()
        vrai = LivraisonWebhook.objects.select_for_update

        def verrouillee_ailleurs(**kwargs):
            assert kwargs == {"skip_locked": True, "of": ("self",)}
            return vrai(**kwargs).none()

        monkeypatch.setattr(LivraisonWebhook.objects, "select_for_update", verrouillee_ailleurs)
        assert webhooks.livrer(ligne.pk) is False
    assert recepteur.recus == []
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.tentatives) == (StatutLivraison.EN_ATTENTE, 0)


def test_a_receiver_failing_is_retried_after_1_then_2_minutes_then_delivered(
    presaisie, prestataire, organisme, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="dossiers.webhooks")
    debut = timezone.now().replace(microsecond=0)
    with Recepteur(statuts=[500, 503]) as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        with time_machine.travel(debut, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                finaliser(presaisie, prestataire)
            (ligne,) = LivraisonWebhook.objects.all()
            ligne.refresh_from_db()
            assert (ligne.statut, ligne.tentatives, ligne.dernier_code_http) == (StatutLivraison.EN_ATTENTE, 1, 500)
            assert ligne.derniere_erreur == "HTTPError" and ligne.prochain_essai == debut + timedelta(minutes=1)
            assert relancer_webhooks() == 0  # not due yet
        with time_machine.travel(debut + timedelta(seconds=59), tick=False):
            assert relancer_webhooks() == 0
        with time_machine.travel(debut + timedelta(minutes=1), tick=False):
            assert relancer_webhooks() == 0  # 503
        ligne.refresh_from_db()
        assert (ligne.tentatives, ligne.dernier_code_http) == (2, 503)
        assert ligne.prochain_essai == debut + timedelta(minutes=1 + 2)
        with time_machine.travel(debut + timedelta(minutes=3), tick=False):
            assert relancer_webhooks() == 1
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.tentatives, ligne.dernier_code_http) == (StatutLivraison.LIVREE, 3, 200)
    assert len(recepteur.recus) == 3
    assert len({r.entetes["X-Portail-Evenement"] for r in recepteur.recus}) == 1  # the same event, for dedupe
    assert len({r.corps for r in recepteur.recus}) == 1  # the same bytes, the same signature
    assert "tentative 1/8, HTTPError 500" in caplog.text and recepteur.url not in caplog.text


def test_after_eight_failed_attempts_the_delivery_is_given_up(presaisie, prestataire, organisme):
    with Recepteur(statuts=[500] * 20) as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        finaliser(presaisie, prestataire)
        (ligne,) = LivraisonWebhook.objects.all()
        for _ in range(12):
            plus_tard()
            relancer_webhooks()
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.tentatives, ligne.prochain_essai) == (
        StatutLivraison.ECHEC,
        webhooks.TENTATIVES_MAX,
        None,
    )
    assert len(recepteur.recus) == webhooks.TENTATIVES_MAX == 8


def test_an_unreachable_receiver_is_an_error_class_and_a_redirect_is_not_followed(presaisie, prestataire, organisme):
    abonner(organisme, prestataire, f"http://127.0.0.1:{port_libre()}/rien")
    with Recepteur(statuts=[302]) as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        finaliser(presaisie, prestataire)
        for ligne in LivraisonWebhook.objects.all():
            assert webhooks.livrer(ligne.pk) is False
    fermee, redirigee = LivraisonWebhook.objects.order_by("abonnement_id")
    assert (fermee.dernier_code_http, fermee.derniere_erreur) == (None, "ConnectionRefusedError")
    assert (redirigee.dernier_code_http, redirigee.derniere_erreur) == (302, "HTTPError")
    assert [r.chemin for r in recepteur.recus] == ["/webhooks/portail"]  # never /ailleurs
    assert {fermee.statut, redirigee.statut} == {StatutLivraison.EN_ATTENTE}


def test_redis_down_the_transition_succeeds_the_row_waits_then_the_sweep_delivers_it_once(
    presaisie, prestataire, organisme, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="dossiers.webhooks")
    with Recepteur() as recepteur:
        abonner(organisme, prestataire, recepteur.url)
        with broker(f"redis://127.0.0.1:{port_libre()}/0"):  # nothing listens there: a real refused connection
            with django_capture_on_commit_callbacks(execute=True):
                finaliser(presaisie, prestataire)
        assert Dossier.objects.get(pk=presaisie.pk).state == DossierState.A_REPRENDRE
        (ligne,) = LivraisonWebhook.objects.all()
        assert (ligne.statut, ligne.tentatives) == (StatutLivraison.EN_ATTENTE, 0)
        assert recepteur.recus == []
        assert f"webhooks [{ligne.pk}] non planifiée (OperationalError)" in caplog.text
        assert relancer_webhooks() == 0  # the sweep leaves a fresh row a minute to the task published at commit
        plus_tard()
        assert relancer_webhooks() == 1
        assert relancer_webhooks() == 0
    assert len(recepteur.recus) == 1
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.tentatives) == (StatutLivraison.LIVREE, 1)


def test_a_revoked_subscription_gets_nothing_new_and_its_waiting_events_are_given_up(
    presaisie, prestataire, organisme, adherent_et_etablissement
):
    adherent, _ = adherent_et_etablissement
    with Recepteur() as recepteur:
        abonnement, _ = abonner(organisme, prestataire, recepteur.url)
        finaliser(presaisie, prestataire)  # pending (on_commit not run)
        (attente,) = LivraisonWebhook.objects.all()
        response = client_for(prestataire).post(f"/webhooks/{abonnement.pk}/revoquer/")
        assert response.status_code == 302
        with transaction.atomic():
            workflow.fire(presaisie, workflow.ACCEPTER_REPRISE, user=adherent)
        plus_tard()
        assert relancer_webhooks() == 0
    assert recepteur.recus == []
    assert list(LivraisonWebhook.objects.all()) == [attente]  # no new row
    attente.refresh_from_db()
    assert (attente.statut, attente.derniere_erreur) == (StatutLivraison.ECHEC, "AbonnementRevoque")


def test_the_sweep_is_scheduled_every_minute(settings):
    planifiee = {p["task"]: p for p in settings.CELERY_BEAT_SCHEDULE.values()}
    assert planifiee[relancer_webhooks.name]["schedule"] == 60.0
    assert relancer_webhooks.name == "dossiers.tasks.relancer_webhooks" and livrer_webhook.name == webhooks.TACHE_LIVRER


# -- the portal page « Webhooks » -------------------------------------------------------------------------------


def test_the_prestataire_registers_an_url_and_sees_the_secret_once(prestataire, organisme):
    client = client_for(prestataire)
    created = client.post("/webhooks/", {"url": "https://erp.exemple.fr/webhooks", "organisme": organisme.pk})
    assert created.status_code == 302 and created["Location"] == "/webhooks/"  # a reload creates nothing
    page = client.get("/webhooks/")
    abonnement = AbonnementWebhook.objects.get()
    secret = page.context["nouveau"]
    assert secret.startswith("whsec_") and secret in page.content.decode() and abonnement.secret == secret
    assert (abonnement.organisme, abonnement.cree_par, abonnement.url) == (
        organisme,
        prestataire,
        "https://erp.exemple.fr/webhooks",
    )
    again = client.get("/webhooks/").content.decode()
    assert "https://erp.exemple.fr/webhooks" in again and secret not in again
    assert "webhook_nouveau_secret" not in client.session


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://erp.exemple.fr/webhooks", "L'adresse doit commencer par https:// (http:// seulement pour 127.0.0.1"),
        ("ftp://erp.exemple.fr/", "L'adresse doit commencer par https://"),
        ("https://moi:secret@erp.exemple.fr/", "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."),
        ("https://moi@erp.exemple.fr/", "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."),
        ("https:///chemin", "L'adresse doit indiquer un nom de serveur."),
        ("https://erp exemple/", "Saisissez une adresse web valide"),
    ],
)
def test_urls_refused_with_a_french_message_under_the_field(prestataire, organisme, url, message):
    response = client_for(prestataire).post("/webhooks/", {"url": url, "organisme": organisme.pk})
    assert response.status_code == 200
    assert message in response.context["form"].errors["url"][0]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not AbonnementWebhook.objects.exists()


def test_http_to_this_machine_only_where_the_setting_allows_it(prestataire, organisme, settings):
    client = client_for(prestataire)
    assert client.post("/webhooks/", {"url": "http://127.0.0.1:8765/w", "organisme": organisme.pk}).status_code == 302
    assert client.post("/webhooks/", {"url": "http://localhost/w", "organisme": organisme.pk}).status_code == 302
    settings.API_WEBHOOKS_HTTP_LOCAL = False  # production
    response = client.post("/webhooks/", {"url": "http://127.0.0.1:8765/w", "organisme": organisme.pk})
    assert response.context["form"].errors["url"] == ["L'adresse doit commencer par https://."]
    assert AbonnementWebhook.objects.count() == 2


def test_send_a_test_then_read_it_in_the_log(prestataire, organisme, django_capture_on_commit_callbacks):
    client = client_for(prestataire)
    with Recepteur() as recepteur:
        abonnement, secret = abonner(organisme, prestataire, recepteur.url)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/webhooks/{abonnement.pk}/tester/").status_code == 302
    response = client.get("/webhooks/")
    assert "Événement de test envoyé" in response.content.decode()
    (recu,) = recepteur.recus
    assert json.loads(recu.corps)["type"] == "ping"
    assert webhooks.verifier_signature(secret, recu.corps, recu.entetes["X-Portail-Signature"])
    (ligne,) = response.context["livraisons"]
    assert (ligne.type, ligne.statut, ligne.dernier_code_http) == ("ping", StatutLivraison.LIVREE, 200)
    page = client.get(f"/webhooks/{abonnement.pk}/")
    assert list(page.context["livraisons"]) == [ligne] and "Livrée" in page.content.decode()


def test_the_log_shows_the_last_50_deliveries_in_a_bounded_number_of_queries(prestataire, organisme):
    abonnement, _ = abonner(organisme, prestataire)
    maintenant = timezone.now()
    LivraisonWebhook.objects.bulk_create(
        [webhooks._ligne(abonnement.pk, "ping", {}, maintenant - dt.timedelta(seconds=i)) for i in range(60)]
    )
    client = client_for(prestataire)
    client.get("/webhooks/")  # the session, the user, once
    with CaptureQueriesContext(connection) as requetes:
        page = client.get("/webhooks/")
    assert len(page.context["livraisons"]) == 50
    assert page.context["livraisons"][0].cree_le == maintenant
    assert len(requetes) == 8, [q["sql"] for q in requetes.captured_queries]  # whatever the number of rows


def test_another_organisations_webhooks_are_404_and_not_listed(prestataire, organisme, adherent):
    autre = prestataire_user()
    sien, _ = abonner(autre.rattachements.get().organisme, autre, "https://concurrent.exemple.fr/hook")
    webhooks.envoyer_test(sien)
    client = client_for(prestataire)
    page = client.get("/webhooks/").content.decode()
    assert "concurrent.exemple.fr" not in page and "Aucune livraison." in page
    assert client.get(f"/webhooks/{sien.pk}/").status_code == 404
    assert client.post(f"/webhooks/{sien.pk}/tester/").status_code == 404
    assert client.post(f"/webhooks/{sien.pk}/revoquer/").status_code == 404
    assert AbonnementWebhook.objects.get(pk=sien.pk).actif and LivraisonWebhook.objects.count() == 1
    assert client_for(adherent).get("/webhooks/").status_code == 404  # an adhérent manages no webhook


def test_the_navigation_links_the_page_for_prestataires_only(prestataire, adherent):
    assert 'href="/webhooks/"' in client_for(prestataire).get("/").content.decode()
    assert 'href="/webhooks/"' not in client_for(adherent).get("/").content.decode()


# -- the back office ------------------------------------------------------------------------------------------


def test_gestionnaires_read_the_webhooks_in_the_admin_without_the_secret(
    presaisie, prestataire, organisme, gestionnaire
):
    abonnement, secret = abonner(organisme, prestataire)
    finaliser(presaisie, prestataire)
    ligne = LivraisonWebhook.objects.get()
    client = client_for(gestionnaire)
    liste = client.get("/admin/dossiers/livraisonwebhook/")
    assert liste.status_code == 200 and presaisie.numero in liste.content.decode()
    fiche = client.get(f"/admin/dossiers/livraisonwebhook/{ligne.pk}/change/")
    assert fiche.status_code == 200 and str(ligne.evenement) in fiche.content.decode()
    abonnement_page = client.get(f"/admin/dossiers/abonnementwebhook/{abonnement.pk}/change/").content.decode()
    assert "erp.exemple.fr" in abonnement_page
    assert secret not in abonnement_page and abonnement.secret_chiffre not in abonnement_page
    assert client.post(f"/admin/dossiers/abonnementwebhook/{abonnement.pk}/delete/").status_code == 403


# -- the same by the API --------------------------------------------------------------------------------------


def appel(methode: str, cle: str, url: str, donnees=None):
    client = Client()
    response = getattr(client, methode)(
        url,
        json.dumps(donnees) if donnees is not None else None,
        content_type="application/json",
        headers={"Authorization": f"Bearer {cle}"},
    )
    return response.status_code, json.loads(response.content or b"null")


def test_the_api_registers_lists_and_revokes_the_organisations_webhooks(presaisie, prestataire, organisme):
    cle = cles.creer(organisme, prestataire, "ERP")[1]
    statut, corps = appel("post", cle, "/api/v1/webhooks", {"url": "https://erp.exemple.fr/hook"})
    abonnement = AbonnementWebhook.objects.get()
    assert statut == 201 and corps["secret"] == abonnement.secret and corps["secret"].startswith("whsec_")
    assert (corps["id"], corps["url"], corps["actif"]) == (abonnement.pk, "https://erp.exemple.fr/hook", True)
    assert (abonnement.organisme, abonnement.cree_par) == (organisme, prestataire)  # the key's author
    statut, liste = appel("get", cle, "/api/v1/webhooks")
    assert statut == 200 and [a["id"] for a in liste] == [abonnement.pk] and "secret" not in liste[0]

    finaliser(presaisie, prestataire)
    statut, journal = appel("get", cle, f"/api/v1/webhooks/{abonnement.pk}/livraisons")
    ligne = LivraisonWebhook.objects.get()
    assert statut == 200 and journal == [
        {
            "id": str(ligne.evenement),
            "type": "dossier.etat_modifie",
            "numero": presaisie.numero,
            "statut": "en_attente",
            "tentatives": 0,
            "dernier_code_http": None,
            "cree_le": journal[0]["cree_le"],
            "livree_le": None,
        }
    ]

    statut, corps = appel("delete", cle, f"/api/v1/webhooks/{abonnement.pk}")
    assert statut == 200 and corps["actif"] is False and not AbonnementWebhook.objects.get().actif


def test_the_api_refuses_a_bad_url_in_french_and_another_organisations_webhook_is_404(prestataire, organisme):
    cle = cles.creer(organisme, prestataire, "ERP")[1]
    statut, corps = appel("post", cle, "/api/v1/webhooks", {"url": "http://erp.exemple.fr/hook"})
    assert statut == 422 and corps["detail"].startswith("L'adresse doit commencer par https://")
    autre = prestataire_user()
    sien, _ = abonner(autre.rattachements.get().organisme, autre)
    assert appel("get", cle, f"/api/v1/webhooks/{sien.pk}/livraisons")[0] == 404
    assert appel("delete", cle, f"/api/v1/webhooks/{sien.pk}") == (404, {"detail": "Webhook introuvable."})
    assert appel("get", cle, "/api/v1/webhooks") == (200, [])
    assert AbonnementWebhook.objects.get().actif


def test_the_webhooks_endpoints_are_in_the_openapi_schema():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    assert set(schema["paths"]["/api/v1/webhooks"]) == {"get", "post"}
    assert "delete" in schema["paths"]["/api/v1/webhooks/{identifiant}"]
    assert "get" in schema["paths"]["/api/v1/webhooks/{identifiant}/livraisons"]


def test_the_example_receiver_verifies_the_signature_and_prints_the_event(prestataire, organisme, tmp_path):
    """docs/api/recepteur.py, run as an organisation runs it, receives a real delivery and refuses a forged one."""
    port = port_libre()
    abonnement, secret = abonner(organisme, prestataire, f"http://127.0.0.1:{port}/")
    script = Path(__file__).resolve().parents[2] / "docs" / "api" / "recepteur.py"
    fichier = tmp_path / "evenements.jsonl"
    processus = subprocess.Popen(
        [sys.executable, "-u", str(script), "--port", str(port), "--fichier", str(fichier)],
        env={**os.environ, "PORTAIL_WEBHOOK_SECRET": secret},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert processus.stdout.readline().startswith(f"Écoute sur http://127.0.0.1:{port}/")
        ligne = webhooks.envoyer_test(abonnement)  # on_commit not run here: delivered by hand
        assert webhooks.livrer(ligne.pk) is True
        assert processus.stdout.readline().strip() == f"ping  :  →  ({ligne.evenement})"
        faux = urllib.request.Request(
            abonnement.url, data=b"{}", method="POST", headers={"X-Portail-Signature": "sha256=00"}
        )
        with pytest.raises(urllib.error.HTTPError) as refus:
            urllib.request.urlopen(faux, timeout=5)
        assert refus.value.code == 401
    finally:
        processus.terminate()
        processus.wait(timeout=10)
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.dernier_code_http) == (StatutLivraison.LIVREE, 200)
    assert [json.loads(x)["evenement"]["id"] for x in fichier.read_text().splitlines()] == [str(ligne.evenement)]
