#!/usr/bin/env python
"""Server time of the back office's dossiers list on a database already filled with volume (not a pytest module).

Run it on a PostgreSQL database holding the volume (``manage.py generer_volume`` or any fill) and a gestionnaire
(``load_demo``'s ``gestionnaire@demo.test`` by default)::

    DATABASE_URL=postgres://…/portail_a .venv/bin/python tests/bench_back_office.py --n 30 [--explain]

Each URL (page 1, a deep page, every filter, a search) is rendered ``--n`` times through the test client, the
URLs interleaved round after round with a bare baseline (a staff-only view answering « ok » through the same
middleware) so that drift hits them all; the server time is taken by an outermost middleware (tests/bench.py
``ServerTimer``). Prints median and p90 per URL, its ratio to the baseline's median, and the SQL queries of one
render; ``--explain`` adds EXPLAIN ANALYZE of the slowest query of each URL. It only reads.
"""

from __future__ import annotations

import argparse
import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "tests":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

URLCONF = "bench_back_office_urlconf"
LISTE = "/admin/dossiers/dossier/"


def urls() -> dict[str, str]:
    import datetime as dt

    from django.utils import timezone

    from dossiers.models import Dossier, Employeur, ModuleFormation, SousDispositif

    idcc = Employeur.objects.exclude(idcc="").values_list("idcc", flat=True).first()
    organisme = ModuleFormation.objects.exclude(organisme=None).values_list("organisme_id", flat=True).first()
    sous_dispositif = SousDispositif.objects.values_list("pk", "dispositif_id").first()
    salarie = Dossier.objects.exclude(state="brouillon").values_list("salarie__nom_naissance", flat=True).first()
    semaine = timezone.localdate() - dt.timedelta(days=7)
    demain = timezone.localdate() + dt.timedelta(days=1)
    return {
        "page 1": LISTE,
        "?p=1000": f"{LISTE}?p=1000",
        "état Tous": f"{LISTE}?etat=tous",
        "état Tous, p=1500": f"{LISTE}?etat=tous&p=1500",
        "délai dépassé": f"{LISTE}?delai=depasse",
        "dispositif": f"{LISTE}?dispositif__id__exact={sous_dispositif[1]}",
        "sous-dispositif": f"{LISTE}?sous_dispositif__id__exact={sous_dispositif[0]}",
        "IDCC": f"{LISTE}?idcc={idcc}",
        "organisme": f"{LISTE}?organisme={organisme}",
        "transmis les 7 derniers jours": f"{LISTE}?transmis_le__gte={semaine}&transmis_le__lt={demain}",
        "tri raison sociale": f"{LISTE}?o=5",
        f"recherche « {salarie.lower()} »": f"{LISTE}?q={salarie.lower()}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--email", default="gestionnaire@demo.test")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="only the URLs whose name contains this")
    parser.add_argument("--export", type=int, default=0, metavar="N", help="time N runs of the CSV writer instead")
    args = parser.parse_args()

    django.setup()
    if args.export:
        return bench_export(args)
    from django.conf import settings
    from django.contrib.admin.views.decorators import staff_member_required
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path

    from portal.models import User
    from tests.bench import summary

    @staff_member_required
    def baseline(request):
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [path("_bench/baseline/", baseline), path("", include("portal.urls"))]
    sys.modules[URLCONF] = module
    sys.modules["tests.bench_back_office"] = sys.modules[__name__]
    middleware = ["tests.bench_back_office.Timer", *settings.MIDDLEWARE]

    with override_settings(ROOT_URLCONF=URLCONF, MIDDLEWARE=middleware, DEBUG=False):
        client = Client()
        client.force_login(User.objects.get(email=args.email))
        cibles = {"baseline": "/_bench/baseline/", **urls()}
        cibles = {k: v for k, v in cibles.items() if k == "baseline" or args.only in k}
        temps: dict[str, list[float]] = {nom: [] for nom in cibles}
        for tour in range(args.warmup + args.n):
            for nom, url in cibles.items():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                if tour >= args.warmup:
                    temps[nom].append(response.bench_server_ms)
        base = summary(temps["baseline"])[0]
        print(f"{'URL':32} {'médiane':>9} {'p90':>9} {'÷ base':>7} {'requêtes':>9}")
        for nom, url in cibles.items():
            mediane, p90 = summary(temps[nom])
            with CaptureQueriesContext(connection) as requetes:
                client.get(url)
            print(f"{nom:32} {mediane:7.1f}ms {p90:7.1f}ms {mediane / base:7.1f} {len(requetes):9d}")
            if args.explain and nom != "baseline":
                lente = max(requetes.captured_queries, key=lambda q: float(q["time"]))
                print(f"   slowest ({float(lente['time']) * 1000:.1f} ms): {lente['sql'][:400]}")
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + lente["sql"])
                    for (ligne,) in cursor.fetchall():
                        print("     " + ligne)
    return 0


def bench_export(args) -> int:
    """``export.ecrire_csv`` on the whole list (« Tous ») against a bare baseline in the same run, interleaved: the
    same rows' keys read with ``values_list`` and written by ``csv.writer`` (what no export can avoid)."""
    import csv
    import tempfile
    import time

    from django.contrib import admin

    from dossiers.instruction import export
    from dossiers.models import Dossier, ExportDossiers
    from portal.models import User
    from tests.bench import summary

    job = ExportDossiers(demandeur=User.objects.get(email=args.email), parametres="etat=tous")
    queryset = admin.site.get_model_admin(Dossier).liste_exportee(job)

    def base(fichier):
        writer = csv.writer(fichier, delimiter=";")
        n = 0
        for row in queryset.values_list("pk", "numero").iterator(chunk_size=export.CHUNK):
            writer.writerow(row)
            n += 1
        return n

    temps = {"baseline": [], "ecrire_csv": []}
    for _ in range(args.export):
        for nom, fonction in (("baseline", base), ("ecrire_csv", lambda f: export.ecrire_csv(queryset, f))):
            with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as fichier:
                debut = time.perf_counter()
                lignes = fonction(fichier)
                temps[nom].append((time.perf_counter() - debut) * 1000)
    for nom, valeurs in temps.items():
        mediane, p90 = summary(valeurs)
        print(f"{nom:12} {lignes} lignes  médiane {mediane / 1000:6.2f} s  p90 {p90 / 1000:6.2f} s")
    print(f"ratio {summary(temps['ecrire_csv'])[0] / summary(temps['baseline'])[0]:.1f}")
    return 0


class Timer:
    """tests/bench.py's ServerTimer, importable from here (that module needs no app registry to import)."""

    def __init__(self, get_response):
        from tests.bench import ServerTimer

        self.inner = ServerTimer(get_response)

    def __call__(self, request):
        return self.inner(request)


if __name__ == "__main__":
    sys.exit(main())
