#!/usr/bin/env python
"""Banc d'essai en volume (``make bench-volume``): the portal at AKTO's scale, on PostgreSQL. Not a pytest module.

On a throw-away PostgreSQL database (``<DATABASE_URL's name>_bench``, created then dropped; ``--garder-base``
keeps it for the next run, which then skips the generation), ``generer_volume`` makes 100 000 dossiers over 2 000
establishments (``--dossiers``, ``--etablissements``), then ``VACUUM ANALYZE``, then each page is rendered through
Django's test client (``--rendus`` times, 30 by default, after 3 warm-up renders) and its *server time* is
measured by an outermost middleware (every middleware, the view, the template; not the client's request
building), as ``tests/bench.py`` does. Template rendering is not instrumented (no ``setup_test_environment``):
the figures are what a gunicorn worker spends, less the WSGI plumbing. Each render is followed by one of a bare
view (``login_required``, ``SELECT 1``, a tiny response: the *témoin*), and the median of the page / témoin
ratios is printed (« ×témoin »): on a machine shared with other work, the absolute figures move with its load,
the ratio much less.

Sections (each printed as it runs, then a summary table with each figure next to its goal):

1. the volume: generation time, counts, what each demo account sees;
2. *Brouillons* and *Dossiers* for an adhérent who sees thousands (a network of 60 establishments) and one who
   sees hundreds (8 establishments): default order, every sort column of ``dossiers/saisie/listes.py`` (TRIS) in
   both directions, a deep page, an état filter — goal: median ≤ 50 ms;
3. the search (``?q=``) on a name, a SIRET prefix, a dossier number — goal: median ≤ 50 ms;
4. the back office's changelist as a gestionnaire: page 1, a deep page (``?p=1000``), a search, each list
   filter — goal: median ≤ 100 ms;
5. the CSV export of every dossier sent to AKTO, when ``dossiers.instruction.export.ecrire_csv(queryset,
   fichier, progression=None) -> int`` exists — goal: ≤ 10 s.

With ``--explain``, the ``EXPLAIN (ANALYZE, BUFFERS)`` of every query of each list that reads the dossiers
(captured with ``CaptureQueriesContext``, re-run as executed). ``--sections 2,3`` runs only some sections.

Exit status: 0 when every goal is met, 1 when one is not (« NON atteint »), 2 when the bench itself fails or
``DATABASE_URL`` is not a PostgreSQL database.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
# Run as ``python tests/bench_volume.py``: sys.path[0] is tests/, whose sub-folders would shadow the apps.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "tests":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

EXIT_OK, EXIT_OBJECTIF, EXIT_ERROR = 0, 1, 2
OBJECTIF_LISTE_MS = 50
OBJECTIF_ADMIN_MS = 100
OBJECTIF_EXPORT_S = 10
CHAUFFE = 3
SECTIONS = {1: "volume", 2: "listes", 3: "recherche", 4: "admin", 5: "export"}  # number → Banc's method


@dataclass
class Mesure:
    section: str
    libelle: str
    valeurs: list[float]  # ms (s for the export)
    objectif: float
    unite: str = "ms"
    requetes: int | None = None
    resultats: str = ""
    sql: list[dict] = field(default_factory=list)
    temoin: list[float] = field(default_factory=list)  # the bare view's server time, interleaved

    @property
    def mediane(self) -> float:
        return statistics.median(self.valeurs)

    @property
    def p90(self) -> float:
        if len(self.valeurs) < 2:
            return self.valeurs[0]
        return statistics.quantiles(self.valeurs, n=10, method="inclusive")[8]

    @property
    def atteint(self) -> bool:
        return self.mediane <= self.objectif

    @property
    def ratio(self) -> str:
        """Median of page / bare view over the interleaved pairs: what the page costs whatever the machine's load."""
        if not self.temoin:
            return ""
        return f"{statistics.median(v / t for v, t in zip(self.valeurs, self.temoin, strict=True)):.1f}"

    def ligne(self) -> str:
        verdict = "atteint" if self.atteint else "NON atteint"
        requetes = "" if self.requetes is None else f"{self.requetes:>4}"
        return (
            f"   {self.libelle:58}{self.mediane:9.1f}{self.p90:9.1f}"
            f"{min(self.valeurs):9.1f} – {max(self.valeurs):<8.1f}{self.ratio:>7}{requetes:>5}  "
            f"≤ {self.objectif:g} {self.unite} « {verdict} »{('  ' + self.resultats) if self.resultats else ''}"
        )


