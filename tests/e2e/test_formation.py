"""Browser journey of the Formation tab: the RNCP search and the switch to the active successor, an external
module (organisme searched and chosen) and an internal one, an error and an alert, then a valid tab."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import MONO, SAVED, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

MSG_DISTANCE = "La durée de la formation à distance doit être inférieure à la durée de formation"


@pytest.fixture
def referentiels(demo_data):
    from referentiels.models import Certification, CertificationRemplacement, OrganismeFormation
    from referentiels.validators import siren_with_check_digit, siret_with_check_digit

    Certification.objects.create(
        code="RNCP100", type="RNCP", intitule="Ancien BTS commerce", niveau=5, actif=False, codes_nsf="312t"
    )
    Certification.objects.create(
        code="RNCP300",
        type="RNCP",
        intitule="BTS Management commercial opérationnel",
        niveau=5,
        actif=True,
        accessible_contrat_pro=True,
        codes_nsf="312t",
    )
    CertificationRemplacement.objects.create(ancien_code="RNCP100", nouveau_code="RNCP300")
    siret = siret_with_check_digit(siren_with_check_digit("77000001"), "0001")
    OrganismeFormation.objects.create(
        siret=siret,
        nda="11755555575",
        raison_sociale="ECOLE DU COMMERCE",
        adresse="12 rue des Écoles",
        code_postal="75005",
        commune="Paris",
        qualiopi=None,  # not declared: FOR-08 alert
    )
    return demo_data, siret


def group(page: Page, question: str):
    return page.get_by_role("group", name=question)


def modules(page: Page):
    return page.locator("#formation-modules")


def fill(page_or_scope, label: str, value: str, exact=False):
    field = page_or_scope.get_by_label(label, exact=exact)
    field.fill(value)
    field.press("Escape")


def settled(page: Page) -> None:
    """Wait until htmx has settled the last swap (new content gets its hx-* behaviour when it settles)."""
    # A locator, not wait_for_function: the Content-Security-Policy forbids the eval that a string predicate needs.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def save_tab(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#onglet > .alert")).to_have_text(SAVED)
    settled(page)


def test_parcours_onglet_formation(page: Page, referentiels):
    live, siret = referentiels
    login(page, live.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")

    page.get_by_label("Diplôme ou titre visé par le salarié(e)").select_option("31")
    page.get_by_label("Référence interne de l'entreprise (O)").fill("REF-2026-01")
    page.get_by_label("Type de qualification visée").select_option("1")

    # The RNCP search: an inactive fiche, its relance alert and the one-click switch to its active successor.
    page.get_by_label("Rechercher votre formation par :").fill("RNCP100")
    page.locator("#rncp-resultats [data-value='RNCP100']").click()
    expect(page.get_by_label("Code RNCP", exact=False).first).to_have_value("RNCP100")
    section = page.locator("#formation-certification")
    expect(section).to_contain_text("une relance sera transmise")
    section.get_by_role("button", name="Remplacer par RNCP300").click()
    expect(page.locator("#id_code_rncp")).to_have_value("RNCP300")
    expect(page.locator("#id_intitule")).to_have_value("BTS Management commercial opérationnel")
    expect(page.locator("#id_specialite_nsf")).to_have_value("312")
    expect(section).not_to_contain_text("une relance sera transmise")
    settled(page)

    group(page, "Apprentissage (OUI/NON)").get_by_label("Non").check()
    fill(page, "Durée totale de formation", "100")  # below the 150 h floor
    fill(page, "Durée des enseignements théoriques", "80")
    fill(page, "Date de début du cycle de formation", "01/09/2026")
    fill(page, "Date prévue de fin des épreuves ou examens", "30/06/2027")
    save_tab(page)
    expect(page.locator("#messages-duree_totale_heures")).to_have_text(
        "La durée totale de formation doit être d'au moins 150 heures."
    )
    expect(page.locator("#messages-modules")).to_have_text("Saisie obligatoire")

    # An external module: Ajouter → Formation Externe → Continuer → search the organisme by SIRET, choose it.
    modules(page).get_by_role("button", name="Ajouter un module de formation").click()
    modules(page).get_by_label("Formation Externe").check()
    modules(page).get_by_role("button", name="Continuer").click()
    expect(modules(page)).to_contain_text("N°1 Organisme de formation Externe")
    settled(page)
    page.get_by_label("Rechercher un organisme de formation externe").fill(siret)
    page.locator(f"#organisme-resultats [data-siret='{siret}']").click()
    expect(page.locator("#ro-organisme_siret")).to_have_value(siret)
    settled(page)
    expect(page.locator("#ro-organisme_nda")).to_have_value("11755555575")
    expect(page.locator("#ro-organisme_commune")).to_have_value("Paris")
    group(modules(page), "Apprentissage - Contrôle").get_by_label("Non").check()
    fill(modules(page), "* Date de début", "01/09/2026", exact=True)
    fill(modules(page), "* Date de fin", "30/06/2027", exact=True)
    fill(modules(page), "* Durée de formation", "300", exact=True)
    fill(modules(page), "Durée de la formation à distance", "350")  # more than the module: an error
    modules(page).get_by_label("* Modalités pédagogiques").select_option("mixte")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(modules(page)).to_contain_text("Le module N°1 a été enregistré.")
    row = page.locator("#module-1")
    expect(row).to_contain_text("Externe")
    expect(row).to_contain_text("01/09/2026")
    expect(modules(page)).to_contain_text(f"Module 1 — Durée de la formation à distance : {MSG_DISTANCE}")
    # The alert (Qualiopi not declared) is shown as an alert, distinct from the error.
    expect(modules(page).locator(".field-message--alerte")).to_contain_text("Qualiopi")

    # Fix the module: Modifier, lower the distance hours.
    settled(page)
    row.get_by_role("button", name="Modifier le module 1").click()
    expect(page.locator("#id_module-heures_distance")).to_have_value("350")
    settled(page)
    fill(modules(page), "Durée de la formation à distance", "100")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(modules(page)).to_contain_text("Le module N°1 a été enregistré.")
    expect(modules(page)).not_to_contain_text(MSG_DISTANCE)
    settled(page)

    # An internal module.
    modules(page).get_by_role("button", name="Ajouter un module de formation").click()
    modules(page).get_by_label("Formation Interne").check()
    modules(page).get_by_role("button", name="Continuer").click()
    expect(modules(page)).to_contain_text("N°2 Service de formation interne")
    settled(page)
    fill(modules(page), "* Service de formation interne", "Service formation du siège", exact=True)
    modules(page).get_by_label(re.compile("L'employeur atteste que le service de formation interne")).check()
    fill(modules(page), "* Date de début", "01/10/2026", exact=True)
    fill(modules(page), "* Date de fin", "31/05/2027", exact=True)
    fill(modules(page), "* Durée de formation", "100", exact=True)
    fill(modules(page), "Durée de la formation à distance", "0")
    modules(page).get_by_label("* Modalités pédagogiques").select_option("presentiel")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(page.locator("#module-2")).to_contain_text("Interne")

    # Fix the total duration: the tab is valid, the alert stays visible and does not block.
    fill(page, "Durée totale de formation", "400")
    save_tab(page)
    expect(page.locator("#messages-duree_totale_heures")).to_have_text("")
    expect(tab(page, "Formation").locator(".tab-bullet")).to_have_attribute("data-status", "valid")
    expect(modules(page).locator(".field-message--alerte")).to_contain_text("Qualiopi")

    from dossiers.models import Formation

    formation = Formation.objects.get(code_rncp="RNCP300")
    assert formation.nombre_organismes == 2 and formation.organisme_principal.siret == siret


def test_la_recherche_rncp_au_clavier(page: Page, referentiels):
    """WAI-ARIA combobox: Échap closes the list, ↓/↑ move through the results, Entrée chooses the active one."""
    live, siret = referentiels
    login(page, live.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    recherche = page.get_by_role("combobox", name="Rechercher votre formation par :")
    options = page.locator("#rncp-resultats [role='option']")
    recherche.fill("BTS")
    expect(options).to_have_count(2)
    expect(recherche).to_have_attribute("aria-expanded", "true")
    recherche.press("Escape")
    expect(options).to_have_count(0)
    expect(recherche).to_have_attribute("aria-expanded", "false")

    recherche.fill("BTS management")
    expect(options).to_have_count(1)
    recherche.fill("BTS")
    expect(options).to_have_count(2)
    recherche.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    recherche.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(recherche).to_have_attribute("aria-activedescendant", "rncp-resultats-1")
    recherche.press("ArrowDown")  # round the end
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    code = options.nth(0).get_attribute("data-value")
    recherche.press("Enter")
    expect(page.locator("#id_code_rncp")).to_have_value(code)
