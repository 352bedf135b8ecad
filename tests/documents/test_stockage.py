"""Storage failures on upload: a full or read-only disk is said in French under the field; no file nor row left."""

import errno
import os
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

from documents import stockage
from documents.models import PieceJointe
from dossiers.models import Dossier
from tests.conftest import client_for

from .conftest import fichier, pdf
from .test_views import deposer

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(adherent):
    from dossiers.models import ModuleFormation
    from tests.factories import DossierFactory

    etablissement = adherent.rattachements.get().etablissement
    d = DossierFactory(etablissement=etablissement, created_by=adherent)
    ModuleFormation.objects.create(formation=d.formation, ordre=1, type="externe")
    return d


@pytest.fixture
def client(adherent):
    return client_for(adherent)


@pytest.fixture
def disque(settings, tmp_path) -> Path:
    """The documents on a real disk folder (the portal's storage), not in memory."""
    settings.STORAGES = {
        "default": {"BACKEND": "documents.stockage.StockageDisque", "OPTIONS": {"location": tmp_path}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return tmp_path


def fichiers_sur_disque(racine: Path) -> list[Path]:
    return [p for p in racine.rglob("*") if p.is_file()]


def texte(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_upload_on_the_disk_storage_stores_a_whole_file(client, dossier, disque):
    contenu = pdf(b"x" * 300_000)
    assert deposer(client, dossier, "PROGRAMME", fichier("p.pdf", contenu)).status_code == 200
    (stocke,) = fichiers_sur_disque(disque)
    assert stocke.read_bytes() == contenu and not stocke.name.startswith(".part-")
    assert PieceJointe.objects.get().fichier.name == stocke.relative_to(disque).as_posix()


def test_full_disk_says_so_under_the_field_and_leaves_no_partial_file_nor_row(client, dossier, disque, monkeypatch):
    ecrire = os.write
    appels = []

    def disque_plein(fd, donnees):
        appels.append(fd)
        if len(appels) > 1:  # the first chunk is written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return ecrire(fd, bytes(donnees)[:1000])

    monkeypatch.setattr(stockage.os, "write", disque_plein)
    response = deposer(client, dossier, "PROGRAMME", fichier("programme.pdf", pdf(b"x" * 300_000)))
    assert response.status_code == 400
    html = texte(response)
    assert 'id="type-PROGRAMME"' in html
    assert stockage.MSG_DISQUE_PLEIN in html
    assert len(appels) > 1
    assert fichiers_sur_disque(disque) == []
    assert not PieceJointe.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_full_disk_on_the_second_file_removes_the_first_one(client, dossier, disque, monkeypatch):
    ecrire = os.write
    appels = []

    def plein_au_second(fd, donnees):  # each small file is one write: the second file finds the disk full
        appels.append(fd)
        if len(appels) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return ecrire(fd, donnees)

    monkeypatch.setattr(stockage.os, "write", plein_au_second)
    response = deposer(client, dossier, "PROGRAMME", fichier("a.pdf", pdf()), fichier("b.pdf", pdf()))
    assert response.status_code == 400 and stockage.MSG_DISQUE_PLEIN in texte(response)
    assert fichiers_sur_disque(disque) == []
    assert not PieceJointe.objects.exists()


def test_read_only_disk_says_so_under_the_field_and_stores_nothing(client, dossier, disque, monkeypatch):
    disque.chmod(0o555)
    if os.geteuid() == 0:  # root writes in a read-only folder: the kernel's answer on a read-only mount, then
        monkeypatch.setattr(stockage.tempfile, "mkstemp", lambda **kw: (_ for _ in ()).throw(OSError(errno.EROFS, "")))
    try:
        response = deposer(client, dossier, "PROGRAMME", fichier("programme.pdf", pdf()))
    finally:
        disque.chmod(0o755)
    assert response.status_code == 400
    assert stockage.MSG_STOCKAGE in texte(response)
    assert fichiers_sur_disque(disque) == []
    assert not PieceJointe.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_a_failed_row_write_removes_the_stored_file(client, dossier, disque, monkeypatch):
    def refus(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(PieceJointe, "save", refus)
    client.raise_request_exception = False
    response = deposer(client, dossier, "PROGRAMME", fichier("programme.pdf", pdf()))
    assert response.status_code == 500
    assert fichiers_sur_disque(disque) == []


def test_a_failed_transaction_after_the_write_removes_the_stored_files(client, dossier, disque, monkeypatch):
    from dossiers import services as dossiers_services

    vrai = dossiers_services.ecrire_sous_verrou

    def commit_refuse(dossier, version, ecrire):
        vrai(dossier, version, ecrire)
        raise DatabaseError("commit refusé")

    monkeypatch.setattr(dossiers_services, "ecrire_sous_verrou", commit_refuse)
    client.raise_request_exception = False
    response = deposer(client, dossier, "PROGRAMME", fichier("programme.pdf", pdf()))
    assert response.status_code == 500
    assert fichiers_sur_disque(disque) == []


def test_the_tab_still_opens(client, dossier, disque):
    assert client.get(reverse("dossier_onglet", args=[dossier.pk, "documents"])).status_code == 200


def test_a_file_system_without_hard_links_stores_the_whole_file(client, dossier, disque, monkeypatch):
    def sans_liens(source, destination):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(stockage.os, "link", sans_liens)
    contenu = pdf(b"y" * 1000)
    assert deposer(client, dossier, "PROGRAMME", fichier("p.pdf", contenu)).status_code == 200
    (stocke,) = fichiers_sur_disque(disque)
    assert stocke.read_bytes() == contenu
    assert PieceJointe.objects.get().fichier.name == stocke.relative_to(disque).as_posix()
