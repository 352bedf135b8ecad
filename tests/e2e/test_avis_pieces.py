"""The per-piece review, in Chromium: the gestionnaire marks one piece *Conforme* and one *Non conforme* with a
reason, opens *Demander des compléments* and finds the list of pieces to replace pre-filled, sends; the adhérent,
in a second browser, reads « Non conforme : … — à remplacer » on that piece in Documents. axe on the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import dossier_transmis, etat, login_gestionnaire  # noqa: F401 — the fixture
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e

MOTIF = "illisible, page 2 manquante"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def test_gestionnaire_revoit_les_pieces_puis_l_adherent_voit_la_piece_a_remplacer(
    page: Page,
    browser,
    browser_context_args,
    dossier_transmis,  # noqa: F811 — the fixture imported above
    screens_dir,
):
    live, dossier = dossier_transmis
    releve = Releve()
    login_gestionnaire(page, live.url)
    page.goto(f"{live.url}/admin/dossiers/dossier/{dossier.pk}/change/")
    pieces = page.locator("#pieces")
    expect(pieces).to_contain_text("À vérifier")

    # *Non conforme* needs its reason.
    pieces.get_by_role("button", name="Non conforme : programme.pdf", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saisissez le motif de la non-conformité")

    pieces.get_by_role("button", name="Conforme : convention_devis.pdf", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("« convention_devis.pdf » : Conforme.")
    ligne = page.locator(".piece", has_text="programme.pdf")
    ligne.get_by_label("Motif").fill(MOTIF)
    ligne.get_by_role("button", name="Non conforme : programme.pdf", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("« programme.pdf » : Non conforme.")
    expect(page.locator(".piece", has_text="programme.pdf")).to_contain_text(f"Non conforme : {MOTIF}")
    expect(page.locator(".piece", has_text="convention_devis.pdf")).to_contain_text("Conforme")
    releve(page, "back office : dossier, pièces revues")
    page.screenshot(path=str(screens_dir / "back-office-avis-pieces.png"), full_page=True)

    # *Demander des compléments*: the comment offers the pieces to replace.
    page.locator("#decisions").get_by_role("link", name="Demander des compléments").click()
    commentaire = page.get_by_label("Commentaire")
    expect(commentaire).to_have_value(f"Pièces à remplacer : Programme (programme.pdf) — {MOTIF}.")
    releve(page, "back office : demander des compléments pré-rempli")
    page.get_by_role("button", name="Confirmer : Demander des compléments").click()
    expect(page.locator(".messagelist")).to_contain_text("renvoyé à l'adhérent pour compléments")
    expect(etat(page)).to_have_text("A compléter")

    # The adhérent sees which piece to replace.
    context = browser.new_context(**browser_context_args)
    adherent = context.new_page()
    adherent.set_default_timeout(10_000)
    login(adherent, live.url, MONO.email)
    adherent.get_by_role("link", name="Dossiers", exact=True).click()
    adherent.get_by_role("row", name=re.compile(dossier.numero)).get_by_role(
        "link", name=f"Ouvrir le dossier {dossier.numero}"
    ).click()
    expect(adherent.locator("#avis-gestionnaire")).to_contain_text("Pièces à remplacer : Programme")
    tab(adherent, "Documents").click()
    expect_tab_shown(adherent, "Documents")
    programme = adherent.locator("#type-PROGRAMME")
    expect(programme).to_contain_text(f"Non conforme : {MOTIF} — à remplacer")
    expect(adherent.locator("#type-CONVENTION_DEVIS")).not_to_contain_text("Non conforme")
    releve(adherent, "adhérent : Documents, pièce à remplacer")
    adherent.screenshot(path=str(screens_dir / "adherent-piece-a-remplacer.png"), full_page=True)
    context.close()
    releve.verifier()
