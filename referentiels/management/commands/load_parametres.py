"""Load the dated parameters (SMIC, legal funding forfaits, rules' figures) from ``referentiels/data/parametres.json``.

Idempotent: rows are keyed by (territoire, date d'effet) for the SMIC, by (public, date d'effet) for the legal
forfaits (no IDCC) and by (code, date d'effet) for the rules' parameters (``regles``); their values are set to the
file's. Rows added in the admin (a later SMIC, a branch's forfait, a newer value of a rule's parameter) are left
alone.

``charger_parametres_regles(model)`` loads the ``regles`` part alone; migration 0004 calls it with its historical
model so that every fresh database has the parameters the rules read.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.models import ForfaitPriseEnCharge, ParametreRegle, PublicForfait, Smic, Territoire

DATA = Path(__file__).resolve().parents[2] / "data" / "parametres.json"


def nouveaux_comptes() -> dict:
    return {"crees": 0, "modifies": 0, "inchanges": 0}


def lire(fichier: Path = DATA) -> dict:
    return json.loads(Path(fichier).read_text(encoding="utf-8"))


def upsert(model, key: dict, values: dict, counts: dict) -> None:
    """Create the row of ``key`` or set its ``values``; counts what was done."""
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


def charger_parametres_regles(model=ParametreRegle, data: dict | None = None, counts: dict | None = None) -> dict:
    """Upsert the file's ``regles`` rows into ``model`` (``ParametreRegle`` or a migration's historical model)."""
    data = lire() if data is None else data
    counts = nouveaux_comptes() if counts is None else counts
    for item in data.get("regles", []):
        key = {"code": item["code"], "date_effet": item["date_effet"]}
        values = {
            "valeur": Decimal(item["valeur"]),
            "unite": item.get("unite", ""),
            "libelle": item["libelle"],
            "source": item.get("source", ""),
        }
        upsert(model, key, values, counts)
    return counts


class Command(BaseCommand):
    help = (
        "Charge les paramètres datés (SMIC, forfaits légaux de prise en charge, paramètres des règles) depuis le "
        "fichier versionné."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, default=DATA, help=f"fichier JSON (défaut : {DATA.name})")

    @transaction.atomic
    def handle(self, *args, fichier, **options):
        try:
            data = lire(fichier)
        except (OSError, ValueError) as error:
            raise CommandError(f"Lecture impossible de {fichier} : {error}") from None
        counts = nouveaux_comptes()

        for item in data.get("smic", []):
            territoire = item["territoire"]
            if territoire not in Territoire.values:
                raise CommandError(f"Territoire inconnu dans {fichier.name} : « {territoire} ».")
            values = {"horaire": Decimal(item["horaire"]), "source": item.get("source", "")}
            values["mensuel"] = (
                Decimal(item["mensuel"]) if item.get("mensuel") else Smic.mensuel_pour(values["horaire"])
            )
            upsert(Smic, {"territoire": territoire, "date_effet": item["date_effet"]}, values, counts)

        for item in data.get("forfaits", []):
            public = item["public"]
            if public not in PublicForfait.values:
                raise CommandError(f"Public inconnu dans {fichier.name} : « {public} ».")
            key = {"idcc__isnull": True, "public": public, "date_effet": item["date_effet"]}
            values = {"montant_horaire": Decimal(item["montant_horaire"]), "source": item.get("source", "")}
            upsert(ForfaitPriseEnCharge, key, values, counts)

        try:
            regles = charger_parametres_regles(ParametreRegle, data)
        except (KeyError, ArithmeticError) as error:
            raise CommandError(f"Paramètre de règle invalide dans {fichier.name} : {error!r}.") from None

        self.stdout.write(
            f"Paramètres : {counts['crees']} créés, {counts['modifies']} modifiés, {counts['inchanges']} inchangés "
            f"({Smic.objects.count()} SMIC, {ForfaitPriseEnCharge.objects.count()} forfaits en base) ; "
            f"paramètres des règles : {regles['crees']} créés, {regles['modifies']} modifiés, "
            f"{regles['inchanges']} inchangés ({ParametreRegle.objects.count()} en base)."
        )
