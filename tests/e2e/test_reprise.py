"""« Reprise d'une demande pré-saisie par un prestataire de formation », in two browser contexts.

The prestataire pre-enters a dossier for the Brasserie des Célestins (Salarié, Contrat, Formation) and
finalises it; the adhérent sees *demande(s) à valider*, opens it read-only, accepts, completes the tabs
that are its own, transmits; the prestataire sees the outcome. Then the refusal path.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import COMMON_STEPS, MONO, Q_ETABLISSEMENT, answer, login, tab, wizard_question
from tests.e2e.test_parcours_complet import (
    bullet,
    dates_du_contrat,
    donnees,  # noqa: F401 (fixture)
    remplir_contrat,
    remplir_documents,
    remplir_employeur,
    remplir_financement,
    remplir_formation,
    remplir_introduction,
    remplir_salarie,
    remplir_synthese,
)

pytestmark = pytest.mark.e2e

PRESTATAIRE = "prestataire@demo.test"
NUMERO = re.compile(r"^CP\d{10}$")


def contexte(browser: Browser) -> Page:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def presaisir(page: Page) -> str:
    """The prestataire's wizard: search the member establishment, then the usual steps; returns the number."""
    page.get_by_role("link", name="Créer un nouveau dossier").click()
    expect(wizard_question(page)).to_have_text(Q_ETABLISSEMENT)
    page.get_by_label("Siren, siret ou dénomination...").fill("celestins")
    page.get_by_role("button", name="Rechercher").click()
    answer(page, Q_ETABLISSEMENT, MONO.raison_sociale)
    for question, choice in COMMON_STEPS:
        answer(page, question, choice)
    expect(page.get_by_role("heading", name="Nouveau contrat de professionnalisation", level=1)).to_be_visible()
    return page.get_by_text(NUMERO).inner_text().strip()


def finaliser(page: Page, numero: str) -> None:
    page.get_by_role("button", name="Finaliser").click()
    dialog = page.get_by_role("dialog", name=f"Finaliser la demande {numero}")
    expect(dialog).to_contain_text("Confirmez-vous la finalisation ?")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Dossiers", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(numero))).to_contain_text("A reprendre par l'adhérent")


def ouvrir_la_demande_a_valider(page: Page, numero: str) -> None:
    page.get_by_role("link", name=re.compile("demande\\(s\\) à valider")).click()
    expect(page.get_by_role("heading", name="Brouillons", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(numero))
    expect(row).to_contain_text("A reprendre par l'adhérent")
    row.get_by_role("link", name=f"Ouvrir le dossier {numero}").click()
    expect(tab(page, "Introduction")).to_have_attribute("aria-selected", "true")


def test_reprise_acceptee_completee_et_transmise(browser: Browser, donnees, tmp_path, screens_dir):  # noqa: F811
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, siret = donnees
    debut, fin = dates_du_contrat()

    # The prestataire pre-enters and finalises.
    prestataire = contexte(browser)
    login(prestataire, live.url, PRESTATAIRE)
    numero = presaisir(prestataire)
    tab(prestataire, "Employeur").click()
    expect(prestataire.get_by_text("complété par l'adhérent")).to_be_visible()
    expect(prestataire.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    remplir_salarie(prestataire, employeur=False)
    remplir_contrat(prestataire, debut, fin)
    remplir_formation(prestataire, siret, debut, fin)
    finaliser(prestataire, numero)

    # The adhérent finds it (the bell and the counter), cannot edit it, accepts it.
    adherent = contexte(browser)
    login(adherent, live.url, MONO.email)
    expect(adherent.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
    expect(adherent.locator("[data-counter='a_valider']")).to_have_text("1")
    ouvrir_la_demande_a_valider(adherent, numero)
    expect(adherent.get_by_text("Tant que vous ne l'avez pas acceptée")).to_be_visible()
    expect(adherent.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    expect(adherent.get_by_role("button", name="Transmettre")).to_have_count(0)
    tab(adherent, "Salarié").click()
    expect(adherent.get_by_label("Nom de naissance")).to_have_value("MARTIN")
    expect(adherent.get_by_label("Nom de naissance")).to_be_disabled()
    settled(adherent)
    # Conditional fields stay read-only too (the script that opens them on an answer leaves them alone).
    expect(adherent.get_by_label(re.compile(r"Numéro de sécurité sociale \(NIR\)"))).to_be_disabled()
    expect(adherent.get_by_role("group", name="Équivalence jeunes").get_by_label("Non")).to_be_disabled()
    adherent.screenshot(path=str(screens_dir / "reprise-lecture-seule.png"), full_page=True)
    adherent.get_by_role("button", name="Accepter").click()
    expect(adherent.get_by_text("Vous avez accepté la demande")).to_be_visible()
    expect(adherent.get_by_label("Nom de naissance")).to_be_editable()
    expect(adherent.get_by_role("button", name="Refuser")).to_be_visible()

    # It completes its own tabs (and the employer's attestation on Salarié) and transmits.
    adherent.get_by_label(re.compile("Employeur atteste sur l'honneur")).check()
    adherent.get_by_label(re.compile("L'employeur atteste que le tuteur est volontaire")).check()
    save_tab(adherent)
    expect(bullet(adherent, "Salarié")).to_have_attribute("data-status", "valid")
    remplir_introduction(adherent)
    remplir_employeur(adherent)
    remplir_financement(adherent)
    remplir_documents(adherent, tmp_path)
    remplir_synthese(adherent)
    adherent.get_by_role("button", name="Transmettre").click()
    expect(adherent.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    assert Dossier.objects.get(numero=numero).state == DossierState.TRANSMIS

    # The prestataire sees the outcome.
    prestataire.get_by_role("link", name="Dossiers", exact=True).click()
    expect(prestataire.get_by_role("row", name=re.compile(numero))).to_contain_text("Transmis")


def test_reprise_refusee(browser: Browser, donnees):  # noqa: F811
    live, _ = donnees
    prestataire = contexte(browser)
    login(prestataire, live.url, PRESTATAIRE)
    numero = presaisir(prestataire)
    finaliser(prestataire, numero)

    adherent = contexte(browser)
    login(adherent, live.url, MONO.email)
    ouvrir_la_demande_a_valider(adherent, numero)
    adherent.get_by_role("button", name="Refuser").click()
    dialog = adherent.get_by_role("dialog", name=f"Refuser la demande {numero}")
    expect(dialog).to_contain_text("Confirmez-vous le refus de cette demande ?")
    dialog.get_by_label("Motif (facultatif)").fill("Le salarié a trouvé un autre employeur.")
    adherent.screenshot(path="/tmp/e2e-screens/reprise-refus.png")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(adherent.get_by_role("heading", name="Brouillons", level=1)).to_be_visible()
    expect(adherent.get_by_text(f"La demande {numero} a été refusée")).to_be_visible()
    expect(adherent.get_by_role("row", name=re.compile(numero))).to_have_count(0)

    prestataire.get_by_role("link", name="Dossiers", exact=True).click()
    expect(prestataire.get_by_role("row", name=re.compile(numero))).to_contain_text("Refusé par l'adhérent")
    expect(prestataire.get_by_role("link", name=re.compile(r"Notifications \(\d+ non lues?\)"))).to_be_visible()
    prestataire.screenshot(path="/tmp/e2e-screens/reprise-prestataire-dossiers.png")
    prestataire.get_by_role("link", name=re.compile(r"Notifications \(")).click()
    expect(prestataire.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(prestataire.get_by_role("main")).to_contain_text(f"L'adhérent a refusé la reprise du dossier {numero}")
