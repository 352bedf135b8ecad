"""The training organisations' API in the browser: the prestataire's « Clés d'API » page (a key created, shown
once, used, revoked), both pages through axe; the docs page under the CSP: test_api_docs.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_journeys import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def test_le_prestataire_cree_une_cle_la_voit_une_fois_et_la_revoque(page: Page, demo_data):
    base_url = demo_data.url
    releve = Releve()
    login(page, base_url, "prestataire@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Clés d'API").click()
    expect(page.get_by_role("heading", name="Clés d'API", level=1)).to_be_visible()
    expect(page.get_by_text("Aucune clé.")).to_be_visible()
    page.get_by_label("Nom de la clé").fill("Logiciel de gestion")
    page.get_by_role("button", name="Créer la clé").click()
    expect(page.get_by_text("Copiez-la maintenant : elle ne sera plus jamais affichée.")).to_be_visible()
    cle = page.locator(".cle-api-nouvelle").inner_text()
    assert re.fullmatch(r"ak_[0-9a-f]{12}\.[\w-]{43}", cle)
    releve(page, "clés d'API, clé créée")

    reponse = page.request.get(f"{base_url}/api/v1/dossiers", headers={"Authorization": f"Bearer {cle}"})
    assert reponse.status == 200

    # Shown once: the page opened again lists the key by its beginning only.
    page.get_by_role("link", name="Clés d'API").click()
    ligne = page.get_by_role("row", name=re.compile("Logiciel de gestion"))
    expect(ligne).to_contain_text("Active")
    expect(ligne).to_contain_text(cle.partition(".")[0])
    assert cle.partition(".")[2] not in page.content()

    ligne.get_by_role("button", name=re.compile("Révoquer")).click()
    expect(page.get_by_text("La clé « Logiciel de gestion » est révoquée")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Logiciel de gestion"))).to_contain_text("Révoquée le")
    reponse = page.request.get(f"{base_url}/api/v1/dossiers", headers={"Authorization": f"Bearer {cle}"})
    assert reponse.status == 401 and reponse.json() == {"detail": "Clé d'API absente, inconnue ou révoquée."}
    releve(page, "clés d'API, clé révoquée")
    releve.verifier()


def test_la_page_de_documentation_passe_axe(page: Page, demo_data):
    releve = Releve()
    page.goto(f"{demo_data.url}/api/v1/docs")
    expect(page.get_by_text("Lister les dossiers de l'organisme")).to_be_visible()
    releve(page, "documentation de l'API")
    releve.verifier()
