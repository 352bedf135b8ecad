"""« Reprise d'une demande pré-saisie » for a période de reconversion, in two browser contexts.

The prestataire searches the propreté establishment (IDCC 3043): its wizard offers the reconversion, with no
« type de contrat » step; it fills the tabs that are its own (Introduction, Salarié, Accord, Formation, Documents),
finalises; the adhérent finds it among its demandes à valider, accepts it, completes its own tabs and the
employer's attestations, transmits; the prestataire sees it « Transmis ».
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_contrat_formation import save_tab, settled
from tests.e2e.test_journeys import (
    MULTI,
    Q_DISPOSITIF,
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
    donnees,  # noqa: F401 (fixture)
    open_tab,
    remplir_employeur,
    remplir_formation,
    remplir_introduction,
    remplir_salarie,
    remplir_synthese,
)
from tests.e2e.test_reconversion import ONGLETS, RECONVERSION, remplir_accord
from tests.e2e.test_reprise import NUMERO, PRESTATAIRE, contexte, finaliser, ouvrir_la_demande_a_valider

pytestmark = pytest.mark.e2e

INTERNE = "Période de reconversion interne"


def test_reconversion_presaisie_par_le_prestataire_reprise_et_transmise(browser: Browser, donnees, tmp_path):  # noqa: F811
    from dossiers.enums import DossierState
    from dossiers.models import AccordReconversion, Dossier

    live, siret = donnees
    debut = dt.date.today() + dt.timedelta(days=20)

    # The prestataire's wizard: the member establishment found by its search, the dispositif its branch opens.
    prestataire = contexte(browser)
    login(prestataire, live.url, PRESTATAIRE)
    prestataire.get_by_role("link", name="Créer un nouveau dossier").click()
    expect(wizard_question(prestataire)).to_have_text(Q_ETABLISSEMENT)
    prestataire.get_by_label("Siren, siret ou dénomination...").fill("atlantique proprete nantes")
    prestataire.get_by_role("button", name="Rechercher").click()
    answer(prestataire, Q_ETABLISSEMENT, "44000 NANTES")
    expect(wizard_question(prestataire)).to_have_text(Q_DISPOSITIF)
    answer(prestataire, Q_DISPOSITIF, RECONVERSION)
    answer(prestataire, Q_SOUS_DISPOSITIF, INTERNE)
    expect(prestataire.get_by_role("heading", name=RECONVERSION, level=1)).to_be_visible()
    expect(prestataire.get_by_role("tab")).to_have_text(ONGLETS)
    numero = prestataire.get_by_text(NUMERO).inner_text().strip()

    # Its tabs: Introduction, Salarié (not the employer's attestations), Accord, Formation, Documents.
    remplir_introduction(prestataire)
    tab(prestataire, "Employeur").click()
    expect(prestataire.get_by_text("complété par l'adhérent")).to_be_visible()
    expect(prestataire.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    remplir_salarie(prestataire, employeur=False, cerfa=False)
    remplir_accord(prestataire, debut)
    save_tab(prestataire)
    expect(bullet(prestataire, "Accord")).to_have_attribute("data-status", "valid")
    remplir_formation(prestataire, siret, debut, debut + dt.timedelta(days=300), cerfa=False)
    open_tab(prestataire, "Documents")
    fichier = tmp_path / "accord.pdf"
    fichier.write_bytes(PDF)
    compteur = prestataire.locator("#documents-compteur")
    expect(compteur).to_contain_text("0/2 types de documents obligatoires à transmettre")
    for code in ["ACCORD_RECONVERSION", "CONVENTION_FORMATION"]:
        prestataire.locator(f"#fichiers-{code}").set_input_files(str(fichier))
        expect(prestataire.locator(f"#type-{code}")).to_contain_text(fichier.name)
        settled(prestataire)
    expect(compteur).to_contain_text("2/2 types de documents obligatoires à transmettre")
    attestation = re.compile("L'employeur atteste disposer de l'ensemble des pièces")
    expect(prestataire.get_by_label(attestation)).to_be_disabled()
    finaliser(prestataire, numero)

    # The adhérent finds it, reads it, accepts it.
    adherent = contexte(browser)
    login(adherent, live.url, MULTI.email)
    ouvrir_la_demande_a_valider(adherent, numero)
    expect(adherent.get_by_role("button", name="Transmettre")).to_have_count(0)
    tab(adherent, "Accord").click()
    expect(adherent.get_by_label("Durée totale de la formation (heures)")).to_have_value("400")
    expect(adherent.get_by_label("Durée totale de la formation (heures)")).to_be_disabled()
    adherent.get_by_role("button", name="Accepter").click()
    expect(adherent.get_by_text("Vous avez accepté la demande")).to_be_visible()
    expect(adherent.get_by_label("Durée totale de la formation (heures)")).to_be_editable()

    # It completes its own tabs and the employer's attestations, and transmits.
    open_tab(adherent, "Salarié")
    adherent.get_by_label(re.compile("Employeur atteste sur l'honneur")).check()
    adherent.get_by_label(re.compile("L'employeur atteste que le tuteur est volontaire")).check()
    save_tab(adherent)
    expect(bullet(adherent, "Salarié")).to_have_attribute("data-status", "valid")
    remplir_employeur(adherent)
    open_tab(adherent, "Documents")
    adherent.get_by_label(re.compile("L'employeur atteste disposer de l'ensemble des pièces")).check()
    save_tab(adherent)
    expect(bullet(adherent, "Documents")).to_have_attribute("data-status", "valid")
    remplir_synthese(adherent)
    adherent.get_by_role("button", name="Transmettre").click()
    expect(adherent.get_by_role("dialog", name="Votre demande a été transmise à AKTO")).to_be_visible()
    dossier = Dossier.objects.get(numero=numero)
    assert dossier.state == DossierState.TRANSMIS and dossier.sous_dispositif.code == "REC_INT"
    assert AccordReconversion.objects.get(dossier=dossier).duree_formation_heures == 400

    prestataire.get_by_role("link", name="Dossiers", exact=True).click()
    expect(prestataire.get_by_role("row", name=re.compile(numero))).to_contain_text("Transmis")
