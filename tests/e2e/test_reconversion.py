"""The période de reconversion in Chromium, clicked by its labels: an adhérent creates a période de reconversion
externe in the wizard (no « type de contrat » step), fills its tabs — the shared ones and its « Accord » —, uploads
its three documents, transmits; a gestionnaire takes it in instruction and accepts it. Then the interne and the
Pro-A: their own « Accord » parts."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import browser_context_args, releve  # noqa: F401 (fixtures: axe needs them)
from tests.e2e.test_back_office import decider, etat, login_gestionnaire
from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import (
    MULTI,
    Q_DISPOSITIF,
    Q_ENTREPRISE,
    Q_ETABLISSEMENT,
    Q_SOUS_DISPOSITIF,
    answer,
    login,
    tab,
    wizard_question,
)
from tests.e2e.test_parcours_complet import (
    PDF,
    bullet,
    donnees,  # noqa: F401 (a fixture)
    open_tab,
    remplir_employeur,
    remplir_formation,
    remplir_introduction,
    remplir_salarie,
    remplir_synthese,
)

pytestmark = pytest.mark.e2e

RECONVERSION = "Reconversion ou promotion par alternance"
ONGLETS = ["Introduction", "Employeur", "Salarié", "Accord", "Formation", "Synthèse", "Documents"]


def creer(page: Page, sous_dispositif: str) -> None:
    """The multi-company adhérent's propreté establishment (IDCC 3043: the dispositif is open for it)."""
    page.get_by_role("link", name="Créer un nouveau dossier").click()
    steps = [
        (Q_ENTREPRISE, "ATLANTIQUE PROPRETE SERVICES"),
        (Q_ETABLISSEMENT, "44000 NANTES"),
        (Q_DISPOSITIF, RECONVERSION),
        (Q_SOUS_DISPOSITIF, sous_dispositif),
    ]
    for question, choix in steps:
        expect(wizard_question(page)).to_have_text(question)
        answer(page, question, choix)
    expect(page.get_by_role("heading", name=RECONVERSION, level=1)).to_be_visible()
    expect(page.get_by_text(sous_dispositif, exact=True)).to_be_visible()
    expect(page.get_by_role("tab")).to_have_text(ONGLETS)


def remplir_accord(page: Page, debut: dt.date) -> None:
    open_tab(page, "Accord")
    page.get_by_label("Date de début de la période de reconversion").fill(f"{debut:%d/%m/%Y}")
    page.get_by_label("Date de début de la période de reconversion").press("Escape")
    fin = debut + dt.timedelta(days=300)
    page.get_by_label("Date de fin de la période de reconversion").fill(f"{fin:%d/%m/%Y}")
    page.get_by_label("Date de fin de la période de reconversion").press("Escape")
    page.get_by_label("Durée totale de la formation (heures)").fill("400")
    page.get_by_label(re.compile(r"Qualification visée$")).select_option("rncp")
    page.get_by_label("Intitulé de la qualification visée").fill("Titre professionnel agent de propreté")
    page.get_by_role("group", name=re.compile("hors temps de travail")).get_by_label("Non").check()


def deposer_et_transmettre(page: Page, tmp_path, types: list[str]) -> None:
    """Upload the sous-dispositif's mandatory documents, attest, fill the Synthèse and click *Transmettre*."""
    open_tab(page, "Documents")
    fichier = tmp_path / "accord.pdf"
    fichier.write_bytes(PDF)
    compteur = page.locator("#documents-compteur")
    expect(compteur).to_contain_text(f"0/{len(types)} types de documents obligatoires à transmettre")
    for code in types:
        page.locator(f"#fichiers-{code}").set_input_files(str(fichier))
        expect(page.locator(f"#type-{code}")).to_contain_text(fichier.name)
        settled(page)
    expect(compteur).to_contain_text(f"{len(types)}/{len(types)} types de documents obligatoires à transmettre")
    page.get_by_label(re.compile("L'employeur atteste disposer de l'ensemble des pièces")).check()
    save_tab(page)
    remplir_synthese(page)
    expect(page.get_by_role("link", name="Générer le récapitulatif")).to_be_visible()
    expect(page.get_by_role("link", name="Générer le CERFA")).to_have_count(0)
    page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()


