"""An htmx request of a signed-out user gets a 401 (nothing swapped), not the login page (portal/connexion.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import DossierFactory


@pytest.mark.django_db
def test_an_htmx_request_signed_out_gets_401_and_a_page_still_the_login_redirect():
    dossier = DossierFactory()
    client = Client()
    url = f"/dossiers/{dossier.pk}/employeur/"
    reponse = client.post(url, {"version": 1}, headers={"HX-Request": "true"})
    assert reponse.status_code == 401
    assert reponse.content.decode() == "Votre session a expiré : veuillez vous reconnecter."
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 401
    page = client.get(url)  # a plain page: the login page, as before
    assert page.status_code == 302 and page["Location"].startswith("/connexion/")
