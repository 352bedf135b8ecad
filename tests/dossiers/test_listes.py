"""*Dossiers* and *Brouillons*: contents, filters, search, sort, pagination, constant query count."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.enums import DossierState
from dossiers.models import Dossier
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def numeros(response):
    return re.findall(r"<td>(CP\d+)</td>", response.content.decode())


@pytest.fixture
def etablissement(adherent):
    return adherent.rattachements.get().etablissement


def test_brouillons_lists_drafts_and_dossiers_the_rest(adherent, etablissement):
    draft = DossierFactory(etablissement=etablissement)
    reprise = DossierFactory(etablissement=etablissement, a_reprendre=True)
    sent = DossierFactory(etablissement=etablissement, transmis=True)
    DossierFactory(etablissement=etablissement, state=DossierState.REFUSE_PAR_ADHERENT)
    DossierFactory()  # another company's
    client = client_for(adherent)
    assert set(numeros(client.get("/brouillons/"))) == {draft.numero, reprise.numero}
    assert numeros(client.get("/dossiers/")) == [sent.numero]


def test_columns_and_eye_link(adherent, etablissement):
    dossier = DossierFactory(etablissement=etablissement, parts={"salarie": {"nom_naissance": "Doe", "prenom": "Jane"}})
    page = html.unescape(client_for(adherent).get("/brouillons/").content.decode())
    for column in ["Numéro", "Dep", "Formation", "Début", "Fin", "Entreprise", "Bénéficiaire", "Etat"]:
        assert f">{column}" in page
    assert "Jane DOE" in page
    assert "CPRO" in page
    assert f'href="/dossiers/{dossier.pk}/"' in page
    assert "Créer un nouveau dossier" in page


def test_filter_by_etat_and_search(adherent, etablissement):
    draft = DossierFactory(etablissement=etablissement, parts={"salarie": {"nom_naissance": "Martin"}})
    reprise = DossierFactory(etablissement=etablissement, a_reprendre=True)
    client = client_for(adherent)
    assert numeros(client.get("/brouillons/", {"etat": "a_reprendre"})) == [reprise.numero]
    assert numeros(client.get("/brouillons/", {"q": "mart"})) == [draft.numero]
    assert numeros(client.get("/brouillons/", {"q": reprise.numero})) == [reprise.numero]
    # An état that does not belong to the page is ignored, not an error.
    assert len(numeros(client.get("/brouillons/", {"etat": "transmis"}))) == 2


def test_sort_and_pagination(adherent, etablissement):
    for name in ["Bernard", "Aubert", "Colin"]:
        DossierFactory(etablissement=etablissement, parts={"salarie": {"nom_naissance": name}})
    client = client_for(adherent)
    page = client.get("/brouillons/", {"tri": "beneficiaire"}).content.decode()
    assert page.index("AUBERT") < page.index("BERNARD") < page.index("COLIN")
    page = client.get("/brouillons/", {"tri": "-beneficiaire"}).content.decode()
    assert page.index("COLIN") < page.index("AUBERT")
    assert client.get("/brouillons/", {"tri": "password"}).status_code == 200  # unknown sort ignored
    DossierFactory.create_batch(20, etablissement=etablissement)
    assert len(numeros(client.get("/brouillons/"))) == 20
    assert len(numeros(client.get("/brouillons/", {"page": 2}))) == 3
    assert "Page 1 sur 2" in client.get("/brouillons/").content.decode()


def test_htmx_request_returns_the_results_partial(adherent, etablissement):
    DossierFactory(etablissement=etablissement)
    response = client_for(adherent).get("/brouillons/", HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<div id="resultats">')


@pytest.mark.parametrize("url", ["/brouillons/", "/dossiers/"])
def test_query_count_does_not_depend_on_the_number_of_rows(adherent, etablissement, url):
    state = DossierState.BROUILLON if url == "/brouillons/" else DossierState.TRANSMIS
    client = client_for(adherent)
    DossierFactory.create_batch(2, etablissement=etablissement, state=state)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    DossierFactory.create_batch(25, etablissement=etablissement, state=state)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(numeros(response)) == 20
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_accueil_counters(adherent, etablissement):
    DossierFactory.create_batch(2, etablissement=etablissement)
    DossierFactory(etablissement=etablissement, a_reprendre=True)
    DossierFactory(etablissement=etablissement, transmis=True)
    DossierFactory(state=DossierState.BROUILLON)  # not mine
    page = html.unescape(client_for(adherent).get("/").content.decode())
    assert re.search(r'data-counter="brouillons">3<', page)
    assert re.search(r'data-counter="transmis">1<', page)
    assert re.search(r'data-counter="a_valider">1<', page)
    assert 'data-counter="a_completer"' not in page  # shown only when AKTO sent something back
    DossierFactory(etablissement=etablissement, state=DossierState.A_COMPLETER)
    page = html.unescape(client_for(adherent).get("/").content.decode())
    assert re.search(r'data-counter="a_completer">1<', page) and "?etat=a_completer" in page
    assert 'href="/brouillons/?etat=a_reprendre"' in page
    assert "demande(s) à valider" in page
    assert "Créer un nouveau dossier" in page


# The queries of a list page, whatever the number of dossiers: the user, the count, the bell's unread count, the
# page's rows. The session comes from the cache (cached_db) and so do the user's establishments once read
# (dossiers.acces.etablissements_de).
REQUETES_LISTE = 4


@pytest.mark.parametrize("url", ["/brouillons/", "/dossiers/"])
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "martin"}, {"tri": "-beneficiaire"}, {"tri": "entreprise", "q": "martin", "page": "2"}],
    ids=["defaut", "recherche", "tri", "tri-recherche-page-2"],
)
def test_query_count_snapshot(adherent, etablissement, url, params, django_assert_num_queries):
    state = DossierState.BROUILLON if url == "/brouillons/" else DossierState.TRANSMIS
    client = client_for(adherent)
    client.get(url)  # warm the session
    martin = {"salarie": {"nom_naissance": "Martin"}}
    for total in (2, 30):
        DossierFactory.create_batch(
            total - Dossier.objects.count(), etablissement=etablissement, state=state, parts=martin
        )
        with django_assert_num_queries(REQUETES_LISTE):
            response = client.get(url, params)
        assert response.status_code == 200
        assert f"{total} dossier(s)" in response.content.decode()


def test_filter_url_carries_each_parameter_once_and_drops_empty_ones(adherent, etablissement):
    # Issue 20: the form's GET used to add its fields to the current address at every submit.
    reprise = DossierFactory(etablissement=etablissement, a_reprendre=True)
    DossierFactory(etablissement=etablissement)
    client = client_for(adherent)
    response = client.get("/brouillons/?etat=&q=&tri=&etat=a_reprendre&q=&tri=numero&q=")
    assert response.status_code == 302 and response["Location"] == "/brouillons/?etat=a_reprendre&tri=numero"
    assert client.get("/brouillons/?etat=&q=&tri=")["Location"] == "/brouillons/"
    response = client.get(response["Location"])
    assert response.status_code == 200 and numeros(response) == [reprise.numero]
    page = html.unescape(response.content.decode())
    assert 'href="/brouillons/?etat=a_reprendre&tri=-numero"' in page  # the sort links: once each, none empty
    assert 'href="/brouillons/?tri=' not in page and "q=&" not in page and "etat=&" not in page
    assert 'action="/brouillons/"' in page and 'hx-get="/brouillons/"' in page  # not the current address


def test_htmx_filter_pushes_the_clean_url(adherent, etablissement):
    DossierFactory(etablissement=etablissement, a_reprendre=True)
    client = client_for(adherent)
    response = client.get("/brouillons/?etat=a_reprendre&q=&tri=&etat=a_reprendre&q=%20%20", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/brouillons/?etat=a_reprendre"
    response = client.get("/brouillons/", {"etat": "", "q": "", "tri": ""}, HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/brouillons/"
