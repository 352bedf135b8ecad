"""The login's lockout as the user sees it, then an htmx save with the HttpOnly CSRF cookie (portal/connexion.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from portal.connexion import message_verrouillage
from portal.management.commands.load_demo import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "adherent.mono@demo.test"


def essai(page: Page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_wrong_passwords_lock_the_login_with_a_french_message(page: Page, demo_data):
    base_url = demo_data.url
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        essai(page, base_url, "mauvais-mot-de-passe")
        expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect.")).to_be_visible()
    essai(page, base_url, "mauvais-mot-de-passe")
    expect(page.get_by_text(message_verrouillage())).to_be_visible()
    essai(page, base_url, PASSWORD)  # the right one, refused while locked
    expect(page.get_by_text(message_verrouillage())).to_be_visible()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/connexion/?next=/")


def test_htmx_posts_with_the_http_only_csrf_cookie(page: Page, demo_data):
    base_url = demo_data.url
    essai(page, base_url, PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.CSRF_COOKIE_NAME)
    assert cookie["httpOnly"]
    assert page.evaluate("document.cookie").find(settings.CSRF_COOKIE_NAME) == -1  # no script can read it
    # htmx sends the page's token (hx-headers on <body>): its POST passes the CSRF check.
    with page.expect_response(lambda r: r.request.method == "POST" and "tout-marquer-lu" in r.url) as reponse:
        page.evaluate(
            "htmx.ajax('POST', '/notifications/tout-marquer-lu/', {source: '#main', target: '#main', swap: 'none'})"
        )
    assert reponse.value.status in (200, 302)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{base_url}/connexion/")
