"""axe on issue 20's part C screens: a counter over its limit (Formation) and Documents before any module. The
context bypasses the Content-Security-Policy to inject axe, as in test_accessibilite.py."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


def test_compteur_et_documents_sans_module_passent_axe(page: Page, demo_data):
    releve = Releve()
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Documents").click()
    expect_tab_shown(page, "Documents", check_template=False)
    expect(page.locator("#documents-compteur")).to_contain_text("Ajoutez un module de formation")
    releve(page, "Documents sans module")
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    page.get_by_label("Référence interne de l'entreprise (O)").focus()
    page.keyboard.insert_text("X" * 60)
    expect(page.locator("#id_reference_interne-compteur")).to_contain_text("10 caractères en trop")
    releve(page, "Formation : compteur dépassé")
    releve.verifier()
