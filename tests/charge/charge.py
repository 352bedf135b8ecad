"""The load test's traffic and report (locust, headless, in process): run by tests/charge/lancer (`make charge`).

Against a gunicorn already started on 127.0.0.1 under ``portal.settings.banc`` (production's settings plus the
bare baseline view ``/_banc/temoin/``, portal/banc.py):

1. **Start of the server.** The first answer after gunicorn is launched (the port opens, the first request is
   answered), against the median of the next ones: no request may pay for a worker's boot (the CERFA's
   warm-up).
2. **Login.** Each account of ``comptes.json`` (tests/charge/donnees.py) logs in through the real login form
   (GET for the CSRF token, POST): one adhérent per simulated user, so that no two users save the same dossier.
3. **Warm-up** (``--chauffe`` s of mixed traffic, not counted: the database's caches, the connections), then
   **phases, alternated** A/B/A/B… under the same concurrency (``--utilisateurs``, closed loop without think
   time): A = the bare baseline view (login_required, one UPDATE, a tiny response), B = an adhérent's mixed
   traffic — open a tab (full page and htmx), save the *Employeur* tab as htmx does (tracking the dossier's
   version from the answer), the *Brouillons* and *Dossiers* lists with a sort and a search, the notifications.
   Alternating spreads the drift (CPU, caches, the machine's neighbours) over both.
4. **Report.** Per phase and per kind: req/s, p50, p95, p99, errors (any answer but 2xx/3xx, a redirect to the
   login page, a save that does not say « Enregistrement effectué. »), version conflicts (409, counted apart:
   there should be none), saves/s; the ratio mixed/bare req/s against ``--objectif``; the first request of every
   fresh gunicorn worker (header ``X-Banc-Requete``: at start and after ``max_requests``) against the median of
   the same kind of request.

Exit status: 0 without error, 1 with errors or conflicts, 2 when the test itself could not run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import socket
import statistics
import sys
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

import gevent
import gevent.pool
import locust  # noqa: F401  (gevent's monkey-patching, before urllib.request and ssl are imported below)
from locust import FastHttpUser, constant, task
from locust.env import Environment

from dossiers.enums import OngletDossier
from tests.bench import EMPLOYEUR_VALUES
from tests.visiteur import Visiteur

EXIT_OK, EXIT_ERREURS, EXIT_ECHEC = 0, 1, 2
DUREE_SERVEUR = re.compile(r"app;dur=([0-9.]+)")
VERSION = re.compile(rb'name="version"[^>]*value="(\d+)"')
ENREGISTRE = "Enregistrement effectué.".encode()
ONGLETS = [o.value for o in OngletDossier]
TEMOIN, MIXTE = "témoin", "mixte"


@dataclass
class Mesure:
    nom: str
    ms: float
    ok: bool
    status: int


@dataclass
class Phase:
    numero: int
    genre: str
    duree: float = 0.0
    mesures: list[Mesure] = field(default_factory=list)
    conflits: int = 0
    enregistrements: int = 0
    erreurs: list[str] = field(default_factory=list)

    @property
    def libelle(self) -> str:
        return f"{'AB'[self.genre == MIXTE]}{self.numero}"


class Essai:
    """What the users share: the accounts, the phase being measured, the first request of every worker."""

    def __init__(self, comptes: list[dict]):
        self.comptes = comptes
        self.phase: Phase | None = None
        self.attribution = itertools.count()
        # Each worker's request #1: (worker, request, ms seen by the client, ms inside Django, at start or not).
        self.premieres: list[tuple[str, str, float, float, bool]] = []
        self.lancement = True  # until the phases start: the workers gunicorn started with
        self.tous: dict[str, list[float]] = defaultdict(list)  # every request's time by kind, all phases
        self.serveur: dict[str, list[float]] = defaultdict(list)  # the same inside Django (Server-Timing)

    def compte(self) -> dict:
        return self.comptes[next(self.attribution) % len(self.comptes)]

    def noter(self, nom, ms, status, ok, entetes=None, raison=""):
        entetes = {k.lower(): v for k, v in (entetes or {}).items()}
        self.tous[nom].append(ms)
        duree = DUREE_SERVEUR.search(entetes.get("server-timing", ""))
        serveur = float(duree.group(1)) if duree else float("nan")
        self.serveur[nom].append(serveur)
        numero = entetes.get("x-banc-requete", "")
        if numero.endswith("/1"):
            self.premieres.append((numero.split("/")[0], nom, ms, serveur, self.lancement))
        if self.phase is not None:
            self.phase.mesures.append(Mesure(nom, ms, ok, status))
            if not ok and len(self.phase.erreurs) < 10:
                self.phase.erreurs.append(f"{nom} → {status} {raison}".strip())


ESSAI: Essai  # set by main()


class Connecte(FastHttpUser):
    """A simulated user on its own logged-in account (its session and CSRF cookies, obtained by ``connecter``)."""

    abstract = True
    wait_time = constant(0)

    def on_start(self):
        self.compte = ESSAI.compte()
        for cookie in self.compte["cookies"]:
            self.client.cookiejar.set_cookie(cookie)
        self.csrf = self.compte["csrf"]

    def appel(self, methode, chemin, nom, *, htmx=False, data=None, controle=None):
        entetes = {"X-CSRFToken": self.csrf} if methode == "POST" else {}
        if htmx:
            entetes["HX-Request"] = "true"
        debut = time.perf_counter()
        with self.client.request(
            methode, chemin, name=nom, data=data, headers=entetes, allow_redirects=False, catch_response=True
        ) as reponse:
            ms = (time.perf_counter() - debut) * 1000
            status = reponse.status_code or 0
            raison = ""
            if status == 409 and controle is not None:
                ok = True  # a version conflict: counted apart by the caller
            elif not 200 <= status < 400:
                ok, raison = False, (reponse.text or "")[:120].replace("\n", " ")
            elif status in (301, 302) and "/connexion/" in (reponse.headers.get("Location") or ""):
                ok, raison = False, "redirigé vers la connexion (session perdue)"
            elif controle is not None and not controle(reponse):
                ok, raison = False, "réponse inattendue"
            else:
                ok = True
            if ok:
                reponse.success()
            else:
                reponse.failure(raison or str(status))
            ESSAI.noter(nom, ms, status, ok, reponse.headers, raison)
            return reponse


class Temoin(Connecte):
    """Phase A: the bare view, as often as it answers."""

    @task
    def temoin(self):
        self.appel("POST", "/_banc/temoin/", TEMOIN, data={})


class Adherent(Connecte):
    """Phase B: what an adhérent does, weighted (saves about a quarter of the requests)."""

    def on_start(self):
        super().on_start()
        self.dossiers = self.compte["dossiers"]  # [{"pk", "version"}], this user's alone
        self.saisies = 0
        for d in self.dossiers:
            if d.get("en_vol"):  # a save cut by the end of the previous phase: its answer (the version) was lost
                self.relire(d)

    def dossier(self) -> dict:
        return random.choice(self.dossiers)

    def relire(self, d: dict) -> None:
        """The stored version, from the tab as htmx shows it (after a cut save, or a conflict)."""
        reponse = self.appel("GET", f"/dossiers/{d['pk']}/employeur/", "onglet (htmx)", htmx=True)
        version = VERSION.search(reponse.content or b"")
        if version:
            d["version"], d["en_vol"] = int(version.group(1)), False

    @task(3)
    def onglet_page(self):
        d = self.dossier()
        self.appel("GET", f"/dossiers/{d['pk']}/{random.choice(ONGLETS)}/", "onglet (page)")

    @task(4)
    def onglet_htmx(self):
        d = self.dossier()
        self.appel("GET", f"/dossiers/{d['pk']}/{random.choice(ONGLETS)}/", "onglet (htmx)", htmx=True)

    @task(4)
    def enregistrer(self):
        d = self.dossier()
        self.saisies += 1
        valeurs = {"version": d["version"], **EMPLOYEUR_VALUES[self.saisies % 2]}
        d["en_vol"] = True
        reponse = self.appel(
            "POST",
            f"/dossiers/{d['pk']}/employeur/",
            "enregistrer Employeur",
            htmx=True,
            data=valeurs,
            controle=lambda r: ENREGISTRE in (r.content or b""),
        )
        phase = ESSAI.phase
        if reponse.status_code == 409:
            # Refused as « modifié ailleurs »: the answer keeps the posted (stale) version; read the stored one.
            if phase is not None:
                phase.conflits += 1
            self.relire(d)
            return
        version = VERSION.search(reponse.content or b"")
        if reponse.status_code == 200 and version:
            d["version"], d["en_vol"] = int(version.group(1)), False
            if phase is not None:
                phase.enregistrements += 1

    @task(1)
    def brouillons_tri(self):
        self.appel("GET", f"/brouillons/?tri={random.choice(['-numero', 'debut', 'beneficiaire'])}", "brouillons ?tri")

    @task(1)
    def brouillons_recherche(self):
        self.appel("GET", f"/brouillons/?q=martin{random.randint(0, 9)}&tri=-numero", "brouillons ?q", htmx=True)

    @task(1)
    def dossiers_tri(self):
        self.appel("GET", "/dossiers/?tri=etat", "dossiers ?tri")

    @task(1)
    def notifications(self):
        self.appel("GET", "/notifications/", "notifications")


# ------------------------------------------------------------------------------------------------------------
# Steps
# ------------------------------------------------------------------------------------------------------------


def demarrage(base: str, lance: float, delai: float) -> dict:
    """Until the port accepts a connection, then the first answer timed, then ten more (their median)."""
    parts = urllib.parse.urlsplit(base)
    fin = time.monotonic() + delai
    while True:
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > fin:
                raise RuntimeError(f"gunicorn n'ouvre pas le port {parts.port} en {delai:.0f} s") from None
            gevent.sleep(0.05)
    port_ouvert = time.time()
    visiteur = Visiteur(base, timeout=delai)
    debut = time.perf_counter()
    reponse = visiteur.get("/connexion/")
    premiere = (time.perf_counter() - debut) * 1000
    if reponse.status != 200:
        raise RuntimeError(f"GET /connexion/ → {reponse.status} au démarrage")
    ESSAI.noter("connexion (page)", premiere, reponse.status, True, reponse.headers)
    suivantes = []
    for _ in range(10):
        debut = time.perf_counter()
        r = Visiteur(base).get("/connexion/")
        suivantes.append((time.perf_counter() - debut) * 1000)
        ESSAI.noter("connexion (page)", suivantes[-1], r.status, r.status == 200, r.headers)
    return {
        "port": port_ouvert - lance,
        "premiere": premiere,
        "reponse": port_ouvert - lance + premiere / 1000,
        "mediane": statistics.median(suivantes),
    }


def connecter(base: str, comptes: list[dict], mot_de_passe: str) -> list[float]:
    """Every account through the login form (its CSRF token), a few at a time; the POSTs' times."""
    temps = []

    def un(compte):
        visiteur = Visiteur(base)
        debut = time.perf_counter()
        reponse = visiteur.connexion(compte["email"], mot_de_passe)
        temps.append((time.perf_counter() - debut) * 1000)
        ESSAI.noter("connexion (GET + POST)", temps[-1], reponse.status, True, reponse.headers)
        compte["cookies"] = list(visiteur.cookies)
        compte["csrf"] = visiteur.csrf()
        if not any(c.name == "sessionid" for c in compte["cookies"]):
            raise RuntimeError(f"{compte['email']} : pas de cookie de session après la connexion")

    gevent.pool.Pool(4).map(un, comptes)
    return temps


