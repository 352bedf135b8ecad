"""Test helpers for notifications: a transmission that notifies, a broker switch, a real Redis, a failing SMTP."""

from __future__ import annotations

import shutil
import smtplib
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from dossiers.workflow import TRANSMETTRE, fire
from notifications.models import EmailStatut, Notification
from portal.celery import app


def transmettre(dossier, user):
    """*Transmettre*: the transition writes its notifications (the outbox) in its own transaction."""
    with transaction.atomic():
        evenement = fire(dossier, TRANSMETTRE, user=user)
    return list(Notification.objects.filter(dossier_evenement=evenement).order_by("pk"))


def plus_tard(delai: timedelta = timedelta(seconds=1)) -> None:
    """Time passes: every pending e-mail's next attempt is due."""
    Notification.objects.filter(email_statut=EmailStatut.EN_ATTENTE).update(email_prochain_essai=timezone.now() - delai)


@contextmanager
def broker(url: str):
    """Publish tasks to ``url`` for real (not eagerly), with fresh connections; restored afterwards."""
    ancien, eager = app.conf.broker_url, app.conf.task_always_eager
    app.close()  # drop pooled connections to the previous broker
    app.conf.broker_url, app.conf.task_always_eager = url, False
    try:
        yield
    finally:
        app.close()
        app.conf.broker_url, app.conf.task_always_eager = ancien, eager


def port_libre() -> int:
    """A TCP port nothing listens on (ephemeral range, never CI's 6390 nor the default 6379)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_server(port: int):
    """A throw-away redis-server on ``port`` (Debian's package, which the test suite needs), stopped afterwards."""
    import redis

    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("Ce test démarre un vrai Redis : installez le paquet Debian redis-server.")
    args = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError("redis-server n'a pas démarré")
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


class EchecBackend(BaseEmailBackend):
    """An SMTP server that never answers."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
