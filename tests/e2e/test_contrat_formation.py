"""Browser journey over the Contrat and Formation tabs together: both filled by their labels, the type of
contract changed to an avenant (its date d'effet opens on the client), an external module (organisme searched
and chosen) and an internal one, errors and alerts, the errors fixed, and both tabs' bullets turn valid."""

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import MONO, SAVED, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

MSG_DISTANCE = "La durée de la formation à distance doit être inférieure à la durée de formation"
MSG_ESSAI = "La période d'essai d'un CDD ne peut pas dépasser"
MSG_RNCP_INACTIF = "une relance sera transmise"
NDA = "11755555575"


@pytest.fixture
def referentiels(demo_data):
    """Rule parameters, an inactive RNCP fiche with its active successor, an organisme de formation."""
    from django.core.management import call_command

    from referentiels.models import Certification, CertificationRemplacement, OrganismeFormation
    from referentiels.validators import siren_with_check_digit, siret_with_check_digit

    call_command("load_parametres", stdout=io.StringIO())
    Certification.objects.create(
        code="RNCP100",
        type="RNCP",
        intitule="Ancien BTS commerce",
        niveau=5,
        actif=False,
        accessible_contrat_pro=True,
        codes_nsf="312t",
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
    siret = siret_with_check_digit(siren_with_check_digit("77000002"), "0001")
    OrganismeFormation.objects.create(
        siret=siret,
        nda=NDA,
        raison_sociale="ECOLE DES METIERS DE LA SALLE",
        adresse="12 rue des Écoles",
        code_postal="69002",
        commune="Lyon",
        qualiopi=True,
    )
    return demo_data, siret


def settled(page: Page) -> None:
    """Wait until htmx has settled the last swap (new content gets its hx-* behaviour when it settles)."""
    # A locator, not wait_for_function: the Content-Security-Policy forbids the eval that a string predicate needs.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def save_tab(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#onglet > .alert")).to_have_text(SAVED)
    settled(page)


def fill(scope, label: str, value: str, exact=False) -> None:
    field = scope.get_by_label(label, exact=exact)
    field.fill(value)
    field.press("Escape")  # closes the calendar of a date field


def message(page: Page, field: str):
    return page.locator(f"#messages-{field}")


def bullet(page: Page, label: str):
    return tab(page, label).locator(".tab-bullet")


def modules(page: Page):
    return page.locator("#formation-modules")


def group(scope, question: str):
    return scope.get_by_role("group", name=question)


def jj(jour: dt.date) -> str:
    return f"{jour:%d/%m/%Y}"


def test_parcours_contrat_et_formation(page: Page, referentiels):
    from dossiers.models import Dossier, Formation

    live, siret = referentiels
    login(page, live.url, MONO.email)
    walk_wizard(page, MONO)
    # The salarié is 26 or more (minimum salary: 100 % of the SMIC); the Salarié tab is not this journey's subject.
    dossier = Dossier.objects.filter(created_by__email=MONO.email).latest("created_at")
    dossier.salarie.date_naissance = dt.date(1990, 1, 15)
    dossier.salarie.diplome_plus_eleve = "41"
    dossier.salarie.save()

    debut = dt.date.today() + dt.timedelta(days=30)
    fin = debut.replace(year=debut.year + 1) - dt.timedelta(days=1)  # a CDD of 12 months
    effet = debut + dt.timedelta(days=7)

    # --- Contrat --------------------------------------------------------------------------------------
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    type_contrat = page.get_by_label("Type de contrat ou d'avenant")
    date_effet = page.get_by_label("Si avenant, renseignez la date d'effet")
    expect(type_contrat).to_have_value("11")  # from the wizard
    expect(date_effet).to_be_disabled()
    # An avenant (type 30): its date d'effet opens at once, on the client.
    type_contrat.select_option("30")
    expect(date_effet).to_be_enabled()
    type_contrat.select_option("11")
    expect(date_effet).to_be_disabled()
    type_contrat.select_option("30")
    expect(date_effet).to_be_enabled()
    settled(page)

    page.get_by_label("Nature de contrat ou d'avenant").select_option("cdd")
    page.get_by_label("Emploi occupé pendant le contrat (intitulé précis)").fill("Serveur en salle")
    page.get_by_label("Classification de l'emploi dans la convention collective").fill("Employé")
    page.get_by_label("Niveau").fill("I")
    page.get_by_label("Coefficient hiérarchique").fill("120")
    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("40")  # CDD of 12 months: 31 max
    fill(page, "Date de début d'exécution du contrat", jj(debut))
    fill(page, "Date de fin du CDD ou de l'action de professionnalisation si CDI", jj(fin))
    page.get_by_label("Durée hebdomadaire du travail").fill("35h00")
    page.get_by_label("Salaire brut mensuel à l'embauche").fill("1 900,00")
    fill(page, "Si avenant, renseignez la date d'effet", jj(effet))
    fill(page, "Date de conclusion (signature du contrat)", jj(debut))
    save_tab(page)

    # An error (TP-01: trial period too long) and an alert (SAL-03: the conventional minimum is to be checked).
    expect(message(page, "duree_essai_jours").locator(".field-message--regle")).to_contain_text(MSG_ESSAI)
    expect(message(page, "salaire_brut").locator(".field-message--alerte")).to_contain_text(
        "85 % du salaire minimum conventionnel"
    )
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "invalid")
    # The type is stored; the server renders the date d'effet open, with its value.
    expect(page.get_by_label("Type de contrat ou d'avenant")).to_have_value("30")
    expect(page.get_by_label("Si avenant, renseignez la date d'effet")).to_be_enabled()
    expect(page.get_by_label("Si avenant, renseignez la date d'effet")).to_have_value(jj(effet))

    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("14")
    save_tab(page)
    expect(message(page, "duree_essai_jours").locator(".field-message")).to_have_count(0)
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "valid")
    expect(message(page, "salaire_brut").locator(".field-message--alerte")).to_have_count(1)  # never blocking

    # --- Formation ------------------------------------------------------------------------------------
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    settled(page)
    page.get_by_label("Diplôme ou titre visé par le salarié(e)").select_option("31")
    page.get_by_label("Référence interne de l'entreprise (O)").fill("REF-CP-01")
    page.get_by_label("Type de qualification visée").select_option("1")

    # The RNCP search: an inactive fiche gives an alert (a relance), never blocking.
    page.get_by_label("Rechercher votre formation par :").fill("RNCP100")
    page.locator("#rncp-resultats [data-value='RNCP100']").click()
    expect(page.locator("#id_code_rncp")).to_have_value("RNCP100")
    expect(page.locator("#formation-certification")).to_contain_text(MSG_RNCP_INACTIF)
    settled(page)

    group(page, "Apprentissage (OUI/NON)").get_by_label("Non").check()
    fill(page, "Durée totale de formation", "400")
    fill(page, "Durée des enseignements théoriques", "300")
    fill(page, "Date de début du cycle de formation", jj(debut))
    fill(page, "Date prévue de fin des épreuves ou examens", jj(fin))
    save_tab(page)
    expect(message(page, "modules")).to_have_text("Saisie obligatoire")
    expect(bullet(page, "Formation")).to_have_attribute("data-status", "invalid")

    # An external module: the organisme searched by its SIRET and chosen; too many distance hours (an error).
    modules(page).get_by_role("button", name="Ajouter un module de formation").click()
    modules(page).get_by_label("Formation Externe").check()
    modules(page).get_by_role("button", name="Continuer").click()
    expect(modules(page)).to_contain_text("N°1 Organisme de formation Externe")
    settled(page)
    page.get_by_label("Rechercher un organisme de formation externe").fill(siret)
    page.locator(f"#organisme-resultats [data-siret='{siret}']").click()
    expect(page.locator("#ro-organisme_siret")).to_have_value(siret)
    settled(page)
    expect(page.locator("#ro-organisme_nda")).to_have_value(NDA)
    expect(page.locator("#ro-organisme_commune")).to_have_value("Lyon")
    group(modules(page), "Apprentissage - Contrôle").get_by_label("Non").check()
    fill(modules(page), "* Date de début", jj(debut), exact=True)
    fill(modules(page), "* Date de fin", jj(fin), exact=True)
    fill(modules(page), "* Durée de formation", "300", exact=True)
    fill(modules(page), "Durée de la formation à distance", "350")  # more than the module: an error
    modules(page).get_by_label("* Modalités pédagogiques").select_option("mixte")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(modules(page)).to_contain_text("Le module N°1 a été enregistré.")
    row = page.locator("#module-1")
    expect(row).to_contain_text("Externe")
    expect(modules(page)).to_contain_text(f"Module 1 — Durée de la formation à distance : {MSG_DISTANCE}")
    settled(page)

    # Fix it: Modifier, lower the distance hours.
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
    fill(modules(page), "* Date de début", jj(debut + dt.timedelta(days=30)), exact=True)
    fill(modules(page), "* Date de fin", jj(fin - dt.timedelta(days=30)), exact=True)
    fill(modules(page), "* Durée de formation", "100", exact=True)
    fill(modules(page), "Durée de la formation à distance", "0")
    modules(page).get_by_label("* Modalités pédagogiques").select_option("presentiel")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(page.locator("#module-2")).to_contain_text("Interne")
    settled(page)

    save_tab(page)
    expect(message(page, "modules")).to_have_text("")
    # Both tabs are valid; the alerts (inactive RNCP fiche, conventional minimum) stay and never block.
    expect(bullet(page, "Formation")).to_have_attribute("data-status", "valid")
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "valid")
    expect(message(page, "code_rncp").locator(".field-message--alerte")).to_contain_text(MSG_RNCP_INACTIF)

    dossier.refresh_from_db()
    assert dossier.type_contrat == "30" and dossier.contrat.date_effet_avenant == effet
    formation = Formation.objects.get(dossier=dossier)
    assert formation.nombre_organismes == 2 and formation.organisme_principal.siret == siret
