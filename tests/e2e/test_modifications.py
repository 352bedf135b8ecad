"""The gestionnaire sees what the adhérent changed after *Demander des compléments*: the section « Modifications
depuis la dernière transmission » of the dossier page, old → new in the tab's labels, by whom; axe on that page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import decider, etat, login_gestionnaire
from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import MONO, expect_no_template_error, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e

COMMENTAIRE = "Le salaire est sous le minimum de la grille de la branche."


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected in the page


def test_le_gestionnaire_voit_les_modifications_apres_la_nouvelle_transmission(
    page: Page, browser, browser_context_args, demo_data, screens_dir
):
    from dossiers.models import Dossier
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import dossier_complet

    adherent_user = User.objects.get(email=MONO.email)
    dossier = dossier_complet(adherent_user)
    dossier_transmettre(dossier=dossier, user=adherent_user)
    live = demo_data

    # The gestionnaire opens the dossier, transmitted once: nothing to compare yet, and asks for compléments.
    login_gestionnaire(page, live.url)
    page.goto(f"{live.url}/admin/dossiers/dossier/{dossier.pk}/change/")
    expect(page.get_by_role("heading", name="Modifications depuis la dernière transmission")).to_have_count(0)
    decider(page, "Demander des compléments", COMMENTAIRE)
    expect(etat(page)).to_have_text("A compléter")

    # The adhérent, in a second browser, raises the salary on the Contrat tab and transmits again.
    context = browser.new_context(**browser_context_args)
    adherent = context.new_page()
    adherent.set_default_timeout(10_000)
    login(adherent, live.url, MONO.email)
    adherent.goto(f"{live.url}/dossiers/{dossier.pk}/introduction/")
    tab(adherent, "Contrat").click()
    expect_tab_shown(adherent, "Contrat")
    settled(adherent)
    adherent.get_by_label("Salaire brut mensuel à l'embauche").fill("2 000,00")
    save_tab(adherent)
    adherent.get_by_role("button", name="Transmettre").click()
    expect(adherent.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    context.close()

    # The gestionnaire reloads the dossier page: the section lists the salary, old → new, by the adhérent.
    page.reload()
    expect(etat(page)).to_have_text("Transmis")
    page.get_by_role("navigation", name="Sommaire du dossier").get_by_role("link", name="Modifications").click()
    section = page.locator("#modifications")
    expect(section.get_by_role("heading", name="Modifications depuis la dernière transmission")).to_be_visible()
    expect(section.get_by_role("heading", name="Contrat")).to_be_visible()
    ligne = section.get_by_role("listitem").filter(has_text="Salaire brut mensuel à l'embauche")
    expect(ligne).to_contain_text(re.compile(r"1\u202f900,00 € → 2\u202f000,00 €"))
    nom = adherent_user.get_full_name() or adherent_user.email
    expect(ligne).to_contain_text(f"par {nom}")
    expect(section.get_by_role("listitem")).to_have_count(1)
    expect_no_template_error(page)
    page.screenshot(path=str(screens_dir / "back-office-modifications.png"), full_page=True)
    assert Dossier.objects.get(pk=dossier.pk).contrat.salaire_brut == 2000

    releve = Releve()
    releve(page, "page du dossier retransmis (modifications)")
    releve.verifier()
