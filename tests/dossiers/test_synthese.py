"""The Synthèse tab: recap of every tab (masked NIR, modules, estimate), tab statuses and links, the two
mandatory attestations, the comment for the gestionnaire; the Conditions Générales page."""

import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from dossiers import rules
from dossiers.models import ModuleFormation, Synthese
from dossiers.saisie import onglets
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

NIR = "185057800608491"


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


@pytest.fixture
def dossier(adherent):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent)
    salarie = dossier.salarie
    salarie.nom_naissance, salarie.prenom, salarie.nir = "DUPONT", "Jean", NIR
    salarie.save()
    formation = dossier.formation
    formation.intitule, formation.duree_totale_heures = "CQP Agent de propreté", 400
    formation.save()
    ModuleFormation.objects.create(
        formation=formation, ordre=1, type="interne", service_interne="Service formation", heures=150
    )
    ModuleFormation.objects.create(formation=formation, ordre=2, type="interne", service_interne="Atelier", heures=250)
    return dossier


def text(response):
    return html.unescape(response.content.decode())


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(
        f"/dossiers/{dossier.pk}/synthese/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true"
    )


def test_recap_shows_every_tab_with_masked_nir_and_modules(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert "Récapitulatif des principales informations" in page
    assert dossier.employeur.raison_sociale in page and dossier.employeur.siret in page
    assert "DUPONT" in page and dossier.salarie.nir_masque in page
    assert NIR not in page  # the NIR in full is never shown outside its own field
    assert "CQP Agent de propreté" in page
    assert "Service formation" in page and "Atelier" in page and "150 h" in page and "250 h" in page
    assert "Estimation" in page and "3\u202f660,00 €" in page


def test_statuses_and_links_to_fix(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    statuts = {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}
    assert statuts["salarie"] == "invalid"
    assert 'data-onglet="salarie" data-status="invalid"' in page
    assert f'href="/dossiers/{dossier.pk}/salarie/"' in page and "Corriger l'onglet Salarié" in page
    assert f'href="/dossiers/{dossier.pk}/formation/"' in page
    assert 'data-onglet="synthese"' not in page  # its own status is the tab bar's


def test_attestations_are_mandatory_boxes(adherent, dossier):
    codes = {a.code for a in rules.check_onglet(dossier, "synthese")}
    assert codes == {"SYNTHESE_ATTESTATION_EXACTITUDE_OBLIGATOIRE", "SYNTHESE_ACCEPTATION_CG_OBLIGATOIRE"}
    client = client_for(adherent)
    response = save(client, dossier, {"attestation_exactitude": "on"})
    assert "Saisie obligatoire" in text(response)
    dossier.refresh_from_db()
    assert [a.field for a in rules.check_onglet(dossier, "synthese")] == ["acceptation_cg"]
    response = save(client, dossier, {"attestation_exactitude": "on", "acceptation_cg": "on", "commentaire": "Merci"})
    assert 'id="puce-synthese"' in text(response)  # the save's out-of-band bullets
    synthese = Synthese.objects.get(dossier=dossier)
    assert synthese.attestation_exactitude and synthese.acceptation_cg and synthese.commentaire == "Merci"
    dossier.refresh_from_db()
    assert rules.check_onglet(dossier, "synthese") == []
    assert {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}["synthese"] == "valid"


def test_comment_over_2000_characters_is_refused(adherent, dossier):
    response = save(client_for(adherent), dossier, {"commentaire": "x" * 2001})
    assert "Le commentaire ne peut dépasser 2000 caractères." in text(response)
    assert Synthese.objects.get(dossier=dossier).commentaire == ""


def test_cg_link_and_page(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert 'href="/conditions-generales/"' in page
    response = Client().get("/conditions-generales/")
    assert response.status_code == 200
    page = text(response)
    assert "Conditions Générales" in page and "Données à caractère personnel" in page
    assert "à valider par le service juridique d'AKTO" in page


def test_read_only_dossier_disables_the_boxes(adherent, dossier):
    dossier.state = "transmis"
    dossier.save()
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert 'name="acceptation_cg"' in page and "disabled" in page
