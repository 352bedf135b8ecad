"""Webhooks through the real Celery worker, Redis and PostgreSQL that .ci/run starts (deselected without them).

The worker (another process, the test database) POSTs to a receiver listening in this test process on 127.0.0.1;
the race of two deliveries of one row is a real one: PostgreSQL's row lock, the worker's ``skip_locked``.
"""

from __future__ import annotations

import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from dossiers import webhooks, workflow
from dossiers.enums import DossierState, StatutLivraison
from dossiers.models import LivraisonWebhook
from dossiers.tasks import livrer_webhook
from portal.celery import app
from tests.conftest import ensure_dispositifs
from tests.factories import DossierFactory, EtablissementFactory, prestataire_user
from tests.recepteur import Recepteur

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vrai_worker():
    ensure_dispositifs()
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def presaisie():
    prestataire = prestataire_user()
    organisme = prestataire.rattachements.get().organisme
    dossier = DossierFactory(
        etablissement=EtablissementFactory(),
        created_by=prestataire,
        prestataire=organisme,
        state=DossierState.BROUILLON_PRESTATAIRE,
    )
    return dossier, prestataire, organisme


def attendre(condition, timeout=60):
    fin = time.monotonic() + timeout
    while time.monotonic() < fin:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("le worker n'a pas fini à temps")


def test_the_worker_delivers_the_signed_event_of_a_transition(presaisie):
    dossier, prestataire, organisme = presaisie
    with Recepteur() as recepteur:
        _abonnement, secret = webhooks.abonnement_creer(organisme, prestataire, recepteur.url)
        with transaction.atomic():  # commit → on_commit → Redis → worker → POST
            workflow.fire(dossier, workflow.FINALISER, user=prestataire)
        (ligne,) = LivraisonWebhook.objects.all()
        attendre(lambda: LivraisonWebhook.objects.get(pk=ligne.pk).statut == StatutLivraison.LIVREE)
    (recu,) = recepteur.recus
    assert json.loads(recu.corps)["donnees"]["numero"] == dossier.numero
    assert webhooks.verifier_signature(secret, recu.corps, recu.entetes["X-Portail-Signature"])


def test_two_concurrent_deliveries_of_one_row_post_once(presaisie):
    """This process delivers the row; while the receiver has not answered (the row locked), the worker is asked to
    deliver it too: it skips the locked row and POSTs nothing."""
    _dossier, prestataire, organisme = presaisie
    resultats = []

    def livraison_concurrente():
        if not resultats:
            resultats.append(livrer_webhook.apply_async((ligne.pk,), ignore_result=False).get(timeout=60))

    with Recepteur(pendant=livraison_concurrente) as recepteur:
        abonnement, _secret = webhooks.abonnement_creer(organisme, prestataire, recepteur.url)
        ligne = webhooks._ligne(abonnement.pk, webhooks.TYPE_PING, {}, timezone.now())
        ligne.save()  # committed, and no task published: this process is the first to deliver it
        assert webhooks.livrer(ligne.pk) is True
    assert len(recepteur.recus) == 1
    assert resultats == [False]
    ligne.refresh_from_db()
    assert (ligne.statut, ligne.tentatives) == (StatutLivraison.LIVREE, 1)
