"""The API's writes (dossiers/api/saisie.py): create a pre-entered dossier and update it, through the tabs' forms."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dossiers import rules, services
from dossiers.api import cles
from dossiers.api.erreurs import MSG_DATE_ISO
from dossiers.enums import DossierState
from dossiers.models import Dossier, ModuleFormation
from dossiers.rules.formation import MAX_MODULES
from dossiers.saisie.champs import MSG_ENTIER
from dossiers.saisie.onglets.contrat.formulaire import MSG_TYPE_CONTRAT
from referentiels.validators import nir_key
from tests.complet import NIR_13, referentiels
from tests.conftest import client_for
from tests.dossiers.test_formation import module_post
from tests.factories import EtablissementFactory, OrganismeFactory, attach, prestataire_user, sous_dispositif

pytestmark = pytest.mark.django_db

NIR = f"{NIR_13}{nir_key(NIR_13):02d}"
NIR_FAUX = f"{NIR_13}{(nir_key(NIR_13) + 1) % 97:02d}"
ONGLETS_PRESTATAIRE = {"introduction", "salarie", "contrat", "formation"}


@pytest.fixture
def employeur(db):
    return EtablissementFactory()


@pytest.fixture
def organisme_module(db):
    return referentiels()[1]


def envoyer(cle, methode: str, url: str, document) -> tuple[int, dict, str]:
    response = getattr(Client(), methode)(
        url, json.dumps(document), content_type="application/json", headers={"Authorization": f"Bearer {cle}"}
    )
    body = response.content.decode()
    return response.status_code, json.loads(body), body


def document(employeur, organisme) -> dict:
    """A complete pre-entry (the values of tests/complet.py) as the API takes it."""
    debut = dt.date.today() + dt.timedelta(days=3)
    fin = debut.replace(year=debut.year + 1) - dt.timedelta(days=1)
    return {
        "siret": employeur.siret,
        "type_contrat": "11",
        "introduction": {"notice_lue": True},
        "salarie": {
            "nom_naissance": "MARTIN",
            "prenom": "Lucas",
            "date_naissance": "2004-05-12",
            "sexe": "M",
            "departement_naissance": "78",
            "commune_naissance": "Versailles",
            "nir_temporaire": False,
            "nir": NIR,
            "rqth": False,
            "equivalence_jeunes": False,
            "extension_boe": False,
            "inscrit_france_travail": False,
            "situation_avant_contrat": "9",
            "diplome_plus_eleve": "41",
            "numero_voie": "3 rue de la République",
            "code_postal": "69002",
            "commune": "69123",
        },
        "tuteurs": [
            {
                "nom": "Durand",
                "prenom": "Claire",
                "emploi": "Cheffe de rang",
                "date_naissance": "1980-02-03",
                "est_employeur": False,
            }
        ],
        "contrat": {
            "nature": "cdd",
            "emploi": "Serveur en salle",
            "classification": "Employé",
            "niveau": "I",
            "coefficient": "120",
            "duree_essai_jours": 14,
            "date_debut": debut.isoformat(),
            "date_fin": fin.isoformat(),
            "date_conclusion": debut.isoformat(),
            "duree_hebdo_minutes": 35 * 60,
            "salaire_brut": "1900.00",
        },
        "formation": {
            "diplome_vise": "31",
            "type_qualification": "1",
            "code_rncp": "RNCP300",
            "intitule": "BTS Management commercial opérationnel",
            "specialite_nsf": "312",
            "apprentissage": False,
            "duree_totale_heures": 400,
            "duree_enseignements_heures": 300,
            "date_debut_cycle": debut.isoformat(),
            "date_fin_examens": fin.isoformat(),
            "modules": [
                {
                    "type": "externe",
                    "organisme": organisme.siret,
                    "apprentissage_controle": False,
                    "date_debut": debut.isoformat(),
                    "date_fin": fin.isoformat(),
                    "heures": 400,
                    "heures_distance": 0,
                    "modalite": "presentiel",
                }
            ],
        },
    }


def creer(cle, doc) -> tuple[int, dict, str]:
    return envoyer(cle, "post", "/api/v1/dossiers", doc)


def codes(dossier) -> set[str]:
    return {a.code for a in rules.check(Dossier.objects.get(pk=dossier.pk))}


# -- the portal's twin: the same values typed in the tabs --------------------------------------------------------


def en_saisie(valeur):
    """A JSON value as the portal's input shows it (dates JJ/MM/AAAA, Oui/Non, French amounts)."""
    if isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, str) and len(valeur) == 10 and valeur[4] == "-" and valeur[7] == "-":
        return dt.date.fromisoformat(valeur).strftime("%d/%m/%Y")
    return str(valeur)


