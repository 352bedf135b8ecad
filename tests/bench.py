#!/usr/bin/env python
"""Micro-benchmark of the portal (``make bench``): not a pytest module (no ``test_`` prefix).

What it measures, in one run, on a throwaway test database (SQLite in memory by default,
PostgreSQL when ``DATABASE_URL`` points to one):

1. the server time of saving the *Employeur* tab (POST ``/dossiers/<pk>/employeur/`` as htmx
   sends it) against a bare baseline view that writes one row (``login_required`` + one UPDATE
   + a tiny response), both through the same middleware and the same logged-in test client,
   interleaved A, B, A, B... so that drift (CPU frequency, caches, noisy neighbours) hits both;
2. the SQL queries of one save (and of one baseline request, for reference);
3. the SQL queries of the *Brouillons* page with 10 and with 1,000 dossiers: they must be
   equal (N+1 guard), plus the page's median server time at 1,000 dossiers.

"Server time" is measured by a middleware placed outermost: it covers every middleware, the
view and the template rendering, not the test client's own request building. Templates render
as in production: the test runner's instrumentation of template rendering is undone.

Exit status: 0 when everything ran and the Brouillons query count does not grow with the
number of dossiers; 1 when it grows (N+1); 2 when the script itself fails.

Options: ``--n`` (measured pairs, default 200), ``--warmup`` (default 20), ``--pages``
(Brouillons renders timed, default 30), ``--sql`` (print the queries of one save and one page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import traceback
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as ``python tests/bench.py``: sys.path[0] is tests/, whose sub-folders would shadow the apps.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "tests":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

EXIT_OK, EXIT_N_PLUS_1, EXIT_ERROR = 0, 1, 2
BENCH_URLCONF = "bench_urlconf"  # a module built at run time (it needs the app registry)

# Two sets of valid values, written alternately so that every save really changes the row.
EMPLOYEUR_VALUES = [
    {
        "telephone": "01 23 45 67 89",
        "email": "rh@exemple.test",
        "effectif_total": "12",
        "caisse_retraite": "AG2R",
        "organisme_prevoyance": "APICIL",
    },
    {
        "telephone": "06 11 22 33 44",
        "email": "paie@exemple.test",
        "effectif_total": "13",
        "caisse_retraite": "APICIL",
        "organisme_prevoyance": "AG2R",
    },
]
HTMX = {"HX-Request": "true"}  # the tab form is posted by htmx in the real UI


class ServerTimer:
    """Outermost middleware: stores the server time of the request on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter_ns()
        response = self.get_response(request)
        response.bench_server_ms = (time.perf_counter_ns() - start) / 1e6
        return response


def build_urlconf(baseline_view):
    """The portal's URLs plus ``/_bench/baseline/<pk>/``, as an importable module."""
    from django.urls import include, path

    module = types.ModuleType(BENCH_URLCONF)
    module.urlpatterns = [
        path("_bench/baseline/<int:pk>/", baseline_view, name="bench_baseline"),
        path("", include("portal.urls")),
    ]
    sys.modules[BENCH_URLCONF] = module
    return module


def make_baseline_view():
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.views.decorators.http import require_POST

    from dossiers.models import Employeur

    @login_required
    @require_POST
    def baseline(request, pk):
        Employeur.objects.filter(pk=pk).update(telephone=request.POST["telephone"])
        return HttpResponse("ok", content_type="text/plain")

    return baseline


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def create_brouillons(user, etablissement, count: int, start: int) -> None:
    """``count`` drafts with their four parts, in five bulk INSERTs (as DossierFactory's parts)."""
    from django.db import transaction

    from dossiers.enums import DossierState, TypeContrat
    from dossiers.models import Contrat, Dossier, Employeur, Formation, Salarie, SousDispositif
    from dossiers.services import employeur_snapshot

    sous_dispositif = SousDispositif.objects.select_related("dispositif").get(code="CPRO")
    e = etablissement
    numeros = [f"BENCH{start + i:07d}" for i in range(count)]
    with transaction.atomic():
        dossiers = Dossier.objects.bulk_create(
            Dossier(
                numero=numero,
                state=DossierState.BROUILLON,
                etablissement=e,
                dispositif=sous_dispositif.dispositif,
                sous_dispositif=sous_dispositif,
                type_contrat=TypeContrat.INITIAL,
                created_by=user,
            )
            for numero in numeros
        )
        if any(d.pk is None for d in dossiers):  # a backend that cannot return the new ids
            dossiers = list(Dossier.objects.filter(numero__in=numeros))
        Employeur.objects.bulk_create(Employeur(dossier=d, **employeur_snapshot(e, email=user.email)) for d in dossiers)
        Salarie.objects.bulk_create(
            Salarie(dossier=d, nom_naissance=f"Martin{i}", prenom="Alex") for i, d in enumerate(dossiers)
        )
        Contrat.objects.bulk_create(Contrat(dossier=d) for d in dossiers)
        Formation.objects.bulk_create(
            Formation(dossier=d, intitule=f"Titre professionnel {i % 7}") for i, d in enumerate(dossiers)
        )


