"""The example client (docs/api/client.py) and webhook receiver (docs/api/recepteur.py), as an organisation runs them.

The client against the portal served live (pytest-django's ``live_server``: real HTTP, the real key check, the
rate limit) for the read endpoints; against a stub HTTP server on 127.0.0.1 for what the read endpoints cannot
show yet (a 5xx then a success on a POST: the same Idempotency-Key; a PATCH not retried; the multipart upload).
The receiver on 127.0.0.1, posted to as the portal does: signed, wrong, replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import logging
import sys
import threading
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from dossiers.api import cles
from tests.conftest import ensure_dispositifs
from tests.factories import DossierFactory, prestataire_user

DOCS_API = Path(__file__).resolve().parent.parent / "docs" / "api"


def _charger(nom: str):
    if str(DOCS_API) not in sys.path:
        sys.path.insert(0, str(DOCS_API))  # recepteur.py imports client.py from beside it
    spec = importlib.util.spec_from_file_location(f"docs_api_{nom}", DOCS_API / f"{nom}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


client_api = _charger("client")
recepteur = _charger("recepteur")


class Attentes(list):
    """The client's ``dormir``: records each wait instead of sleeping; ``avant`` runs first (e.g. a new minute)."""

    def __init__(self, avant=None):
        super().__init__()
        self.avant = avant

    def __call__(self, secondes):
        if self.avant:
            self.avant()
        self.append(secondes)


@pytest.fixture
def prestataire(transactional_db):
    ensure_dispositifs()  # a previous transactional test flushed the data migrations' rows
    return prestataire_user()


@pytest.fixture
def organisme(prestataire):
    return prestataire.rattachements.get().organisme


@pytest.fixture
def cle(prestataire, organisme):
    return cles.creer(organisme, prestataire, "Logiciel")[1]


def _dossiers(organisme, prestataire, n):
    return [DossierFactory(created_by=prestataire, prestataire=organisme, brouillon_prestataire=True) for _ in range(n)]


# -- the client against the live portal -------------------------------------------------------------------------


def test_lister_follows_the_cursors_through_every_page(live_server, prestataire, organisme, cle, caplog):
    mes = _dossiers(organisme, prestataire, 5)
    autre = prestataire_user()
    _dossiers(autre.rattachements.get().organisme, autre, 2)  # another organisation's: never listed
    api = client_api.ClientApi(live_server.url, cle)
    with caplog.at_level(logging.INFO, logger="portail.api"):
        vus = [d["numero"] for d in api.lister(taille=2)]
    assert vus == [d.numero for d in sorted(mes, key=lambda d: (d.updated_at, d.pk))]
    appels = [r.getMessage() for r in caplog.records if r.name == "portail.api"]
    assert len(appels) == 3 and all(" statut=200 " in a for a in appels)  # pages of 2, 2 and 1
    assert [d["numero"] for d in api.lister(numero=mes[3].numero)] == [mes[3].numero]


def test_lire_gives_the_dossier_and_a_404_raises_with_the_french_detail(live_server, prestataire, organisme, cle):
    (dossier,) = _dossiers(organisme, prestataire, 1)
    autre = prestataire_user()
    (chez_autre,) = _dossiers(autre.rattachements.get().organisme, autre, 1)
    api = client_api.ClientApi(live_server.url, cle)
    lu = api.lire(dossier.numero)
    assert lu["numero"] == dossier.numero and lu["etat"] == "brouillon_prestataire" and "anomalies" in lu
    for numero in (chez_autre.numero, "CP2099999999"):
        with pytest.raises(client_api.ErreurApi) as erreur:
            api.lire(numero)
        assert erreur.value.statut == 404 and erreur.value.detail == "Dossier introuvable."
    with pytest.raises(client_api.ErreurApi) as erreur:
        api.lire("CP/../inconnu")  # quoted whole: no endpoint's path, the API's JSON 404 all the same
    assert erreur.value.statut == 404 and erreur.value.detail == "Ressource introuvable."


def test_a_wrong_key_raises_the_401_at_once(live_server, cle):
    attentes = Attentes()
    api = client_api.ClientApi(live_server.url, cle.partition(".")[0] + ".faux", dormir=attentes)
    with pytest.raises(client_api.ErreurApi) as erreur:
        api.lire("CP2026000001")
    assert erreur.value.statut == 401 and erreur.value.detail == "Clé d'API absente, inconnue ou révoquée."
    assert attentes == []  # not retried


