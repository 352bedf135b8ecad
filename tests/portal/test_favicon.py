"""The favicon (issue 20): browsers ask /favicon.ico on every page; it answers, and every page links the icon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ICONE = "portal/img/favicon.svg"


def test_favicon_ico_redirects_to_the_static_icon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("portal/img/favicon.svg")
    assert finders.find(ICONE)


def test_portal_and_admin_pages_link_the_icon(adherent, gestionnaire):
    lien = 'rel="icon" href="/static/portal/img/favicon.svg"'
    assert lien in Client().get("/connexion/").content.decode()
    assert lien in client_for(adherent).get("/").content.decode()
    assert lien in client_for(gestionnaire).get("/admin/").content.decode()
    assert lien in client_for(gestionnaire).get("/admin/dossiers/dossier/").content.decode()
