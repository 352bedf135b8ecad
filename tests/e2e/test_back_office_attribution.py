"""The gestionnaire's day, her part of it: she selects two dossiers in the list and *M'attribuer* in bulk, sees
« Instruit par » = her name, opens one, writes an internal note, *Demander des compléments* with a comment and an
internal note; opens another *Transmis* dossier and *Accepter* in one step (the history shows the two events and
the amount); then a bulk *Accepter* shows its confirmation. Every new page passes axe; screenshots go to
/tmp/e2e-screens.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import etat, login_gestionnaire
from tests.e2e.test_journeys import MONO, expect_no_template_error

pytestmark = pytest.mark.e2e

NOTE = "Tuteur déjà vu sur un autre dossier refusé : vérifier avec la branche."
NOTE_COMPLEMENTS = "Relancer l'adhérent par téléphone si rien sous 8 jours."
COMMENTAIRE = "Merci de joindre le programme de formation signé."


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected in the page


@pytest.fixture
def trois_dossiers(demo_data):
    """Three complete dossiers of the mono-establishment adhérent, transmitted through the real service."""
    import datetime as dt

    from dossiers.models import Tuteur
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import autre_salarie, dossier_complet

    adherent = User.objects.get(email=MONO.email)
    dossiers = []
    for rang in range(3):
        dossier = autre_salarie(dossier_complet(adherent), rang)
        Tuteur.objects.filter(dossier=dossier, rang=1).update(date_naissance=dt.date(1980, 1, 1 + rang))
        dossier_transmettre(dossier=dossier, user=adherent)
        dossiers.append(dossier)
    return demo_data, dossiers


def ligne(page: Page, numero: str):
    return page.get_by_role("row", name=re.compile(numero))


def action_en_masse(page: Page, numeros: list[str], action: str) -> None:
    for numero in numeros:
        ligne(page, numero).get_by_role("checkbox").check()
    page.get_by_label("Action :").select_option(label=action)
    page.get_by_role("button", name="Envoyer").click()


def test_attribution_note_interne_et_decision_en_une_etape(page: Page, trois_dossiers, screens_dir):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier, NoteInterne

    live, dossiers = trois_dossiers
    premier, deuxieme, troisieme = (d.numero for d in dossiers)
    releve = Releve()

    # Bulk « M'attribuer » on two dossiers of the list.
    login_gestionnaire(page, live.url)
    page.goto(f"{live.url}/admin/dossiers/dossier/")
    action_en_masse(page, [premier, deuxieme], "M'attribuer")
    expect(page.locator(".messagelist")).to_contain_text("2 dossier(s) attribué(s) à Nadia Lefèvre")
    for numero in (premier, deuxieme):
        expect(ligne(page, numero).locator("td.field-instruit_par_col")).to_have_text("Nadia Lefèvre")
    expect(ligne(page, troisieme).locator("td.field-instruit_par_col")).to_have_text("—")
    page.get_by_role("link", name="Mes dossiers").click()
    expect(ligne(page, premier)).to_be_visible()
    expect(ligne(page, troisieme)).to_have_count(0)
    expect_no_template_error(page)
    releve(page, "liste : Mes dossiers")
    page.screenshot(path=str(screens_dir / "back-office-mes-dossiers.png"), full_page=True)

    # On the first: an internal note, then Demander des compléments with a comment and an internal note.
    ligne(page, premier).get_by_role("link", name=premier).click()
    expect(page.locator("#instruit-par")).to_have_text("Nadia Lefèvre")
    notes = page.locator("#notes-internes")
    expect(notes.get_by_role("heading", name="Notes internes (non visibles par l'adhérent)")).to_be_visible()
    notes.get_by_label("Nouvelle note interne").fill(NOTE)
    notes.get_by_role("button", name="Ajouter la note").click()
    expect(page.locator(".messagelist")).to_contain_text("Note interne ajoutée (non visible par l'adhérent).")
    expect(page.locator("#notes-internes")).to_contain_text(NOTE)
    expect(page.locator("#historique")).to_contain_text("Instruit par Nadia Lefèvre")
    releve(page, "page du dossier : notes internes")
    page.locator("#decisions").get_by_role("link", name="Demander des compléments", exact=True).click()
    page.get_by_label("Commentaire").fill(COMMENTAIRE)
    page.get_by_label("Note interne (non visible par l'adhérent)").fill(NOTE_COMPLEMENTS)
    releve(page, "formulaire : Demander des compléments")
    page.get_by_role("button", name="Confirmer : Demander des compléments").click()
    expect(page.locator(".messagelist")).to_contain_text("renvoyé à l'adhérent pour compléments")
    expect(etat(page)).to_have_text("A compléter")
    expect(page.locator("#historique")).to_contain_text(COMMENTAIRE)
    expect(page.locator("#notes-internes")).to_contain_text(NOTE_COMPLEMENTS)
    page.screenshot(path=str(screens_dir / "back-office-notes-internes.png"), full_page=True)
    assert set(NoteInterne.objects.filter(dossier=dossiers[0]).values_list("texte", flat=True)) == {
        NOTE,
        NOTE_COMPLEMENTS,
    }

    # « Attribuer à… » from the dossier page: the select of the Gestionnaires AKTO.
    page.goto(f"{live.url}/admin/dossiers/dossier/{dossiers[2].pk}/change/")
    page.locator("#attribution").get_by_role("link", name="Attribuer à…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Attribuer le dossier {troisieme}")
    releve(page, "Attribuer à…")
    page.get_by_label("Attribuer à").select_option(label="Nadia Lefèvre")
    page.get_by_role("button", name="Attribuer", exact=True).click()
    expect(page.locator("#instruit-par")).to_have_text("Nadia Lefèvre")

    # Another Transmis dossier: Accepter in one step.
    page.goto(f"{live.url}/admin/dossiers/dossier/{dossiers[1].pk}/change/")
    expect(etat(page)).to_have_text("Transmis")
    page.locator("#decisions").get_by_role("link", name="Accepter", exact=True).click()
    expect(page.get_by_label("Montant de la prise en charge engagée (€)")).to_have_value(re.compile(r",\d{2}$"))
    page.get_by_role("button", name="Confirmer : Accepter").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Le dossier {deuxieme} est accepté")
    expect(etat(page)).to_have_text("Accepté")
    historique = page.locator("#historique tbody tr")
    expect(historique.nth(-2)).to_contain_text("Prendre en instruction")
    expect(historique.nth(-2)).to_contain_text("Transmis → En cours d'instruction")
    expect(historique.nth(-1)).to_contain_text("Accepter")
    expect(historique.nth(-1)).to_contain_text("Montant de la prise en charge engagée :")
    expect(historique.nth(-1)).to_contain_text("€")
    page.screenshot(path=str(screens_dir / "back-office-accepte-en-une-etape.png"), full_page=True)
    stored = Dossier.objects.get(pk=dossiers[1].pk)
    assert stored.state == DossierState.ACCEPTE and stored.montant_engage > 0

    # Bulk « Accepter »: the confirmation lists the dossier with its amount, the decided one left out.
    page.goto(f"{live.url}/admin/dossiers/dossier/?etat=tous")
    action_en_masse(page, [deuxieme, troisieme], "Accepter (sans anomalie bloquante, montant estimé)")
    expect(page.locator("#dossiers-retenus")).to_contain_text(troisieme)
    expect(page.locator("#dossiers-retenus")).to_contain_text("€")
    expect(page.locator("#dossiers-exclus")).to_contain_text(deuxieme)
    releve(page, "confirmation : Accepter en masse")
    page.screenshot(path=str(screens_dir / "back-office-accepter-en-masse.png"), full_page=True)
    page.get_by_role("button", name="Confirmer : Accepter 1 dossier(s)").click()
    expect(page.locator(".messagelist")).to_contain_text(f"1 dossier(s) accepté(s) : {troisieme}")
    assert Dossier.objects.get(pk=dossiers[2].pk).state == DossierState.ACCEPTE
    releve.verifier()
