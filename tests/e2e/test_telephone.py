"""At a phone's width (390 × 844 px, an iPhone 12–15): Accueil and its to-do list, the lists, a dossier opened
from Accueil, every tab, *Enregistrer*, the wizard and the dialogs (*Transmettre*'s « Saisie invalide », « Session
expirée ») fit the screen: the page body never scrolls sideways (``scrollWidth <= 390``: only the tab bar and a wide
table scroll inside their own box), and the tabs and buttons are on screen."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accueil import COMMENTAIRE, a_faire
from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

LARGEUR = 390
ONGLETS = ["Introduction", "Employeur", "Salarié", "Contrat", "Formation", "Financement", "Synthèse", "Documents"]

# What sticks out of the screen, for the failure message: the innermost elements past its right edge.
DEBORDEMENTS = """() => {
  const dehors = e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter(e => dehors(e) && ![...e.children].some(dehors))
    .slice(0, 8)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'));
}"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": LARGEUR, "height": 844}, "is_mobile": True, "has_touch": True}


def sans_defilement_horizontal(page: Page, ou: str) -> None:
    page.wait_for_load_state("networkidle")
    largeur = page.evaluate("document.documentElement.scrollWidth")
    assert largeur <= LARGEUR, f"{ou}: la page défile horizontalement ({largeur} px) : {page.evaluate(DEBORDEMENTS)}"


def a_l_ecran(page: Page, locator) -> None:
    expect(locator).to_be_visible()
    boite = locator.bounding_box()
    assert boite and boite["x"] >= 0 and boite["x"] + boite["width"] <= LARGEUR, boite


def test_un_dossier_se_saisit_sur_un_telephone(page: Page, demo_data):
    dossiers = a_faire(MONO.email)
    base = demo_data.url
    login(page, base, MONO.email)
    expect(page.locator('[data-a-faire="a_completer"]')).to_contain_text(COMMENTAIRE)
    sans_defilement_horizontal(page, "Accueil")
    for liste in ("brouillons", "dossiers", "notifications"):
        page.goto(f"{base}/{liste}/")
        sans_defilement_horizontal(page, liste)

    # Accueil → the urgent draft's link → every tab.
    page.get_by_role("link", name="Accueil", exact=True).click()
    page.locator('[data-a-faire="brouillons"]').get_by_role("link", name=re.compile(dossiers["urgent"].numero)).click()
    expect_tab_shown(page, "Introduction")
    barre = page.get_by_role("tablist")
    assert barre.evaluate("e => e.scrollWidth > e.clientWidth")  # the tabs on one line, scrolled inside the bar
    for label in ONGLETS:
        onglet = tab(page, label)
        onglet.click()  # Playwright scrolls the tab bar to it
        expect_tab_shown(page, label)
        settled(page)
        sans_defilement_horizontal(page, label)
        # The new tab bar (swapped by htmx, scrolled back to its start) shows the active tab (onglets.js).
        a_l_ecran(page, onglet)

    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    enregistrer = page.get_by_role("button", name="Enregistrer", exact=True)
    enregistrer.scroll_into_view_if_needed()
    a_l_ecran(page, enregistrer)
    save_tab(page)
    sans_defilement_horizontal(page, "Contrat enregistré")

    transmettre = page.get_by_role("button", name="Transmettre")
    transmettre.scroll_into_view_if_needed()
    a_l_ecran(page, transmettre)
    transmettre.click()
    dialog = page.get_by_role("dialog", name="Saisie invalide")
    expect(dialog).to_be_visible()
    sans_defilement_horizontal(page, "Saisie invalide")
    fermer = dialog.get_by_role("button", name="Fermer")
    a_l_ecran(page, fermer)
    fermer.click()
    expect(dialog).to_be_hidden()

    # The wizard, step by step.
    page.get_by_role("link", name="Accueil", exact=True).click()
    walk_wizard(page, MONO, on_step=lambda question: sans_defilement_horizontal(page, question))
    expect_tab_shown(page, "Introduction")
    sans_defilement_horizontal(page, "nouveau dossier")

    # The session expires: the dialog that says so fits the screen too.
    page.context.clear_cookies(name="sessionid")
    enregistrer.click()
    dialog = page.get_by_role("dialog", name="Session expirée")
    expect(dialog).to_be_visible()
    settled(page)
    sans_defilement_horizontal(page, "Session expirée")
    a_l_ecran(page, dialog.get_by_role("button", name="Fermer"))