def test_a_429_is_retried_after_retry_after_then_succeeds(live_server, prestataire, organisme, cle, settings, caplog):
    settings.API_LIMITE_PAR_MINUTE = 2
    (dossier,) = _dossiers(organisme, prestataire, 1)
    attentes = Attentes(avant=cache.clear)  # the wait is over: a new minute, a new count
    api = client_api.ClientApi(live_server.url, cle, dormir=attentes)
    with caplog.at_level(logging.INFO, logger="portail.api"):
        assert [api.lire(dossier.numero)["numero"] for _ in range(3)] == [dossier.numero] * 3
    statuts = [r.getMessage().split(" statut=")[1].split()[0] for r in caplog.records if r.name == "portail.api"]
    assert statuts == ["200", "200", "429", "200"] and attentes == [60.0]  # Retry-After: 60


def test_a_429_that_lasts_gives_up_after_the_attempts_with_the_french_detail(live_server, cle, settings):
    settings.API_LIMITE_PAR_MINUTE = 1
    attentes = Attentes()
    api = client_api.ClientApi(live_server.url, cle, tentatives=3, attente_max=5, dormir=attentes)
    list(api.lister())
    with pytest.raises(client_api.ErreurApi) as erreur:
        list(api.lister())
    assert erreur.value.statut == 429 and erreur.value.detail.startswith("Trop de requêtes : limite de 1 appels")
    assert attentes == [5, 5]  # Retry-After 60, cut at attente_max


# -- the client against a stub: what the read endpoints cannot show -------------------------------------------


class Bouchon(ThreadingHTTPServer):
    """Answers the scripted (status, body) in turn and records each request (method, path, headers, body)."""

    daemon_threads = True

    def __init__(self, reponses):
        super().__init__(("127.0.0.1", 0), _GestionnaireBouchon)
        self.reponses = list(reponses)
        self.requetes = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _GestionnaireBouchon(BaseHTTPRequestHandler):
    def _repondre(self):
        corps = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requetes.append((self.command, self.path, dict(self.headers), corps))
        statut, reponse = self.server.reponses.pop(0)
        donnees = json.dumps(reponse).encode()
        self.send_response(statut)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(donnees)))
        self.end_headers()
        self.wfile.write(donnees)

    do_GET = do_POST = do_PATCH = _repondre

    def log_message(self, *args):
        pass


@pytest.fixture
def bouchon():
    serveurs = []

    def demarrer(*reponses):
        serveur = Bouchon(reponses)
        threading.Thread(target=serveur.serve_forever, daemon=True).start()
        serveurs.append(serveur)
        return serveur

    yield demarrer
    for serveur in serveurs:
        serveur.shutdown()
        serveur.server_close()


def test_a_post_retried_after_5xx_sends_the_same_idempotency_key_and_the_next_post_a_new_one(bouchon):
    serveur = bouchon(
        (503, {"detail": "Indisponible"}),
        (502, {"detail": "Passerelle"}),
        (201, {"numero": "CP2026000001", "version": 1}),
        (200, {"numero": "CP2026000001", "etat": "a_reprendre"}),
    )
    attentes = Attentes()
    api = client_api.ClientApi(serveur.url, "ak_x.y", dormir=attentes)
    assert api.creer({"siret": "81234567600017", "salarie": {"prenom": "Lucas"}})["numero"] == "CP2026000001"
    assert api.finaliser("CP2026000001")["etat"] == "a_reprendre"
    (m1, p1, h1, c1), (_, _, h2, c2), (_, _, h3, c3), (m4, p4, h4, c4) = serveur.requetes
    assert (m1, p1, m4, p4) == ("POST", "/api/v1/dossiers", "POST", "/api/v1/dossiers/CP2026000001/finaliser")
    cle = h1["Idempotency-Key"]
    assert uuid.UUID(cle).version == 4 and h2["Idempotency-Key"] == h3["Idempotency-Key"] == cle
    assert c1 == c2 == c3 and json.loads(c1) == {"siret": "81234567600017", "salarie": {"prenom": "Lucas"}}
    assert h4["Idempotency-Key"] != cle and h1["Authorization"] == "Bearer ak_x.y"
    assert attentes == [0.5, 1.0]  # exponential backoff without Retry-After


def test_a_patch_sends_the_version_and_is_not_retried_after_a_5xx_but_a_409_raises(bouchon):
    serveur = bouchon(
        (503, {"detail": "Indisponible"}),
        (409, {"detail": "Le dossier a été modifié entre-temps : relisez-le."}),
    )
    attentes = Attentes()
    api = client_api.ClientApi(serveur.url, "ak_x.y", dormir=attentes)
    with pytest.raises(client_api.ErreurApi) as erreur:
        api.modifier("CP2026000001", {"contrat": {"emploi": "Commis"}}, version=3)
    assert erreur.value.statut == 503 and attentes == []
    with pytest.raises(client_api.ErreurApi) as erreur:
        api.modifier("CP2026000001", {"contrat": {"emploi": "Commis"}}, version=3)
    assert erreur.value.statut == 409 and erreur.value.detail.startswith("Le dossier a été modifié")
    methode, chemin, _, corps = serveur.requetes[0]
    assert (methode, chemin) == ("PATCH", "/api/v1/dossiers/CP2026000001")
    assert json.loads(corps) == {"contrat": {"emploi": "Commis"}, "version": 3}


