"""Browser journey of a gestionnaire entering a branch's conventional minimum (SAL-03) and rate (SAL-04) in the back
office, by the admin's French labels; the forms and the list pass axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import login_gestionnaire

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def test_un_gestionnaire_saisit_une_ligne_de_grille_et_un_taux(page: Page, demo_data):
    from referentiels.models import SalaireMinimumConventionnel, TauxConventionnel

    releve = Releve()
    login_gestionnaire(page, demo_data.url)
    page.goto(f"{demo_data.url}/admin/referentiels/salaireminimumconventionnel/add/")
    releve(page, "ajout d'une ligne de grille")
    page.get_by_label("IDCC de la branche").fill("1486")
    page.get_by_label("Niveau").fill("II")
    page.get_by_label("Coefficient hiérarchique").fill("250")
    page.get_by_label("Salaire minimum mensuel brut pour 35 h (€)").fill("2150,50")
    page.get_by_label("En vigueur à partir du").fill("01/01/2026")
    page.get_by_label("Source").fill("Avenant n° 12 du 15/01/2026 (salaires)")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté avec succès")
    releve(page, "grilles des salaires minima conventionnels")
    ligne = SalaireMinimumConventionnel.objects.get()
    assert (ligne.idcc, ligne.niveau, ligne.coefficient, str(ligne.montant_mensuel)) == ("1486", "II", "250", "2150.50")

    page.goto(f"{demo_data.url}/admin/referentiels/tauxconventionnel/add/")
    page.get_by_label("IDCC de la branche").fill("1486")
    page.get_by_label("Âge du salarié").select_option(label="De 21 à 25 ans")
    page.get_by_label("Qualification du salarié").select_option(
        label="Qualification égale ou supérieure au bac professionnel"
    )
    page.get_by_label("% du SMIC").fill("80")
    page.get_by_label("En vigueur à partir du").fill("01/01/2026")
    page.get_by_label("Source").fill("Accord du 3 mars 2025 relatif à l'alternance")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Le taux légal est déjà de 80 % du SMIC pour ce salarié")
    releve(page, "taux refusé")
    page.get_by_label("% du SMIC").fill("85")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté avec succès")
    assert TauxConventionnel.objects.get().pourcentage_smic == 85
    releve.verifier()
