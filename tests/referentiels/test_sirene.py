"""Sirene client: mapping of recorded 3.11 answers, statuses and French messages, never any network."""

import copy
import io
import json
import logging
import socket
import threading
import urllib.error
from datetime import date
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from referentiels import sirene
from referentiels.models import Entreprise, Etablissement
from referentiels.sirene import (
    MESSAGES,
    HttpResponse,
    SireneResult,
    SireneStatus,
    apply_to_etablissement,
    etablissement_from_result,
    fetch_etablissement,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sirene"
KEY = "cle-secrete-de-test-0f3c"
RESTAURANT = "85316274100013"
EI_ND = "89045213900029"
FERME = "79341856700038"
LA_POSTE = "35600000049837"
INCONNU = "85316274100021"

INDISPONIBLE = (
    "Le service de l'INSEE ne répond pas : les données connues de l'établissement sont utilisées. "
    "Vous pouvez compléter les informations manquantes, elles seront vérifiées par votre conseiller AKTO."
)
FERME_MESSAGE = "Cet établissement est fermé dans le répertoire Sirene : un contrat ne peut pas y être rattaché."


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeTransport:
    """Records the calls; answers with a response or raises the given exception."""

    def __init__(self, status=200, payload=None, *, body=None, headers=None, raises=None):
        self.calls = []
        self.raises = raises
        if body is None:
            body = json.dumps(payload).encode() if payload is not None else b""
        self.response = HttpResponse(status, body, headers or {})

    def __call__(self, url, headers, timeout):
        self.calls.append((url, dict(headers), timeout))
        if self.raises is not None:
            raise self.raises
        return self.response


def ok(name: str) -> FakeTransport:
    return FakeTransport(200, load(name))


@pytest.fixture(autouse=True)
def sirene_settings(settings):
    settings.SIRENE_API_KEY = KEY
    settings.SIRENE_API_URL = "https://api.insee.fr/api-sirene/3.11"
    settings.SIRENE_TIMEOUT = 3
    cache.clear()
    yield settings  # the default transport never reaches the network from a test: conftest's ``no_network``
    cache.clear()


# --- 200: mapping -----------------------------------------------------------------------------------


def test_restaurant_in_lyon_is_mapped():
    transport = ok("restaurant_lyon.json")

    result = fetch_etablissement(RESTAURANT, transport=transport)

    assert result.status == SireneStatus.OK == "ok"
    assert result.message == MESSAGES[SireneStatus.OK]
    e = result.etablissement
    assert (e.siret, e.siren) == (RESTAURANT, "853162741")
    assert e.raison_sociale == "GASTRONOMIE SAINT JEAN"
    assert e.enseigne == "LE BOUCHON DES CANUTS"
    assert e.categorie_juridique == "5710"
    assert e.naf == "5610A"
    assert e.numero_voie == "12 BIS RUE SAINT JEAN"
    assert e.complement_adresse == "REZ DE CHAUSSEE"
    assert (e.code_postal, e.commune, e.code_commune) == ("69005", "LYON 5EME", "69385")
    assert e.actif is True and e.date_fermeture is None
    assert (e.tranche_effectifs_etablissement, e.tranche_effectifs_unite_legale) == ("03", "11")
    assert e.non_diffusible is False
    assert e.champs_masques == ()


def test_request_url_headers_and_timeout(settings):
    settings.SIRENE_API_URL = "https://sirene.exemple.test/api-sirene/3.11/"
    settings.SIRENE_TIMEOUT = 2
    transport = ok("restaurant_lyon.json")

    fetch_etablissement("853 162 741 00013", transport=transport)

    [(url, headers, timeout)] = transport.calls
    assert url == "https://sirene.exemple.test/api-sirene/3.11/siret/85316274100013"
    assert headers == {"X-INSEE-Api-Key-Integration": KEY, "Accept": "application/json"}
    assert timeout == 2.0


def test_default_api_url_and_timeout_when_settings_are_missing(settings):
    del settings.SIRENE_API_URL
    del settings.SIRENE_TIMEOUT
    transport = ok("restaurant_lyon.json")

    fetch_etablissement(RESTAURANT, transport=transport)

    [(url, _, timeout)] = transport.calls
    assert url == "https://api.insee.fr/api-sirene/3.11/siret/85316274100013"
    assert timeout == 3.0


def test_ok_result_is_cached():
    first = ok("restaurant_lyon.json")
    fetch_etablissement(RESTAURANT, transport=first)
    second = FakeTransport(500)

    result = fetch_etablissement(RESTAURANT, transport=second)

    assert second.calls == []
    assert result.status == "ok"
    assert result.etablissement.numero_voie == "12 BIS RUE SAINT JEAN"


def test_partially_diffusible_entrepreneur_individuel():
    transport = ok("entrepreneur_individuel_nd.json")

    result = fetch_etablissement(EI_ND, transport=transport)

    assert result.status == SireneStatus.NON_DIFFUSIBLE
    assert result.message.startswith(
        "Les données de cet établissement ne sont pas diffusibles : complétez les informations manquantes"
    )
    e = result.etablissement
    assert e.non_diffusible is True
    assert e.raison_sociale == e.enseigne == e.numero_voie == e.complement_adresse == e.code_postal == ""
    assert (e.commune, e.code_commune, e.naf, e.categorie_juridique) == ("VILLEURBANNE", "69266", "4321A", "1000")
    assert set(e.champs_masques) == {"raison_sociale", "enseigne", "numero_voie", "complement_adresse", "code_postal"}
    assert "[ND]" not in json.dumps(vars(e), default=str)
    # Only "ok" answers are cached.
    fetch_etablissement(EI_ND, transport=transport)
    assert len(transport.calls) == 2


def test_entrepreneur_individuel_diffusible_is_named_nom_prenom():
    payload = load("entrepreneur_individuel_nd.json")
    etab = payload["etablissement"]
    etab["statutDiffusionEtablissement"] = "O"
    etab["uniteLegale"].update(
        statutDiffusionUniteLegale="O",
        nomUniteLegale="MARTIN",
        nomUsageUniteLegale=None,
        prenom1UniteLegale="JULIE",
        prenomUsuelUniteLegale="JULIE",
    )

    result = fetch_etablissement(EI_ND, transport=FakeTransport(200, payload))

    assert result.status == "ok"
    assert result.etablissement.raison_sociale == "MARTIN JULIE"


def test_closed_establishment():
    result = fetch_etablissement(FERME, transport=ok("etablissement_ferme.json"))

    assert result.status == SireneStatus.FERME
    assert result.message == FERME_MESSAGE
    e = result.etablissement
    assert e.actif is False
    assert e.date_fermeture == date(2023, 6, 30)
    assert e.numero_voie == "27 BOULEVARD GAMBETTA"
    assert e.naf == "9602A"  # the current period, not the 2013 one
    assert e.raison_sociale == "COIFFURE DU LAC"


def test_closed_establishment_is_not_cached():
    transport = ok("etablissement_ferme.json")
    fetch_etablissement(FERME, transport=transport)
    fetch_etablissement(FERME, transport=transport)
    assert len(transport.calls) == 2


def test_la_poste_siret_passes_validation_and_is_mapped():
    result = fetch_etablissement(LA_POSTE, transport=ok("la_poste.json"))

    assert result.status == "ok"
    e = result.etablissement
    assert (e.siren, e.raison_sociale, e.enseigne) == ("356000000", "LA POSTE", "LA POSTE MARSEILLE COLBERT")
    assert e.numero_voie == "1 PLACE DE L HOTEL DES POSTES"
    assert (e.code_postal, e.commune, e.naf) == ("13001", "MARSEILLE 1ER", "5310Z")


@pytest.mark.parametrize(
    ("numero", "indice", "type_voie", "libelle", "expected"),
    [
        ("8", None, "AV", "JEAN JAURES", "8 AVENUE JEAN JAURES"),
        ("3", "T", "BD", "DES BELGES", "3 TER BOULEVARD DES BELGES"),
        (None, None, "CHE", "DES VIGNES", "CHEMIN DES VIGNES"),
        (None, None, "LD", "LES GRANDS CHAMPS", "LIEU DIT LES GRANDS CHAMPS"),
        ("5", None, "ZI", "DES MOLIERES", "5 ZI DES MOLIERES"),
        ("14", "A", "XYZ", "DU PORT", "14 A XYZ DU PORT"),
        ("2", None, None, "GRANDE RUE", "2 GRANDE RUE"),
    ],
)
def test_street_line(numero, indice, type_voie, libelle, expected):
    payload = load("restaurant_lyon.json")
    payload["etablissement"]["adresseEtablissement"].update(
        numeroVoieEtablissement=numero,
        indiceRepetitionEtablissement=indice,
        typeVoieEtablissement=type_voie,
        libelleVoieEtablissement=libelle,
    )

    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(200, payload))

    assert result.etablissement.numero_voie == expected