def saisir_dans_le_portail(client, dossier, doc):
    salarie = dict(doc["salarie"])
    for rang, tuteur in enumerate(doc["tuteurs"], 1):
        salarie.update({f"tuteur{rang}_{k}": v for k, v in tuteur.items()})
    contrat = {
        **doc["contrat"],
        "type_contrat": doc["type_contrat"],
        "duree_hebdo_minutes": "35h00",
        "salaire_brut": "1 900,00",
    }
    formation = {k: v for k, v in doc["formation"].items() if k != "modules"}
    onglets = [
        ("introduction", {"notice_lue": "on"}),
        *[
            (slug, {k: en_saisie(v) for k, v in valeurs.items()})
            for slug, valeurs in [("salarie", salarie), ("contrat", contrat), ("formation", formation)]
        ],
    ]
    for slug, data in onglets:
        version = Dossier.objects.get(pk=dossier.pk).version
        response = client.post(f"/dossiers/{dossier.pk}/{slug}/", {"version": version, **data})
        assert "Enregistrement effectué." in response.content.decode(), (slug, response.content[:300])
    for module in doc["formation"]["modules"]:
        data = {f"module-{k}": en_saisie(v) for k, v in module.items() if k != "type"}
        assert module_post(client, dossier, "ajouter/", {"type_module": module["type"], **data}).status_code == 200


# -- creation ---------------------------------------------------------------------------------------------------


def test_a_complete_document_creates_the_pre_entry_with_the_same_anomalies_as_the_portal(
    prestataire, cle, employeur, organisme_module
):
    doc = document(employeur, organisme_module)
    status, body, texte = creer(cle, doc)
    assert status == 201, body
    dossier = Dossier.objects.get(numero=body["numero"])
    assert dossier.state == DossierState.BROUILLON_PRESTATAIRE and body["etat"] == DossierState.BROUILLON_PRESTATAIRE
    assert dossier.prestataire == prestataire.rattachements.get().organisme and dossier.created_by == prestataire
    assert dossier.salarie.nir == NIR and dossier.tuteur(1).emploi == "Cheffe de rang"
    assert dossier.contrat.duree_hebdo_minutes == 2100 and str(dossier.contrat.salaire_brut) == "1900.00"
    assert [m.heures for m in dossier.formation.liste_modules] == [400]
    assert body["version"] == dossier.version
    assert NIR not in texte and NIR_13 not in texte
    # The prestataire's tabs: nothing blocking left but what only the employer attests.
    restantes = {
        (a["onglet"], a["champ"]) for a in body["anomalies"] if a["bloquant"] and a["onglet"] in ONGLETS_PRESTATAIRE
    }
    assert restantes <= {("salarie", "attestation_tuteur"), ("salarie", "attestation_tuteur_qualifie")}
    # The same values typed in the portal's tabs, in a twin pre-entry: the same anomalies, code for code.
    jumeau = services.dossier_create(
        user=prestataire,
        etablissement=employeur,
        sous_dispositif=sous_dispositif(),
        type_contrat="11",
    )
    saisir_dans_le_portail(client_for(prestataire), jumeau, doc)
    assert codes(jumeau) == codes(dossier) == {a["code"] for a in body["anomalies"]}


