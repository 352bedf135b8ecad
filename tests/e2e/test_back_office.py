"""The gestionnaire's journey in the back office, with the adhérent in a second browser: the correction loop.

The gestionnaire logs in, finds the transmitted dossier in the list, *Prendre en instruction*, *Demander des
compléments* with a comment; the adhérent sees the comment on the dossier, edits a field and transmits again;
the gestionnaire takes it again and *Accepter* with the amount the form offers. Screenshots of the list and of
the dossier page go to /tmp/e2e-screens.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.management.commands.load_demo import PASSWORD
from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import MONO, expect_no_template_error, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e

GESTIONNAIRE = "gestionnaire@demo.test"
COMMENTAIRE = "Merci d'indiquer le téléphone du service RH de l'établissement."


@pytest.fixture
def dossier_transmis(demo_data):
    """The mono-establishment adhérent's complete dossier, transmitted through the real service."""
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import dossier_complet

    adherent = User.objects.get(email=MONO.email)
    dossier = dossier_complet(adherent)
    dossier_transmettre(dossier=dossier, user=adherent)
    return demo_data, dossier


def login_gestionnaire(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(GESTIONNAIRE)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{base_url}/admin/")  # a gestionnaire lands in the back office


def decider(page: Page, action: str, commentaire: str = "") -> None:
    """Click a decision's button on the dossier page, fill its small form, confirm."""
    page.locator("#decisions").get_by_role("link", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(action)
    if commentaire:
        page.get_by_label("Commentaire").fill(commentaire)
    page.get_by_role("button", name=f"Confirmer : {action}").click()


def etat(page: Page):
    return page.locator("#resume #etat")


def test_gestionnaire_instruit_demande_des_complements_puis_accepte(
    page: Page, browser, browser_context_args, dossier_transmis, screens_dir
):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, dossier = dossier_transmis
    numero = dossier.numero

    # The gestionnaire finds the transmitted dossier in the work queue.
    login_gestionnaire(page, live.url)
    page.locator("tr.model-dossier").get_by_role("link", name="Dossiers").click()
    expect(page.get_by_role("heading", name="Dossiers transmis à AKTO")).to_be_visible()
    ligne = page.get_by_role("row", name=re.compile(numero))
    expect(ligne).to_contain_text("Transmis")
    expect(ligne).to_contain_text("J+0")
    expect(ligne).to_contain_text("BRASSERIE DES CELESTINS")
    expect(ligne).to_contain_text("Lucas MARTIN")
    expect(page.get_by_role("button", name="Exporter en CSV")).to_be_visible()
    expect_no_template_error(page)
    page.screenshot(path=str(screens_dir / "back-office-liste.png"), full_page=True)

    # The dossier page: every tab read-only, the adhérent's comment, the controls, the history.
    ligne.get_by_role("link", name=numero).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier {numero}")
    expect(etat(page)).to_have_text("Transmis")
    expect(page.locator("#commentaire")).to_contain_text("Premier contrat pro de l'établissement.")
    expect(page.locator("#controles")).to_contain_text("aucune anomalie")
    expect(page.locator("#onglet-contrat")).to_contain_text("Durée hebdomadaire du travail")
    expect(page.locator("#pieces").get_by_role("link", name="programme.pdf")).to_be_visible()
    expect(page.locator("#decisions").get_by_role("link", name="Accepter", exact=True)).to_be_visible()  # one step
    expect_no_template_error(page)
    page.screenshot(path=str(screens_dir / "back-office-dossier.png"), full_page=True)

    # Prendre en instruction, then Demander des compléments (the comment is mandatory).
    decider(page, "Prendre en instruction")
    expect(page.locator(".messagelist")).to_contain_text(f"Le dossier {numero} est pris en instruction.")
    expect(etat(page)).to_have_text("En cours d'instruction")
    page.locator("#decisions").get_by_role("link", name="Demander des compléments").click()
    page.get_by_role("button", name="Confirmer : Demander des compléments").click()
    expect(page.locator(".errorlist")).to_contain_text("Saisissez un commentaire")
    page.get_by_label("Commentaire").fill(COMMENTAIRE)
    page.get_by_role("button", name="Confirmer : Demander des compléments").click()
    expect(page.locator(".messagelist")).to_contain_text("renvoyé à l'adhérent pour compléments")
    expect(etat(page)).to_have_text("A compléter")
    expect(page.locator("#historique")).to_contain_text(COMMENTAIRE)

    # The adhérent, in a second browser, sees the comment, edits a field and transmits again.
    context = browser.new_context(**browser_context_args)
    adherent = context.new_page()
    adherent.set_default_timeout(10_000)
    login(adherent, live.url, MONO.email)
    adherent.get_by_role("link", name="Dossiers", exact=True).click()
    ligne_adherent = adherent.get_by_role("row", name=re.compile(numero))
    expect(ligne_adherent).to_contain_text("A compléter")
    ligne_adherent.get_by_role("link", name=f"Ouvrir le dossier {numero}").click()
    avis = adherent.locator("#avis-gestionnaire")
    expect(avis).to_contain_text("Le gestionnaire AKTO demande des compléments")
    expect(avis).to_contain_text(COMMENTAIRE)
    tab(adherent, "Employeur").click()
    expect_tab_shown(adherent, "Employeur")
    settled(adherent)
    adherent.get_by_label("Téléphone").fill("04 78 11 22 33")
    save_tab(adherent)
    adherent.screenshot(path=str(screens_dir / "back-office-adherent-complements.png"), full_page=True)
    adherent.get_by_role("button", name="Transmettre").click()
    expect(adherent.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS

    # The gestionnaire takes it again and accepts it with the amount the form offers.
    page.reload()
    expect(etat(page)).to_have_text("Transmis")
    expect(page.locator("#onglet-employeur")).to_contain_text("04 78 11 22 33")
    decider(page, "Prendre en instruction")
    page.locator("#decisions").get_by_role("link", name="Accepter", exact=True).click()
    montant = page.get_by_label("Montant de la prise en charge engagée (€)")
    expect(montant).to_have_value(re.compile(r"^\d[\d\u202f ]*,\d{2}$"))
    expect(page.locator("#estimation")).to_contain_text("Total estimé des aides AKTO")
    page.get_by_role("button", name="Confirmer : Accepter").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Le dossier {numero} est accepté")
    expect(etat(page)).to_have_text("Accepté")
    expect(page.locator("#montant-engage")).to_contain_text("€")
    page.screenshot(path=str(screens_dir / "back-office-dossier-accepte.png"), full_page=True)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.ACCEPTE and stored.montant_engage > 0 and stored.decide_le

    # The adhérent sees the decision.
    adherent.reload()
    expect(adherent.locator("#avis-gestionnaire")).to_contain_text("Votre demande a été acceptée")
    context.close()


def test_gestionnaire_exporte_la_liste_en_csv(page: Page, dossier_transmis, screens_dir):
    """« Exporter en CSV » starts the job (eager here, as with ``make run``); its page offers the file."""
    live, dossier = dossier_transmis
    login_gestionnaire(page, live.url)
    page.goto(f"{live.url}/admin/dossiers/dossier/?etat=tous")
    page.get_by_role("button", name="Exporter en CSV").click()
    expect(page.get_by_role("heading", name="Exporter en CSV")).to_be_visible()
    expect(page.get_by_text("Le fichier est prêt : 1 / 1 lignes.")).to_be_visible()
    expect_no_template_error(page)
    page.screenshot(path=str(screens_dir / "back-office-export.png"), full_page=True)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le fichier CSV").click()
    assert re.fullmatch(r"dossiers-\d{4}-\d{2}-\d{2}\.csv", telechargement.value.suggested_filename)
    contenu = Path(telechargement.value.path()).read_bytes().decode("utf-8")
    assert contenu.startswith("\ufeffNuméro;Dispositif;") and f"{dossier.numero};" in contenu
    page.get_by_role("link", name="Retour à la liste des dossiers").click()
    expect(page).to_have_url(re.compile(r"/admin/dossiers/dossier/\?etat=tous$"))