def test_missing_street_and_old_naf_are_listed_as_unknown():
    payload = load("restaurant_lyon.json")
    etab = payload["etablissement"]
    etab["adresseEtablissement"].update(libelleVoieEtablissement=None, typeVoieEtablissement=None)
    etab["periodesEtablissement"][0].update(
        activitePrincipaleEtablissement="55.3A", nomenclatureActivitePrincipaleEtablissement="NAFRev1"
    )

    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(200, payload))

    assert result.status == "ok"
    assert (result.etablissement.numero_voie, result.etablissement.naf) == ("", "")
    assert result.etablissement.champs_masques == ("numero_voie", "naf")


# --- other answers ----------------------------------------------------------------------------------


def test_404_is_introuvable():
    result = fetch_etablissement(INCONNU, transport=FakeTransport(404, load("introuvable_404.json")))

    assert result.status == SireneStatus.INTROUVABLE
    assert result.etablissement is None
    assert result.message == "Ce SIRET est introuvable dans le répertoire Sirene de l'INSEE : vérifiez le numéro saisi."


def test_403_non_diffusable_is_non_diffusible():
    transport = FakeTransport(403, load("non_diffusible_403.json"))

    result = fetch_etablissement("85316274100039", transport=transport)

    assert result.status == SireneStatus.NON_DIFFUSIBLE
    assert result.etablissement is None
    assert result.message == MESSAGES[SireneStatus.NON_DIFFUSIBLE]


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_is_indisponible_and_logged_without_the_key(status, caplog):
    body = {"message": "Unauthorized"}
    with caplog.at_level(logging.DEBUG, logger="referentiels.sirene"):
        result = fetch_etablissement(RESTAURANT, transport=FakeTransport(status, body))

    assert result.status == SireneStatus.INDISPONIBLE
    assert result.message == INDISPONIBLE
    assert "SIRENE_API_KEY" in caplog.text
    assert KEY not in caplog.text