@pytest.mark.parametrize(
    ("section", "champ", "valeur", "onglet", "nom", "message"),
    [
        ("salarie", "nir", NIR_FAUX, "salarie", "nir", None),
        ("salarie", "sexe", "X", "salarie", "sexe", None),
        ("contrat", "date_debut", "2026-02-30", "contrat", "date_debut", "Saisissez une date au format AAAA-MM-JJ"),
        ("contrat", "salaire_brut", "1900.123", "contrat", "salaire_brut", "Saisissez un montant en euros"),
        ("formation", "specialite_nsf", "31", "formation", "specialite_nsf", "Saisissez le code à 3 chiffres"),
    ],
)
def test_a_format_error_answers_422_with_the_forms_message_and_creates_nothing(
    prestataire, cle, employeur, organisme_module, section, champ, valeur, onglet, nom, message
):
    doc = document(employeur, organisme_module)
    doc[section][champ] = valeur
    status, body, texte = creer(cle, doc)
    assert status == 422, body
    assert Dossier.objects.count() == 0
    [anomalie] = body["anomalies"]
    assert (anomalie["onglet"], anomalie["champ"], anomalie["type"]) == (onglet, nom, "saisie_invalide")
    assert anomalie["code"] == f"{onglet.upper()}_{nom.upper()}_INVALIDE" and anomalie["bloquant"] is True
    if message:
        assert anomalie["message"].startswith(message)
    assert NIR not in texte and NIR_FAUX not in texte and NIR_13 not in texte


def test_the_nir_forms_message_is_the_tabs(prestataire, cle, employeur, organisme_module):
    """The portal's message for the wrong key, the same through the API (from referentiels.validators)."""
    from dossiers.saisie.onglets.salarie.formulaire import SalarieForm

    dossier = services.dossier_create(
        user=prestataire, etablissement=employeur, sous_dispositif=sous_dispositif(), type_contrat="11"
    )
    form = SalarieForm({"version": 1, "nir": NIR_FAUX}, instance=dossier.salarie)
    form.is_valid()
    doc = document(employeur, organisme_module)
    doc["salarie"]["nir"] = NIR_FAUX
    _status, body, _ = creer(cle, doc)
    assert body["anomalies"][0]["message"] == form.errors["nir"][0]


def test_an_unknown_siret_an_unknown_field_or_a_missing_type_answer_422_naming_them(
    prestataire, cle, employeur, organisme_module
):
    doc = document(employeur, organisme_module)
    doc["siret"] = EtablissementFactory(adherent=False).siret
    status, body, _ = creer(cle, doc)
    assert status == 422 and body["anomalies"] == [
        {
            "onglet": "employeur",
            "champ": "siret",
            "type": "saisie_invalide",
            "code": "EMPLOYEUR_SIRET_INVALIDE",
            "message": "Aucun établissement adhérent d'AKTO ne porte ce SIRET.",
            "bloquant": True,
        }
    ]
    doc = document(employeur, organisme_module)
    doc["salarie"]["nir_en_clair"] = NIR
    doc["salarie"]["attestation_tuteur"] = True
    status, body, texte = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    par_champ = {a["champ"]: a for a in body["anomalies"]}
    assert par_champ["nir_en_clair"]["message"] == "Champ inconnu : « nir_en_clair »."
    assert par_champ["attestation_tuteur"]["message"].startswith("Attestation réservée à l'employeur")
    assert NIR not in texte
    # The type de contrat is the contrat pro's wizard step (a période de reconversion has none): required for it.
    doc = document(employeur, organisme_module)
    del doc["type_contrat"]
    status, body, texte = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    par_champ = {a["champ"]: a for a in body["anomalies"]}
    assert par_champ["type_contrat"]["type"] == "saisie_obligatoire"
    assert par_champ["type_contrat"]["code"] == "CONTRAT_TYPE_CONTRAT_OBLIGATOIRE"
    assert NIR not in texte


def test_a_modules_format_error_is_named_as_the_rules_name_it(prestataire, cle, employeur, organisme_module):
    doc = document(employeur, organisme_module)
    doc["formation"]["modules"].append({"type": "externe", "heures": -3, "organisme": "12345678901234"})
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert {a["champ"] for a in body["anomalies"]} == {"module2_heures", "module2_organisme"}
    assert {a["code"] for a in body["anomalies"]} == {
        "FORMATION_MODULE2_HEURES_INVALIDE",
        "FORMATION_MODULE2_ORGANISME_INVALIDE",
    }


# -- update -----------------------------------------------------------------------------------------------------


@pytest.fixture
def cree(cle, employeur, organisme_module):
    status, body, _ = creer(cle, document(employeur, organisme_module))
    assert status == 201
    return Dossier.objects.get(numero=body["numero"])


