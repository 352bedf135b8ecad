"""Load the committed extracts of every referential (run by `make run`; idempotent).

A referential whose table already has rows is skipped unless ``--force``: restarting the
embedded portal stays fast, and ``--force`` re-imports after an extract is refreshed.
"""

import time
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

DATA = Path(__file__).resolve().parents[2] / "data"

# (model whose rows tell the referential is loaded, command, arguments)
REFERENTIELS = [
    ("Commune", "import_communes", [DATA / "communes.json.gz", "--departements", DATA / "departements.json.gz"]),
    ("CodeNaf", "import_naf", [DATA / "naf_rev2.csv.gz"]),
    ("ConventionCollective", "import_idcc", [DATA / "idcc.csv.gz"]),
    ("Certification", "import_rncp", [DATA / "rncp-export-fiches-extrait.zip"]),
    ("OrganismeFormation", "import_organismes", [DATA / "organismes.csv.gz"]),
    ("Smic", "load_parametres", []),
]


class Command(BaseCommand):
    help = "Charge les référentiels livrés avec le portail (communes, NAF, IDCC, RNCP, organismes, paramètres)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="réimporte même si le référentiel est chargé")

    def handle(self, *args, force=False, **options):
        for model_name, command, arguments in REFERENTIELS:
            model = apps.get_model("referentiels", model_name)
            if not force and model.objects.exists():
                self.stdout.write(f"  {command} : déjà chargé ({model.objects.count()} lignes), ignoré")
                continue
            start = time.perf_counter()
            call_command(command, *[str(a) for a in arguments], stdout=self.stdout, stderr=self.stderr)
            self.stdout.write(f"  {command} : {time.perf_counter() - start:.1f} s")
        self.stdout.write(self.style.SUCCESS("Référentiels chargés."))
