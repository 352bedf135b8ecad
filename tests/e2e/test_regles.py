"""The /regles/ page in Chromium: a gestionnaire or an adhérent finds the checks of one RULES.md requirement."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_journeys import MONO, login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def test_filtrer_les_controles_par_exigence(page: Page, demo_data):
    login(page, demo_data.url, MONO.email)
    page.goto(f"{demo_data.url}/regles/")
    expect(page.get_by_role("heading", name="Contrôles de saisie")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Exigence").select_option("X-19")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{demo_data.url}/regles/?exigence=X-19&onglet=")
    lignes = page.locator("tbody tr")
    expect(lignes).to_have_count(1)
    expect(lignes.first).to_contain_text("FORMATION_X19_X20_TYPE_QUALIFICATION_FERME")
    expect(page.get_by_role("heading", name="Formation")).to_be_visible()
    expect(page.get_by_role("heading", name="Contrat")).to_have_count(0)
    page.get_by_role("link", name="Tout afficher").click()
    expect(page).to_have_url(f"{demo_data.url}/regles/")
    page.get_by_label("Exigence").select_option("X-01")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="Exigences sans objet dans ce portail")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Particulier-employeur")
    page.get_by_label("Onglet").select_option(label="Contrat")
    page.get_by_label("Exigence").select_option("DAT-02")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr").first).to_contain_text("CONTRAT_DAT_02")
    assert violations(page) == []
