"""Login throttling (django-axes) and sessions: portal/connexion.py, the session and axes settings."""

import html
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.connexion import CLE_CONNEXION, CLE_VU, MESSAGE_SESSION_EXPIREE, message_verrouillage
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMITE = settings.AXES_FAILURE_LIMIT
MESSAGE = "Trop de tentatives de connexion infructueuses"


def page(response) -> str:
    return html.unescape(response.content.decode())


def essai(client, email, password, url="/connexion/", **extra):
    return client.post(url, {"username": email, "password": password}, **extra)


def connecte(client) -> bool:
    return client.get("/").status_code == 200


# -- throttling ---------------------------------------------------------------------------------------------------


def test_the_settings_lock_after_five_failures_for_fifteen_minutes():
    assert LIMITE == 5 and settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert message_verrouillage() == (
        "Trop de tentatives de connexion infructueuses : la connexion est bloquée pendant 15 minutes. "
        "Réessayez plus tard ou contactez votre gestionnaire AKTO."
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused_in_french():
    UserFactory(email="claire@exemple.test")
    client = Client()
    for _ in range(LIMITE - 1):
        response = essai(client, "claire@exemple.test", "faux")
        assert response.status_code == 200 and "Adresse e-mail ou mot de passe incorrect." in page(response)
    response = essai(client, "claire@exemple.test", "faux")  # the Nth locks
    assert response.status_code == 429 and message_verrouillage() in page(response)
    assert 'name="username"' in page(response)  # the login page itself, where the user looks
    for _ in range(30 - LIMITE):
        essai(client, "claire@exemple.test", "faux")
    response = essai(client, "claire@exemple.test", PASSWORD)
    assert response.status_code == 429 and message_verrouillage() in page(response)
    assert not connecte(client)
    # Recorded: the attempt (the counter) and every failure, the refused right password included.
    assert AccessAttempt.objects.get(username="claire@exemple.test").failures_since_start >= LIMITE
    assert AccessFailureLog.objects.filter(username="claire@exemple.test").count() == 31


def test_the_account_is_locked_whatever_the_address_and_the_case():
    UserFactory(email="claire@exemple.test")
    for n in range(LIMITE):
        essai(Client(), "Claire@Exemple.test" if n % 2 else "claire@exemple.test", "faux", REMOTE_ADDR=f"10.0.0.{n}")
    response = essai(Client(), "claire@exemple.test", PASSWORD, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429 and message_verrouillage() in page(response)


def test_one_address_trying_many_accounts_is_locked():
    comptes = [UserFactory() for _ in range(LIMITE + 1)]
    for compte in comptes[:LIMITE]:
        essai(Client(), compte.email, "faux", REMOTE_ADDR="203.0.113.7")
    response = essai(Client(), comptes[-1].email, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and message_verrouillage() in page(response)
    # Another address is not concerned.
    client = Client(REMOTE_ADDR="198.51.100.1")
    assert essai(client, comptes[-1].email, PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_counter():
    UserFactory(email="claire@exemple.test")
    client = Client()
    for _ in range(LIMITE - 1):
        essai(client, "claire@exemple.test", "faux")
    assert essai(client, "claire@exemple.test", PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username="claire@exemple.test").exists()  # the successful login, logged
    client.post("/deconnexion/")
    for _ in range(LIMITE - 1):
        essai(client, "claire@exemple.test", "faux")
    assert essai(client, "claire@exemple.test", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off():
    UserFactory(email="claire@exemple.test")
    for _ in range(LIMITE):
        essai(Client(), "claire@exemple.test", "faux")
    # 14 minutes later: still locked.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert essai(Client(), "claire@exemple.test", PASSWORD).status_code == 429
    # The last failure is now more than 15 minutes old.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    client = Client()
    assert essai(client, "claire@exemple.test", PASSWORD).status_code == 302 and connecte(client)


def test_a_gestionnaire_unlocks_in_the_back_office(gestionnaire):
    UserFactory(email="claire@exemple.test")
    for _ in range(LIMITE):
        essai(Client(), "claire@exemple.test", "faux")
    assert essai(Client(), "claire@exemple.test", PASSWORD).status_code == 429
    back_office = client_for(gestionnaire)
    liste = back_office.get("/admin/axes/accessattempt/")
    assert liste.status_code == 200 and "claire@exemple.test" in page(liste)
    assert back_office.get("/admin/axes/accesslog/").status_code == 200
    assert back_office.get("/admin/axes/accessfailurelog/").status_code == 200
    tentative = AccessAttempt.objects.get(username="claire@exemple.test")
    response = back_office.post(f"/admin/axes/accessattempt/{tentative.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    client = Client()
    assert essai(client, "claire@exemple.test", PASSWORD).status_code == 302 and connecte(client)


def test_the_admin_login_is_throttled_too(gestionnaire):
    for _ in range(LIMITE - 1):
        essai(Client(), gestionnaire.email, "faux", url="/admin/login/")
    response = essai(Client(), gestionnaire.email, "faux", url="/admin/login/")
    assert response.status_code == 429 and message_verrouillage() in page(response)
    client = Client()
    response = essai(client, gestionnaire.email, PASSWORD, url="/admin/login/")
    assert response.status_code == 429 and message_verrouillage() in page(response)
    assert client.get("/admin/").status_code == 302  # not signed in
    # The portal's login page is locked for that account as well.
    assert essai(Client(), gestionnaire.email, PASSWORD).status_code == 429


# -- sessions -----------------------------------------------------------------------------------------------------


def connexion(email="claire@exemple.test") -> Client:
    UserFactory(email=email)
    client = Client()
    assert essai(client, email, PASSWORD).status_code == 302
    return client


def ligne(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_session_cookie_ends_with_the_browser_and_the_session_after_two_idle_hours():
    client = Client()
    UserFactory(email="claire@exemple.test")
    response = essai(client, "claire@exemple.test", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"]
    assert abs((ligne(client).expire_date - timezone.now()) - timedelta(hours=2)) < timedelta(minutes=1)


def test_a_request_pushes_the_idle_expiry_back_once_a_minute():
    client = connexion()
    session = client.session
    session[CLE_VU] = int(time.time()) - settings.SESSION_RAFRAICHISSEMENT
    session.save()
    Session.objects.filter(pk=ligne(client).pk).update(expire_date=timezone.now() + timedelta(minutes=10))
    cache.clear()
    assert connecte(client)
    assert ligne(client).expire_date - timezone.now() > timedelta(hours=1, minutes=59)
    # Within the minute: the session is not written again.
    with CaptureQueriesContext(connection) as capture:
        assert connecte(client)
    assert not [q for q in capture.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_two_idle_hours_end_the_session():
    client = connexion()
    Session.objects.filter(pk=ligne(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # what 2 hours leave in the cache too: nothing (its timeout is the session's age)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def vieillir(client, secondes):
    session = client.session
    session[CLE_CONNEXION] = int(time.time()) - secondes
    session.save()


def test_a_session_ends_twelve_hours_after_its_login_however_active():
    assert settings.SESSION_AGE_MAXIMUM == 12 * 3600 and settings.SESSION_COOKIE_AGE == 2 * 3600
    client = connexion()
    vieillir(client, 11 * 3600)
    assert connecte(client)
    vieillir(client, 12 * 3600 + 1)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/connexion/")
    assert MESSAGE_SESSION_EXPIREE in page(response)
    assert not connecte(client)


def test_the_back_office_session_ends_after_twelve_hours_too(gestionnaire):
    client = Client()
    assert essai(client, gestionnaire.email, PASSWORD, url="/admin/login/").status_code == 302
    assert client.get("/admin/").status_code == 200
    vieillir(client, 12 * 3600 + 1)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_session_key_changes_at_login():
    UserFactory(email="claire@exemple.test")
    client = Client()
    avant = client.session
    avant["essai"] = 1
    avant.save()
    cle_avant = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert essai(client, "claire@exemple.test", PASSWORD).status_code == 302
    cle_apres = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cle_apres != cle_avant
    assert not Session.objects.filter(session_key=cle_avant).exists()


def test_the_csrf_cookie_is_http_only_and_htmx_reads_the_token_from_the_page():
    client = connexion()
    response = client.get("/")
    cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"]
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/dossiers/", "/brouillons/", "/notifications/"])
def test_se_deconnecter_is_on_every_portal_page(url):
    client = connexion()
    contenu = page(client.get(url))
    assert 'action="/deconnexion/"' in contenu and "Se déconnecter" in contenu


def test_the_back_office_has_its_logout(gestionnaire):
    contenu = page(client_for(gestionnaire).get("/admin/"))
    assert 'action="/admin/logout/"' in contenu


def test_behind_proxies_the_address_is_the_one_the_outermost_proxy_saw(settings):
    from django.test import RequestFactory

    from portal.connexion import adresse_client

    requete = RequestFactory().post("/connexion/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.NOMBRE_PROXIES = 0
    assert adresse_client(requete) == "10.0.0.2"
    settings.NOMBRE_PROXIES = 1
    assert adresse_client(requete) == "203.0.113.9"  # the forged first entry is ignored
    settings.NOMBRE_PROXIES = 3  # fewer entries than proxies: not behind them, REMOTE_ADDR
    assert adresse_client(requete) == "10.0.0.2"


def test_the_gestionnaires_see_the_logs_and_delete_attempts_only(gestionnaire):
    for perm in ["view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog"]:
        assert gestionnaire.has_perm(f"axes.{perm}")
    for perm in ["change_accessattempt", "delete_accesslog", "delete_accessfailurelog"]:
        assert not gestionnaire.has_perm(f"axes.{perm}")
