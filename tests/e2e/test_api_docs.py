"""The API's docs page under the portal's strict CSP (no bypass here): Swagger UI from the vendored files renders
the operations, and the browser reports no blocked resource."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_la_page_de_documentation_affiche_les_operations(page: Page, demo_data, screens_dir):
    erreurs_csp = []
    page.on("console", lambda m: erreurs_csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{demo_data.url}/api/v1/docs")
    expect(page.get_by_text("Lister les dossiers de l'organisme")).to_be_visible()
    expect(page.get_by_text("Lire un dossier : état, anomalies, historique")).to_be_visible()
    expect(page.locator('.opblock-get .opblock-summary-path[data-path="/api/v1/dossiers/{numero}"]')).to_be_visible()
    expect(page.get_by_text("Enregistrer un webhook")).to_be_visible()
    page.screenshot(path=str(screens_dir / "api-docs.png"), full_page=True)
    expect(page.get_by_text("Créer un dossier pré-saisi")).to_be_visible()
    expect(page.get_by_text("Modifier un dossier pré-saisi")).to_be_visible()
    expect(page.get_by_text("Déposer des pièces")).to_be_visible()
    expect(page.get_by_text("Finaliser la pré-saisie")).to_be_visible()
    assert erreurs_csp == []