def visible_brouillons(user) -> int:
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    return Dossier.objects.visible_to(user).filter(state__in=DossierState.brouillons()).count()


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------


def summary(values: list[float]) -> tuple[float, float]:
    """(median, p90) in ms."""
    p90 = statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]
    return statistics.median(values), p90


class SaveSeries:
    """Employeur saves through the real URL, tracking the dossier's version."""

    def __init__(self, client, dossier):
        from django.urls import reverse

        self.client = client
        self.url = reverse("dossier_onglet", args=[dossier.pk, "employeur"])
        self.baseline_url = reverse("bench_baseline", args=[dossier.employeur.pk])
        self.view_url = reverse("dossier_onglet", args=[dossier.pk, "contrat"])
        self.version = dossier.version
        self.count = 0

    def save(self):
        values = EMPLOYEUR_VALUES[self.count % 2]
        response = self.client.post(self.url, {"version": self.version, **values}, headers=HTMX)
        if response.status_code != 200 or "Enregistrement effectué.".encode() not in response.content:
            raise RuntimeError(
                f"Employeur save #{self.count} (version {self.version}) answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        self.version += 1
        self.count += 1
        return response

    def view(self):
        response = self.client.get(self.view_url, headers=HTMX)
        if response.status_code != 200:
            raise RuntimeError(f"Contrat view answered {response.status_code}: {response.content[:300]!r}")
        return response

    def baseline(self):
        values = EMPLOYEUR_VALUES[self.count % 2]
        response = self.client.post(self.baseline_url, {"telephone": values["telephone"]}, headers=HTMX)
        if response.status_code != 200:
            raise RuntimeError(f"Baseline answered {response.status_code}: {response.content[:300]!r}")
        return response


LOOKUP_BUDGET_MS = 10
OBJECTIF_RATIO_ONGLET = 1.5
OBJECTIF_REQUETES_ENREGISTREMENT = 8


def atteint(ok: bool) -> str:
    return "atteint" if ok else "NON atteint"


def _p(sorted_values: list[float], decile: int) -> float:
    """The decile of already sorted values (1 → p10, 9 → p90)."""
    return statistics.quantiles(sorted_values, n=10, method="inclusive")[decile - 1]


def profils(series, calls: int = 200) -> None:
    """``--profil``: cProfile of ``calls`` Employeur saves and Contrat views, the portal's own functions first."""
    import cProfile
    import io
    import pstats

    for label, call in (("enregistrement Employeur", series.save), ("affichage Contrat", series.view)):
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(calls):
            call()
        profile.disable()
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("cumulative").print_stats(
            r"(dossiers|documents|portal|referentiels)/|template/loader|sql/compiler.py.*execute_sql", 30
        )
        print(f"\n  -- Profil : {calls} × {label} (cumulé, fonctions du portail et points de passage)")
        print("\n".join("  " + line for line in text.getvalue().splitlines()[6:50]))


def prepare_lookups(user, etablissement) -> list[tuple[str, str, dict]]:
    """A 30k RNCP table and 20k AKTO members over the shipped referentials; return the lookups to time."""
    from referentiels.models import Entreprise, Etablissement
    from referentiels.search import normalize
    from referentiels.validators import siren_with_check_digit, siret_with_check_digit
    from tests.benchdata.rncp import generate_certifications

    generate_certifications(30_000)  # the shipped referentials are loaded at the start of the run
    communes = ["LYON", "MARSEILLE", "NANTES", "LILLE", "RENNES", "DIJON", "BREST", "TOURS"]
    metiers = ["BOULANGERIE", "RESTAURANT", "PROPRETE", "HOTEL", "INTERIM", "TRANSPORT", "COMMERCE", "SERVICES"]
    entreprises = Entreprise.objects.bulk_create(
        Entreprise(siren=siren_with_check_digit(f"{60_000_000 + i}"), raison_sociale=f"{metiers[i % 8]} DU CENTRE {i}")
        for i in range(20_000)
    )
    Etablissement.objects.bulk_create(
        Etablissement(
            entreprise=e,
            siret=siret_with_check_digit(e.siren, "0001"),
            numero_voie="1 RUE DE LA REPUBLIQUE",
            code_postal="69001",
            commune=communes[i % 8],
            naf="5610A",
            idcc="1979",
            recherche=normalize(f"{e.raison_sociale} {communes[i % 8]}"),
        )
        for i, e in enumerate(entreprises)
    )
    return [
        ("communes ?q=saint etienne", "/referentiels/communes/", {"q": "saint etienne"}),
        ("communes ?q=sa (35k communes)", "/referentiels/communes/", {"q": "sa"}),
        ("communes historiques ?q=st den", "/referentiels/communes/", {"q": "st den", "historiques": "1"}),
        ("code postal 51300 → communes", "/referentiels/code-postal/51300/communes/", {}),
        ("NAF ?q=restau", "/referentiels/naf/", {"q": "restau"}),
        ("IDCC ?q=hotel", "/referentiels/idcc/", {"q": "hotel"}),
        ("RNCP par code (30k fiches)", "/referentiels/certifications/", {"q": "RNCP34567"}),
        ("RNCP par mots (30k fiches)", "/referentiels/certifications/", {"q": "commerce gestion"}),
        ("organismes par nom", "/referentiels/organismes/", {"q": "greta lyon"}),
        ("organismes par SIRET", "/referentiels/organismes/", {"q": "33405590200053"}),
        ("établissements (adhérent)", "/referentiels/etablissements/", {"q": etablissement.siret[:9]}),
    ]


def time_lookup_url(client, url: str, params: dict, calls: int) -> tuple[float, float, int]:
    """Median and p90 server time of ``calls`` htmx lookups, and the queries of one call."""
    from django.db import connection

    def call():
        response = client.get(url, params, headers={"HX-Request": "true"})
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params} → HTTP {response.status_code}")
        return response

    for _ in range(5):
        call()
    times = [call().bench_server_ms for _ in range(calls)]
    queries, _ = count_queries(connection, call)
    median, p90 = summary(times)
    return median, p90, queries


