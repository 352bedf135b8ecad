"""Browser journey of the Contrat tab: filled by its labels, an error and an alert, fixed, the bullet turns valid."""

import datetime as dt
import io

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import MONO, expect_tab_shown, login, save, tab, walk_wizard

pytestmark = pytest.mark.e2e


@pytest.fixture
def parametres(demo_data):
    from django.core.management import call_command

    call_command("load_parametres", stdout=io.StringIO())
    return demo_data


def message(page: Page, field: str):
    return page.locator(f"#messages-{field}")


def test_parcours_onglet_contrat(page: Page, parametres):
    from dossiers.models import Dossier

    login(page, parametres.url, MONO.email)
    walk_wizard(page, MONO)
    # The salarié is 26 or more at the start (the Salarié tab is not this journey's subject): written via the ORM.
    dossier = Dossier.objects.filter(created_by__email=MONO.email).latest("created_at")
    dossier.salarie.date_naissance = dt.date(1990, 1, 15)
    dossier.salarie.diplome_plus_eleve = "41"
    dossier.salarie.save()

    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    expect(page.get_by_label("Sous Dispositif")).to_have_value("Contrat de Professionnalisation")
    expect(page.get_by_label("Type de contrat ou d'avenant")).to_have_value("11")
    expect(page.get_by_label("Si avenant, renseignez la date d'effet")).to_be_disabled()

    debut = dt.date.today() + dt.timedelta(days=30)
    fin = debut.replace(year=debut.year + 1) - dt.timedelta(days=1)
    page.get_by_label("Nature de contrat ou d'avenant").select_option("cdd")
    page.get_by_label("Emploi occupé pendant le contrat (intitulé précis)").fill("Serveur en salle")
    page.get_by_label("Classification de l'emploi dans la convention collective").fill("Employé")
    page.get_by_label("Niveau").fill("I")
    page.get_by_label("Coefficient hiérarchique").fill("120")
    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("40")  # CDD of 12 months: 31 max
    page.get_by_label("Date de début d'exécution du contrat").fill(f"{debut:%d/%m/%Y}")
    page.get_by_label("Date de fin du CDD ou de l'action de professionnalisation si CDI").fill(f"{fin:%d/%m/%Y}")
    page.get_by_label("Durée hebdomadaire du travail").fill("35h00")
    page.get_by_label("Salaire brut mensuel à l'embauche").fill("1 900,00")
    page.get_by_label("Date de conclusion (signature du contrat)").fill(f"{debut:%d/%m/%Y}")
    page.keyboard.press("Escape")

    save(page)
    # An error (TP-01) and an alert (SAL-03: 26 or more, the conventional minimum is to be checked).
    expect(message(page, "duree_essai_jours").locator(".field-message--regle")).to_contain_text(
        "La période d'essai d'un CDD ne peut pas dépasser"
    )
    expect(message(page, "salaire_brut").locator(".field-message--alerte")).to_contain_text(
        "85 % du salaire minimum conventionnel"
    )
    expect(tab(page, "Contrat").locator(".tab-bullet")).to_have_attribute("data-status", "invalid")
    expect(page.locator("#salaire-minimum")).to_contain_text("Minimum légal pour ce salarié")
    expect(page.locator("#salaire-minimum")).to_contain_text("(100 % du SMIC)")

    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("14")
    save(page)
    expect(message(page, "duree_essai_jours").locator(".field-message")).to_have_count(0)
    expect(tab(page, "Contrat").locator(".tab-bullet")).to_have_attribute("data-status", "valid")
    expect(message(page, "salaire_brut").locator(".field-message--alerte")).to_have_count(1)  # never blocking
    expect(page.get_by_label("Salaire brut mensuel à l'embauche")).to_have_value("1\u202f900,00")


def test_le_calendrier_se_ferme_quand_la_date_est_tapee_en_entier(page: Page, parametres):
    """Typing a whole JJ/MM/AAAA date closes the calendar: it no longer hides the rest of the form and
    « Enregistrer »; ↓ opens it again."""
    login(page, parametres.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    champ = page.get_by_label("Date de début d'exécution du contrat")
    champ.click()
    calendrier = page.locator(".portal-calendar")
    expect(calendrier).to_be_visible()
    champ.press_sequentially("01/09/202")
    expect(calendrier).to_be_visible()  # not a whole date yet: the calendar follows the typing
    champ.press_sequentially("7")
    expect(calendrier).to_be_hidden()
    expect(champ).to_be_focused()
    expect(champ).to_have_value("01/09/2027")
    champ.press("ArrowDown")
    expect(calendrier).to_be_visible()


def test_salaire_sous_le_minimum_conventionnel_connu(page: Page, parametres):
    """SAL-03: a salarié of 30, the branch's grid known for the contract's niveau: a salary under 85 % of the
    conventional minimum is refused under « Salaire brut mensuel à l'embauche » and the libellé names the IDCC."""
    from dossiers.models import Dossier
    from referentiels.models import SalaireMinimumConventionnel

    login(page, parametres.url, MONO.email)
    walk_wizard(page, MONO)
    dossier = Dossier.objects.filter(created_by__email=MONO.email).latest("created_at")
    debut = dt.date.today() + dt.timedelta(days=30)
    dossier.salarie.date_naissance = debut.replace(year=debut.year - 30)
    dossier.salarie.diplome_plus_eleve = "41"
    dossier.salarie.save()
    idcc = dossier.employeur.idcc
    SalaireMinimumConventionnel.objects.create(
        idcc=idcc,
        niveau="II",
        montant_mensuel="2400.00",
        date_debut=debut - dt.timedelta(days=60),
        source="Grille d'essai du test",
    )

    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    fin = debut.replace(year=debut.year + 1) - dt.timedelta(days=1)
    page.get_by_label("Nature de contrat ou d'avenant").select_option("cdd")
    page.get_by_label("Emploi occupé pendant le contrat (intitulé précis)").fill("Serveur en salle")
    page.get_by_label("Classification de l'emploi dans la convention collective").fill("Employé")
    page.get_by_label("Niveau").fill("II")
    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("14")
    page.get_by_label("Date de début d'exécution du contrat").fill(f"{debut:%d/%m/%Y}")
    page.get_by_label("Date de fin du CDD ou de l'action de professionnalisation si CDI").fill(f"{fin:%d/%m/%Y}")
    page.get_by_label("Durée hebdomadaire du travail").fill("35h00")
    page.get_by_label("Salaire brut mensuel à l'embauche").fill("2 000,00")  # 85 % × 2 400 = 2 040
    page.get_by_label("Date de conclusion (signature du contrat)").fill(f"{debut:%d/%m/%Y}")
    page.keyboard.press("Escape")
    save(page)

    erreur = message(page, "salaire_brut").locator(".field-message--regle")
    expect(erreur).to_contain_text("85 % du salaire minimum conventionnel de l'emploi, soit 2\u202f040,00 €")
    expect(erreur).to_contain_text(f"IDCC {idcc}")
    expect(message(page, "salaire_brut").locator(".field-message--alerte")).to_have_count(0)
    expect(tab(page, "Contrat").locator(".tab-bullet")).to_have_attribute("data-status", "invalid")
    expect(page.locator("#salaire-minimum")).to_contain_text(f"Minimum conventionnel pour ce salarié (IDCC {idcc})")

    page.get_by_label("Salaire brut mensuel à l'embauche").fill("2 040,00")
    save(page)
    expect(message(page, "salaire_brut").locator(".field-message")).to_have_count(0)
    expect(tab(page, "Contrat").locator(".tab-bullet")).to_have_attribute("data-status", "valid")