ENTETE = f"   {'':58}{'médiane':>9}{'p90':>9}{'min':>9} – {'max':<8}{'×témoin':>7}{'req.':>5}  objectif"
TEMOIN_URL = "/_bench/temoin/"
BENCH_URLCONF = "bench_volume_urlconf"  # a module built at run time (it needs the app registry)


def build_urlconf():
    """The portal's URLs plus the bare view ``/_bench/temoin/``: ``login_required``, one trivial query, a tiny
    response; rendered after each measured page, through the same middleware and client."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.db import connection
    from django.http import HttpResponse
    from django.urls import include, path

    @login_required
    def temoin(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType(BENCH_URLCONF)
    module.urlpatterns = [path(TEMOIN_URL.strip("/") + "/", temoin), path("", include("portal.urls"))]
    sys.modules[BENCH_URLCONF] = module


def total_affiche(response) -> str:
    """The list's « N dossier(s) », or the admin's result count, as the page shows it."""
    texte = response.content.decode()
    trouve = re.search(r"([\d\s\u202f\xa0]+) dossier\(s\)", texte) or re.search(r"(\d+) résultats?", texte)
    return f"{re.sub(r'[^0-9]', '', trouve.group(1))} résultat(s)" if trouve else ""


class Banc:
    def __init__(self, args, out=print):
        self.args = args
        self.out = out
        self.mesures: list[Mesure] = []

    # -- measuring one page ----------------------------------------------------------------------------------

    def page(self, section: str, libelle: str, client, url: str, params: dict | None = None, objectif=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        params = params or {}

        def get():
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"{url} {params} a répondu {response.status_code}")
            return response

        for _ in range(CHAUFFE):
            get()
        valeurs, temoin = [], []
        for _ in range(self.args.rendus):  # interleaved: page, bare view, page, bare view...
            valeurs.append(get().bench_server_ms)
            temoin.append(client.get(TEMOIN_URL).bench_server_ms)
        with CaptureQueriesContext(connection) as requetes:
            response = get()
        mesure = Mesure(
            section,
            libelle,
            valeurs,
            objectif or OBJECTIF_LISTE_MS,
            requetes=len(requetes.captured_queries),
            resultats=total_affiche(response),
            sql=list(requetes.captured_queries),
            temoin=temoin,
        )
        self.mesures.append(mesure)
        self.out(mesure.ligne())
        if self.args.explain:
            self.expliquer(mesure)
        return mesure

    def expliquer(self, mesure: Mesure):
        """EXPLAIN (ANALYZE, BUFFERS) of the page's queries that read the dossiers, as they were executed."""
        from django.db import connection

        for requete in mesure.sql:
            sql = requete["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "dossiers_dossier" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
            self.out(f"\n      -- {mesure.libelle} ({requete['time']} s)\n      {sql[:600]}")
            for ligne in plan:
                self.out(f"      | {ligne}")
            self.out("")

    # -- sections --------------------------------------------------------------------------------------------

    def volume(self):
        from django.core.management.base import CommandError
        from django.db import connection

        from dossiers.management.commands.generer_volume import generer
        from dossiers.models import Dossier

        self.out("\n1. Le volume")
        debut = time.perf_counter()
        try:
            volume = generer(
                dossiers=self.args.dossiers,
                etablissements=self.args.etablissements,
                seed=self.args.seed,
                adherents=True,
                out=lambda m: None,
            )
            self.out(
                f"   generer_volume : {volume.dossiers} dossiers sur {volume.etablissements} établissements "
                f"({volume.entreprises} entreprises) en {volume.secondes:.1f} s"
            )
        except CommandError:
            self.out(f"   volume déjà présent dans la base gardée : {Dossier.objects.count()} dossiers")
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.out(f"   VACUUM (ANALYZE) en {time.perf_counter() - t:.1f} s (total {time.perf_counter() - debut:.1f} s)")
        for email, user in self.comptes().items():
            self.out(f"   {email:34} voit {Dossier.objects.visible_to(user).count():>7} dossiers")

    def comptes(self) -> dict:
        from portal.models import User

        emails = [f"{nom}@volume.test" for nom in ("adherent.reseau", "adherent.local", "prestataire", "gestionnaire")]
        return {u.email: u for u in User.objects.filter(email__in=emails).order_by("pk")}

    def client(self, email):
        from django.test import Client

        from portal.models import User

        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    def listes(self):
        from dossiers.saisie.listes import TRIS

        self.out("\n2. Brouillons et Dossiers de l'adhérent — temps serveur en ms")
        self.out(ENTETE)
        for qui, email in self.adherents():
            client = self.client(email)
            for page, etat in (("brouillons", "a_reprendre"), ("dossiers", "en_instruction")):
                url = f"/{page}/"
                nom = f"{page.capitalize()} ({qui})"
                self.page("listes", f"{nom} ordre par défaut", client, url)
                self.page("listes", f"{nom} page profonde", client, url, {"page": 9999})
                self.page("listes", f"{nom} état {etat}", client, url, {"etat": etat})
                for tri in TRIS:
                    for sens in ("", "-"):
                        self.page("listes", f"{nom} tri={sens}{tri}", client, url, {"tri": sens + tri})

    def adherents(self):
        return [("réseau", "adherent.reseau@volume.test"), ("local", "adherent.local@volume.test")]

    def recherche(self):
        from dossiers.enums import DossierState
        from dossiers.models import Dossier
        from portal.models import User

        self.out("\n3. Recherche (?q=) — temps serveur en ms")
        self.out(ENTETE)
        for qui, email in self.adherents():
            client = self.client(email)
            visibles = Dossier.objects.visible_to(User.objects.get(email=email)).select_related("employeur")
            for page, states in (("dossiers", DossierState.dossiers()), ("brouillons", DossierState.brouillons())):
                exemple = visibles.filter(state__in=states).order_by("pk").first()
                url = f"/{page}/"
                nom = f"{page.capitalize()} ({qui})"
                self.page("recherche", f"{nom} q=martin (un nom)", client, url, {"q": "martin"})
                if exemple is not None:  # a small volume may leave a user without a dossier of this list
                    siret = exemple.employeur.siret[:12]
                    self.page("recherche", f"{nom} q=<SIRET, 12 chiffres>", client, url, {"q": siret})
                    self.page("recherche", f"{nom} q=<numéro>", client, url, {"q": exemple.numero})
                self.page("recherche", f"{nom} q=lea bernard (deux mots)", client, url, {"q": "lea bernard"})

    def admin(self):
        from django.contrib import admin
        from django.test import RequestFactory

        from dossiers.enums import DossierState
        from dossiers.models import Dossier
        from portal.models import User

        self.out("\n4. Back office /admin/dossiers/dossier/ (gestionnaire) — temps serveur en ms")
        self.out(ENTETE)
        email = "gestionnaire@volume.test"
        client = self.client(email)
        url = "/admin/dossiers/dossier/"
        objectif = OBJECTIF_ADMIN_MS
        numero = Dossier.objects.filter(state="transmis").order_by("pk").values_list("numero", flat=True).first()
        self.page("admin", "admin page 1 (à traiter)", client, url, objectif=objectif)
        self.page("admin", "admin ?etat=tous page 1", client, url, {"etat": "tous"}, objectif=objectif)
        profonde = min(1000, Dossier.objects.filter(state__in=DossierState.dossiers()).count() // 50)
        params = {"etat": "tous", "p": profonde}
        self.page("admin", f"admin ?etat=tous&p={profonde}", client, url, params, objectif=objectif)
        self.page("admin", "admin ?etat=tous&q=martin", client, url, {"etat": "tous", "q": "martin"}, objectif=objectif)
        self.page("admin", "admin ?etat=tous&q=<numéro>", client, url, {"etat": "tous", "q": numero}, objectif=objectif)
        # Each list filter, with its first proposed value (read from the admin itself: it may change).
        model_admin = admin.site._registry[Dossier]
        request = RequestFactory().get(url)
        request.user = User.objects.get(email=email)
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            choix = [c for c in spec.choices(changelist) if not c.get("selected") and c["query_string"] != "?"]
            if not choix:
                continue
            query = choix[0]["query_string"].lstrip("?")
            params = dict(parse_qsl(query))
            self.page("admin", f"admin filtre {spec.title}: {query[:40]}", client, url, params, objectif=objectif)

    def export(self):
        from importlib import import_module

        from dossiers.enums import DossierState
        from dossiers.models import Dossier

        self.out("\n5. Export CSV de tous les dossiers transmis à AKTO")
        ecrire_csv = getattr(import_module("dossiers.instruction.export"), "ecrire_csv", None)
        if ecrire_csv is None:
            self.out("   dossiers.instruction.export.ecrire_csv n'existe pas encore : mesure sautée.")
            return
        queryset = Dossier.objects.filter(state__in=DossierState.dossiers())
        valeurs, lignes = [], 0
        for _ in range(self.args.exports):
            with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as fichier:
                debut = time.perf_counter()
                lignes = ecrire_csv(queryset, fichier)
                valeurs.append(time.perf_counter() - debut)
        mesure = Mesure("export", f"ecrire_csv ({lignes} lignes)", valeurs, OBJECTIF_EXPORT_S, unite="s")
        self.mesures.append(mesure)
        self.out(ENTETE)
        self.out(mesure.ligne())

    # -- the whole run ---------------------------------------------------------------------------------------

    def resume(self) -> int:
        self.out("\nRésumé — médianes du temps serveur contre l'objectif (ms ; export en s)")
        self.out(f"   {'section':12}{'mesures':>9}{'atteints':>10}{'meilleure':>11}{'médiane':>9}{'pire':>9}  objectif")
        for section in dict.fromkeys(m.section for m in self.mesures):
            mesures = [m for m in self.mesures if m.section == section]
            if mesures:
                medianes = [m.mediane for m in mesures]
                self.out(
                    f"   {section:12}{len(mesures):9d}{sum(m.atteint for m in mesures):10d}{min(medianes):11.1f}"
                    f"{statistics.median(medianes):9.1f}{max(medianes):9.1f}  ≤ {mesures[0].objectif:g} "
                    f"{mesures[0].unite}"
                )
        manques = [m for m in self.mesures if not m.atteint]
        if manques:
            self.out("\nNon atteints :")
            self.out(ENTETE)
            for mesure in sorted(manques, key=lambda m: m.mediane, reverse=True):
                self.out(mesure.ligne())
        self.out(f"\n{len(self.mesures) - len(manques)}/{len(self.mesures)} objectifs atteints.")
        return EXIT_OBJECTIF if manques else EXIT_OK

    def run(self) -> int:
        import django
        from django.conf import settings
        from django.db import connection
        from django.test import override_settings

        self.out(
            f"Banc d'essai en volume — {connection.vendor} ({connection.settings_dict['NAME']}), "
            f"Django {django.get_version()}, Python {sys.version.split()[0]}, {self.args.rendus} rendus par mesure"
        )
        build_urlconf()
        middleware = ["tests.bench.ServerTimer", *settings.MIDDLEWARE]  # the server time, as make bench
        with override_settings(ROOT_URLCONF=BENCH_URLCONF, MIDDLEWARE=middleware):
            for numero, methode in SECTIONS.items():  # a new measurement: a method, a number here
                if numero in self.args.sections:
                    getattr(self, methode)()
        return self.resume()


def postgresql_requis() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return None
    return (
        "make bench-volume mesure le portail à 100 000 dossiers sur PostgreSQL : définissez DATABASE_URL vers un "
        "serveur PostgreSQL dont le rôle peut créer des bases, par exemple\n"
        "  DATABASE_URL=postgres://portail:portail@127.0.0.1:5432/portail make bench-volume\n"
        "(une base jetable « <nom>_bench » est créée puis supprimée ; SQLite reste celle de make bench)."
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers générés (défaut 100 000)")
    parser.add_argument("--etablissements", type=int, default=2_000, help="établissements (défaut 2 000)")
    parser.add_argument("--seed", type=int, default=1, help="graine du générateur (défaut 1)")
    parser.add_argument("--rendus", type=int, default=30, help="rendus chronométrés par page (défaut 30)")
    parser.add_argument("--exports", type=int, default=3, help="exports CSV chronométrés (défaut 3)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) des requêtes des listes")
    parser.add_argument("--sections", default="1,2,3,4,5", help="sections à mesurer (défaut 1,2,3,4,5)")
    parser.add_argument(
        "--garder-base", action="store_true", help="garde la base jetable (et la réutilise au prochain passage)"
    )
    args = parser.parse_args(argv)
    args.sections = {int(s) for s in args.sections.split(",") if s.strip()}
    if args.rendus < 1 or not args.sections <= set(SECTIONS):
        parser.error("--rendus doit être >= 1 et --sections parmi 1,2,3,4,5")
    message = postgresql_requis()
    if message:
        print(message, file=sys.stderr)
        return EXIT_ERROR

    debut = time.perf_counter()
    status = EXIT_ERROR
    try:
        import django

        django.setup()
        from django.db import connection
    except Exception:
        traceback.print_exc()
        return EXIT_ERROR
    nom = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{nom}_bench"
    cree = False
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.garder_base)
        cree = True
        status = Banc(args).run()
    except Exception:
        traceback.print_exc()
        status = EXIT_ERROR
    finally:
        try:
            if cree:
                connection.creation.destroy_test_db(nom, verbosity=0, keepdb=args.garder_base)
        except Exception:
            traceback.print_exc()
            status = EXIT_ERROR
    print(f"Durée totale : {time.perf_counter() - debut:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