def jouer(base: str, phase: Phase, utilisateurs: int, duree: float) -> None:
    env = Environment(user_classes=[Temoin if phase.genre == TEMOIN else Adherent], host=base)
    runner = env.create_local_runner()
    ESSAI.attribution = itertools.count()
    ESSAI.phase = phase
    debut = time.perf_counter()
    runner.start(utilisateurs, spawn_rate=100)
    gevent.sleep(duree)
    phase.duree = time.perf_counter() - debut
    ESSAI.phase = None  # what answers after this instant is not counted
    runner.stop()
    runner.quit()


# ------------------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------------------


def centiles(valeurs: list[float]) -> tuple[float, float, float]:
    if len(valeurs) < 2:
        v = valeurs[0] if valeurs else float("nan")
        return v, v, v
    q = statistics.quantiles(valeurs, n=100, method="inclusive")
    return q[49], q[94], q[98]


def ligne(libelle: str, mesures: list[Mesure], duree: float, conflits: int, enregistrements: int) -> str:
    p50, p95, p99 = centiles([m.ms for m in mesures])
    erreurs = sum(not m.ok for m in mesures)
    return (
        f"   {libelle:28}{len(mesures):8d}{len(mesures) / duree:9.1f}{p50:8.0f}{p95:8.0f}{p99:8.0f}"
        f"{erreurs:8d}{conflits:6d}{enregistrements / duree:9.1f}"
    )


