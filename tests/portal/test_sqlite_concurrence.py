"""The embedded default survives concurrency: ``make run``'s shape (``runserver``, SQLite file, eager tasks).

Six *Transmettre* and six *Enregistrer* of the Employeur tab fired at once on the same dossier, three rounds,
over real HTTP against ``manage.py runserver`` (threaded, one SQLite connection per request, as `make run`
serves). SQLite in WAL mode with ``BEGIN IMMEDIATE`` and a busy timeout makes them queue: no request fails
with « database is locked », exactly one transmission is recorded, the others are told why in a dialog, and
no save lands on a dossier after it was transmitted.

The server runs in its own process on its own database file: pytest's test database (in memory, or
PostgreSQL in CI) would prove nothing about the file ``make run`` uses.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from tests.notifications.outils import port_libre
from tests.visiteur import Visiteur, attendre, champs_du_formulaire

ROOT = Path(__file__).resolve().parents[2]
PARALLELES = 6  # of each: Transmettre, Enregistrer
TOURS = 3
MOT_DE_PASSE = "concurrence-sqlite-2026"

PREPARATION = """
import json
from tests.complet import dossier_complet
from tests.factories import EtablissementFactory, UserFactory, attach
user = UserFactory(email="concurrence@exemple.test", password={mot_de_passe!r})
etablissement = EtablissementFactory()
attach(user, etablissement)
print(json.dumps([dossier_complet(user, etablissement).pk for _ in range({tours})]))
"""


def _env(base: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_WORKER_RUNNING", "EMAIL_BACKEND")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "MEDIA_ROOT": str(base / "media"),
        "DEBUG": "false",  # a failure is a plain 500, as a user would get it
        "PYTHONPATH": str(ROOT),
    }
    return env


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    base = tmp_path_factory.mktemp("make-run")
    env = _env(base)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    script = PREPARATION.format(mot_de_passe=MOT_DE_PASSE, tours=TOURS)
    out = subprocess.run([*manage, "shell", "-c", script], env=env, cwd=ROOT, check=True, capture_output=True)
    dossiers = json.loads(out.stdout.decode().strip().splitlines()[-1])
    port = port_libre()
    log = open(base / "runserver.log", "wb")
    process = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    try:
        attendre(f"http://127.0.0.1:{port}/connexion/")
        yield {"base": f"http://127.0.0.1:{port}", "db": base / "db.sqlite3", "dossiers": dossiers, "log": base}
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_the_embedded_database_is_in_wal_mode(serveur):
    with sqlite3.connect(serveur["db"]) as connexion:
        assert connexion.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_parallel_transmissions_and_saves_queue_instead_of_failing(serveur):
    statuts: list[tuple[str, int, str]] = []
    for pk in serveur["dossiers"]:
        statuts += _tour(serveur["base"], pk)

    erreurs = [s for s in statuts if s[1] >= 500]
    log = (serveur["log"] / "runserver.log").read_text(errors="replace")
    detail = {nom.split()[0]: sum(e[0].startswith(nom.split()[0]) for e in erreurs) for nom, _, _ in statuts}
    assert erreurs == [], f"{len(erreurs)} × 500 sur {len(statuts)} requêtes {detail} :\n{log[-3000:]}"
    assert "database is locked" not in log

    with sqlite3.connect(serveur["db"]) as connexion:
        for pk in serveur["dossiers"]:
            transmissions = [s for s in statuts if s[0] == f"transmettre {pk}"]
            # The same user's parallel clicks: each answered « Votre demande a été transmise » (a repeat by its
            # author is the first one's success, ADR 0019), one transmission written (the event count below).
            assert [code for _, code, _ in transmissions] == [200] * PARALLELES
            assert all("Votre demande a été transmise à AKTO" in texte for _, _, texte in transmissions)
            evenements = connexion.execute(
                "SELECT count(*) FROM dossiers_dossierevenement WHERE dossier_id = ? AND transition = 'transmettre'",
                (pk,),
            ).fetchone()[0]
            assert evenements == 1
            state, transmis_le, updated_at = connexion.execute(
                "SELECT state, transmis_le, updated_at FROM dossiers_dossier WHERE id = ?", (pk,)
            ).fetchone()
            assert state == "transmis"
            # Every save was written before the transmission or refused: nothing lands on a transmitted dossier.
            assert datetime.fromisoformat(updated_at) <= datetime.fromisoformat(transmis_le)
            enregistrements = [code for nom, code, _ in statuts if nom == f"enregistrer {pk}"]
            assert set(enregistrements) <= {200, 409}
            assert enregistrements.count(200) <= 1  # all sent the same version: one at most is written


def _tour(base: str, pk: int) -> list[tuple[str, int, str]]:
    """Log in 2 × PARALLELES visitors, then fire their requests at the same instant."""
    depart = threading.Barrier(2 * PARALLELES)
    resultats: list[tuple[str, int, str]] = []
    verrou = threading.Lock()

    def transmettre(visiteur):
        depart.wait()
        reponse = visiteur.post(f"/dossiers/{pk}/transmettre/", htmx=True)
        with verrou:
            resultats.append((f"transmettre {pk}", reponse.status, reponse.text))

    def enregistrer(visiteur, numero):
        page = visiteur.get(f"/dossiers/{pk}/employeur/")
        assert page.status == 200
        champs = [(n, v) for n, v in champs_du_formulaire(page.text) if n != "telephone"]
        champs.append(("telephone", f"04780000{numero:02d}"))
        depart.wait()
        reponse = visiteur.post(f"/dossiers/{pk}/employeur/", champs, htmx=True)
        with verrou:
            resultats.append((f"enregistrer {pk}", reponse.status, reponse.text))

    visiteurs = []
    for _ in range(2 * PARALLELES):
        visiteur = Visiteur(base)
        visiteur.connexion("concurrence@exemple.test", MOT_DE_PASSE)
        visiteurs.append(visiteur)
    threads = [threading.Thread(target=transmettre, args=(v,)) for v in visiteurs[:PARALLELES]]
    threads += [threading.Thread(target=enregistrer, args=(v, i)) for i, v in enumerate(visiteurs[PARALLELES:])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(resultats) == 2 * PARALLELES
    return resultats
