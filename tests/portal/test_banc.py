"""The load test's additions (portal/banc.py, under portal.settings.banc only): the bare baseline view and the
headers numbering a worker's requests and timing them."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def banc(settings):
    settings.ROOT_URLCONF = "portal.banc"
    settings.MIDDLEWARE = ["portal.banc.NumeroDeRequete", *settings.MIDDLEWARE]


def test_the_baseline_needs_a_login_and_writes_one_row(banc, db, django_assert_num_queries):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/_banc/temoin/").status_code == 403  # no CSRF token
    client = Client()
    assert client.post("/_banc/temoin/").status_code == 302  # login_required
    user = UserFactory()
    client.force_login(user)
    with django_assert_num_queries(2):  # the user, the UPDATE (the session comes from the cache: cached_db)
        reponse = client.post("/_banc/temoin/")
    assert reponse.status_code == 200 and reponse.content == b"ok"
    user.refresh_from_db()
    assert user.last_login is not None


def test_each_answer_says_which_request_of_its_worker_it_is(banc, db):
    client = Client()
    premier = client.get("/connexion/")["X-Banc-Requete"]
    second = client.get("/connexion/")["X-Banc-Requete"]
    pid, n = premier.split("/")
    assert second == f"{pid}/{int(n) + 1}"
    assert client.get("/connexion/")["Server-Timing"].startswith("app;dur=")  # the time inside Django
