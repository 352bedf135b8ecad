"""What the API's contract tests (scripts/essai-api: schemathesis against the live schema) found and need.

The bugs schemathesis found, each kept here as a plain test: a `modifie_depuis` out of range was a 500, a number
of seconds was taken as a date, the 422 was not declared. And the administrator's ``manage.py creer_cle_api``.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from dossiers.api import cles
from dossiers.models import CleApi
from tests.factories import DossierFactory, OrganismeFactory, prestataire_user

pytestmark = pytest.mark.django_db


def liste(cle: str, **params):
    response = Client().get("/api/v1/dossiers", params, headers={"Authorization": f"Bearer {cle}"})
    return response.status_code, json.loads(response.content)


@pytest.fixture
def cle(db):
    prestataire = prestataire_user()
    return cles.creer(prestataire.rattachements.get().organisme, prestataire, "Logiciel")[1]


@pytest.mark.parametrize(
    "valeur, tous",
    [
        ("0001-01-01T00:00:00+05:00", True),  # before year 1 in UTC (Python's OverflowError): since the beginning
        ("9999-12-31T23:59:59-05:00", False),  # after year 9999 in UTC: since never
        ("0364-08-03T10:07:59-18:11", True),  # accepted by Python, an offset PostgreSQL refuses: now in UTC
    ],
)
def test_modifie_depuis_at_the_edges_of_time_is_never_a_server_error(db, valeur, tous):
    prestataire = prestataire_user()
    organisme = prestataire.rattachements.get().organisme
    dossier = DossierFactory(created_by=prestataire, prestataire=organisme, brouillon_prestataire=True)
    cle = cles.creer(organisme, prestataire, "Logiciel")[1]
    status, body = liste(cle, modifie_depuis=valeur)
    assert status == 200 and [d["numero"] for d in body["resultats"]] == ([dossier.numero] if tous else [])


def test_modifie_depuis_that_is_no_date_is_a_422_naming_it(cle):
    status, body = liste(cle, modifie_depuis="2026-02-30T08:00:00Z")
    assert status == 422 and body["detail"] == "Paramètres invalides."
    assert body["erreurs"] == [{"parametre": "modifie_depuis", "message": "Date et heure invalides"}]


@pytest.mark.parametrize("valeur", ["0.5", "1700000000", "2026-09-01", "2026-09-01T08:00:00"])
def test_modifie_depuis_is_rfc_3339_with_its_offset_not_a_number_of_seconds(cle, valeur):
    status, body = liste(cle, modifie_depuis=valeur)
    assert status == 422
    assert body["erreurs"][0]["message"].startswith("Date et heure attendues au format RFC 3339")


def test_modifie_depuis_accepts_rfc_3339_forms(cle):
    for valeur in ["2026-09-01T08:00:00Z", "2026-09-01t08:00:00.1234567z", "2026-09-01T08:00:00.5+02:00"]:
        assert liste(cle, modifie_depuis=valeur)[0] == 200, valeur


def test_the_schema_declares_the_422_of_an_invalid_parameter():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    reponses = schema["paths"]["/api/v1/dossiers"]["get"]["responses"]
    assert "422" in reponses
    reference = reponses["422"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][reference]["properties"]) == {"detail", "erreurs"}


@pytest.mark.parametrize(
    "chemin", ["/api/v1/dossiers/CP%2F2026", "/api/v2/dossiers", "/api/v1/dossiers/CP1/inconnu", "/api/"]
)
def test_a_path_under_api_that_is_no_endpoint_is_a_json_404(chemin):
    for methode in ("get", "post"):
        response = getattr(Client(), methode)(chemin)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert json.loads(response.content) == {"detail": "Ressource introuvable."}


# -- manage.py creer_cle_api ------------------------------------------------------------------------------------


def creer_cle(*args) -> tuple[str, str]:
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("creer_cle_api", *args, stdout=sortie, stderr=erreurs)
    return sortie.getvalue(), erreurs.getvalue()


def test_the_command_prints_a_working_key_once_and_stores_its_hash_only():
    prestataire = prestataire_user()
    organisme = prestataire.rattachements.get().organisme
    sortie, erreurs = creer_cle("--organisme", organisme.siret, "--nom", "ERP de l'organisme")
    en_clair = sortie.strip()
    assert sortie.count("\n") == 1 and en_clair.startswith("ak_")  # the key, alone on stdout
    cle = CleApi.objects.get()
    assert cle.organisme == organisme and cle.cree_par == prestataire and cle.nom == "ERP de l'organisme"
    assert en_clair.partition(".")[2] not in cle.empreinte and cle.prefixe in erreurs
    assert en_clair not in erreurs
    assert liste(en_clair)[0] == 200


def test_the_command_acts_as_the_given_author_who_must_manage_the_organisations_keys():
    organisme = OrganismeFactory()
    premier, second = prestataire_user(organisme), prestataire_user(organisme)
    with pytest.raises(CommandError, match="précisez --auteur"):
        creer_cle("--organisme", organisme.siret, "--nom", "ERP")
    creer_cle("--organisme", organisme.siret, "--nom", "ERP", "--auteur", second.email.upper())
    assert CleApi.objects.get().cree_par == second
    etranger = prestataire_user()  # another organisation's user
    with pytest.raises(CommandError, match="n'est pas un utilisateur prestataire actif rattaché"):
        creer_cle("--organisme", organisme.siret, "--nom", "ERP", "--auteur", etranger.email)
    premier.is_active = False
    premier.save()
    with pytest.raises(CommandError, match="n'est pas un utilisateur prestataire actif rattaché"):
        creer_cle("--organisme", organisme.siret, "--nom", "ERP", "--auteur", premier.email)
    assert CleApi.objects.count() == 1


def test_the_command_refuses_an_unknown_organisation_and_an_empty_name():
    prestataire = prestataire_user()
    with pytest.raises(CommandError, match="Aucun organisme de formation de SIRET 00000000000000"):
        creer_cle("--organisme", "00000000000000", "--nom", "ERP")
    with pytest.raises(CommandError, match="nom de la clé est obligatoire"):
        creer_cle("--organisme", prestataire.rattachements.get().organisme.siret, "--nom", "  ")
    assert not CleApi.objects.exists()


# -- the errors every operation may give (v1.documenter_erreurs, v1._erreur_http) ---------------------------------


def test_every_operation_declares_the_errors_it_may_give():
    """What schemathesis found: an integer path parameter given a word is a 422 the DELETE did not declare; a body
    that is not JSON is ninja's 400. Declared once for all, so an endpoint added tomorrow declares them too."""
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    for chemin, operations in schema["paths"].items():
        for methode, operation in operations.items():
            reponses = set(operation["responses"])
            assert {"401", "429"} <= reponses, (methode, chemin)
            if operation.get("parameters"):
                assert "422" in reponses, (methode, chemin)
            if "requestBody" in operation:
                assert "400" in reponses, (methode, chemin)
    assert "422" in schema["paths"]["/api/v1/webhooks/{identifiant}"]["delete"]["responses"]


@pytest.mark.parametrize("corps", [b"\x00", b"{pas du json", "é".encode("latin-1")])
def test_a_body_that_cannot_be_read_is_a_400_in_french(cle, corps):
    response = Client().post(
        "/api/v1/dossiers", corps, content_type="application/json", headers={"Authorization": f"Bearer {cle}"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Corps de la requête illisible : un document JSON en UTF-8 est attendu."}
