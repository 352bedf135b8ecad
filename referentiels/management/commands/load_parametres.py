"""Load the dated legal parameters (SMIC, legal funding forfaits) from ``referentiels/data/parametres.json``.

Idempotent: rows are keyed by (territoire, date d'effet) for the SMIC and by (public, date d'effet) for the
legal forfaits (no IDCC); their amounts are set to the file's. Rows added in the admin (a later SMIC, a
branch's forfait) are left alone.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.models import ForfaitPriseEnCharge, PublicForfait, Smic, Territoire

DATA = Path(__file__).resolve().parents[2] / "data" / "parametres.json"


class Command(BaseCommand):
    help = "Charge les paramètres datés (SMIC, forfaits légaux de prise en charge) depuis le fichier versionné."

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, default=DATA, help=f"fichier JSON (défaut : {DATA.name})")

    @transaction.atomic
    def handle(self, *args, fichier, **options):
        try:
            data = json.loads(fichier.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Lecture impossible de {fichier} : {error}") from None
        counts = {"crees": 0, "modifies": 0, "inchanges": 0}

        for item in data.get("smic", []):
            territoire = item["territoire"]
            if territoire not in Territoire.values:
                raise CommandError(f"Territoire inconnu dans {fichier.name} : « {territoire} ».")
            values = {"horaire": Decimal(item["horaire"]), "source": item.get("source", "")}
            values["mensuel"] = (
                Decimal(item["mensuel"]) if item.get("mensuel") else Smic.mensuel_pour(values["horaire"])
            )
            self.upsert(Smic, {"territoire": territoire, "date_effet": item["date_effet"]}, values, counts)

        for item in data.get("forfaits", []):
            public = item["public"]
            if public not in PublicForfait.values:
                raise CommandError(f"Public inconnu dans {fichier.name} : « {public} ».")
            key = {"idcc__isnull": True, "public": public, "date_effet": item["date_effet"]}
            values = {"montant_horaire": Decimal(item["montant_horaire"]), "source": item.get("source", "")}
            self.upsert(ForfaitPriseEnCharge, key, values, counts)

        self.stdout.write(
            f"Paramètres : {counts['crees']} créés, {counts['modifies']} modifiés, {counts['inchanges']} inchangés "
            f"({Smic.objects.count()} SMIC, {ForfaitPriseEnCharge.objects.count()} forfaits en base)."
        )

    @staticmethod
    def upsert(model, key: dict, values: dict, counts: dict) -> None:
        obj = model.objects.filter(**key).first()
        if obj is None:
            create = {k: v for k, v in key.items() if not k.endswith("__isnull")}
            model.objects.create(**create, **values)
            counts["crees"] += 1
            return
        if all(getattr(obj, name) == value for name, value in values.items()):
            counts["inchanges"] += 1
            return
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        counts["modifies"] += 1
