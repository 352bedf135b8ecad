"""axe-core (tests/e2e/vendor/axe.min.js, 4.14.1, MPL-2.0) over the main page kinds: the violations by impact
are printed (``-s``), and none is left but Django's own search box in the admin's list.

The vendored script is injected by Playwright as an inline script: the context bypasses the Content-Security-Policy
for that (tests/e2e/test_csp.py checks the policy itself)."""

import json
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_back_office import dossier_transmis, login_gestionnaire  # noqa: F401 (a fixture)
from tests.e2e.test_journeys import MONO, login

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    resultat = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return resultat["violations"]


def test_axe_sur_les_pages_principales(browser: Browser, dossier_transmis):  # noqa: F811
    live, dossier = dossier_transmis
    context = browser.new_context(bypass_csp=True, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    releve = {}
    page.goto(f"{live.url}/connexion/")
    releve["connexion"] = violations(page)
    login(page, live.url, MONO.email)
    releve["accueil"] = violations(page)
    for nom, url in [
        ("dossiers", "/dossiers/"),
        ("notifications", "/notifications/"),
        ("nouvelle demande", "/nouvelle-demande/"),
        *[(f"onglet {o}", f"/dossiers/{dossier.pk}/{o}/") for o in ["employeur", "salarie", "formation", "documents"]],
    ]:
        page.goto(live.url + url)
        expect(page.locator("main")).to_be_visible()
        releve[nom] = violations(page)
    context.clear_cookies()
    login_gestionnaire(page, live.url)
    for nom, url in [
        ("admin liste", "/admin/dossiers/dossier/"),
        ("admin dossier", f"/admin/dossiers/dossier/{dossier.pk}/change/"),
    ]:
        page.goto(live.url + url)
        releve[nom] = violations(page)
    context.close()
    par_impact = Counter(v["impact"] for vs in releve.values() for v in vs)
    detail = {
        nom: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in vs] for nom, vs in releve.items()
    }
    print("AXE", json.dumps({"par_impact": par_impact, "detail": detail}, ensure_ascii=False))
    # Django's own search box (admin/search_form.html: a label holding only an icon) is the admin's, not ours.
    connues = {("admin liste", "label-title-only")}
    restantes = {nom: d for nom, vs in detail.items() if (d := [v for v in vs if (nom, v[0]) not in connues])}
    assert restantes == {}