def test_429_uses_retry_after_and_pauses_the_client():
    transport = FakeTransport(429, {"message": "Too Many Requests"}, headers={"Retry-After": "30"})

    result = fetch_etablissement(RESTAURANT, transport=transport)

    assert result.status == SireneStatus.INDISPONIBLE
    assert result.retry_after == 30
    assert result.message.startswith(
        "Le service de l'INSEE est momentanément saturé (nouvel essai possible dans 30 secondes) : "
        "les données connues de l'établissement sont utilisées."
    )
    assert result.message.endswith("elles seront vérifiées par votre conseiller AKTO.")

    again = fetch_etablissement(LA_POSTE, transport=transport)
    assert len(transport.calls) == 1  # no request while the quota is exhausted
    assert again.status == SireneStatus.INDISPONIBLE
    assert 0 < again.retry_after <= 30


def test_429_with_http_date_and_without_header():
    far_future = "Wed, 21 Oct 2099 07:28:00 GMT"
    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(429, headers={"retry-after": far_future}))
    assert result.retry_after == 3600  # bounded to one hour

    cache.clear()
    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(429))
    assert result.retry_after is None
    assert result.message.startswith("Le service de l'INSEE est momentanément saturé : ")


@pytest.mark.parametrize("status", [500, 502, 503, 504, 400])
def test_server_errors_are_indisponible(status):
    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(status, body=b"<html>Bad gateway</html>"))

    assert result.status == SireneStatus.INDISPONIBLE
    assert result.etablissement is None
    assert result.message == INDISPONIBLE


@pytest.mark.parametrize(
    "error",
    [TimeoutError("timed out"), socket.timeout("timed out"), urllib.error.URLError("nodename nor servname")],
    ids=["TimeoutError", "socket.timeout", "URLError"],
)
def test_timeouts_and_network_errors_are_indisponible(error):
    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(raises=error))

    assert result.status == SireneStatus.INDISPONIBLE
    assert result.message == INDISPONIBLE


@pytest.mark.parametrize(
    "body",
    [
        b"<html>maintenance</html>",
        b'{"header": {"statut": 200, "message": "OK"}}',
        b'{"etablissement": {"siret": "85316274100021", "periodesEtablissement": []}}',
        b'{"etablissement": {"siret": "85316274100013", "periodesEtablissement": []}}',
        b'{"etablissement": []}',
        b"[]",
    ],
)
def test_malformed_answer_is_indisponible(body):
    result = fetch_etablissement(RESTAURANT, transport=FakeTransport(200, body=body))

    assert result.status == SireneStatus.INDISPONIBLE
    assert result.message == INDISPONIBLE


