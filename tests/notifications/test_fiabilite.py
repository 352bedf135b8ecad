"""Issue 8's reliability test: Redis stopped while 20 dossiers are transmitted, then back.

Every transmission succeeds (the broker's refusal is real: nothing listens on the port), the 20 rows wait;
once Redis is back, new notifications are queued again, and the sweep delivers the 20 exactly once. Real
commits (``transaction=True``): the e-mails are scheduled by ``transaction.on_commit`` as in production.
The sending runs in-process here; ``test_worker.py`` proves the same path through a real worker.
"""

import base64
import json
import logging
import time

import pytest
from django.core import mail

from dossiers.enums import DossierState
from dossiers.models import Dossier
from notifications.models import EmailStatut, Notification
from notifications.tasks import relancer_notifications
from portal.celery import app
from tests.conftest import ensure_dispositifs
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

from .outils import broker, plus_tard, port_libre, redis_server, transmettre

pytestmark = pytest.mark.django_db(transaction=True)


def test_redis_down_20_transmissions_succeed_then_the_sweep_delivers_each_once(caplog):
    caplog.set_level(logging.WARNING, logger="notifications")
    ensure_dispositifs()
    adherent = UserFactory()
    etablissement = EtablissementFactory()
    attach(adherent, etablissement)
    dossiers = DossierFactory.create_batch(20, etablissement=etablissement, created_by=adherent)
    port = port_libre()

    with broker(f"redis://127.0.0.1:{port}/0"):
        debut = time.monotonic()
        for dossier in dossiers:
            transmettre(dossier, adherent)  # commits; scheduling fails after commit and is swallowed
        duree = time.monotonic() - debut

        assert Dossier.objects.filter(state=DossierState.TRANSMIS).count() == 20
        assert Notification.objects.filter(email_statut=EmailStatut.EN_ATTENTE, email_tentatives=0).count() == 20
        assert mail.outbox == []
        assert duree < 20  # nobody waited on the missing broker (a retrying publish takes seconds each)
        assert caplog.text.count("non planifié (OperationalError)") == 20
        assert adherent.email not in caplog.text

        with redis_server(port) as redis:
            # Redis is back: the next transmission's e-mail is queued at once, as usual.
            (suivante,) = transmettre(DossierFactory(etablissement=etablissement, created_by=adherent), adherent)
            (message,) = [json.loads(m) for m in redis.lrange("celery", 0, -1)]
            assert message["headers"]["task"] == "notifications.tasks.envoyer_notification"
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            assert args == [suivante.pk]

            plus_tard()  # a minute later, celery beat runs the sweep
            assert relancer_notifications() == 21
            plus_tard()
            assert relancer_notifications() == 0  # a second sweep sends nothing again
            # The queued task is then delivered by the worker: the row is sent, it sends nothing.
            assert app.tasks[message["headers"]["task"]](*args) is False

    assert Notification.objects.filter(email_statut=EmailStatut.ENVOYE, email_tentatives=1).count() == 21
    numeros = sorted(d.numero for d in Dossier.objects.all())
    envoyes = sorted(n for m in mail.outbox for n in numeros if f"Dossier n° {n}\n" in m.body)
    assert envoyes == numeros  # 21 e-mails, one per dossier
    assert all(m.to == [adherent.email] for m in mail.outbox)
