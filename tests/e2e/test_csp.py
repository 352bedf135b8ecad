"""The Content-Security-Policy in the browser: the Formation and Documents tabs' htmx behaviours (the RNCP search
result click, the organisme search click, an upload's progress bar) work without any inline code, and Chromium
reports no violation of the policy (``securitypolicyviolation`` events, console errors) on the way."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from tests.e2e.test_back_office import dossier_transmis, login_gestionnaire  # noqa: F401 (a fixture)
from tests.e2e.test_formation import referentiels, settled  # noqa: F401 (a fixture)
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard
from tests.e2e.test_parcours_complet import PDF

pytestmark = pytest.mark.e2e

# Registered before any page script: every violation of the policy, and the console's errors.
ECOUTE = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""

# Listeners added after portal's own: they see the progress bar as htmx-actions.js left it.
SUIVI_PROGRESSION = """
window.__progression = [];
const barre = (e) => e.target.closest(".doc-upload").querySelector("progress");
document.addEventListener("htmx:beforeRequest", (e) => {
  if (!e.target.matches("[data-upload-progress]")) return;
  window.__progression.push(barre(e).classList.contains("d-none") ? "cachée" : "visible");
});
document.addEventListener("htmx:xhr:progress", (e) => {
  if (e.target.matches("[data-upload-progress]")) window.__progression.push(barre(e).value);
});
"""


def test_les_onglets_sans_violation_de_la_politique(page: Page, referentiels, tmp_path):  # noqa: F811
    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)
    live, siret = referentiels
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.add_init_script(ECOUTE)
    login(page, live.url, MONO.email)
    walk_wizard(page, MONO)

    # The RNCP search: a click on a result fills the fiche (htmx-actions.js, no hx-on).
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    page.get_by_label("Rechercher votre formation par :").fill("RNCP300")
    page.locator("#rncp-resultats [data-value='RNCP300']").click()
    expect(page.locator("#id_intitule")).to_have_value("BTS Management commercial opérationnel")
    settled(page)

    # The organisme search of an external module: a click on a result fills the organisme and empties the list.
    modules = page.locator("#formation-modules")
    modules.get_by_role("button", name="Ajouter un module de formation").click()
    modules.get_by_label("Formation Externe").check()
    modules.get_by_role("button", name="Continuer").click()
    settled(page)
    page.get_by_label("Rechercher un organisme de formation externe").fill(siret)
    page.locator(f"#organisme-resultats [data-siret='{siret}']").click()
    expect(page.locator("#ro-organisme_siret")).to_have_value(siret)
    expect(page.locator("#organisme-resultats [data-siret]")).to_have_count(0)
    settled(page)

    # An upload on the Documents tab: the progress bar shows, then the file is listed. (The module is not
    # saved: leave it when asked.)
    page.once("dialog", lambda d: d.accept())
    tab(page, "Documents").click()
    expect_tab_shown(page, "Documents")
    settled(page)
    page.evaluate(SUIVI_PROGRESSION)
    fichier = tmp_path / "programme.pdf"
    fichier.write_bytes(PDF)
    page.locator("#fichiers-PROGRAMME").set_input_files(str(fichier))
    expect(page.locator("#type-PROGRAMME")).to_contain_text("programme.pdf")
    settled(page)
    progression = page.evaluate("window.__progression")
    assert progression[0] == "visible", progression
    valeurs = [v for v in progression[1:] if v != "visible"]
    assert valeurs and valeurs[-1] == 100, progression  # it ends at 100 % (htmx reports each request's progress)

    assert page.evaluate("window.__violations") == []
    assert [e for e in erreurs if "Content Security Policy" in e or "Content-Security-Policy" in e] == []


def test_le_back_office_sans_violation_de_la_politique(page: Page, dossier_transmis):  # noqa: F811
    """The admin's list, dossier page and a decision's form, and the CSV export (polled by htmx)."""
    live, dossier = dossier_transmis
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.add_init_script(ECOUTE)
    login_gestionnaire(page, live.url)
    page.goto(f"{live.url}/admin/dossiers/dossier/")
    expect(page.get_by_role("link", name=dossier.numero)).to_be_visible()
    page.get_by_role("link", name=dossier.numero).click()
    page.locator("#decisions").get_by_role("link", name="Prendre en instruction", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prendre en instruction")
    page.goto(f"{live.url}/admin/dossiers/dossier/?etat=tous")
    page.get_by_role("button", name="Exporter en CSV").click()
    expect(page.get_by_text("Le fichier est prêt : 1 / 1 lignes.")).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert [e for e in erreurs if "Content Security Policy" in e or "Content-Security-Policy" in e] == []
