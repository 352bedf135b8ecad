"""Through the real Celery worker and Redis that .ci/run starts (deselected without REDIS_URL).

The worker uses the test database (.ci/run points its DATABASE_URL at test_portail) and writes its e-mails
as files in EMAIL_FILE_PATH: these tests commit for real and watch the rows and the files.
"""

import email
import email.policy
import os
import time
from pathlib import Path

import pytest

from notifications.models import EmailStatut, Notification
from notifications.tasks import relancer_notifications
from portal.celery import app
from tests.conftest import ensure_dispositifs
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

from .outils import broker, plus_tard, port_libre, transmettre

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vrai_worker():
    ensure_dispositifs()
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def adherent_etablissement():
    adherent, etablissement = UserFactory(), EtablissementFactory()
    attach(adherent, etablissement)
    return adherent, etablissement


def attendre(condition, timeout=60):
    fin = time.monotonic() + timeout
    while time.monotonic() < fin:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("le worker n'a pas fini à temps")


def emails_du_worker(numero: str, depuis: float) -> list[email.message.EmailMessage]:
    """The messages the worker wrote (filebased backend) about dossier ``numero`` since ``depuis``.

    Dossier numbers repeat from one test session to the next: only this test's files count.
    """
    dossier_emails = Path(os.environ.get("EMAIL_FILE_PATH", "/nonexistent"))
    messages = []
    for fichier in dossier_emails.glob("*.log"):
        if fichier.stat().st_mtime < depuis:
            continue
        for brut in fichier.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if brut.strip():
                message = email.message_from_bytes(brut, policy=email.policy.default)
                if f"Dossier n° {numero}\n" in message.get_content():
                    messages.append(message)
    return messages


def test_one_notification_delivered_by_the_real_worker(adherent_etablissement):
    debut = time.time()
    adherent, etablissement = adherent_etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent)
    (notification,) = transmettre(dossier, adherent)  # commit → on_commit → Redis → worker → SMTP (files)
    attendre(lambda: Notification.objects.get(pk=notification.pk).email_statut == EmailStatut.ENVOYE)
    notification.refresh_from_db()
    assert notification.email_tentatives == 1 and notification.email_envoye_le is not None
    if "EMAIL_FILE_PATH" in os.environ:
        (message,) = emails_du_worker(dossier.numero, debut)
        assert message["To"] == adherent.email
        assert dossier.numero in message["Subject"]


def test_redis_unreachable_then_the_workers_sweep_delivers_20_once(adherent_etablissement):
    debut = time.time()
    adherent, etablissement = adherent_etablissement
    dossiers = DossierFactory.create_batch(20, etablissement=etablissement, created_by=adherent)
    with broker(f"redis://127.0.0.1:{port_libre()}/0"):  # this process cannot reach any broker
        for dossier in dossiers:
            transmettre(dossier, adherent)
    assert Notification.objects.filter(email_statut=EmailStatut.EN_ATTENTE).count() == 20
    plus_tard()
    # Redis reachable again: the sweep runs on the real worker, as celery beat would send it.
    assert relancer_notifications.apply_async(ignore_result=False).get(timeout=120) == 20
    assert relancer_notifications.apply_async(ignore_result=False).get(timeout=60) == 0
    assert Notification.objects.filter(email_statut=EmailStatut.ENVOYE, email_tentatives=1).count() == 20
    if "EMAIL_FILE_PATH" in os.environ:
        assert [len(emails_du_worker(d.numero, debut)) for d in dossiers] == [1] * 20
