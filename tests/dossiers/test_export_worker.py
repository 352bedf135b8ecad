"""« Exporter en CSV » through the real Celery worker and Redis that .ci/run starts (deselected without them).

The web request only creates the job and enqueues it after commit; the worker (another process, the test
database, the same private exports folder) writes the file; the progress page then offers it.
"""

import time

import pytest
from django.utils import timezone

from dossiers.enums import DossierState, EtatExport
from dossiers.models import Dossier, ExportDossiers
from portal.celery import app
from tests.conftest import client_for, ensure_dispositifs
from tests.factories import DossierFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EXPORT = "/admin/dossiers/dossier/export/"


@pytest.fixture(autouse=True)
def vrai_worker():
    ensure_dispositifs()
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_the_worker_writes_the_export_the_page_offers(gestionnaire):
    dossiers = [DossierFactory(state=DossierState.TRANSMIS) for _ in range(3)]
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(transmis_le=timezone.now())
    client = client_for(gestionnaire)
    response = client.post(EXPORT)  # commit → on_commit → Redis → worker
    job = ExportDossiers.objects.get()
    assert response.status_code == 302 and response.url == f"{EXPORT}{job.pk}/"
    fin = time.monotonic() + 60
    while ExportDossiers.objects.get(pk=job.pk).etat != EtatExport.PRET:
        assert time.monotonic() < fin, "le worker n'a pas fini à temps"
        assert ExportDossiers.objects.get(pk=job.pk).etat != EtatExport.ECHEC
        time.sleep(0.2)
    assert "Le fichier est prêt : 3 / 3 lignes." in client.get(response.url).content.decode()
    contenu = b"".join(client.get(f"{EXPORT}{job.pk}/fichier/").streaming_content).decode("utf-8")
    assert all(f"{d.numero};" in contenu for d in dossiers)