@pytest.mark.parametrize("siret", ["85316274100014", "1234", "", "3560000004983X"])
def test_invalid_siret_raises_without_request(siret):
    transport = ok("restaurant_lyon.json")

    with pytest.raises(ValidationError) as raised:
        fetch_etablissement(siret, transport=transport)

    assert raised.value.code == "format"
    assert transport.calls == []


@pytest.mark.parametrize("key", ["", None])
def test_without_key_the_client_is_off(settings, key):
    settings.SIRENE_API_KEY = key
    transport = ok("restaurant_lyon.json")

    result = fetch_etablissement(RESTAURANT, transport=transport)

    assert result == SireneResult(SireneStatus.DESACTIVE, None, MESSAGES[SireneStatus.DESACTIVE])
    assert transport.calls == []


def test_without_key_setting_at_all(settings):
    del settings.SIRENE_API_KEY
    assert fetch_etablissement(RESTAURANT, transport=ok("restaurant_lyon.json")).status == "desactive"


def test_logs_siret_and_status_never_the_key(caplog):
    with caplog.at_level(logging.DEBUG, logger="referentiels.sirene"):
        fetch_etablissement(RESTAURANT, transport=ok("restaurant_lyon.json"))
        fetch_etablissement(LA_POSTE, transport=FakeTransport(raises=TimeoutError()))

    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert infos == [f"Sirene {RESTAURANT} : ok", f"Sirene {LA_POSTE} : indisponible"]
    assert KEY not in caplog.text


# --- default transport (urllib), with its opener mocked-------------------------------------------------


class FakeUrlopenResponse(io.BytesIO):
    def __init__(self, body: bytes, status: int = 200):
        super().__init__(body)
        self.status = status
        self.headers = Message()
        self.headers["Content-Type"] = "application/json"


def test_default_transport_sends_the_key_header():
    body = (FIXTURES / "restaurant_lyon.json").read_bytes()
    with mock.patch.object(sirene.OUVREUR, "open", return_value=FakeUrlopenResponse(body)) as urlopen:
        result = fetch_etablissement(RESTAURANT)

    assert result.status == "ok"
    [request], kwargs = urlopen.call_args
    assert request.full_url == "https://api.insee.fr/api-sirene/3.11/siret/85316274100013"
    assert request.get_method() == "GET"
    assert request.get_header("X-insee-api-key-integration") == KEY
    assert kwargs == {"timeout": 3.0}


def test_default_transport_turns_http_errors_into_statuses():
    headers = Message()
    headers["Retry-After"] = "12"
    errors = [
        urllib.error.HTTPError("u", 404, "Not Found", Message(), io.BytesIO(b'{"header": {"statut": 404}}')),
        urllib.error.HTTPError("u", 429, "Too Many Requests", headers, io.BytesIO(b"")),
    ]
    with mock.patch.object(sirene.OUVREUR, "open", side_effect=errors):
        assert fetch_etablissement(INCONNU).status == "introuvable"
        assert fetch_etablissement(RESTAURANT).retry_after == 12


@pytest.mark.parametrize("error", [socket.timeout("timed out"), urllib.error.URLError(ConnectionRefusedError())])
def test_default_transport_network_errors(error):
    with mock.patch.object(sirene.OUVREUR, "open", side_effect=error):
        assert fetch_etablissement(RESTAURANT).status == "indisponible"


class _Serveur(ThreadingHTTPServer):
    """A local HTTP server on ``host`` answering every GET with ``repondre(handler)``; the requests' headers kept."""

    def __init__(self, host, repondre):
        self.recues = []
        serveur = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                serveur.recues.append((self.path, self.headers))  # case-insensitive
                repondre(self)

            def log_message(self, *args):
                pass

        super().__init__((host, 0), Handler)
        self.url = f"http://{host}:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def fermer(self):
        self.shutdown()
        self.server_close()