def modifier(cle, dossier, document_) -> tuple[int, dict, str]:
    return envoyer(cle, "patch", f"/api/v1/dossiers/{dossier.numero}", document_)


def test_a_patch_of_one_field_keeps_the_others_and_bumps_the_version_once(cle, cree):
    avant = Dossier.objects.get(pk=cree.pk)
    status, body, texte = modifier(cle, cree, {"version": avant.version, "contrat": {"emploi": "Chef de rang"}})
    assert status == 200, body
    apres = Dossier.objects.get(pk=cree.pk)
    assert apres.version == avant.version + 1 == body["version"]
    assert apres.contrat.emploi == "Chef de rang"
    assert apres.contrat.salaire_brut == avant.contrat.salaire_brut and apres.contrat.nature == "cdd"
    assert apres.salarie.nir == NIR and apres.tuteur(1).emploi == "Cheffe de rang"
    assert len(apres.formation.liste_modules) == 1
    assert NIR not in texte


def test_a_patch_writes_all_its_sections_or_nothing(cle, cree):
    avant = Dossier.objects.get(pk=cree.pk)
    status, body, texte = modifier(
        cle,
        cree,
        {"version": avant.version, "contrat": {"emploi": "Chef de rang"}, "salarie": {"nir": NIR_FAUX}},
    )
    assert status == 422 and [a["champ"] for a in body["anomalies"]] == ["nir"]
    apres = Dossier.objects.get(pk=cree.pk)
    assert apres.version == avant.version and apres.contrat.emploi == "Serveur en salle"
    assert NIR_FAUX not in texte and NIR not in texte


def test_a_stale_version_answers_409_and_writes_nothing(cle, cree):
    version = Dossier.objects.get(pk=cree.pk).version
    status, body, _ = modifier(cle, cree, {"version": version - 1, "contrat": {"emploi": "Chef de rang"}})
    assert status == 409 and "modifié depuis la version envoyée" in body["detail"]
    apres = Dossier.objects.get(pk=cree.pk)
    assert apres.version == version and apres.contrat.emploi == "Serveur en salle"


def test_another_organisations_dossier_is_a_404(cree):
    autre = prestataire_user()
    autre_cle = cles.creer(autre.rattachements.get().organisme, autre, "ERP")[1]
    status, body, _ = modifier(autre_cle, cree, {"version": cree.version, "contrat": {"emploi": "X"}})
    assert status == 404 and body == {"detail": "Dossier introuvable."}


@pytest.mark.parametrize("etat", [DossierState.A_REPRENDRE, DossierState.BROUILLON])
def test_a_dossier_handed_over_is_a_409(cle, cree, etat):
    Dossier.objects.filter(pk=cree.pk).update(state=etat)
    version = Dossier.objects.get(pk=cree.pk).version
    status, body, _ = modifier(cle, cree, {"version": version, "contrat": {"emploi": "Chef de rang"}})
    assert status == 409 and "plus modifiable" in body["detail"]
    assert Dossier.objects.get(pk=cree.pk).contrat.emploi == "Serveur en salle"


def test_a_patch_of_the_modules_updates_them_by_rank(cle, cree, organisme_module):
    version = Dossier.objects.get(pk=cree.pk).version
    [module] = cree.formation.liste_modules
    modules = [{"heures": 350}, {"type": "interne", "service_interne": "Service formation", "heures": 50}]
    status, body, _ = modifier(cle, cree, {"version": version, "formation": {"modules": modules}})
    assert status == 200, body
    apres = list(ModuleFormation.objects.filter(formation__dossier=cree).order_by("ordre"))
    assert [(m.pk == module.pk, m.type, m.heures, m.ordre) for m in apres] == [
        (True, "externe", 350, 1),
        (False, "interne", 50, 2),
    ]
    assert apres[0].organisme == organisme_module  # not sent: kept
    status, body, _ = modifier(cle, cree, {"version": body["version"], "formation": {"modules": [{}]}})
    assert status == 200 and ModuleFormation.objects.filter(formation__dossier=cree).count() == 1


def test_the_author_of_the_key_writes_the_history(cle, cree, prestataire):
    version = Dossier.objects.get(pk=cree.pk).version
    modifier(cle, cree, {"version": version, "contrat": {"emploi": "Chef de rang"}})
    assert cree.contrat.history.order_by("-history_date").first().history_user == prestataire


