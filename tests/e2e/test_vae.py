"""Browser journey of a contract associating VAE actions (cerfa 12434*05, loi n° 2022-1598 art. 11), entered by a
temporary-work agency: on Contrat, the box « vaut avenant au contrat de travail initial » (C2) greys the nature out
on the client and the user company's NAF (T7) is entered; on Formation, type 8 opens the « Numéro du projet » (E15)
on the client. Each save with « Enregistrer » shows the engine's messages (X-03, X-04, DUR-08), then the fixes clear
them."""

import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_contrat_formation import bullet, fill, message, save_tab, settled
from tests.e2e.test_journeys import INTERIM, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

LIBELLE_C2 = (
    "Si le présent contrat de professionnalisation vaut avenant au contrat de travail initial cochez la case ci-contre"
)
LIBELLE_T7 = "Code activité de l'entreprise utilisatrice (NAF)"
INTITULE = re.compile(r"^(\* )?Intitulé précis$")
MSG_PREFIXE = "l'intitulé précis commence par RNCP, CQP, CCN, Bloc RNCP ou Autre Bloc"
MSG_PERIODE = "n'est ouverte qu'aux contrats conclus du 28/05/2023 au 28/02/2026"
MSG_NAF = "Le code NAF comporte 4 chiffres et une lettre (Ex : 56.10A)."
SAVED_WITH_FORMAT_ERRORS = "Enregistrement effectué. Les champs signalés en format invalide n'ont pas été enregistrés."


def save_with_format_errors(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#onglet > .alert")).to_have_text(SAVED_WITH_FORMAT_ERRORS)
    settled(page)


@pytest.fixture
def parametres(demo_data):
    from django.core.management import call_command

    call_command("load_parametres", stdout=io.StringIO())
    return demo_data


def test_parcours_contrat_associant_des_actions_de_vae(page: Page, parametres):
    from dossiers.models import Dossier

    login(page, parametres.url, INTERIM.email)
    walk_wizard(page, INTERIM)

    # --- Contrat: C2 closes the nature on the client; T7 entered ------------------------------------------
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    nature = page.get_by_label("Nature de contrat ou d'avenant")
    avenant = page.get_by_label(LIBELLE_C2)
    nature.select_option("tt")
    expect(nature).to_be_enabled()
    avenant.check()
    expect(nature).to_be_disabled()
    avenant.uncheck()
    expect(nature).to_be_enabled()
    avenant.check()
    expect(nature).to_be_disabled()
    settled(page)

    page.get_by_label("Emploi occupé pendant le contrat (intitulé précis)").fill("Agent de propreté")
    page.get_by_label("Niveau").fill("AS1")
    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("0")
    fill(page, "Date de début d'exécution du contrat", "15/01/2026")
    fill(page, "Date de fin du CDD ou de l'action de professionnalisation si CDI", "14/01/2027")
    page.get_by_label("Durée hebdomadaire du travail").fill("35h00")
    page.get_by_label("Salaire brut").fill("1 900,00")
    fill(page, "Date de conclusion (signature du contrat)", "02/03/2026")  # after the experiment: fixed below
    page.get_by_label(LIBELLE_T7).fill("7820")  # malformed: kept on screen, not written
    save_with_format_errors(page)

    expect(page.get_by_label(LIBELLE_C2)).to_be_checked()
    expect(page.get_by_label("Nature de contrat ou d'avenant")).to_be_disabled()  # X-04, rendered by the server
    expect(message(page, "nature").locator(".field-message")).to_have_count(0)  # not mandatory for the avenant
    expect(message(page, "naf_entreprise_utilisatrice").locator(".field-message--format")).to_have_text(MSG_NAF)
    expect(page.get_by_label(LIBELLE_T7)).to_have_value("7820")
    page.get_by_label(LIBELLE_T7).fill("78.20Z")
    save_tab(page)
    expect(message(page, "naf_entreprise_utilisatrice").locator(".field-message")).to_have_count(0)
    expect(page.get_by_label(LIBELLE_T7)).to_have_value("7820Z")

    # --- Formation: type 8 opens the Numéro du projet on the client -----------------------------------------
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    settled(page)
    type_qualification = page.get_by_label("Type de qualification visée")
    numero_projet = page.get_by_label("Numéro du projet")
    expect(numero_projet).to_be_disabled()
    type_qualification.select_option("8")
    expect(numero_projet).to_be_enabled()
    type_qualification.select_option("1")
    expect(numero_projet).to_be_disabled()
    type_qualification.select_option("8")
    expect(numero_projet).to_be_enabled()
    settled(page)
    page.get_by_label(INTITULE).fill("Titre professionnel Agent de propreté et d'hygiène")  # without its prefix
    save_tab(page)

    expect(message(page, "numero_projet_vae")).to_have_text("Saisie obligatoire")
    expect(page.get_by_label("* Numéro du projet")).to_be_enabled()
    expect(message(page, "intitule").locator(".field-message--regle")).to_contain_text(MSG_PREFIXE)
    # The Contrat tab now speaks of the experiment's dates (DUR-08): its bullet is red.
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "invalid")

    page.get_by_label("* Numéro du projet").fill("VAE-2023-0042")
    page.get_by_label(INTITULE).fill("RNCP Titre professionnel Agent de propreté et d'hygiène")
    save_tab(page)
    expect(message(page, "numero_projet_vae").locator(".field-message")).to_have_count(0)
    expect(message(page, "intitule").locator(".field-message")).to_have_count(0)

    # --- Back to Contrat: the conclusion date outside the experiment, then fixed ------------------------------
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    save_tab(page)
    expect(message(page, "date_conclusion").locator(".field-message--regle")).to_contain_text(MSG_PERIODE)
    fill(page, "Date de conclusion (signature du contrat)", "15/01/2026")
    save_tab(page)
    expect(message(page, "date_conclusion").locator(".field-message--regle")).to_have_count(0)
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "valid")

    dossier = Dossier.objects.filter(created_by__email=INTERIM.email).latest("created_at")
    contrat, formation = dossier.contrat, dossier.formation
    assert (contrat.avenant_vae, contrat.nature, contrat.naf_entreprise_utilisatrice) == (True, "", "7820Z")
    assert (formation.type_qualification, formation.numero_projet_vae) == ("8", "VAE-2023-0042")