def test_periode_de_reconversion_externe_creee_transmise_et_acceptee(
    page: Page,
    donnees,  # noqa: F811 (the fixture)
    tmp_path,
    browser,
    screens_dir,
):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, siret = donnees
    login(page, live.url, MULTI.email)
    creer(page, "Période de reconversion externe")
    numero = page.get_by_text(re.compile(r"^CP\d{10}$")).inner_text().strip()

    remplir_introduction(page)
    remplir_employeur(page)
    remplir_salarie(page, cerfa=False)

    debut = dt.date.today() + dt.timedelta(days=20)
    remplir_accord(page, debut)
    page.get_by_label("SIRET de l'entreprise d'accueil").fill("79345128000015")
    page.get_by_label("Raison sociale de l'entreprise d'accueil").fill("NETTOYAGE DE L'OUEST")
    page.get_by_label("Nature du contrat dans l'entreprise d'accueil").select_option("cdd")
    page.get_by_label("Durée du CDD (mois)").fill("5")
    save_tab(page)
    expect(page.locator("#field-accueil_duree_mois")).to_contain_text("CDD d'au moins 6 mois")
    page.get_by_label("Durée du CDD (mois)").fill("6")
    save_tab(page)
    expect(bullet(page, "Accord")).to_have_attribute("data-status", "valid")
    expect(page.locator("#estimation")).to_contain_text("3\u202f660,00")  # 400 h × 9,15 €
    page.screenshot(path=str(screens_dir / "reconversion-accord.png"), full_page=True)
    remplir_formation(page, siret, debut, debut + dt.timedelta(days=300), cerfa=False)

    deposer_et_transmettre(page, tmp_path, ["ACCORD_RECONVERSION", "CONVENTION_FORMATION", "CONTRAT_ACCUEIL"])
    dossier = Dossier.objects.get(numero=numero)
    assert dossier.state == DossierState.TRANSMIS

    # The gestionnaire decides it in the back office, as any dossier.
    context = browser.new_context()
    gestionnaire = context.new_page()
    login_gestionnaire(gestionnaire, live.url)
    gestionnaire.goto(f"{live.url}/admin/dossiers/dossier/{dossier.pk}/change/")
    expect(etat(gestionnaire)).to_have_text("Transmis")
    expect(gestionnaire.locator("#onglet-accord")).to_contain_text("NETTOYAGE DE L'OUEST")
    decider(gestionnaire, "Prendre en instruction")
    gestionnaire.locator("#decisions").get_by_role("link", name="Accepter", exact=True).click()
    # Its own estimate proposed (400 h × 9,15 €/h), not the contrat pro's.
    expect(gestionnaire.locator("#estimation")).to_contain_text("400 h de formation")
    expect(gestionnaire.get_by_label("Montant de la prise en charge engagée (€)")).to_have_value(
        re.compile(r"^3\s?660,00$")
    )
    gestionnaire.get_by_role("button", name="Confirmer : Accepter").click()
    expect(etat(gestionnaire)).to_have_text("Accepté")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.ACCEPTE
    context.close()