def test_a_422_raises_with_its_anomalies(bouchon):
    anomalie = {
        "onglet": "salarie",
        "champ": "nir",
        "type": "saisie_invalide",
        "code": "SAL_NIR_INVALIDE",
        "message": "Numéro de sécurité sociale invalide",
        "bloquant": True,
    }
    serveur = bouchon((422, {"detail": "Données invalides.", "anomalies": [anomalie]}))
    with pytest.raises(client_api.ErreurApi) as erreur:
        client_api.ClientApi(serveur.url, "ak_x.y").creer({"siret": "81234567600017"})
    assert erreur.value.statut == 422 and erreur.value.detail == "Données invalides."
    assert erreur.value.anomalies == [anomalie]


def test_deposer_pieces_sends_the_type_and_every_file_as_multipart(bouchon, tmp_path):
    serveur = bouchon((201, {"pieces": [{"id": 1}, {"id": 2}], "anomalies": []}))
    premier, second = tmp_path / "programme.pdf", tmp_path / "annexe « 2 ».pdf"
    premier.write_bytes(client_api.PDF_DEMO)
    second.write_bytes(b"%PDF-1.4\nautre\n%%EOF\n")
    assert (
        len(client_api.ClientApi(serveur.url, "ak_x.y").deposer_pieces("CP1", "PROGRAMME", [premier, second])["pieces"])
        == 2
    )
    methode, chemin, entetes, corps = serveur.requetes[0]
    assert (methode, chemin) == ("POST", "/api/v1/dossiers/CP1/pieces") and "Idempotency-Key" in entetes
    # Read as the portal reads it (Django's multipart parser).
    requete = RequestFactory().generic("POST", chemin, data=corps, content_type=entetes["Content-Type"])
    assert requete.POST.dict() == {"type": "PROGRAMME"}
    fichiers = [(f.name, f.read()) for f in requete.FILES.getlist("fichiers")]
    assert fichiers == [
        ("programme.pdf", client_api.PDF_DEMO),
        ("annexe « 2 ».pdf", b"%PDF-1.4\nautre\n%%EOF\n"),
    ]


def test_a_network_error_is_retried_then_raised(bouchon):
    serveur = bouchon()
    url = serveur.url
    serveur.shutdown()
    serveur.server_close()  # nothing listens there any more: connection refused
    attentes = Attentes()
    with pytest.raises(urllib.error.URLError):
        client_api.ClientApi(url, "ak_x.y", tentatives=3, dormir=attentes).lire("CP1")
    assert attentes == [0.5, 1.0]


def test_the_demo_document_moves_its_dates_to_a_contract_to_come():
    import datetime as dt

    document = client_api.document_demo(debut=dt.date(2030, 3, 4))
    assert "_commentaire" not in document and document["siret"] == "81234567600017"
    assert document["contrat"]["date_debut"] == "2030-03-04" and document["contrat"]["date_fin"] == "2031-03-03"
    assert document["formation"]["modules"][0]["date_fin"] == "2031-03-03"
    assert set(document) == {"siret", "type_contrat", "type_public", "salarie", "tuteurs", "contrat", "formation"}


