"""``Idempotency-Key`` on the API's POSTs (dossiers/api/idempotence.py): a retry creates nothing twice."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import PieceJointe
from dossiers.api import cles, idempotence
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement, ModuleFormation, RequeteIdempotente
from dossiers.tasks import purger_requetes_idempotentes
from notifications.models import Notification
from tests.complet import NIR_13, dossier_complet
from tests.conftest import ensure_dispositifs
from tests.factories import DossierFactory, prestataire_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def stockage_neuf(settings):
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def presaisie(prestataire, organisme, adherent):
    dossier = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        created_by=prestataire,
        prestataire=organisme,
        brouillon_prestataire=True,
    )
    ModuleFormation.objects.create(formation=dossier.formation, ordre=1, type="externe")
    return dossier


def finaliser(cle, numero, cle_idempotence=None, client=None):
    headers = {"Authorization": f"Bearer {cle}"}
    if cle_idempotence is not None:
        headers["Idempotency-Key"] = cle_idempotence
    return (client or Client()).post(f"/api/v1/dossiers/{numero}/finaliser", headers=headers)


def deposer(cle, numero, cle_idempotence, contenu=PDF, nom="programme.pdf"):
    return Client().post(
        f"/api/v1/dossiers/{numero}/pieces",
        {"type": "PROGRAMME", "fichiers": [SimpleUploadedFile(nom, contenu)]},
        headers={"Authorization": f"Bearer {cle}", "Idempotency-Key": cle_idempotence},
    )


def evenements(dossier) -> int:
    return DossierEvenement.objects.filter(dossier=dossier, transition="finaliser").count()


# -- replay -----------------------------------------------------------------------------------------------------


def test_a_retried_finaliser_answers_the_first_answer_and_fires_nothing_twice(cle, presaisie, adherent):
    premiere = finaliser(cle, presaisie.numero, "cle-1")
    assert premiere.status_code == 200 and "Idempotency-Replayed" not in premiere
    notifications = Notification.objects.filter(dossier=presaisie).count()
    assert notifications == 1
    seconde = finaliser(cle, presaisie.numero, "cle-1")
    assert seconde.status_code == 200 and seconde["Idempotency-Replayed"] == "true"
    assert seconde.content == premiere.content and seconde["Content-Type"] == premiere["Content-Type"]
    assert evenements(presaisie) == 1 and Notification.objects.filter(dossier=presaisie).count() == notifications
    # Without the key, the same POST runs again: the dossier is no longer the organisation's.
    assert finaliser(cle, presaisie.numero).status_code == 409
    # The same key at another organisation is another request.
    autre = prestataire_user()
    autre_cle = cles.creer(autre.rattachements.get().organisme, autre, "ERP")[1]
    ailleurs = finaliser(autre_cle, presaisie.numero, "cle-1")
    assert ailleurs.status_code == 404 and "Idempotency-Replayed" not in ailleurs


def test_a_retried_upload_stores_one_piece_and_answers_the_first_answer(cle, presaisie):
    premiere = deposer(cle, presaisie.numero, "depot-1")
    assert premiere.status_code == 201
    version = Dossier.objects.get(pk=presaisie.pk).version
    seconde = deposer(cle, presaisie.numero, "depot-1")
    assert seconde.status_code == 201 and seconde["Idempotency-Replayed"] == "true"
    assert json.loads(seconde.content) == json.loads(premiere.content)
    assert PieceJointe.objects.filter(dossier=presaisie).count() == 1
    assert Dossier.objects.get(pk=presaisie.pk).version == version  # nothing written again
    assert deposer(cle, presaisie.numero, "depot-2").status_code == 201  # a new key: a new upload
    assert PieceJointe.objects.filter(dossier=presaisie).count() == 2


def test_a_replay_reads_no_dossier(cle, presaisie):
    finaliser(cle, presaisie.numero, "cle-1")
    with CaptureQueriesContext(connection) as ctx:
        assert finaliser(cle, presaisie.numero, "cle-1")["Idempotency-Replayed"] == "true"
    requetes = [q["sql"] for q in ctx.captured_queries]
    assert not any("dossiers_dossier" in sql for sql in requetes)
    # The key (with its organisation); the insert refused by the unique constraint (in its savepoint); the row.
    assert sum('"dossiers_requeteidempotente"' in sql for sql in requetes) == 2


def test_a_refused_answer_is_replayed_too(cle, presaisie):
    Dossier.objects.filter(pk=presaisie.pk).update(state=DossierState.A_REPRENDRE)
    premiere = finaliser(cle, presaisie.numero, "cle-1")
    assert premiere.status_code == 409
    Dossier.objects.filter(pk=presaisie.pk).update(state=DossierState.BROUILLON_PRESTATAIRE)
    seconde = finaliser(cle, presaisie.numero, "cle-1")
    assert (seconde.status_code, seconde.content, seconde["Idempotency-Replayed"]) == (409, premiere.content, "true")
    assert evenements(presaisie) == 0


# -- misuse -----------------------------------------------------------------------------------------------------


def test_the_same_key_with_another_body_or_path_is_a_422_in_french(cle, presaisie, prestataire, organisme):
    assert deposer(cle, presaisie.numero, "cle-1").status_code == 201
    autre_corps = deposer(cle, presaisie.numero, "cle-1", contenu=PDF.replace(b"1.4", b"1.5"))
    assert autre_corps.status_code == 422 and json.loads(autre_corps.content) == {
        "detail": idempotence.MSG_AUTRE_REQUETE
    }
    autre_nom = deposer(cle, presaisie.numero, "cle-1", nom="autre.pdf")
    assert autre_nom.status_code == 422
    autre_chemin = finaliser(cle, presaisie.numero, "cle-1")
    assert autre_chemin.status_code == 422 and "Idempotency-Replayed" not in autre_chemin
    assert PieceJointe.objects.count() == 1 and evenements(presaisie) == 0


def test_a_twin_of_a_request_in_progress_is_a_409_and_runs_nothing(cle, presaisie, organisme):
    chemin = f"/api/v1/dossiers/{presaisie.numero}/finaliser"
    corps_vide = idempotence.empreinte(RequestFactory().post(chemin))  # what the test client sends
    RequeteIdempotente.objects.create(
        organisme=organisme, cle="cle-1", methode="POST", chemin=chemin, empreinte=corps_vide
    )
    response = finaliser(cle, presaisie.numero, "cle-1")
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "detail": "Une requête identique (même Idempotency-Key) est en cours de traitement : réessayez dans quelques "
        "instants."
    }
    assert evenements(presaisie) == 0
    # Left « en cours » by a process that died: given up after 10 minutes, the retry runs.
    RequeteIdempotente.objects.update(cree_le=timezone.now() - dt.timedelta(minutes=11))
    assert finaliser(cle, presaisie.numero, "cle-1").status_code == 200
    assert evenements(presaisie) == 1 and RequeteIdempotente.objects.get().statut == 200


def test_a_key_over_255_characters_is_a_422(cle, presaisie):
    response = finaliser(cle, presaisie.numero, "x" * 256)
    assert response.status_code == 422
    assert json.loads(response.content) == {"detail": "L'en-tête Idempotency-Key ne doit pas dépasser 255 caractères."}
    assert evenements(presaisie) == 0 and not RequeteIdempotente.objects.exists()


# -- what is not stored -----------------------------------------------------------------------------------------


def test_a_5xx_is_not_stored_and_the_retry_runs_again(cle, presaisie, monkeypatch):
    def disque_plein(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("documents.services.enregistrer", disque_plein)
    premiere = deposer(cle, presaisie.numero, "cle-1")
    assert premiere.status_code == 503 and "plein" in json.loads(premiere.content)["detail"]
    assert not RequeteIdempotente.objects.exists()
    monkeypatch.undo()
    seconde = deposer(cle, presaisie.numero, "cle-1")
    assert seconde.status_code == 201 and "Idempotency-Replayed" not in seconde
    assert PieceJointe.objects.count() == 1 and RequeteIdempotente.objects.get().statut == 201


def test_an_exception_frees_the_key(cle, presaisie, monkeypatch):
    def panne(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr("dossiers.services.dossier_action", panne)
    with pytest.raises(RuntimeError):
        finaliser(cle, presaisie.numero, "cle-1")
    assert not RequeteIdempotente.objects.exists()
    monkeypatch.undo()
    assert finaliser(cle, presaisie.numero, "cle-1").status_code == 200 and evenements(presaisie) == 1


def test_answers_the_endpoint_did_not_reach_create_no_row(cle, presaisie, settings):
    assert finaliser("ak_faux.faux", presaisie.numero, "cle-1").status_code == 401
    malforme = Client().post(  # no `type`: ninja's validation, before the endpoint
        f"/api/v1/dossiers/{presaisie.numero}/pieces",
        {"fichiers": [SimpleUploadedFile("p.pdf", PDF)]},
        headers={"Authorization": f"Bearer {cle}", "Idempotency-Key": "cle-1"},
    )
    assert malforme.status_code == 422
    settings.API_LIMITE_PAR_MINUTE = 0
    assert finaliser(cle, presaisie.numero, "cle-1").status_code == 429
    assert not RequeteIdempotente.objects.exists()


def test_the_stored_answers_never_hold_the_nir(cle, organisme, adherent):
    dossier = dossier_complet(adherent, prestataire=organisme, brouillon_prestataire=True)
    response = finaliser(cle, dossier.numero, "cle-1")
    assert response.status_code == 200
    stockee = RequeteIdempotente.objects.get()
    assert stockee.corps == response.content.decode() and stockee.type_contenu == response["Content-Type"]
    salarie = Dossier.objects.get(pk=dossier.pk).salarie
    assert salarie.nir.startswith(NIR_13)  # the dossier has one
    assert NIR_13 not in stockee.corps


# -- kept 24 hours ----------------------------------------------------------------------------------------------


def test_keys_are_purged_after_24_hours_by_a_beat_task_and_may_then_be_reused(cle, presaisie, organisme):
    finaliser(cle, presaisie.numero, "ancienne")
    finaliser(cle, presaisie.numero, "recente")
    RequeteIdempotente.objects.filter(cle="ancienne").update(cree_le=timezone.now() - dt.timedelta(hours=25))
    assert purger_requetes_idempotentes() == 1
    assert list(RequeteIdempotente.objects.values_list("cle", flat=True)) == ["recente"]
    planifiee = settings.CELERY_BEAT_SCHEDULE["purger-requetes-idempotentes"]
    assert planifiee["task"] == "dossiers.tasks.purger_requetes_idempotentes"
    # A key older than 24 hours not purged yet is a new request.
    RequeteIdempotente.objects.update(cree_le=timezone.now() - dt.timedelta(hours=25))
    again = finaliser(cle, presaisie.numero, "recente")
    assert again.status_code == 409 and "Idempotency-Replayed" not in again  # ran again: no longer editable


@pytest.fixture
def donnees_des_migrations(transactional_db):
    """A transactional test runs after others whose flush removed the data migrations' rows."""
    ensure_dispositifs()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_twins_one_runs_the_other_is_a_409(donnees_des_migrations, cle, presaisie, monkeypatch):
    """The first request is held inside the endpoint (before its transaction) while its twin arrives: the unique
    constraint's row, committed « en cours », answers the twin 409; the first then finishes alone."""
    import threading

    from django.db import connections

    from dossiers import services

    original = services.dossier_action
    dans_l_endpoint, liberee = threading.Event(), threading.Event()

    def retenue(**kwargs):
        dans_l_endpoint.set()
        assert liberee.wait(10)
        return original(**kwargs)

    monkeypatch.setattr("dossiers.services.dossier_action", retenue)
    reponses = {}

    def premiere():
        try:
            reponses["premiere"] = finaliser(cle, presaisie.numero, "cle-1")
        finally:
            connections.close_all()

    fil = threading.Thread(target=premiere)
    fil.start()
    assert dans_l_endpoint.wait(10)
    jumelle = finaliser(cle, presaisie.numero, "cle-1")
    liberee.set()
    fil.join(10)
    assert jumelle.status_code == 409 and json.loads(jumelle.content)["detail"] == idempotence.MSG_EN_COURS
    assert reponses["premiere"].status_code == 200
    assert evenements(presaisie) == 1
    assert finaliser(cle, presaisie.numero, "cle-1")["Idempotency-Replayed"] == "true"
