"""axe-core (npm ``axe-core``, vendored in tests/e2e/vendor/axe-core with its licence) in Chromium on every kind
of page: 0 critical and 0 serious violations (WCAG 2.1 A/AA rules and best practices axe enables by default).

The pages: the login page, Accueil, the lists, each step of the wizard, each tab of a new draft and of a complete
dossier, the module form, Documents, the notifications, and the back office's list, dossier page and decision
form. Playwright injects axe as an inline script: these tests' browser context bypasses the Content-Security-Policy
for that (tests/e2e/test_csp.py checks the policy itself, with no bypass).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_back_office import login_gestionnaire
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
GRAVES = ("critical", "serious")
ONGLETS = ["Introduction", "Employeur", "Salarié", "Contrat", "Formation", "Financement", "Synthèse", "Documents"]


def violations(page: Page) -> list[dict]:
    """axe's violations of the page as shown (after htmx swaps), critical and serious only."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    resultats = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"regle": v["id"], "impact": v["impact"], "cibles": [n["target"] for n in v["nodes"]][:5]}
        for v in resultats
        if v["impact"] in GRAVES
    ]


class Releve:
    """The violations found, by page: the test lists them all before failing."""

    def __init__(self):
        self.pages: dict[str, list[dict]] = {}

    def __call__(self, page: Page, nom: str) -> None:
        page.wait_for_load_state("networkidle")
        self.pages[nom] = violations(page)

    def verifier(self) -> None:
        fautes = {nom: v for nom, v in self.pages.items() if v}
        assert not fautes, "\n".join(f"{nom}: {v}" for nom, v in fautes.items())


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def releve():
    return Releve()


def test_les_pages_de_l_adherent_sans_violation_grave(page: Page, demo_data, releve):
    base = demo_data.url
    page.goto(f"{base}/connexion/")
    releve(page, "connexion")
    login(page, base, MONO.email)
    releve(page, "accueil")
    for liste in ("brouillons", "dossiers", "notifications"):
        page.goto(f"{base}/{liste}/")
        releve(page, liste)
    page.goto(f"{base}/")
    walk_wizard(page, MONO, on_step=lambda question: releve(page, f"assistant : {question}"))
    for libelle in ONGLETS:  # a new draft: every tab empty, its messages after a save where there is a form
        tab(page, libelle).click()
        expect_tab_shown(page, libelle, check_template=False)
        releve(page, f"brouillon vide : {libelle}")
        enregistrer = page.get_by_role("button", name="Enregistrer")
        if enregistrer.count():
            enregistrer.click()
            expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_be_visible()
            releve(page, f"brouillon enregistré : {libelle}")
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation", check_template=False)
    page.get_by_role("button", name="Ajouter un module de formation").click()
    page.get_by_label("Formation Externe").check()
    releve(page, "choix du type de module")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_label("Rechercher un organisme de formation externe")).to_be_visible()
    releve(page, "formulaire de module externe")
    releve.verifier()


def test_un_dossier_complet_sans_violation_grave(page: Page, demo_data, releve):
    from portal.models import User
    from tests.complet import dossier_complet

    dossier = dossier_complet(User.objects.get(email=MONO.email))
    login(page, demo_data.url, MONO.email)
    for libelle in ONGLETS:
        page.goto(f"{demo_data.url}/dossiers/{dossier.pk}/introduction/")
        tab(page, libelle).click()
        expect_tab_shown(page, libelle, check_template=False)
        releve(page, f"dossier complet : {libelle}")
    releve.verifier()


def test_le_back_office_sans_violation_grave(page: Page, demo_data, releve):
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import dossier_complet

    adherent = User.objects.get(email=MONO.email)
    dossier = dossier_complet(adherent)
    dossier_transmettre(dossier=dossier, user=adherent)
    login_gestionnaire(page, demo_data.url)
    page.goto(f"{demo_data.url}/admin/dossiers/dossier/")
    releve(page, "liste des dossiers transmis")
    page.get_by_role("link", name=dossier.numero).click()
    releve(page, "page du dossier")
    page.locator("#decisions").get_by_role("link", name="Prendre en instruction", exact=True).click()
    releve(page, "formulaire de décision")
    releve.verifier()


def test_les_documents_du_contrat_saisonnier_sans_violation_grave(page: Page, demo_data, releve):
    """Type 12: the Documents tab with its *Convention tripartite* line, then its answer to the upload."""
    import io

    from django.core.management import call_command

    from portal.models import User
    from tests.complet import PDF, dossier_complet

    call_command("load_parametres", stdout=io.StringIO())
    dossier = dossier_complet(User.objects.get(email=MONO.email), type_contrat="12")
    login(page, demo_data.url, MONO.email)
    page.goto(f"{demo_data.url}/dossiers/{dossier.pk}/introduction/")
    tab(page, "Documents").click()
    expect_tab_shown(page, "Documents", check_template=False)
    releve(page, "type 12 : Documents")
    page.locator("#fichiers-CONVENTION_TRIPARTITE").set_input_files(
        files=[{"name": "convention.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(page.locator("#type-CONVENTION_TRIPARTITE")).to_contain_text("convention.pdf")
    releve(page, "type 12 : Documents, convention chargée")
    releve.verifier()