def rapport(phases, demarre, connexions, args) -> int:
    out = print
    entete = (
        f"   {'':28}{'requêtes':>8}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'erreurs':>8}{'409':>6}{'saves/s':>9}"
    )
    out()
    out("== Démarrage de gunicorn (2 workers)")
    out(f"   port ouvert {demarre['port']:.1f} s après le lancement ; 1re réponse {demarre['premiere']:.0f} ms après")
    out(f"   (soit {demarre['reponse']:.1f} s après le lancement) ; médiane des suivantes {demarre['mediane']:.0f} ms")
    out(f"== Connexions par le formulaire : {len(connexions)} comptes, médiane {statistics.median(connexions):.0f} ms")
    out()
    out(f"== Phases alternées, {args.utilisateurs} utilisateurs simultanés, {args.duree:.0f} s chacune (temps en ms)")
    out(entete)
    for p in phases:
        out(ligne(f"{p.libelle} {p.genre}", p.mesures, p.duree, p.conflits, p.enregistrements))
    out("   ensemble")
    totaux = {}
    for genre in (TEMOIN, MIXTE):
        ps = [p for p in phases if p.genre == genre]
        mesures = [m for p in ps for m in p.mesures]
        duree = sum(p.duree for p in ps)
        totaux[genre] = (mesures, duree, [len(p.mesures) / p.duree for p in ps])
        out(ligne(genre, mesures, duree, sum(p.conflits for p in ps), sum(p.enregistrements for p in ps)))
    out("   mixte, par requête")
    par_nom = defaultdict(list)
    for m in totaux[MIXTE][0]:
        par_nom[m.nom].append(m)
    duree_mixte = totaux[MIXTE][1]
    for nom, mesures in sorted(par_nom.items()):
        out(ligne(f"  {nom}", mesures, duree_mixte, 0, 0)[: -6 - 9])
    out()

    rps = {g: len(t[0]) / t[1] for g, t in totaux.items()}
    ratio = rps[MIXTE] / rps[TEMOIN] if rps[TEMOIN] else float("nan")
    etendue = {g: f"{min(t[2]):.1f}–{max(t[2]):.1f}" for g, t in totaux.items()}
    erreurs = sum(not m.ok for p in phases for m in p.mesures)
    conflits = sum(p.conflits for p in phases)
    atteint = "atteint" if ratio >= args.objectif else "NON atteint"
    out(
        f"Débit mixte / témoin : {rps[MIXTE]:.1f} / {rps[TEMOIN]:.1f} req/s = {ratio:.2f} "
        f"(objectif ≥ {args.objectif:g} : {atteint}) ; étendue par phase : mixte {etendue[MIXTE]}, "
        f"témoin {etendue[TEMOIN]} req/s"
    )
    out(
        f"Erreurs : {erreurs} (objectif 0 : {'atteint' if erreurs == 0 else 'NON atteint'}) ; conflits 409 : {conflits}"
    )
    for p in phases:
        for e in p.erreurs:
            out(f"   {p.libelle} : {e}")

    out()
    out("== 1re requête de chaque worker neuf, contre la médiane de son type (toutes phases) : vue du client, et")
    out("   dans Django (Server-Timing : sans l'attente dans la file de gunicorn, ce que le worker neuf ajoute)")
    pires = {True: [0.0, 0.0], False: [0.0, 0.0]}  # at start / replaced: [client ratio, server ratio]
    for worker, nom, ms, serveur, lancement in ESSAI.premieres:
        med, med_serveur = statistics.median(ESSAI.tous[nom]), statistics.median(ESSAI.serveur[nom])
        pires[lancement][0] = max(pires[lancement][0], ms / med)
        pires[lancement][1] = max(pires[lancement][1], serveur / med_serveur)
        out(
            f"   worker {worker:>8} {'lancement' if lancement else 'remplacé':10}: {nom:24} client {ms:6.0f} ms "
            f"({ms / med:4.1f} × {med:.0f}) ; Django {serveur:6.1f} ms ({serveur / med_serveur:4.1f} × "
            f"{med_serveur:.1f})"
        )
    out(
        f"   lancement : port ouvert {demarre['port']:.1f} s après, 1re réponse {demarre['premiere']:.0f} ms après, "
        f"{demarre['premiere'] / demarre['mediane']:.1f} × la médiane des suivantes ({demarre['mediane']:.0f} ms)"
    )

    def verdict(ratios):
        return " ; ".join(
            f"{q} {r:.1f} × ({'atteint' if r <= 2 else 'NON atteint'})" for q, r in zip(("client", "Django"), ratios)
        )

    out(f"Objectif 1re requête ≤ 2 × la médiane — au lancement : {verdict(pires[True])}")
    if any(not p[4] for p in ESSAI.premieres):
        out(f"                                      — workers remplacés : {verdict(pires[False])}")
    else:
        out("   (aucun worker remplacé pendant l'essai)")
    return EXIT_OK if erreurs == 0 and conflits == 0 else EXIT_ERREURS


