"""The Content-Security-Policy (django-csp, portal/settings/base.py) is on every kind of page, the admin's and the
404 included, and it is strict for scripts: our own files only, no inline code, no eval; no template keeps an
hx-on attribute or an inline <script> (they would need 'unsafe-inline')."""

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from dossiers.enums import DossierState, OngletDossier
from dossiers.models import Dossier
from dossiers.workflow import DEMANDER_COMPLEMENTS
from tests.complet import dossier_complet
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HX_ON = re.compile(r"\bhx-on[:-]")
ATTENDU = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    entete = response.headers.get("Content-Security-Policy")
    assert entete, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in entete.split(";")) if d}


def assert_strict(response, status=200):
    assert response.status_code == status, response.request["PATH_INFO"]
    politique = directives(response)
    for nom, valeur in ATTENDU.items():
        assert politique.get(nom) == valeur, (response.request["PATH_INFO"], nom, politique.get(nom))
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    # Every script of the page is a file: nothing inline for the policy to block.
    page = response.content.decode()
    for balise in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in balise or 'type="application/json"' in balise, balise
    assert not HX_ON.search(page)


@pytest.fixture
def dossier(adherent):
    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)
    return dossier_complet(adherent)


def test_every_page_kind_of_the_adherent(client, adherent, dossier):
    assert_strict(client.get("/connexion/"))
    client.force_login(adherent)
    for url in ["/", "/dossiers/", "/brouillons/", "/notifications/"]:
        assert_strict(client.get(url))
    assert_strict(client.get("/nouvelle-demande/", follow=True))  # the wizard's first step
    for onglet in OngletDossier:
        assert_strict(client.get(f"/dossiers/{dossier.pk}/{onglet.value}/"))
    assert_strict(client.get("/page-qui-n-existe-pas/"), status=404)


def test_every_page_kind_of_the_back_office(gestionnaire, adherent, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(
        state=DossierState.TRANSMIS, transmis_le=timezone.now() - dt.timedelta(days=1)
    )
    akto = client_for(gestionnaire)
    assert_strict(akto.get("/admin/"))
    assert_strict(akto.get("/admin/dossiers/dossier/"))
    assert_strict(akto.get(f"/admin/dossiers/dossier/{dossier.pk}/change/"))
    assert_strict(akto.get(f"/admin/dossiers/dossier/{dossier.pk}/decision/{DEMANDER_COMPLEMENTS}/"))


def test_no_template_has_inline_code():
    for gabarit in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        source = gabarit.read_text()
        assert not HX_ON.search(source), gabarit
        for balise in re.findall(r"<script\b[^>]*>", source):
            # A JSON data block (the API docs' settings, templates/ninja/swagger.html) is data, never run.
            assert "src=" in balise or 'type="application/json"' in balise, (gabarit, balise)
        assert not re.search(r"\son[a-z]+=", source), gabarit