def count_queries(connection, call, show_sql=False, label=""):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = call()
    if show_sql:
        print(f"\n  -- SQL: {label} ({len(ctx.captured_queries)} requêtes)")
        for i, q in enumerate(ctx.captured_queries, 1):
            print(f"  {i:2d}. {q['sql'][:400]}")
    return len(ctx.captured_queries), response


def get_brouillons(client):
    response = client.get("/brouillons/")
    if response.status_code != 200:
        raise RuntimeError(f"/brouillons/ answered {response.status_code}")
    return response


def check_brouillons_page(response, total: int) -> None:
    """The guard only means something if the page really lists the user's dossiers."""
    content = response.content.decode()
    rows = content.count('aria-label="Ouvrir le dossier ')
    if f"{total} dossier(s)" not in content or rows != min(total, 20):
        raise RuntimeError(f"/brouillons/ does not list the {total} dossiers as expected ({rows} rows on the page)")


def run(args) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    from dossiers.models import Dossier
    from tests.factories import EtablissementFactory, UserFactory, attach

    out = print
    vendor = connection.vendor
    out(
        f"Banc d'essai du portail — base de test {vendor} ({connection.settings_dict['NAME']}), "
        f"Django {django.get_version()}, Python {sys.version.split()[0]}"
    )

    # -- Data: an adhérent attached to one establishment, one complete dossier (every tab valid: every rule runs,
    # the tutor, the modules, the pieces, the dated parameters are all read) ------------------------------------
    import io

    from django.core.management import call_command

    from tests.complet import dossier_complet

    call_command("load_referentiels", stdout=io.StringIO())  # the shipped referentials (section 3 too)
    user = UserFactory()
    etablissement = EtablissementFactory()
    attach(user, etablissement)
    dossier = dossier_complet(user, etablissement)
    dossier = Dossier.objects.select_related("employeur").get(pk=dossier.pk)

    baseline_view = make_baseline_view()
    build_urlconf(baseline_view)
    overrides = override_settings(
        ROOT_URLCONF=BENCH_URLCONF,
        MIDDLEWARE=[f"{__name__}.ServerTimer", *settings.MIDDLEWARE],
    )
    with overrides:
        client = Client()  # after the override: the handler loads the middleware on first request
        client.force_login(user)
        series = SaveSeries(client, dossier)

        # -- 1. Employeur save and Contrat view vs baseline, interleaved (save, baseline, view) ---------------
        t0 = time.perf_counter()
        save_ms, base_ms, view_ms, save_wall, base_wall = [], [], [], [], []
        for i in range(args.warmup + args.n):
            t = time.perf_counter_ns()
            r_save = series.save()
            t_save = (time.perf_counter_ns() - t) / 1e6
            t = time.perf_counter_ns()
            r_base = series.baseline()
            t_base = (time.perf_counter_ns() - t) / 1e6
            r_view = series.view()
            if i >= args.warmup:
                save_ms.append(r_save.bench_server_ms)
                base_ms.append(r_base.bench_server_ms)
                view_ms.append(r_view.bench_server_ms)
                save_wall.append(t_save)
                base_wall.append(t_base)
        series_s = time.perf_counter() - t0

        stored = Dossier.objects.select_related("employeur").get(pk=dossier.pk)
        # Each pair ends with the baseline, which wrote the phone of the next save's values.
        expected_tel = EMPLOYEUR_VALUES[series.count % 2]["telephone"]
        if stored.version != series.version or stored.employeur.telephone != expected_tel:
            raise RuntimeError(
                f"Unexpected state after the series: version {stored.version} (expected {series.version}), "
                f"telephone {stored.employeur.telephone!r} (expected {expected_tel!r})"
            )

        save_queries, _ = count_queries(connection, series.save, args.sql, "un enregistrement Employeur")
        base_queries, _ = count_queries(connection, series.baseline, args.sql, "une requête témoin")
        view_queries, _ = count_queries(connection, series.view, args.sql, "un affichage de l'onglet Contrat")
        if args.profil:
            profils(series)

        # -- 2. Brouillons: queries at 10 and 1,000 dossiers ----------------------------------
        create_brouillons(user, etablissement, 9, start=0)  # + the factory's dossier = 10
        n10 = visible_brouillons(user)
        get_brouillons(client)  # warm-up
        q10, r10 = count_queries(connection, lambda: get_brouillons(client), args.sql, f"/brouillons/ à {n10}")
        check_brouillons_page(r10, n10)

        t = time.perf_counter()
        create_brouillons(user, etablissement, 990, start=9)
        bulk_s = time.perf_counter() - t
        n1000 = visible_brouillons(user)
        get_brouillons(client)  # warm-up
        q1000, r1000 = count_queries(connection, lambda: get_brouillons(client), args.sql, f"/brouillons/ à {n1000}")
        check_brouillons_page(r1000, n1000)
        page_ms = []
        for _ in range(args.pages):
            page_ms.append(get_brouillons(client).bench_server_ms)

        # -- 3. Lookups on the full referentials ------------------------------------------------
        t = time.perf_counter()
        lookups = prepare_lookups(user, etablissement)
        lookups_setup_s = time.perf_counter() - t
        lookup_results = [
            (label, url, params, time_lookup_url(client, url, params, args.lookups)) for label, url, params in lookups
        ]
        prestataire_client = Client()
        prestataire_client.force_login(UserFactory(prestataire=True))
        lookup_results.append(
            (
                "établissements (prestataire, 20k adhérents)",
                "/referentiels/etablissements/",
                {"q": "boulangerie lyon"},
                time_lookup_url(
                    prestataire_client, "/referentiels/etablissements/", {"q": "boulangerie lyon"}, args.lookups
                ),
            )
        )

        # -- 5. Back office list and notifications list: queries at 10 and 1,000 rows ---------------
        listes = bench_listes(user, etablissement, args.sql)

    # -- Report ---------------------------------------------------------------------------------
    s_med, s_p90 = summary(save_ms)
    b_med, b_p90 = summary(base_ms)
    v_med, v_p90 = summary(view_ms)
    p_med, p_p90 = summary(page_ms)
    sw_med, bw_med = statistics.median(save_wall), statistics.median(base_wall)
    ratio = s_med / b_med if b_med else float("inf")
    ratio_vue = v_med / b_med if b_med else float("inf")
    # The spread of the ratio: each measured triplet's own ratio (save / baseline of the same triplet).
    ratios = sorted(a / b for a, b in zip(save_ms, base_ms, strict=True))
    ratios_vue = sorted(a / b for a, b in zip(view_ms, base_ms, strict=True))

    out()
    out(f"1. Onglets d'un dossier complet — {args.n} triplets mesurés après {args.warmup} de chauffe, alternés")
    out(f"   enregistrement Employeur / témoin / affichage Contrat ({series_s:.1f} s) ; temps serveur en ms")
    out(f"   {'':34}{'médiane':>9}{'p90':>9}{'client*':>9}")
    out(f"   {'POST /dossiers/<pk>/employeur/':34}{s_med:9.2f}{s_p90:9.2f}{sw_med:9.2f}")
    out(f"   {'GET /dossiers/<pk>/contrat/ (htmx)':34}{v_med:9.2f}{v_p90:9.2f}")
    out(f"   {'témoin (1 UPDATE, login_required)':34}{b_med:9.2f}{b_p90:9.2f}{bw_med:9.2f}")
    out(
        f"   Ratio enregistrement / témoin : {ratio:.2f} x (p10–p90 des triplets {_p(ratios, 1):.2f}–"
        f"{_p(ratios, 9):.2f}) — objectif ≤ {OBJECTIF_RATIO_ONGLET} : {atteint(ratio <= OBJECTIF_RATIO_ONGLET)}"
    )
    out(
        f"   Ratio affichage / témoin : {ratio_vue:.2f} x (p10–p90 {_p(ratios_vue, 1):.2f}–{_p(ratios_vue, 9):.2f})"
        f" — objectif ≤ {OBJECTIF_RATIO_ONGLET} : {atteint(ratio_vue <= OBJECTIF_RATIO_ONGLET)}"
    )
    out(
        f"   Requêtes SQL d'un enregistrement : {save_queries} — objectif ≤ {OBJECTIF_REQUETES_ENREGISTREMENT} : "
        f"{atteint(save_queries <= OBJECTIF_REQUETES_ENREGISTREMENT)}  (affichage : {view_queries} ; "
        f"témoin : {base_queries})"
    )
    out("   * client : aller-retour complet vu du client de test (construction de la requête comprise)")
    out()
    out("2. Page Brouillons (/brouillons/, 20 par page)")
    out(f"   Requêtes SQL à {n10:>5} dossiers : {q10}")
    out(f"   Requêtes SQL à {n1000:>5} dossiers : {q1000}")
    equal = q10 == q1000
    out(f"   Nombre de requêtes identique : {'OUI' if equal else 'NON — N+1 probable'}")
    out(f"   Rendu à {n1000} dossiers ({args.pages} rendus) : médiane {p_med:.2f} ms, p90 {p_p90:.2f} ms")
    out(f"   ({n1000 - n10} dossiers créés en bulk_create en {bulk_s:.2f} s)")
    out()
    out(f"3. Recherches (lookups) sur les référentiels complets — {args.lookups} appels chacune, temps serveur en ms")
    out(f"   (chargement : 30 000 fiches RNCP + 20 000 établissements en plus des livrés, {lookups_setup_s:.1f} s)")
    out(f"   {'':48}{'médiane':>9}{'p90':>9}{'requêtes':>10}")
    for label, _url, _params, (med, p90, queries) in lookup_results:
        flag = "" if med <= LOOKUP_BUDGET_MS else f"  > {LOOKUP_BUDGET_MS} ms"
        out(f"   {label:48}{med:9.2f}{p90:9.2f}{queries:10d}{flag}")
    out()
    cerfa_results = bench_cerfa(dossier)
    out("4. Générer le CERFA (12434*05) d'un dossier complet : WeasyPrint sur le formulaire officiel, contre pypdf")
    out("   remplissant son AcroForm avec les mêmes valeurs — paires entrelacées, temps en ms (médiane)")
    out(f"   {'':44}{'rendu':>9}{'pypdf':>9}{'ratio':>8}{'min':>7}{'max':>7}")
    for label, key in [
        (f"1er rendu, worker gunicorn démarré ({CERFA_FROID} p.)", "boot"),
        (f"1er rendu, processus sans préchauffage ({CERFA_FROID} p.)", "froid"),
        (f"Rendu dans un processus chaud ({CERFA_RUNS} paires)", "chaud"),
    ]:
        r = cerfa_results[key]
        flag = "" if key != "boot" or r["ratio"] <= 1.5 else "  > 1,5"
        out(f"   {label:44}{r['rendu']:9.1f}{r['pypdf']:9.1f}{r['ratio']:8.2f}{r['min']:7.2f}{r['max']:7.2f}{flag}")
    flag = "" if cerfa_results["cache"] <= 5 else "  > 5 ms"
    out(f"   {'Rendu servi par le cache (dossier inchangé)':44}{cerfa_results['cache']:9.3f}{flag}")
    out()
    out("5. Autres listes — requêtes SQL par page à 10 et à 1 000 lignes")
    for label, (a, b) in listes.items():
        out(f"   {label:62}{a:5d}{b:7d}{'' if a == b else '  N+1 probable'}")
    out()
    stable = all(a == b for a, b in listes.values())
    if not equal or not stable:
        out(f"ÉCHEC : le nombre de requêtes d'une liste croît avec le nombre de lignes (garde N+1) : {q10} / {q1000}.")
        return EXIT_N_PLUS_1
    out("OK")
    return EXIT_OK


