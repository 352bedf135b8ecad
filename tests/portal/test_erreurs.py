"""The error pages, in production (DEBUG=False): French, self-contained (500.html needs no request, no database)."""

import pytest
from django.test import RequestFactory
from django.views import defaults

from tests.conftest import client_for
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_unknown_page_answers_404_in_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode().replace("&#x27;", "'")
    assert '<html lang="fr">' in html and "Page introuvable" in html
    assert "La page demandée n'existe pas" in html and "Retour à l'accueil" in html
    assert "Not Found" not in html and "INVALID_TEMPLATE_VARIABLE" not in html


@pytest.mark.django_db
def test_a_dossier_one_cannot_see_answers_the_french_404(settings):
    from django.urls import reverse

    from tests.factories import DossierFactory

    dossier = DossierFactory()
    response = client_for(UserFactory()).get(reverse("dossier_onglet", args=[dossier.pk, "contrat"]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_a_failing_view_answers_500_in_french(settings, client):
    settings.ROOT_URLCONF = "tests.portal.urls_panne"
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert response.status_code == 500
    html = response.content.decode().replace("&#x27;", "'")
    assert '<html lang="fr">' in html and "Une erreur est survenue" in html
    assert "Le portail n'a pas pu traiter votre demande" in html
    assert "Server Error" not in html and "INVALID_TEMPLATE_VARIABLE" not in html


def test_the_500_page_renders_without_database_nor_request_context():
    """No ``db`` mark: any query would fail. Django renders 500.html with an empty context."""
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