def test_the_demo_creates_completes_uploads_and_finalises_through_the_api_only(bouchon, capsys):
    anomalie = {"onglet": "formation", "champ": "code_rncp", "bloquant": True}
    serveur = bouchon(
        (
            201,
            {"numero": "CP2026000042", "etat_libelle": "Brouillon prestataire", "version": 1, "anomalies": [anomalie]},
        ),
        (200, {"numero": "CP2026000042", "version": 2, "anomalies": []}),
        (201, {"pieces": [{"id": 1, "nom": "programme.pdf"}], "anomalies": []}),
        (201, {"pieces": [{"id": 2, "nom": "convention.pdf"}], "anomalies": []}),
        (200, {"numero": "CP2026000042", "etat_libelle": "A reprendre par l'adhérent"}),
    )
    assert client_api.main(["--base", serveur.url, "--cle", "ak_x.y", "demo"]) == 0
    appels = [(m, c) for m, c, _, _ in serveur.requetes]
    assert appels == [
        ("POST", "/api/v1/dossiers"),
        ("PATCH", "/api/v1/dossiers/CP2026000042"),
        ("POST", "/api/v1/dossiers/CP2026000042/pieces"),
        ("POST", "/api/v1/dossiers/CP2026000042/pieces"),
        ("POST", "/api/v1/dossiers/CP2026000042/finaliser"),
    ]
    cree, complete = (json.loads(serveur.requetes[i][3]) for i in (0, 1))
    document = client_api.document_demo()
    assert cree == {k: v for k, v in document.items() if k != "formation"}
    assert complete == {"formation": document["formation"], "version": 1}
    cles_idempotence = {r[2]["Idempotency-Key"] for r in serveur.requetes if r[0] == "POST"}
    assert len(cles_idempotence) == 4  # one per operation
    sortie = capsys.readouterr().out
    assert "Créé : CP2026000042" in sortie and "Finalisé : CP2026000042 (A reprendre par l'adhérent)" in sortie


def test_the_command_line_lists_and_prints_the_french_error(live_server, prestataire, organisme, cle, capsys):
    (dossier,) = _dossiers(organisme, prestataire, 1)
    assert client_api.main(["--base", live_server.url, "--cle", cle, "lister"]) == 0
    assert capsys.readouterr().out.startswith(f"{dossier.numero}\tBrouillon prestataire\t")
    assert client_api.main(["--base", live_server.url, "--cle", cle, "lire", "CP2099999999"]) == 1
    assert capsys.readouterr().err == "Erreur 404 : Dossier introuvable.\n"


# -- webhooks: the signature and the receiver -------------------------------------------------------------------

SECRET = "whsec_essai"


def signer(corps: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), corps, hashlib.sha256).hexdigest()


def test_verifier_signature():
    corps = b'{"id": "1", "type": "dossier.etat_modifie"}'
    bonne = signer(corps)
    assert client_api.verifier_signature(SECRET, corps, bonne)
    assert client_api.verifier_signature(SECRET.encode(), corps, bonne.upper().replace("SHA256=", "sha256="))
    assert not client_api.verifier_signature("autre-secret", corps, bonne)
    assert not client_api.verifier_signature(SECRET, corps + b" ", bonne)  # the body changed
    assert not client_api.verifier_signature(SECRET, corps, bonne.removeprefix("sha256="))  # no scheme
    assert not client_api.verifier_signature(SECRET, corps, "sha1=" + bonne.removeprefix("sha256="))
    assert not client_api.verifier_signature(SECRET, corps, None)
    assert not client_api.verifier_signature(SECRET, corps, "")


@pytest.fixture
def serveur_recepteur(tmp_path):
    demarres = []

    def demarrer():
        lignes = []
        serveur = recepteur.creer_serveur(SECRET, tmp_path / "evenements.jsonl", sortie=lignes.append)
        threading.Thread(target=serveur.serve_forever, daemon=True).start()
        demarres.append(serveur)
        return serveur, lignes

    yield demarrer
    for serveur in demarres:
        serveur.shutdown()
        serveur.server_close()