CERFA_RUNS = 15  # interleaved pairs, in process
CERFA_FROID = 5  # interleaved pairs of fresh processes


def bench_listes(user, etablissement, show_sql=False) -> dict[str, tuple[int, int]]:
    """Section 5: the gestionnaire's changelist and the user's notifications, at 10 then 1,000 rows."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dossiers.acces import GROUPE_GESTIONNAIRES
    from dossiers.enums import DossierState
    from dossiers.models import Dossier
    from notifications.models import Notification
    from tests.factories import UserFactory

    gestionnaire = UserFactory(gestionnaire=True, is_superuser=False)
    from django.contrib.auth.models import Group

    gestionnaire.groups.add(Group.objects.get(name=GROUPE_GESTIONNAIRES))
    akto, adherent = Client(), Client()
    akto.force_login(gestionnaire)
    adherent.force_login(user)
    dossiers = list(Dossier.objects.filter(etablissement=etablissement).order_by("pk").values_list("pk", flat=True))
    pages = {
        "Back office /admin/dossiers/dossier/?etat=tous (50 par page)": (akto, "/admin/dossiers/dossier/?etat=tous"),
        "Notifications /notifications/ (20 par page)": (adherent, "/notifications/"),
    }
    counts: dict[str, list[int]] = {label: [] for label in pages}
    for size in (10, 1000):
        chosen = dossiers[:size]
        Dossier.objects.filter(pk__in=chosen).update(state=DossierState.TRANSMIS, transmis_le=timezone.now())
        Notification.objects.filter(recipient=user).delete()
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                evenement="dossier_transmis",
                dossier_id=pk,
                email_statut="envoye",
                email_envoye_le=timezone.now(),
            )
            for pk in chosen
        )
        for label, (client, url) in pages.items():
            client.get(url)  # warm-up
            queries, response = count_queries(connection, lambda c=client, u=url: c.get(u), show_sql, label)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            counts[label].append(queries)
    return {label: tuple(values) for label, values in counts.items()}


def acroform_pypdf(blank: Path, valeurs: dict) -> bytes:
    """The baseline: pypdf filling the official blank form's own AcroForm fields with the same values."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(blank))
    writer.set_need_appearances_writer(True)
    from documents.cerfa.formulaire import cle

    for page in writer.pages:
        fields = {}
        for annot in page.get("/Annots", []):
            name = str(annot.get_object().get("/T", ""))
            key = cle(name)
            if key in valeurs:
                fields[name] = "/Yes" if valeurs[key] is True else str(valeurs[key])
        writer.update_page_form_field_values(page, fields, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cerfa_froid(mode: str, fichier: str) -> int:
    """Child process of section 4: the first render of the dossier in a fresh process, in ms.

    ``rendu`` / ``pypdf``: nothing done before (imports, the official form, fonts: all paid by this render);
    ``rendu-boot`` / ``pypdf-boot``: after what a gunicorn worker does as it boots (portal.wsgi: the CERFA's
    warm-up) and, for pypdf, the same courtesy (pypdf imported, one empty fill).
    """
    import json

    django.setup()
    valeurs = json.loads(Path(fichier).read_text())
    blank = ROOT / "static" / "docs" / "cerfa_12434-05.pdf"
    if mode == "rendu-boot":
        from dossiers import cerfa

        cerfa.prechauffer()
    elif mode == "pypdf-boot":
        acroform_pypdf(blank, {})
    started = time.perf_counter()
    if mode.startswith("rendu"):
        from dossiers import cerfa

        cerfa.rendre(valeurs)
    else:
        acroform_pypdf(blank, valeurs)
    print(f"{(time.perf_counter() - started) * 1000:.3f}")
    return EXIT_OK


def bench_cerfa(dossier) -> dict:
    """Section 4: the CERFA of a full dossier (WeasyPrint over the official form) vs pypdf filling its AcroForm.

    Interleaved pairs in this process (both warm), and interleaved pairs of fresh processes timing their very
    first render (reading the official form, the font, WeasyPrint's start), then the render served by the cache.
    """
    import json
    import subprocess
    import tempfile

    from dossiers import cerfa
    from dossiers.models import Dossier

    # The bench's dossier is complete (tests/complet.py): every tab valid, the CERFA without its draft watermark.
    full = Dossier.objects.select_related("employeur", "salarie", "contrat", "formation").get(pk=dossier.pk)
    blank = cerfa.VERSIONS[cerfa.VERSION_COURANTE].chemin
    valeurs = cerfa.valeurs(full)

    def chrono(call) -> float:
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000

    chaud: list[tuple[float, float]] = []
    chrono(lambda: cerfa.rendre(valeurs)), chrono(lambda: acroform_pypdf(blank, valeurs))  # warm-up
    for _ in range(CERFA_RUNS):
        chaud.append((chrono(lambda: cerfa.rendre(valeurs)), chrono(lambda: acroform_pypdf(blank, valeurs))))

    froid: dict[str, list[tuple[float, float]]] = {"froid": [], "boot": []}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(valeurs, f)
    try:
        for _ in range(CERFA_FROID):
            for cle, suffixe in (("froid", ""), ("boot", "-boot")):
                mesures = []
                for mode in ("rendu", "pypdf"):
                    out = subprocess.run(
                        [sys.executable, str(ROOT / "tests" / "bench.py"), "--cerfa-froid", mode + suffixe, f.name],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    mesures.append(float(out.stdout.strip().splitlines()[-1]))
                froid[cle].append(tuple(mesures))
    finally:
        os.unlink(f.name)

    cerfa.pdf(full)  # fill the cache
    cached = statistics.median(chrono(lambda: cerfa.pdf(Dossier.objects.get(pk=full.pk))) for _ in range(50))

    def resume(paires):
        ratios = [a / b for a, b in paires]
        return {
            "rendu": statistics.median(a for a, _ in paires),
            "pypdf": statistics.median(b for _, b in paires),
            "ratio": statistics.median(ratios),
            "min": min(ratios),
            "max": max(ratios),
        }

    return {"chaud": resume(chaud), "froid": resume(froid["froid"]), "boot": resume(froid["boot"]), "cache": cached}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="paires mesurées (défaut 200)")
    parser.add_argument("--warmup", type=int, default=20, help="paires de chauffe (défaut 20)")
    parser.add_argument("--pages", type=int, default=30, help="rendus de /brouillons/ chronométrés (défaut 30)")
    parser.add_argument("--sql", action="store_true", help="affiche les requêtes SQL comptées")
    parser.add_argument("--profil", action="store_true", help="profil cProfile d'enregistrements et d'affichages")
    parser.add_argument("--lookups", type=int, default=200, help="appels par recherche chronométrée (défaut 200)")
    parser.add_argument("--cerfa-froid", nargs=2, metavar=("MODE", "VALEURS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cerfa_froid:
        return cerfa_froid(*args.cerfa_froid)
    if args.n < 1 or args.warmup < 0 or args.pages < 1:
        parser.error("--n et --pages doivent être >= 1, --warmup >= 0")

    started = time.perf_counter()
    try:
        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment, teardown_test_environment
    except Exception:
        traceback.print_exc()
        return EXIT_ERROR

    setup_test_environment()
    # Templates render as in production: not through the test runner's instrumentation (which sends a signal and
    # copies every template's context, making template-heavy views look slower than they are).
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    old_name = connection.settings_dict["NAME"]
    created = False
    status = EXIT_ERROR
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        created = True
        status = run(args)
    except Exception:
        traceback.print_exc()
        status = EXIT_ERROR
    finally:
        try:
            if created:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        except Exception:
            traceback.print_exc()
            status = EXIT_ERROR
        teardown_test_environment()
    print(f"Durée totale : {time.perf_counter() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
