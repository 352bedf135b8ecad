"""Fixtures of the documents tests: the document types, a fresh in-memory storage, files built in memory."""

import importlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.sniffing import OLE2, PNG


@pytest.fixture(autouse=True)
def types_document(db):
    """The types come from a data migration: make sure they exist with ``--no-migrations`` too."""
    from django.apps import apps

    importlib.import_module("documents.migrations.0003_convention_tripartite").load_tous(apps, None)


@pytest.fixture(autouse=True)
def stockage_neuf(settings):
    """A new in-memory storage per test: what a test stores (or not) is seen in isolation."""
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pdf(corps=b"1 0 obj<< /Type /Catalog >>endobj\n") -> bytes:
    return b"%PDF-1.4\n" + corps + b"trailer<< /Root 1 0 R >>\n%%EOF\n"


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 200 + b"\xff\xd9"


def png() -> bytes:
    return PNG + b"\x00\x00\x00\rIHDR" + b"\x00" * 17 + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def ole2(flux: str) -> bytes:
    return OLE2 + b"\x00" * 1000 + flux.encode("utf-16-le") + b"\x00" * 1000


def zip_bytes(membres: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom, contenu in membres.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


def docx() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def csv_bytes() -> bytes:
    return "nom;prénom;heures\nDupont;Jean;400\nDurand;Léa;350\n".encode()


def fichier(nom: str, contenu: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type=content_type)


VALIDES = {
    "programme.pdf": pdf,
    "photo.jpg": jpeg,
    "scan.jpeg": jpeg,
    "capture.png": png,
    "budget.xls": lambda: ole2("Workbook"),
    "convention.doc": lambda: ole2("WordDocument"),
    "convention.docx": docx,
    "budget.xlsx": xlsx,
    "heures.csv": csv_bytes,
    "PROGRAMME.PDF": pdf,
}