def poster(serveur, corps: bytes, signature: str | None, evenement: str) -> tuple[int, dict]:
    entetes = {"Content-Type": "application/json", "X-Portail-Evenement": evenement}
    if signature is not None:
        entetes["X-Portail-Signature"] = signature
    url = f"http://127.0.0.1:{serveur.server_address[1]}/webhooks/portail"
    requete = urllib.request.Request(url, data=corps, headers=entetes, method="POST")
    try:
        with urllib.request.urlopen(requete, timeout=5) as reponse:
            return reponse.status, json.loads(reponse.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def evenement(identifiant: str) -> bytes:
    return json.dumps(
        {
            "id": identifiant,
            "type": "dossier.etat_modifie",
            "cree_le": "2026-12-01T10:00:00+00:00",
            "donnees": {
                "numero": "CP2026000001",
                "etat": "a_reprendre",
                "etat_precedent": "brouillon_prestataire",
                "transition": "finaliser",
                "date": "2026-12-01T10:00:00+00:00",
            },
        }
    ).encode()


def test_the_receiver_stores_a_signed_event_once_and_refuses_a_wrong_signature(serveur_recepteur, tmp_path):
    serveur, lignes = serveur_recepteur()
    fichier = tmp_path / "evenements.jsonl"
    premier = evenement("e-1")
    assert poster(serveur, premier, signer(premier), "e-1") == (200, {"detail": "Reçu."})
    assert poster(serveur, premier, signer(premier), "e-1") == (200, {"detail": "Déjà reçu."})  # a replay
    second = evenement("e-2")
    assert poster(serveur, second, signer(second, "mauvais-secret"), "e-2") == (401, {"detail": "Signature invalide."})
    assert poster(serveur, second, None, "e-2")[0] == 401
    altere = second.replace(b"a_reprendre", b"accepte")
    assert poster(serveur, altere, signer(second), "e-2")[0] == 401  # the body is not the one signed
    stockes = [json.loads(ligne) for ligne in fichier.read_text(encoding="utf-8").splitlines()]
    assert [s["evenement"] for s in stockes] == [json.loads(premier)]
    assert lignes == ["dossier.etat_modifie CP2026000001 : brouillon_prestataire → a_reprendre (e-1)"]


def test_the_receiver_restarted_still_dedupes_from_its_file(serveur_recepteur, tmp_path):
    serveur, _ = serveur_recepteur()
    corps = evenement("e-1")
    assert poster(serveur, corps, signer(corps), "e-1")[0] == 200
    serveur.shutdown()
    serveur.server_close()
    relance, _ = serveur_recepteur()
    assert poster(relance, corps, signer(corps), "e-1") == (200, {"detail": "Déjà reçu."})
    assert len((tmp_path / "evenements.jsonl").read_text(encoding="utf-8").splitlines()) == 1


# -- the demo document: a complete dossier for the rules engine ------------------------------------------------


def test_the_demo_document_is_a_complete_dossier_of_the_demo_portal_for_the_rules(db):
    """dossier_demo.json's values, written as the tabs store them into a dossier of the demo establishment: no
    blocking anomaly in the tabs the organisation enters (Salarié, Contrat, Formation) but the employer's
    attestations, which the adhérent ticks — so that `demo` finalises and the adhérent can transmit."""
    import datetime as dt
    import io
    from decimal import Decimal

    from django.core.management import call_command

    from dossiers import rules
    from dossiers.acces import ATTESTATIONS_EMPLOYEUR
    from dossiers.models import ModuleFormation
    from portal.models import User
    from referentiels.models import Certification, Etablissement, OrganismeFormation
    from tests.complet import referentiels

    referentiels()  # parameters, Lyon and its postal code (as the demo's load_referentiels)
    call_command("load_demo", stdout=io.StringIO())
    call_command("import_rncp", stdout=io.StringIO())  # the referential's extract, which `make demo` loads
    document = client_api.document_demo(debut=dt.date.today() + dt.timedelta(days=3))
    prestataire = User.objects.get(email="prestataire@demo.test")
    organisme = OrganismeFormation.objects.get(siret=document["formation"]["modules"][0]["organisme"])
    assert prestataire.rattachements.get().organisme == organisme
    dossier = DossierFactory(
        etablissement=Etablissement.objects.get(siret=document["siret"]),
        created_by=prestataire,
        prestataire=organisme,
        brouillon_prestataire=True,
        type_contrat=document["type_contrat"],
    )

    def ecrire(instance, valeurs, dates=(), **autres):
        for nom, valeur in valeurs.items():
            if nom in dates:
                valeur = dt.date.fromisoformat(valeur)
            setattr(instance, nom, valeur)
        for nom, valeur in autres.items():
            setattr(instance, nom, valeur)
        instance.save()

    salarie = dict(document["salarie"])
    ecrire(dossier.salarie, salarie | {"commune": "Lyon"}, ("date_naissance",), code_commune=salarie["commune"])
    ecrire(dossier.tuteur(1), document["tuteurs"][0], ("date_naissance",))
    contrat = document["contrat"] | {"salaire_brut": Decimal(document["contrat"]["salaire_brut"])}
    ecrire(dossier.contrat, contrat, ("date_debut", "date_fin", "date_conclusion"))
    formation = {k: v for k, v in document["formation"].items() if k != "modules"}
    certification = Certification.objects.get(code=formation["code_rncp"])
    ecrire(dossier.formation, formation, ("date_debut_cycle", "date_fin_examens"), certification=certification)
    for ordre, module in enumerate(document["formation"]["modules"], start=1):
        valeurs = module | {"organisme": OrganismeFormation.objects.get(siret=module["organisme"])}
        ecrire(ModuleFormation(formation=dossier.formation, ordre=ordre), valeurs, ("date_debut", "date_fin"))
    bloquantes = [
        (a.onglet, a.field, a.code, a.message)
        for a in rules.check(dossier.__class__.objects.get(pk=dossier.pk))
        if a.bloquant and a.onglet in ("salarie", "contrat", "formation") and a.field not in ATTESTATIONS_EMPLOYEUR
    ]
    assert bloquantes == []
