"""A failed *Enregistrer* is said in French, and what the user typed stays on screen: a server error (500), a
lost network, a timeout; the tab saves normally once the server answers again."""

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

EMPLOI = "Emploi occupé pendant le contrat (intitulé précis)"
NON_ENREGISTRE = "Votre saisie n'a pas été enregistrée ; elle reste affichée : vous pouvez réessayer."


def expect_erreur(page: Page, titre: str, cause: str) -> None:
    """The French message, once every request has failed (the field check on leaving the field, then the save)."""
    dialog = page.get_by_role("dialog", name=titre)
    expect(dialog).to_be_visible()
    settled(page)
    expect(dialog).to_contain_text(cause)
    expect(dialog).to_contain_text(NON_ENREGISTRE)
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()


def test_a_failed_save_is_said_in_french_and_keeps_the_input(page: Page, demo_data):
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    emploi = page.get_by_label(EMPLOI)

    # The server answers 500 on *Enregistrer*.
    def panne(route: Route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route("**/*", panne)
    emploi.fill("Serveur en salle")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect_erreur(page, "Erreur du serveur", "Le serveur a rencontré une erreur.")
    expect(emploi).to_have_value("Serveur en salle")
    expect(page.get_by_text("Server Error (500)")).to_have_count(0)
    page.unroute("**/*")

    # The network is lost.
    page.route("**/*", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    emploi.fill("Chef de rang")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect_erreur(page, "Connexion perdue", "Le serveur est injoignable : vérifiez votre connexion internet.")
    expect(emploi).to_have_value("Chef de rang")
    page.unroute("**/*")

    # The server does not answer in time (htmx.config.timeout: 120 s in base.html, shortened here).
    assert page.evaluate("htmx.config.timeout") == 120_000
    page.evaluate("htmx.config.timeout = 500")
    retenues: list[Route] = []
    page.route("**/*", lambda route: retenues.append(route) if route.request.method == "POST" else route.continue_())
    emploi.fill("Commis de salle")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect_erreur(page, "Délai dépassé", "Le serveur n'a pas répondu à temps.")
    expect(emploi).to_have_value("Commis de salle")
    page.unroute("**/*")
    for route in retenues:
        try:
            route.abort()
        except Exception:  # the browser already gave the request up
            pass
    page.evaluate("htmx.config.timeout = 120000")

    # The server answers again: the same input is saved.
    save_tab(page)
    expect(emploi).to_have_value("Commis de salle")
    from dossiers.models import Dossier

    assert Dossier.objects.filter(created_by__email=MONO.email).latest("created_at").contrat.emploi == "Commis de salle"


def test_a_failed_upload_is_said_under_the_field_or_in_the_dialog(
    page: Page, demo_data, settings, tmp_path, monkeypatch
):
    import errno
    import os

    from documents import stockage
    from documents.models import PieceJointe
    from tests.e2e.test_parcours_complet import PDF, open_tab

    disque = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "documents.stockage.StockageDisque", "OPTIONS": {"location": disque}},
    }
    fichier = tmp_path / "programme.pdf"
    fichier.write_bytes(PDF)
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    open_tab(page, "Documents")
    section = page.locator("#type-PROGRAMME")

    # The disk is full: the French message under the field, no file, no row.
    def plein(fd, donnees):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(stockage, "_ecrire", plein)  # the storage's write (os.write is Playwright's too)
    page.locator("#fichiers-PROGRAMME").set_input_files(str(fichier))
    expect(section).to_contain_text(stockage.MSG_DISQUE_PLEIN)
    settled(page)
    assert not PieceJointe.objects.exists()
    assert not [p for p in disque.rglob("*") if p.is_file()]
    monkeypatch.undo()

    # The server answers 500: the dialog says so, the tab is left as it was.
    page.route("**/*", lambda r: r.fulfill(status=500, body="") if r.request.method == "POST" else r.continue_())
    page.locator("#fichiers-PROGRAMME").set_input_files(str(fichier))
    dialog = page.get_by_role("dialog", name="Erreur du serveur")
    expect(dialog).to_contain_text(NON_ENREGISTRE)
    settled(page)
    dialog.get_by_role("button", name="Fermer").click()
    expect(section).to_contain_text(stockage.MSG_DISQUE_PLEIN)  # not swapped
    page.unroute("**/*")

    # The disk has room again: the file is stored.
    autre = tmp_path / "programme-signe.pdf"
    autre.write_bytes(PDF)
    page.locator("#fichiers-PROGRAMME").set_input_files(str(autre))
    expect(section).to_contain_text("programme-signe.pdf")
    assert PieceJointe.objects.count() == 1


def test_a_save_after_the_session_expired_says_so_and_keeps_the_input(page: Page, demo_data):
    """Signed out meanwhile (idle or absolute limit): the login page is not swapped into the tab (a 401,
    portal.connexion.SessionExpireeHtmxMiddleware); the dialog says so and the input stays."""
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    settled(page)
    page.context.clear_cookies(name="sessionid")  # the session is gone (the CSRF cookie stays)
    emploi = page.get_by_label(EMPLOI)
    emploi.fill("Serveur en salle")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect_erreur(page, "Session expirée", "Votre session a expiré : reconnectez-vous dans un autre onglet")
    expect(emploi).to_have_value("Serveur en salle")
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)  # no login form in the tab
