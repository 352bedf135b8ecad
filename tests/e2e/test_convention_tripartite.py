"""Browser journey of the type 12 contract (two seasonal employers, L6325-4-1): the Documents tab asks for the
*Convention tripartite*; *Transmettre* is refused without it; the adhérent uploads a PDF, the line and the tab's
bullet turn green, and the dossier is transmitted."""

import io

import pytest
from playwright.sync_api import Page, expect

from tests.complet import PDF, dossier_complet
from tests.e2e.test_contrat_formation import settled
from tests.e2e.test_journeys import MONO, login
from tests.e2e.test_parcours_complet import bullet, open_tab

pytestmark = pytest.mark.e2e


@pytest.fixture
def saisonnier(demo_data):
    """A type 12 dossier of the demo adhérent, every tab valid but the tripartite convention."""
    from django.core.management import call_command

    from portal.models import User

    call_command("load_parametres", stdout=io.StringIO())
    dossier = dossier_complet(User.objects.get(email=MONO.email), type_contrat="12")
    return demo_data, dossier


def test_convention_tripartite_du_contrat_saisonnier(page: Page, saisonnier, tmp_path):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, dossier = saisonnier
    login(page, live.url, MONO.email)
    page.goto(f"{live.url}/dossiers/{dossier.pk}/introduction/")
    open_tab(page, "Documents")
    ligne = page.locator("#type-CONVENTION_TRIPARTITE")
    expect(ligne.get_by_role("heading", name="Convention tripartite (1 fichier minimum)")).to_be_visible()
    compteur = page.locator("#documents-compteur")
    expect(compteur).to_contain_text("2/3 types de documents obligatoires à transmettre")
    expect(bullet(page, "Documents")).to_have_attribute("data-status", "invalid")

    page.get_by_role("button", name="Transmettre").click()
    dialog = page.get_by_role("dialog", name="Saisie invalide")
    expect(dialog).to_contain_text("Documents")
    dialog.get_by_role("button", name="Fermer").click()

    fichier = tmp_path / "convention-tripartite.pdf"
    fichier.write_bytes(PDF)
    with page.expect_file_chooser() as choix:  # the button is the label of the hidden file input
        ligne.get_by_text("Choisir des fichiers").click()
    choix.value.set_files(str(fichier))
    expect(ligne).to_contain_text(fichier.name)
    settled(page)
    expect(compteur).to_contain_text("3/3 types de documents obligatoires à transmettre")
    expect(compteur).to_have_attribute("data-complet", "true")
    expect(bullet(page, "Documents")).to_have_attribute("data-status", "valid")

    page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