@pytest.mark.parametrize(
    ("sous_dispositif", "absents", "presents"),
    [
        ("Période de reconversion interne", ["SIRET de l'entreprise d'accueil", "Date de conclusion de l'avenant"], []),
        (
            "Pro-A (avenant conclu avant le 01/01/2026)",
            ["SIRET de l'entreprise d'accueil"],
            ["Date de conclusion de l'avenant"],
        ),
    ],
)
def test_interne_et_pro_a_ont_leur_accord(page: Page, donnees, sous_dispositif, absents, presents):  # noqa: F811
    live, _ = donnees
    login(page, live.url, MULTI.email)
    creer(page, sous_dispositif)
    open_tab(page, "Accord")
    for libelle in absents:
        expect(page.get_by_label(libelle)).to_have_count(0)
    for libelle in presents:
        expect(page.get_by_label(libelle)).to_be_visible()
    if presents:
        page.get_by_label("Date de conclusion de l'avenant").fill("02/01/2026")
        page.get_by_label("Date de conclusion de l'avenant").press("Escape")
        save_tab(page)
        expect(page.locator("#field-date_avenant")).to_contain_text("remplacée par la période de reconversion")
    expect(tab(page, "Contrat")).to_have_count(0)


def test_l_accord_et_ses_messages_sans_violation_grave(page: Page, donnees, releve):  # noqa: F811
    """axe on the new tab, empty then with its messages after a save (the externe: every part of it)."""
    live, _ = donnees
    login(page, live.url, MULTI.email)
    creer(page, "Période de reconversion externe")
    open_tab(page, "Accord")
    releve(page, "Accord")
    page.get_by_label("Durée totale de la formation (heures)").fill("100")
    save_tab(page)
    expect(page.locator("#field-duree_formation_heures")).to_contain_text("de 150 à 450 heures")
    releve(page, "Accord : messages")
    releve.verifier()


@pytest.mark.parametrize(
    ("sous_dispositif", "types"),
    [
        ("Période de reconversion interne", ["ACCORD_RECONVERSION", "CONVENTION_FORMATION"]),
        ("Pro-A (avenant conclu avant le 01/01/2026)", ["AVENANT_PROA", "CONVENTION_FORMATION"]),
    ],
)
def test_interne_et_pro_a_jusqu_a_la_transmission(
    page: Page,
    donnees,  # noqa: F811 (the fixture)
    tmp_path,
    sous_dispositif,
    types,
):
    """Every tab filled by its labels — the Salarié's without the CERFA's fields, the Formation's hours those of the
    Accord (REC-03) — then *Transmettre*."""
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, siret = donnees
    login(page, live.url, MULTI.email)
    creer(page, sous_dispositif)
    numero = page.get_by_text(re.compile(r"^CP\d{10}$")).inner_text().strip()
    expect(page.get_by_role("tabpanel")).to_contain_text("dans les 30 jours qui précèdent le début")
    remplir_introduction(page)
    remplir_employeur(page)
    remplir_salarie(page, cerfa=False)
    debut = dt.date.today() + dt.timedelta(days=20)
    remplir_accord(page, debut)
    if "Pro-A" in sous_dispositif:
        page.get_by_role("group", name=re.compile("contrat à durée indéterminée")).get_by_label("Oui").check()
        page.get_by_label("Date de conclusion de l'avenant").fill("15/12/2025")
        page.get_by_label("Date de conclusion de l'avenant").press("Escape")
    save_tab(page)
    expect(bullet(page, "Accord")).to_have_attribute("data-status", "valid")
    remplir_formation(page, siret, debut, debut + dt.timedelta(days=300), cerfa=False)
    deposer_et_transmettre(page, tmp_path, types)
    assert Dossier.objects.get(numero=numero).state == DossierState.TRANSMIS


def test_l_introduction_et_le_salarie_d_une_reconversion_sans_violation_grave(page: Page, donnees, releve):  # noqa: F811
    """axe on the reconversion's own Introduction text and on its Salarié tab without the CERFA's fields."""
    live, _ = donnees
    login(page, live.url, MULTI.email)
    creer(page, "Période de reconversion interne")
    open_tab(page, "Introduction")
    expect(page.get_by_role("tabpanel")).to_contain_text("La reconversion ou promotion par alternance permet")
    releve(page, "Introduction (reconversion)")
    open_tab(page, "Salarié")
    expect(page.get_by_label("Nom de naissance")).to_be_visible()
    releve(page, "Salarié (reconversion)")
    releve.verifier()
