"""Browser journeys of issue 20's part C: a character counter that never cuts a paste, the NSF filled from a fiche
of the real RNCP extract, the Documents counter before any module. With the Content-Security-Policy on (the
counters are a static script); axe reads the same screens in test_saisie_guide_axe.py."""

import io

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

REFERENCE = "Référence interne de l'entreprise (O)"


def settled(page: Page) -> None:
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


@pytest.fixture
def extrait_rncp(demo_data):
    from django.core.management import call_command

    call_command("import_rncp", stdout=io.StringIO())  # referentiels/data/rncp-export-fiches-extrait.zip
    return demo_data


def test_compteur_de_caracteres_et_collage_trop_long(page: Page, demo_data):
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    settled(page)
    reference = page.get_by_label(REFERENCE)
    compteur = page.locator("#id_reference_interne-compteur")
    expect(compteur).to_have_text("0 / 50 caractères")
    reference.press_sequentially("REF-2026")
    expect(compteur).to_have_text("8 / 50 caractères")
    expect(compteur).not_to_have_attribute("aria-live", "polite")  # typing is not read aloud far from the limit

    # A paste beyond the limit: nothing is cut, the counter says how much is too much.
    reference.fill("")
    reference.focus()
    page.keyboard.insert_text("X" * 60)
    expect(reference).to_have_value("X" * 60)
    expect(compteur).to_have_text("50 caractères maximum : 10 caractères en trop")
    expect(compteur).to_have_attribute("aria-live", "polite")

    # The server refuses it with its own message, and the text is still there to be shortened.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#messages-reference_interne")).to_contain_text("50 caractères")
    settled(page)
    reference = page.get_by_label(REFERENCE)
    expect(reference).to_have_value("X" * 60)
    expect(page.locator("#id_reference_interne-compteur")).to_have_text("50 caractères maximum : 10 caractères en trop")
    reference.press("End")
    reference.press("Backspace")
    expect(page.locator("#id_reference_interne-compteur")).to_contain_text("9 caractères en trop")


def test_nsf_rempli_depuis_la_fiche_choisie(page: Page, extrait_rncp):
    login(page, extrait_rncp.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    page.get_by_label("Rechercher votre formation par :").fill("RS6117")
    page.locator("#rncp-resultats [data-value='RS6117']").click()
    expect(page.locator("#id_code_rncp")).to_have_value("RS6117")
    expect(page.get_by_label("Spécialité de formation (NSF)")).to_have_value("221")
    settled(page)

    # A fiche the export gives no NSF: the page says so, the field waits for the code.
    page.get_by_label("Rechercher votre formation par :").fill("RNCP38228")
    page.locator("#rncp-resultats [data-value='RNCP38228']").click()
    expect(page.locator("#id_code_rncp")).to_have_value("RNCP38228")
    expect(page.locator("#nsf-absente")).to_contain_text("ne précise pas de spécialité de formation (NSF)")
    expect(page.get_by_label("Spécialité de formation (NSF)")).to_be_editable()


def test_documents_avant_le_premier_module(page: Page, demo_data):
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Documents").click()
    expect_tab_shown(page, "Documents", check_template=False)
    compteur = page.locator("#documents-compteur")
    expect(compteur).to_have_text("Ajoutez un module de formation pour connaître les pièces à fournir")
    expect(compteur).not_to_contain_text("0/0")
