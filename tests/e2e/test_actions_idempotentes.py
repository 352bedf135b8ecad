"""Issue 20 in the browser: a double-clicked *Transmettre* shows its success once and the page behind it is the
read-only dossier; Back after *Transmettre* shows the read-only state (asked again from the server, not a copy);
the back office's *Confirmer : Accepter* double-clicked is one decision, and Back does not offer *Accepter*."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_back_office import etat, login_gestionnaire
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e


def retenir(page: Page, motif: str) -> list:
    """Hold the POSTs to ``motif`` (the page waits for their answer) until ``liberer``."""
    retenues = []
    page.route(motif, lambda route: retenues.append(route) if route.request.method == "POST" else route.continue_())
    return retenues


def liberer(page: Page, retenues: list, motif: str) -> None:
    assert len(retenues) == 1  # one request sent, however many clicks
    for route in retenues:
        route.continue_()
    page.unroute(motif)


def test_transmettre_double_clique_un_seul_succes_puis_retour_en_lecture_seule(page: Page, demo_data):
    from dossiers.models import DossierEvenement
    from dossiers.workflow import TRANSMETTRE
    from portal.models import User
    from tests.complet import dossier_complet

    dossier = dossier_complet(User.objects.get(email=MONO.email))
    login(page, demo_data.url, MONO.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Brouillons").click()
    page.get_by_role("link", name=f"Ouvrir le dossier {dossier.numero}").click()
    expect_tab_shown(page, "Introduction")
    tab(page, "Synthèse").click()
    expect_tab_shown(page, "Synthèse")
    expect(page).to_have_url(re.compile(rf"/dossiers/{dossier.pk}/synthese/$"))

    # The request is held until the button has been seen disabled: a second click while it runs does nothing.
    envois = retenir(page, "**/transmettre/")
    transmettre = page.get_by_role("button", name="Transmettre")
    transmettre.dblclick()
    expect(transmettre).to_be_disabled()
    liberer(page, envois, "**/transmettre/")

    succes = page.get_by_role("dialog", name="Votre demande a été transmise à AKTO")
    expect(succes).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("dialog")).to_have_count(1)
    expect(succes).to_be_visible()
    expect(page.get_by_text("impossible")).to_have_count(0)
    # Behind the dialog, the dossier as it is now: its state, read-only, no button to save or transmit.
    expect(page.locator("#dossier-etat")).to_have_text("Transmis")
    expect(page.get_by_role("button", name="Transmettre")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    expect(page.get_by_text("il est en lecture seule")).to_be_visible()
    assert DossierEvenement.objects.filter(dossier=dossier, transition=TRANSMETTRE).count() == 1

    # Back: the Introduction tab, as the server has it now (read-only), never the editable copy taken before.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/dossiers/{dossier.pk}/introduction/$"))
    expect_tab_shown(page, "Introduction")
    expect(page.get_by_text("Ce dossier est à l'état « Transmis » : il est en lecture seule.")).to_be_visible()
    expect(page.get_by_role("button", name="Transmettre")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)


def test_accepter_double_clique_une_seule_decision_et_retour_sans_accepter(page: Page, demo_data):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier, DossierEvenement
    from dossiers.services import dossier_transmettre
    from dossiers.workflow import ACCEPTER_DOSSIER
    from portal.models import User
    from tests.complet import dossier_complet

    adherent = User.objects.get(email=MONO.email)
    dossier = dossier_complet(adherent)
    dossier_transmettre(dossier=dossier, user=adherent)
    login_gestionnaire(page, demo_data.url)
    page.locator("tr.model-dossier").get_by_role("link", name="Dossiers").click()
    page.get_by_role("row", name=re.compile(dossier.numero)).get_by_role("link", name=dossier.numero).click()
    decisions = page.locator("#decisions")
    decisions.get_by_role("link", name="Accepter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepter")

    page.get_by_role("button", name="Confirmer : Accepter").dblclick()

    expect(page.locator(".messagelist")).to_contain_text(f"Le dossier {dossier.numero} est accepté")
    page.wait_for_load_state("networkidle")
    expect(etat(page)).to_have_text("Accepté")
    expect(page.get_by_text("impossible")).to_have_count(0)
    assert DossierEvenement.objects.filter(dossier=dossier, transition=ACCEPTER_DOSSIER).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.ACCEPTE

    # Back onto the decision's form: the server sends the dossier page again, decided, without *Accepter*.
    page.go_back()
    expect(etat(page)).to_have_text("Accepté")
    expect(decisions.get_by_role("link", name="Accepter", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Confirmer : Accepter")).to_have_count(0)
    expect(page.get_by_text("impossible")).to_have_count(0)
