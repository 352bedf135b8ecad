"""The API per dispositif: a période de reconversion created, completed and finalised through it (its « Accord »
section bound to the tab's form), the sections its dispositif does not have refused, naming them."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.test import Client

from dossiers.api.erreurs import MSG_NON_APPLICABLE
from dossiers.api.saisie import MSG_ONGLET_ABSENT, MSG_SANS_TYPE_CONTRAT, MSG_SOUS_DISPOSITIF
from dossiers.enums import CodeDispositif, DossierState
from dossiers.models import AccordReconversion, Dossier
from dossiers.saisie.onglets.salarie.formulaire import CHAMPS_CERFA
from dossiers.workflow import ACCEPTER_REPRISE
from tests.complet import referentiels
from tests.conftest import client_for
from tests.dossiers.test_api_saisie import NIR, creer, document, envoyer
from tests.factories import EtablissementFactory, UserFactory, attach

pytestmark = pytest.mark.django_db

SANS_MODULE = SimpleNamespace(siret="")  # the documents here send no module


@pytest.fixture
def propre(db):
    """An establishment of the branche propreté (IDCC 3043): the reconversion is open for it."""
    referentiels()  # the communes of the employee's address
    return EtablissementFactory(idcc="3043")


def accord(debut: dt.date) -> dict:
    return {
        "date_debut": debut.isoformat(),
        "date_fin": (debut + dt.timedelta(days=300)).isoformat(),
        "duree_formation_heures": 400,
        "objet": "rncp",
        "intitule_qualification": "Titre professionnel agent de propreté",
        "hors_temps_travail": False,
        "cpf_montant": "0.00",
        "cpf_heures": 0,
    }


def reconversion(etablissement, sous_dispositif="REC_INT") -> dict:
    """The contrat pro's document for the shared tabs, the reconversion's choice and its « Accord »."""
    doc = document(etablissement, SANS_MODULE)
    debut = dt.date.today() + dt.timedelta(days=20)
    del doc["type_contrat"], doc["contrat"], doc["formation"]["modules"]
    for champ in CHAMPS_CERFA:  # the CERFA 12434's own fields: the reconversion's Salarié has none
        doc["salarie"].pop(champ, None)
    return {**doc, "sous_dispositif": sous_dispositif, "accord": accord(debut)}


def test_a_periode_de_reconversion_interne_is_created_through_the_api_then_finalised_and_taken_over(
    prestataire, cle, propre
):
    status, body, texte = creer(cle, reconversion(propre))
    assert status == 201, body
    dossier = Dossier.objects.select_related("dispositif", "sous_dispositif").get(numero=body["numero"])
    assert (dossier.dispositif.code, dossier.sous_dispositif.code) == (CodeDispositif.RECONVERSION, "REC_INT")
    assert dossier.type_contrat == "" and dossier.state == DossierState.BROUILLON_PRESTATAIRE
    stocke = AccordReconversion.objects.get(dossier=dossier)
    assert stocke.duree_formation_heures == 400 and stocke.objet == "rncp" and stocke.hors_temps_travail is False
    assert dossier.salarie.nom_naissance == "MARTIN" and dossier.formation.duree_totale_heures == 400
    # The remaining anomalies are the reconversion's: none of the contrat pro's Contrat tab.
    assert not [a for a in body["anomalies"] if a["onglet"] == "contrat"]
    assert NIR not in texte
    # A PATCH of the agreement through the same form.
    status, body, _ = envoyer(
        cle,
        "patch",
        f"/api/v1/dossiers/{dossier.numero}",
        {"version": body["version"], "accord": {"duree_formation_heures": 500}},
    )
    assert status == 200, body
    assert AccordReconversion.objects.get(dossier=dossier).duree_formation_heures == 500

    status, body, _ = envoyer(cle, "post", f"/api/v1/dossiers/{dossier.numero}/finaliser", {})
    assert status == 200, body
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_REPRENDRE
    adherent = UserFactory()
    attach(adherent, propre)
    response = client_for(adherent).post(f"/dossiers/{dossier.pk}/action/{ACCEPTER_REPRISE}/", {"onglet": "accord"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.BROUILLON


def test_the_sections_a_dispositif_does_not_have_are_refused_naming_them(prestataire, cle, propre):
    doc = reconversion(propre)
    doc["contrat"] = {"emploi": "Agent de propreté"}
    doc["accord"]["accueil_siret"] = "79345128000015"  # an external reconversion's host company
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert {(a["onglet"], a["champ"], a["message"]) for a in body["anomalies"]} == {
        ("contrat", "", MSG_ONGLET_ABSENT),
        ("accord", "accueil_siret", MSG_NON_APPLICABLE),
    }
    # No type de contrat for an agreement (the wizard has no such step for it).
    status, body, _ = creer(cle, {**reconversion(propre), "type_contrat": "11"})
    assert status == 422 and [(a["champ"], a["message"]) for a in body["anomalies"]] == [
        ("type_contrat", MSG_SANS_TYPE_CONTRAT)
    ]
    # The contrat pro has no « Accord ».
    contrat_pro = document(propre, SANS_MODULE)
    del contrat_pro["formation"]["modules"]
    status, body, _ = creer(cle, {**contrat_pro, "accord": accord(dt.date.today())})
    assert status == 422 and [(a["onglet"], a["message"]) for a in body["anomalies"]] == [("accord", MSG_ONGLET_ABSENT)]
    assert Dossier.objects.count() == 0


def test_an_accord_format_error_is_the_forms_and_the_reconversion_is_refused_outside_its_branch(
    prestataire, cle, propre
):
    doc = reconversion(propre)
    doc["accord"]["objet"] = "licence"
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert [(a["onglet"], a["champ"]) for a in body["anomalies"]] == [("accord", "objet")]
    assert "choix valide" in body["anomalies"][0]["message"]
    status, body, _ = creer(cle, reconversion(EtablissementFactory(idcc="1486"), "REC_EXT"))
    assert status == 422 and [a["message"] for a in body["anomalies"]] == [MSG_SOUS_DISPOSITIF]


def test_the_schema_documents_the_accord_section_from_its_form():
    schemas = json.loads(Client().get("/api/v1/openapi.json").content)["components"]["schemas"]
    proprietes = schemas["AccordSaisie"]["properties"]
    assert "Durée totale de la formation (heures)" in proprietes["duree_formation_heures"]["description"]
    assert {"type": "integer"} in proprietes["duree_formation_heures"]["anyOf"]
    assert "accueil_siret" in proprietes and "date_avenant" in proprietes
    assert schemas["AccordSaisie"]["additionalProperties"] is False
    assert "accord" in schemas["CreationDossier"]["properties"]
    assert "accord" in schemas["ModificationDossier"]["properties"]
    assert "type_contrat" not in schemas["CreationDossier"].get("required", [])
