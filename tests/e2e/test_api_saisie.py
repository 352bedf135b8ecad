"""The API's writes seen in the portal: a dossier created by the organisation's software (POST), then changed
(PATCH), is the prestataire's draft in Brouillons, its tabs showing what the software sent."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from dossiers.api import cles
from portal.models import User
from referentiels.models import Etablissement, OrganismeFormation
from referentiels.validators import nir_key
from tests.complet import NIR_13
from tests.e2e.test_journeys import expect_tab_shown, login, tab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_un_dossier_cree_puis_modifie_par_l_api_est_le_brouillon_du_prestataire(page: Page, demo_data):
    base_url = demo_data.url
    prestataire = User.objects.get(email="prestataire@demo.test")
    organisme = OrganismeFormation.objects.rattaches_a(prestataire).get()
    cle = cles.creer(organisme, prestataire, "Logiciel de gestion")[1]
    entetes = {"Authorization": f"Bearer {cle}", "Content-Type": "application/json"}
    brasserie = Etablissement.objects.get(entreprise__raison_sociale="BRASSERIE DES CELESTINS")
    document = {
        "siret": brasserie.siret,
        "type_contrat": "11",
        "salarie": {
            "nom_naissance": "Lefèvre",
            "prenom": "Théo",
            "date_naissance": "2004-05-12",
            "nir": f"{NIR_13}{nir_key(NIR_13):02d}",
        },
        "tuteurs": [{"nom": "Durand", "prenom": "Claire", "emploi": "Cheffe de rang"}],
        "contrat": {"emploi": "Serveur en salle", "salaire_brut": "1900.00"},
        "formation": {
            "intitule": "Service en salle",
            "modules": [{"type": "externe", "organisme": organisme.siret, "heures": 400}],
        },
    }
    cree = page.request.post(f"{base_url}/api/v1/dossiers", headers=entetes, data=json.dumps(document))
    assert cree.status == 201, cree.text()
    numero, version = cree.json()["numero"], cree.json()["version"]
    modifie = page.request.patch(
        f"{base_url}/api/v1/dossiers/{numero}",
        headers=entetes,
        data=json.dumps({"version": version, "contrat": {"emploi": "Chef de rang"}}),
    )
    assert modifie.status == 200, modifie.text()

    login(page, base_url, "prestataire@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Brouillons").click()
    expect(page.get_by_role("heading", name="Brouillons", level=1)).to_be_visible()
    page.get_by_role("link", name=f"Ouvrir le dossier {numero}").click()
    tab(page, "Salarié").click()
    expect_tab_shown(page, "Salarié")
    expect(page.get_by_label("Nom de naissance")).to_have_value("LEFÈVRE")
    expect(page.get_by_label("Prénom").first).to_have_value("Théo")
    tab(page, "Contrat").click()
    expect_tab_shown(page, "Contrat")
    expect(page.get_by_label("Emploi occupé pendant le contrat")).to_have_value("Chef de rang")  # the PATCH's
    expect(page.get_by_label("Salaire brut mensuel à l'embauche")).to_have_value(re.compile(r"^1\s900,00$"))  # kept
    tab(page, "Formation").click()
    expect_tab_shown(page, "Formation")
    expect(page.get_by_text("INSTITUT DES METIERS DE LA TABLE")).to_be_visible()