def test_a_key_whose_author_left_the_organisation_writes_nothing(cle, cree, prestataire):
    prestataire.rattachements.all().delete()
    status, body, _ = modifier(cle, cree, {"version": cree.version, "contrat": {"emploi": "X"}})
    assert status == 403 and "n'est plus rattaché" in body["detail"]


# -- query counts -----------------------------------------------------------------------------------------------


def _avec_modules(doc, n):
    doc = copy.deepcopy(doc)
    doc["formation"]["modules"] = [dict(doc["formation"]["modules"][0], heures=400 // n) for _ in range(n)]
    return doc


def test_create_and_update_cost_a_bounded_number_of_queries_whatever_the_modules(cle, employeur, organisme_module):
    doc = document(employeur, organisme_module)
    assert creer(cle, doc)[0] == 201  # the first call reads what is then cached (parameters, reference tables)
    comptes = {}
    for n in (1, 4):
        with CaptureQueriesContext(connection) as requetes:
            status, body, _ = creer(cle, _avec_modules(doc, n))
        assert status == 201, body
        dossier = Dossier.objects.get(numero=body["numero"])
        patch = {"version": body["version"], "formation": {"modules": [{"heures": 90}] * n}}
        with CaptureQueriesContext(connection) as requetes_patch:
            status, body, _ = modifier(cle, dossier, patch)
        assert status == 200, body
        comptes[n] = (len(requetes), len(requetes_patch))
    assert comptes[1] == comptes[4], comptes
    creation, modification = comptes[1]
    assert creation <= 72 and modification <= 16, comptes


def test_the_schema_documents_the_fields_and_the_cerfa_codes(cle):
    response = Client().get("/api/v1/openapi.json")
    schemas = response.json()["components"]["schemas"]
    sexe = schemas["SalarieSaisie"]["properties"]["sexe"]
    assert "Codes : M = Masculin ; F = Féminin" in sexe["description"]
    assert {"type": "string", "enum": ["M", "F"]} in sexe["anyOf"]
    assert "nir" in schemas["SalarieSaisie"]["properties"]
    assert "attestation_tuteur" not in schemas["SalarieSaisie"]["properties"]
    assert schemas["SalarieSaisie"]["additionalProperties"] is False
    assert "version" in schemas["DossierDetail"]["required"]
    assert "modules" in schemas["FormationSaisie"]["properties"]


# -- the wizard's choices, the fields a dossier does not ask for, the JSON types ----------------------------------


def test_a_temporary_work_agency_needs_its_type_de_public_as_in_the_wizard(cle, organisme_module):
    interim = EtablissementFactory(interim=True)
    doc = document(interim, organisme_module)
    status, body, _ = creer(cle, doc)
    assert status == 422 and [(a["onglet"], a["champ"]) for a in body["anomalies"]] == [("introduction", "type_public")]
    assert body["anomalies"][0]["message"] == "Veuillez sélectionner un élément."
    status, body, _ = creer(cle, doc | {"type_public": "interimaire"})
    assert status == 201, body
    assert Dossier.objects.get(numero=body["numero"]).type_public == "interimaire"


def test_a_closed_sous_dispositif_or_an_unknown_type_de_contrat_is_refused(cle, employeur, organisme_module):
    doc = document(employeur, organisme_module) | {"sous_dispositif": "APP", "type_contrat": "99"}
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert {a["champ"]: a["message"] for a in body["anomalies"]} == {
        "sous_dispositif": "Ce sous-dispositif n'est pas ouvert pour cet établissement.",
        "type_contrat": "Ce choix n'est pas proposé : sélectionnez un élément de la liste.",
    }


def test_fields_the_dossier_does_not_ask_for_are_refused_by_name(cle, employeur, organisme_module):
    doc = document(employeur, organisme_module)
    doc["salarie"]["public_specifique"] = "1"  # a temporary work agency's only
    doc["tuteurs"].append({"nom": "Petit", "est_employeur": True})  # the second tutor has no such question
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert {(a["champ"], a["message"]) for a in body["anomalies"]} == {
        ("public_specifique", "Ce champ n'est pas demandé pour ce dossier."),
        ("tuteur2_est_employeur", "Ce champ n'est pas demandé pour ce dossier."),
    }


def test_a_wrong_json_type_gets_a_french_message_under_the_tabs_field(cle, employeur, organisme_module):
    doc = document(employeur, organisme_module)
    doc["contrat"]["duree_essai_jours"] = "quatorze"
    doc["tuteurs"][0]["date_naissance"] = "03/02/1980"
    doc["formation"]["modules"][0]["heures"] = 12.5
    status, body, _ = creer(cle, doc)
    assert status == 422 and Dossier.objects.count() == 0
    assert {(a["onglet"], a["champ"], a["code"], a["message"]) for a in body["anomalies"]} == {
        ("contrat", "duree_essai_jours", "CONTRAT_DUREE_ESSAI_JOURS_INVALIDE", MSG_ENTIER),
        ("salarie", "tuteur1_date_naissance", "SALARIE_TUTEUR1_DATE_NAISSANCE_INVALIDE", MSG_DATE_ISO),
        ("formation", "module1_heures", "FORMATION_MODULE1_HEURES_INVALIDE", MSG_ENTIER),
    }


def test_too_many_modules_are_refused_with_the_portals_message(cle, employeur, organisme_module):
    doc = _avec_modules(document(employeur, organisme_module), MAX_MODULES + 1)
    status, body, _ = creer(cle, doc)
    assert status == 422 and body["anomalies"][0]["champ"] == "modules"
    assert body["anomalies"][0]["message"] == f"Un dossier compte au plus {MAX_MODULES} modules de formation."


def test_the_dossier_is_the_keys_organisations_when_its_author_has_two(employeur, organisme_module):
    premier, second = OrganismeFactory(), OrganismeFactory()
    auteur = prestataire_user(premier)
    attach(auteur, second)
    cle_second = cles.creer(second, auteur, "ERP")[1]
    status, body, _ = creer(cle_second, document(employeur, organisme_module))
    assert status == 201, body
    assert Dossier.objects.get(numero=body["numero"]).prestataire == second


def test_a_patch_changes_the_type_de_contrat_through_the_contrat_form(cle, cree):
    version = Dossier.objects.get(pk=cree.pk).version
    status, body, _ = modifier(cle, cree, {"version": version, "type_contrat": "99"})
    assert status == 422 and body["anomalies"][0]["message"] == MSG_TYPE_CONTRAT
    status, body, _ = modifier(cle, cree, {"version": version, "type_contrat": "21"})
    assert status == 200, body
    assert Dossier.objects.get(pk=cree.pk).type_contrat == "21"


def test_the_read_gives_the_version_a_patch_sends_back(cle, cree):
    response = Client().get(f"/api/v1/dossiers/{cree.numero}", headers={"Authorization": f"Bearer {cle}"})
    version = response.json()["version"]
    assert version == Dossier.objects.get(pk=cree.pk).version
    status, body, _ = modifier(cle, cree, {"version": version, "introduction": {"notice_lue": False}})
    assert status == 200 and body["version"] == version + 1
    assert "INTRODUCTION_NOTICE_OBLIGATOIRE" in {a["code"] for a in body["anomalies"]}


def test_an_establishment_sirene_says_closed_is_refused_under_its_siret(
    settings, monkeypatch, cle, employeur, organisme_module
):
    from django.core.cache import cache

    from tests.dossiers.test_sirene_creation import FIXTURES, answer

    settings.SIRENE_API_KEY = "cle-de-test"
    cache.clear()
    ferme = json.loads((FIXTURES / "etablissement_ferme.json").read_bytes())
    ferme["etablissement"]["siret"], ferme["etablissement"]["siren"] = employeur.siret, employeur.siret[:9]
    answer(monkeypatch, 200, json.dumps(ferme).encode())
    status, body, _ = creer(cle, document(employeur, organisme_module))
    assert status == 422 and Dossier.objects.count() == 0
    [anomalie] = body["anomalies"]
    assert (anomalie["champ"], anomalie["code"]) == ("siret", "EMPLOYEUR_SIRET_INVALIDE")
    assert "Cet établissement est fermé dans le répertoire Sirene" in anomalie["message"]