def main(argv=None) -> int:
    global ESSAI
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT (127.0.0.1 seulement)")
    parser.add_argument("--comptes", required=True, help="le JSON de tests/charge/donnees.py")
    parser.add_argument("--lance", type=float, default=time.time(), help="l'instant du lancement de gunicorn")
    parser.add_argument("--utilisateurs", type=int, default=20)
    parser.add_argument("--phases", type=int, default=4, help="phases alternées témoin / mixte (paire)")
    parser.add_argument("--duree", type=float, default=20, help="secondes par phase")
    parser.add_argument("--chauffe", type=float, default=5, help="secondes de trafic mixte non comptées, d'abord")
    parser.add_argument("--objectif", type=float, default=0.5, help="débit mixte / témoin visé")
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.base).hostname != "127.0.0.1":
        parser.error("le test de charge ne vise que 127.0.0.1")
    if args.phases < 2 or args.phases % 2:
        parser.error("--phases : un nombre pair, au moins 2")
    with open(args.comptes) as f:
        donnees = json.load(f)
    ESSAI = Essai(donnees["comptes"])
    if len(ESSAI.comptes) < args.utilisateurs:
        parser.error(f"{len(ESSAI.comptes)} comptes pour {args.utilisateurs} utilisateurs : un compte chacun")
    try:
        demarre = demarrage(args.base, args.lance, delai=180)
        connexions = connecter(args.base, ESSAI.comptes, donnees["mot_de_passe"])
        if args.chauffe:
            print(f"   chauffe ({MIXTE}, non comptée), {args.chauffe:.0f} s…", flush=True)
            jouer(args.base, Phase(0, MIXTE), args.utilisateurs, args.chauffe)
        ESSAI.lancement = False
        phases = [Phase(i // 2 + 1, (TEMOIN, MIXTE)[i % 2]) for i in range(args.phases)]
        for phase in phases:
            print(f"   phase {phase.libelle} ({phase.genre}), {args.duree:.0f} s…", flush=True)
            jouer(args.base, phase, args.utilisateurs, args.duree)
    except Exception as erreur:
        print(f"Le test de charge n'a pas pu aller au bout : {erreur}")
        return EXIT_ECHEC
    return rapport(phases, demarre, connexions, args)


if __name__ == "__main__":
    sys.exit(main())
