"""The gestionnaire's day end to end (issue 19's « Done when »), with the adhérent in a second browser.

She lands on the dashboard, clicks the « 15–19 jours » band, assigns the two dossiers it lists to herself in bulk,
reviews the pieces of one (one *Conforme*, one *Non conforme* with a reason), requests compléments (pre-filled with
the piece to replace) with an internal note; the adhérent sees the piece to replace — and never the note — raises
the salary, replaces the piece and transmits again; the gestionnaire sees the change as a diff and accepts in one
step. axe on each back-office page she uses.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import etat, login_gestionnaire
from tests.e2e.test_back_office_attribution import action_en_masse, ligne
from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e

MOTIF = "programme non signé par l'organisme"
NOTE = "Vérifier la grille de la branche avant d'accepter."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


@pytest.fixture
def file_du_jour(demo_data):
    """Three transmitted dossiers of the mono-establishment adhérent: two waiting for 16 and 17 days (the « 15–19
    jours » band), one transmitted today; three salariés, three tutors (the tutor's load stays under its limit)."""
    from django.utils import timezone

    from dossiers.models import Dossier, Tuteur
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import autre_salarie, dossier_complet

    adherent = User.objects.get(email=MONO.email)
    dossiers = []
    for rang, jours in enumerate((16, 17, 0)):
        dossier = autre_salarie(dossier_complet(adherent), rang)
        Tuteur.objects.filter(dossier=dossier, rang=1).update(date_naissance=dt.date(1980, 1, 1 + rang))
        dossier_transmettre(dossier=dossier, user=adherent)
        Dossier.objects.filter(pk=dossier.pk).update(transmis_le=timezone.now() - dt.timedelta(days=jours))
        dossiers.append(Dossier.objects.get(pk=dossier.pk))
    return demo_data, dossiers


def test_la_journee_d_une_gestionnaire(page: Page, browser, browser_context_args, file_du_jour, tmp_path):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, (ancien, plus_ancien, recent) = file_du_jour
    releve = Releve()

    # The dashboard, then the « 15–19 jours » band: the two dossiers waiting for 16 and 17 days.
    login_gestionnaire(page, live.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    releve(page, "tableau de bord")
    page.locator("#par-delai").get_by_role("link", name=re.compile("15–19 jours")).click()
    expect(page).to_have_url(re.compile(r"/admin/dossiers/dossier/\?delai=j15_19$"))
    expect(ligne(page, ancien.numero)).to_contain_text("J+16")
    expect(ligne(page, plus_ancien.numero)).to_contain_text("J+17")
    expect(ligne(page, recent.numero)).to_have_count(0)

    # Both assigned to herself in bulk.
    action_en_masse(page, [ancien.numero, plus_ancien.numero], "M'attribuer")
    expect(page.locator(".messagelist")).to_contain_text("2 dossier(s) attribué(s) à Nadia Lefèvre")
    page.get_by_role("link", name="Mes dossiers").click()
    for dossier in (ancien, plus_ancien):
        expect(ligne(page, dossier.numero).locator("td.field-instruit_par_col")).to_have_text("Nadia Lefèvre")
    releve(page, "mes dossiers")

    # The pieces of the first: the convention is fine, the programme is not.
    ligne(page, ancien.numero).get_by_role("link", name=ancien.numero).click()
    expect(page.locator("#instruit-par")).to_have_text("Nadia Lefèvre")
    pieces = page.locator("#pieces")
    pieces.get_by_role("button", name="Conforme : convention_devis.pdf", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("« convention_devis.pdf » : Conforme.")
    programme = page.locator(".piece", has_text="programme.pdf")
    programme.get_by_label("Motif").fill(MOTIF)
    programme.get_by_role("button", name="Non conforme : programme.pdf", exact=True).click()
    expect(page.locator(".piece", has_text="programme.pdf")).to_contain_text(f"Non conforme : {MOTIF}")
    releve(page, "dossier : pièces revues")

    # Demander des compléments: pre-filled with the piece to replace, and an internal note.
    page.locator("#decisions").get_by_role("link", name="Demander des compléments", exact=True).click()
    expect(page.get_by_label("Commentaire")).to_have_value(f"Pièces à remplacer : Programme (programme.pdf) — {MOTIF}.")
    page.get_by_label("Note interne (non visible par l'adhérent)").fill(NOTE)
    releve(page, "demander des compléments")
    page.get_by_role("button", name="Confirmer : Demander des compléments").click()
    expect(etat(page)).to_have_text("A compléter")
    expect(page.locator("#notes-internes")).to_contain_text(NOTE)

    # The adhérent: sees the piece to replace, never the note; raises the salary, replaces the piece, transmits.
    context = browser.new_context(**browser_context_args)
    adherent = context.new_page()
    adherent.set_default_timeout(10_000)
    login(adherent, live.url, MONO.email)
    adherent.goto(f"{live.url}/dossiers/{ancien.pk}/introduction/")
    expect(adherent.locator("#avis-gestionnaire")).to_contain_text("Pièces à remplacer : Programme")
    expect(adherent.locator("body")).not_to_contain_text(NOTE)
    tab(adherent, "Contrat").click()
    expect_tab_shown(adherent, "Contrat")
    settled(adherent)
    adherent.get_by_label("Salaire brut mensuel à l'embauche").fill("2 000,00")
    save_tab(adherent)
    tab(adherent, "Documents").click()
    expect_tab_shown(adherent, "Documents")
    bloc = adherent.locator("#type-PROGRAMME")
    expect(bloc).to_contain_text(f"Non conforme : {MOTIF} — à remplacer")
    fichier = tmp_path / "programme-signe.pdf"
    fichier.write_bytes(PDF)
    bloc.locator("input[type=file]").set_input_files(str(fichier))
    expect(adherent.locator("#type-PROGRAMME")).to_contain_text("programme-signe.pdf")
    expect(adherent.locator("#type-PROGRAMME")).not_to_contain_text("Non conforme")
    expect(adherent.locator("body")).not_to_contain_text(NOTE)
    adherent.get_by_role("button", name="Transmettre").click()
    expect(adherent.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    context.close()

    # The gestionnaire: the adhérent's changes as a diff, then Accepter in one step from Transmis.
    page.reload()
    expect(etat(page)).to_have_text("Transmis")
    section = page.locator("#modifications")
    expect(section.get_by_role("heading", name="Modifications depuis la dernière transmission")).to_be_visible()
    salaire = section.get_by_role("listitem").filter(has_text="Salaire brut mensuel à l'embauche")
    expect(salaire).to_contain_text(re.compile(r"1\u202f900,00 € → 2\u202f000,00 €"))
    expect(section).to_contain_text("programme-signe.pdf")
    releve(page, "dossier retransmis : modifications")
    page.locator("#decisions").get_by_role("link", name="Accepter", exact=True).click()
    expect(page.get_by_label("Montant de la prise en charge engagée (€)")).to_have_value(re.compile(r",\d{2}$"))
    page.get_by_role("button", name="Confirmer : Accepter").click()
    expect(etat(page)).to_have_text("Accepté")
    historique = page.locator("#historique tbody tr")
    expect(historique.nth(-2)).to_contain_text("Prendre en instruction")
    expect(historique.nth(-1)).to_contain_text("Montant de la prise en charge engagée :")
    stored = Dossier.objects.get(pk=ancien.pk)
    assert stored.state == DossierState.ACCEPTE and stored.instruit_par.email == "gestionnaire@demo.test"
    assert stored.contrat.salaire_brut == 2000
    releve.verifier()
