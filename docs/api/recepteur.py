"""Récepteur de webhooks d'exemple (Python 3.11+, bibliothèque standard seule).

    PORTAIL_WEBHOOK_SECRET=whsec_… python docs/api/recepteur.py --port 8765 --fichier evenements.jsonl

Listens on 127.0.0.1 (put your HTTPS proxy in front of it: the portal sends to an HTTPS URL). For each POST:
- the signature ``X-Portail-Signature: sha256=<hex>`` is checked on the raw body (HMAC-SHA256 with the
  subscription's secret, shown once in the portal when you registered the URL): wrong or missing → 401;
- the event is deduplicated on ``X-Portail-Evenement`` (the portal delivers at least once: a retry after a
  timeout brings the same event again) → a replay answers 200 and is not stored twice;
- the event is printed and appended to the JSON-lines file (one ``{"recu_le", "evenement"}`` a line), then 200.
Answer fast (the portal waits a few seconds); do the real work from the file, not in the request.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from client import verifier_signature  # noqa: E402  (beside this file)

TAILLE_MAX = 1024 * 1024


class Recepteur(ThreadingHTTPServer):
    """The HTTP server, with its secret, its JSON-lines file and the ids already received (read from the file)."""

    daemon_threads = True

    def __init__(self, adresse, secret: str | bytes, fichier: Path, sortie=print):
        super().__init__(adresse, GestionnaireWebhook)
        self.secret = secret
        self.fichier = Path(fichier)
        self.sortie = sortie
        self.verrou = threading.Lock()
        self.recus: set[str] = set()
        if self.fichier.exists():
            for ligne in self.fichier.read_text(encoding="utf-8").splitlines():
                if ligne.strip():
                    self.recus.add(json.loads(ligne)["evenement"].get("id", ""))

    def enregistrer(self, identifiant: str, evenement: dict) -> bool:
        """Store the event unless already received; whether it was new."""
        with self.verrou:
            if identifiant in self.recus:
                return False
            ligne = {"recu_le": datetime.now(timezone.utc).isoformat(), "evenement": evenement}
            with self.fichier.open("a", encoding="utf-8") as f:
                f.write(json.dumps(ligne, ensure_ascii=False) + "\n")
            self.recus.add(identifiant)
            return True


class GestionnaireWebhook(BaseHTTPRequestHandler):
    server: Recepteur

    def do_POST(self):  # noqa: N802 (http.server's name)
        try:
            taille = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            taille = -1
        if not 0 <= taille <= TAILLE_MAX:
            return self._repondre(413 if taille > TAILLE_MAX else 400, "Corps absent ou trop grand.")
        corps = self.rfile.read(taille)
        if not verifier_signature(self.server.secret, corps, self.headers.get("X-Portail-Signature")):
            return self._repondre(401, "Signature invalide.")
        try:
            evenement = json.loads(corps)
        except ValueError:
            return self._repondre(400, "Corps JSON invalide.")
        identifiant = self.headers.get("X-Portail-Evenement") or str(evenement.get("id", ""))
        if not identifiant:
            return self._repondre(400, "Identifiant d'événement absent.")
        if not self.server.enregistrer(identifiant, evenement):
            return self._repondre(200, "Déjà reçu.")
        donnees = evenement.get("donnees", {})
        self.server.sortie(
            f"{evenement.get('type')} {donnees.get('numero', '')} : "
            f"{donnees.get('etat_precedent', '')} → {donnees.get('etat', '')} ({identifiant})"
        )
        return self._repondre(200, "Reçu.")

    def _repondre(self, statut: int, message: str):
        corps = json.dumps({"detail": message}, ensure_ascii=False).encode()
        self.send_response(statut)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        self.wfile.write(corps)

    def log_message(self, format, *args):  # the events are printed by do_POST; no access log on stderr
        pass


def creer_serveur(secret: str | bytes, fichier: Path, port: int = 0, hote: str = "127.0.0.1", sortie=print):
    """The receiver bound to ``hote:port`` (0: a free port, ``server_address[1]``); ``serve_forever()`` runs it."""
    return Recepteur((hote, port), secret, fichier, sortie=sortie)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Récepteur de webhooks d'exemple du portail.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fichier", type=Path, default=Path("evenements.jsonl"))
    parser.add_argument("--secret", default=os.environ.get("PORTAIL_WEBHOOK_SECRET"))
    arguments = parser.parse_args(argv)
    if not arguments.secret:
        parser.error("secret absent : --secret ou PORTAIL_WEBHOOK_SECRET")
    serveur = creer_serveur(arguments.secret, arguments.fichier, arguments.port)
    print(f"Écoute sur http://127.0.0.1:{serveur.server_address[1]}/ ; événements dans {arguments.fichier}")
    try:
        serveur.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        serveur.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
