"""Client d'exemple de l'API des organismes de formation (Python 3.11+, bibliothèque standard seule).

Usage as a library::

    from client import ClientApi, ErreurApi

    api = ClientApi("https://portail.example", "ak_0123456789ab.secret…")
    for dossier in api.lister(etat="brouillon_prestataire"):   # follows the cursors, page after page
        print(dossier["numero"], dossier["etat_libelle"])
    dossier = api.lire("CP2026000042")                          # state, anomalies, history
    try:
        api.finaliser("CP2026000042")
    except ErreurApi as e:                                      # the portal's French message and anomalies
        print(e.statut, e.detail, [a["message"] for a in e.anomalies])

And on the command line (``--base`` and ``--cle`` or the PORTAIL_API_BASE / PORTAIL_API_CLE variables)::

    python docs/api/client.py lister
    python docs/api/client.py lire CP2026000042
    python docs/api/client.py webhook http://127.0.0.1:8765/   # registers the receiver, prints its secret once
    python docs/api/client.py demo          # pre-enters docs/api/dossier_demo.json: create, complete, pieces, finalise

Reliability: every POST carries a fresh ``Idempotency-Key`` (uuid4) and is retried, with the SAME key, after a
network error, a 5xx or a 429 (waiting ``Retry-After``): the portal answers a retry with the first answer and
creates nothing twice. GETs are retried likewise. A PATCH is retried on a 429 only (the portal did not process it);
after a network error, read the dossier again (its ``version`` says whether the change was written).

``verifier_signature`` checks a webhook's ``X-Portail-Signature`` (see recepteur.py).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import hmac
import json
import mimetypes
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

PREFIXE = "/api/v1"
ICI = Path(__file__).resolve().parent


class ErreurApi(Exception):
    """An answer of the API other than 2xx: its status, its French ``detail``, its ``anomalies`` (422, 409…)."""

    def __init__(self, statut: int, detail: str, anomalies: list | None = None, corps=None):
        super().__init__(f"{statut} : {detail}")
        self.statut = statut
        self.detail = detail
        self.anomalies = anomalies or []
        self.corps = corps  # the whole JSON answer (e.g. ``erreurs``: the invalid parameters), or the raw text


class ClientApi:
    """The API at ``base_url`` (the portal's address, e.g. ``https://portail.example``) with the key ``cle``.

    ``tentatives``: attempts of one call at most (the first included); ``attente_max``: the longest wait between
    two (a longer ``Retry-After`` is cut); ``delai``: the network timeout of one attempt, in seconds.
    """

    def __init__(
        self,
        base_url: str,
        cle: str,
        *,
        tentatives: int = 5,
        attente_max: float = 60.0,
        delai: float = 30.0,
        dormir=time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.cle = cle
        self.tentatives = max(1, tentatives)
        self.attente_max = attente_max
        self.delai = delai
        self.dormir = dormir  # replaced by the tests, to count the waits instead of waiting

    # -- reading -------------------------------------------------------------------------------------------------

    def lister(
        self,
        *,
        etat: str | None = None,
        numero: str | None = None,
        modifie_depuis: datetime | str | None = None,
        taille: int | None = None,
    ) -> Iterator[dict]:
        """The organisation's dossiers, least recently modified first, every page (the cursors are followed)."""
        if isinstance(modifie_depuis, datetime):
            if modifie_depuis.tzinfo is None:
                raise ValueError("modifie_depuis : une date et heure avec son fuseau (RFC 3339) est attendue")
            modifie_depuis = modifie_depuis.isoformat()
        params = {"etat": etat, "numero": numero, "modifie_depuis": modifie_depuis, "taille": taille}
        params = {k: v for k, v in params.items() if v is not None}
        while True:
            page = self._appel("GET", "/dossiers", params=params)
            yield from page["resultats"]
            if not page.get("curseur_suivant"):
                return
            params["curseur"] = page["curseur_suivant"]

    def lire(self, numero: str) -> dict:
        """One dossier: its state and dates, anomalies (``{onglet, champ, type, code, message, bloquant}``), history."""
        return self._appel("GET", f"/dossiers/{_segment(numero)}")

    # -- writing -------------------------------------------------------------------------------------------------

    def creer(self, document: dict) -> dict:
        """Pre-enter a dossier from its JSON document (see dossier_demo.json): the new dossier (``numero``,
        ``version``, ``anomalies``), in state *Brouillon prestataire*."""
        return self._appel("POST", "/dossiers", corps=document)

    def modifier(self, numero: str, changements: dict, version: int) -> dict:
        """Change some sections or fields (the others are kept); ``version`` is the one last read: if the dossier
        changed since, ErreurApi 409 (read it again, then retry)."""
        return self._appel("PATCH", f"/dossiers/{_segment(numero)}", corps={**changements, "version": version})

    def deposer_pieces(self, numero: str, type: str, chemins: list[str | Path]) -> dict:
        """Upload files as pieces of type ``type`` (a piece type code, e.g. ``PROGRAMME``).

        The answer: ``{"pieces": [{"id", "type", "nom", "taille"}], "anomalies": [...]}``."""
        fichiers = []
        for chemin in chemins:
            chemin = Path(chemin)
            contenu = mimetypes.guess_type(chemin.name)[0] or "application/octet-stream"
            fichiers.append(("fichiers", chemin.name, contenu, chemin.read_bytes()))
        return self._appel("POST", f"/dossiers/{_segment(numero)}/pieces", champs={"type": type}, fichiers=fichiers)

    def finaliser(self, numero: str) -> dict:
        """*Finaliser*: hand the dossier over to the employer (state *A reprendre par l'adhérent*)."""
        return self._appel("POST", f"/dossiers/{_segment(numero)}/finaliser")

    def abonner_webhook(self, url: str) -> dict:
        """Register ``url`` for the ``dossier.etat_modifie`` events: ``{"id", "url", …, "secret"}``, the signing
        secret given in this answer only (give it to the receiver, see recepteur.py)."""
        return self._appel("POST", "/webhooks", corps={"url": url})

    # -- the HTTP call -------------------------------------------------------------------------------------------

    def _appel(self, methode: str, chemin: str, *, params=None, corps=None, champs=None, fichiers=None):
        url = f"{self.base_url}{PREFIXE}{chemin}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        entetes = {"Authorization": f"Bearer {self.cle}", "Accept": "application/json"}
        donnees = None
        if fichiers is not None or champs is not None:
            donnees, entetes["Content-Type"] = _multipart(champs or {}, fichiers or [])
        elif corps is not None:
            donnees = json.dumps(corps, ensure_ascii=False, default=_json_defaut).encode()
            entetes["Content-Type"] = "application/json"
        elif methode == "POST":
            donnees = b""
        if methode == "POST":
            entetes["Idempotency-Key"] = str(uuid.uuid4())  # the same for every retry of this call
        reessayable = methode in ("GET", "POST")
        for tentative in range(1, self.tentatives + 1):
            derniere = tentative == self.tentatives
            requete = urllib.request.Request(url, data=donnees, headers=entetes, method=methode)
            try:
                with urllib.request.urlopen(requete, timeout=self.delai) as reponse:
                    return _json(reponse.read())
            except urllib.error.HTTPError as e:
                texte = e.read()
                statut = e.code
                if not derniere and (statut == 429 or (reessayable and statut >= 500)):
                    self.dormir(self._attente(tentative, e.headers.get("Retry-After")))
                    continue
                raise _erreur(statut, texte) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if derniere or not reessayable:
                    raise
                self.dormir(self._attente(tentative, None))
                continue
        raise AssertionError("unreachable")  # pragma: no cover

    def _attente(self, tentative: int, retry_after: str | None) -> float:
        """``Retry-After`` (seconds or an HTTP date) when given, else an exponential backoff (0.5 s, 1 s, 2 s…)."""
        attente = None
        if retry_after:
            try:
                attente = float(retry_after)
            except ValueError:
                quand = email.utils.parsedate_to_datetime(retry_after)
                if quand is not None:
                    attente = (quand - datetime.now(timezone.utc)).total_seconds()
        if attente is None:
            attente = 0.5 * 2 ** (tentative - 1)
        return max(0.0, min(attente, self.attente_max))


def _segment(numero: str) -> str:
    return urllib.parse.quote(str(numero), safe="")


def _json(texte: bytes):
    return json.loads(texte) if texte else None


def _json_defaut(valeur):
    if isinstance(valeur, (date, datetime)):
        return valeur.isoformat()
    raise TypeError(f"{type(valeur).__name__} n'est pas sérialisable en JSON")


def _erreur(statut: int, texte: bytes) -> ErreurApi:
    try:
        corps = json.loads(texte)
    except ValueError:  # not the API's answer (a proxy's page…)
        return ErreurApi(statut, f"Réponse HTTP {statut} inattendue", corps=texte.decode(errors="replace"))
    if not isinstance(corps, dict):
        return ErreurApi(statut, f"Réponse HTTP {statut} inattendue", corps=corps)
    return ErreurApi(statut, str(corps.get("detail", "")), corps.get("anomalies") or [], corps)


def _multipart(champs: dict, fichiers: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    frontiere = f"----portail-{uuid.uuid4().hex}"
    parties = []
    for nom, valeur in champs.items():
        parties.append(f'--{frontiere}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n{valeur}\r\n'.encode())
    for nom, nom_fichier, contenu, octets in fichiers:
        nom_fichier = nom_fichier.replace('"', "")
        parties.append(
            (
                f'--{frontiere}\r\nContent-Disposition: form-data; name="{nom}"; filename="{nom_fichier}"\r\n'
                f"Content-Type: {contenu}\r\n\r\n"
            ).encode()
            + octets
            + b"\r\n"
        )
    parties.append(f"--{frontiere}--\r\n".encode())
    return b"".join(parties), f"multipart/form-data; boundary={frontiere}"


# -- webhooks ---------------------------------------------------------------------------------------------------


def verifier_signature(secret: str | bytes, corps: bytes, entete: str | None) -> bool:
    """Whether ``entete`` (``X-Portail-Signature``: ``sha256=<hex>``) is the HMAC-SHA256 of the raw body ``corps``
    with the subscription's ``secret``; compared in constant time. Check it on the bytes received, before parsing."""
    if not entete or not entete.startswith("sha256="):
        return False
    cle = secret.encode() if isinstance(secret, str) else secret
    attendue = hmac.new(cle, corps, hashlib.sha256).hexdigest()
    return hmac.compare_digest(attendue.encode(), entete.removeprefix("sha256=").strip().lower().encode())


# -- the demo: pre-enter the demo dossier -----------------------------------------------------------------------

# A minimal PDF (the portal checks the header, the end marker and that nothing active is inside).
PDF_DEMO = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SECTIONS_COMPLETEES = ("formation",)  # sent by a PATCH after the creation: « completes » the dossier


def document_demo(chemin: Path = ICI / "dossier_demo.json", debut: date | None = None) -> dict:
    """dossier_demo.json with its dates moved to a contract starting on ``debut`` (default: in 3 days), for a
    dossier that stays valid whatever the day: the file's dates are an example."""
    document = json.loads(chemin.read_text(encoding="utf-8"))
    document.pop("_commentaire", None)
    debut = debut or date.today() + timedelta(days=3)
    fin = debut.replace(year=debut.year + 1) - timedelta(days=1)
    contrat, formation = document["contrat"], document["formation"]
    contrat.update(date_debut=debut.isoformat(), date_fin=fin.isoformat(), date_conclusion=debut.isoformat())
    formation.update(date_debut_cycle=debut.isoformat(), date_fin_examens=fin.isoformat())
    for module in formation.get("modules", []):
        module.update(date_debut=debut.isoformat(), date_fin=fin.isoformat())
    return document


def demo(api: ClientApi, document: dict, pieces: dict[str, list[Path]], sortie=print) -> dict:
    """Create the dossier without its training, complete it (PATCH), upload its pieces, finalise it."""
    premier = {k: v for k, v in document.items() if k not in SECTIONS_COMPLETEES}
    dossier = api.creer(premier)
    numero = dossier["numero"]
    sortie(f"Créé : {numero} ({dossier['etat_libelle']}), {len(dossier['anomalies'])} anomalie(s)")
    dossier = api.modifier(numero, {k: document[k] for k in SECTIONS_COMPLETEES if k in document}, dossier["version"])
    bloquantes = [a for a in dossier["anomalies"] if a["bloquant"]]
    sortie(f"Complété : version {dossier['version']}, {len(bloquantes)} anomalie(s) bloquante(s)")
    for type_piece, chemins in pieces.items():
        depot = api.deposer_pieces(numero, type_piece, chemins)
        sortie(f"Pièces {type_piece} : {', '.join(p['nom'] for p in depot['pieces'])}")
    dossier = api.finaliser(numero)
    sortie(f"Finalisé : {numero} ({dossier['etat_libelle']}) — l'adhérent le reprend dans le portail.")
    return dossier


def _pieces_demo(dossier_temporaire: Path) -> dict[str, list[Path]]:
    pieces = {}
    for type_piece, nom in (("PROGRAMME", "programme.pdf"), ("CONVENTION_DEVIS", "convention.pdf")):
        chemin = dossier_temporaire / nom
        chemin.write_bytes(PDF_DEMO)
        pieces[type_piece] = [chemin]
    return pieces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Client d'exemple de l'API des organismes de formation.")
    parser.add_argument("--base", default=os.environ.get("PORTAIL_API_BASE", "http://127.0.0.1:8000"))
    parser.add_argument("--cle", default=os.environ.get("PORTAIL_API_CLE"), help="ou la variable PORTAIL_API_CLE")
    commandes = parser.add_subparsers(dest="commande", required=True)
    lister = commandes.add_parser("lister", help="les dossiers de l'organisme")
    lister.add_argument("--etat")
    lire = commandes.add_parser("lire", help="un dossier")
    lire.add_argument("numero")
    abonner = commandes.add_parser("webhook", help="enregistrer l'adresse du récepteur (affiche le secret, une fois)")
    abonner.add_argument("url")
    pre = commandes.add_parser("demo", help="pré-saisir le dossier de démonstration (dossier_demo.json)")
    pre.add_argument("--document", type=Path, default=ICI / "dossier_demo.json")
    arguments = parser.parse_args(argv)
    if not arguments.cle:
        parser.error("clé d'API absente : --cle ou PORTAIL_API_CLE")
    api = ClientApi(arguments.base, arguments.cle)
    try:
        if arguments.commande == "lister":
            for dossier in api.lister(etat=arguments.etat):
                print(f"{dossier['numero']}\t{dossier['etat_libelle']}\t{dossier['modifie_le']}")
        elif arguments.commande == "webhook":
            abonnement = api.abonner_webhook(arguments.url)
            print(f"Webhook {abonnement['id']} enregistré pour {abonnement['url']}.", file=sys.stderr)
            print("Son secret (il ne sera plus affiché) :", file=sys.stderr)
            print(abonnement["secret"])
        elif arguments.commande == "lire":
            print(json.dumps(api.lire(arguments.numero), ensure_ascii=False, indent=2))
        else:
            with tempfile.TemporaryDirectory() as temporaire:
                demo(api, document_demo(arguments.document), _pieces_demo(Path(temporaire)))
    except ErreurApi as e:
        print(f"Erreur {e.statut} : {e.detail}", file=sys.stderr)
        for anomalie in e.anomalies:
            print(
                f"  - [{anomalie.get('onglet')}] {anomalie.get('champ')} : {anomalie.get('message')}", file=sys.stderr
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