def test_a_redirect_to_another_host_is_not_followed_and_the_key_not_resent(settings, monkeypatch, caplog):
    """The API answers 302 to another host (127.0.0.2: another address of the loopback): the client does not go,
    the key stays with the API, and the user gets the usual « service indisponible » answer."""
    monkeypatch.setenv("no_proxy", "*")
    corps = (FIXTURES / "restaurant_lyon.json").read_bytes()

    def donnees(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(corps)

    ailleurs = _Serveur("127.0.0.2", donnees)

    def rediriger(handler):
        handler.send_response(302)
        handler.send_header("Location", f"{ailleurs.url}{handler.path}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    api = _Serveur("127.0.0.1", rediriger)
    settings.SIRENE_API_URL = f"{api.url}/api-sirene/3.11"
    try:
        result = fetch_etablissement(RESTAURANT)
    finally:
        api.fermer()
        ailleurs.fermer()

    [(chemin, entetes)] = api.recues
    assert chemin == f"/api-sirene/3.11/siret/{RESTAURANT}" and entetes["X-INSEE-Api-Key-Integration"] == KEY
    assert ailleurs.recues == []  # never asked, so never given the key
    assert result.status == SireneStatus.INDISPONIBLE and result.message == INDISPONIBLE
    assert KEY not in caplog.text


# --- applying a result to the local referential ---------------------------------------------------------


def entreprise(siren="853162741") -> Entreprise:
    return Entreprise(siren=siren, raison_sociale="GASTRONOMIE SAINT JEAN", categorie_juridique="5710")


def test_apply_to_etablissement_updates_insee_fields_only():
    result = fetch_etablissement(RESTAURANT, transport=ok("restaurant_lyon.json"))
    etablissement = Etablissement(
        entreprise=entreprise(),
        siret=RESTAURANT,
        enseigne="",
        numero_voie="12 RUE ST JEAN",
        complement_adresse="",
        code_postal="69005",
        commune="LYON",
        naf="5610A",
        idcc="1979",
        effectif=7,
    )

    changed = apply_to_etablissement(result, etablissement)

    assert changed == ["enseigne", "numero_voie", "complement_adresse", "commune"]
    assert etablissement.numero_voie == "12 BIS RUE SAINT JEAN"
    assert etablissement.commune == "LYON 5EME"
    assert (etablissement.idcc, etablissement.effectif) == ("1979", 7)
    assert apply_to_etablissement(result, etablissement) == []


def test_apply_non_diffusible_keeps_masked_fields():
    result = fetch_etablissement(EI_ND, transport=ok("entrepreneur_individuel_nd.json"))
    etablissement = Etablissement(
        entreprise=entreprise("890452139"),
        siret=EI_ND,
        enseigne="ELEC SERVICES",
        numero_voie="4 RUE FRANCIS DE PRESSENSE",
        complement_adresse="BAT B",
        code_postal="69100",
        commune="VILLEURBANE",
        naf="4322A",
    )

    assert apply_to_etablissement(result, etablissement) == ["commune", "naf"]
    assert (etablissement.enseigne, etablissement.numero_voie, etablissement.code_postal) == (
        "ELEC SERVICES",
        "4 RUE FRANCIS DE PRESSENSE",
        "69100",
    )


def test_apply_refuses_closed_unavailable_and_other_siret():
    ferme = fetch_etablissement(FERME, transport=ok("etablissement_ferme.json"))
    with pytest.raises(ValueError):
        apply_to_etablissement(ferme, Etablissement(siret=FERME))
    with pytest.raises(ValueError):
        apply_to_etablissement(SireneResult(SireneStatus.INDISPONIBLE, message=INDISPONIBLE), Etablissement())
    restaurant = fetch_etablissement(RESTAURANT, transport=ok("restaurant_lyon.json"))
    with pytest.raises(ValueError):
        apply_to_etablissement(restaurant, Etablissement(siret=INCONNU))


def test_etablissement_from_result_builds_an_unsaved_etablissement():
    result = fetch_etablissement(LA_POSTE, transport=ok("la_poste.json"))
    la_poste = entreprise("356000000")

    etablissement = etablissement_from_result(result, la_poste)

    assert etablissement.pk is None
    assert etablissement.entreprise is la_poste
    assert (etablissement.siret, etablissement.naf, etablissement.code_postal) == (LA_POSTE, "5310Z", "13001")
    assert etablissement.numero_voie == "1 PLACE DE L HOTEL DES POSTES"
    assert etablissement.complement_adresse == "HOTEL DES POSTES"
    assert etablissement.enseigne == "LA POSTE MARSEILLE COLBERT"
    with pytest.raises(ValueError):
        etablissement_from_result(result, entreprise("853162741"))


def test_etablissement_from_partially_diffusible_result_leaves_blanks_to_complete():
    result = fetch_etablissement(EI_ND, transport=ok("entrepreneur_individuel_nd.json"))

    etablissement = etablissement_from_result(result, entreprise("890452139"))

    assert (etablissement.commune, etablissement.naf) == ("VILLEURBANNE", "4321A")
    assert etablissement.numero_voie == etablissement.code_postal == ""


def test_results_are_immutable():
    result = fetch_etablissement(RESTAURANT, transport=ok("restaurant_lyon.json"))
    with pytest.raises(AttributeError):
        result.etablissement.naf = "0000Z"
    assert copy.deepcopy(result) == result
