"""A webhook receiver for the tests: ``http.server`` in a thread on 127.0.0.1, recording every POST it gets.

``statuts`` are the answers to give in turn (then 200); ``pendant`` runs inside the handler before answering (e.g.
a concurrent delivery attempt while the first one waits for this answer)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recu:
    chemin: str
    entetes: dict
    corps: bytes


class Recepteur:
    def __init__(self, statuts=(), pendant=None):
        self.statuts = list(statuts)
        self.pendant = pendant
        self.recus: list[Recu] = []
        recepteur = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                corps = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recepteur.recus.append(Recu(self.path, dict(self.headers.items()), corps))
                if recepteur.pendant is not None:
                    recepteur.pendant()
                statut = recepteur.statuts.pop(0) if recepteur.statuts else 200
                self.send_response(statut)
                if 300 <= statut < 400:
                    self.send_header("Location", "/ailleurs")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.serveur.server_address[1]}/webhooks/portail"

    def __enter__(self):
        self.fil = threading.Thread(target=self.serveur.serve_forever, daemon=True)
        self.fil.start()
        return self

    def __exit__(self, *exc):
        self.serveur.shutdown()
        self.serveur.server_close()
        self.fil.join(timeout=5)
