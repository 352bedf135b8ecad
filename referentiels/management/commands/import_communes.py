"""``manage.py import_communes communes.json[.gz] [--departements departements.json[.gz]]``

Reads the JSON of ``@etalab/decoupage-administratif`` (``data/communes.json``, ``data/departements.json``,
or the trimmed extract ``referentiels/data/communes.json.gz``) and makes the tables match it: rows are
created, changed or deleted so that a second run with the same file writes nothing.

``--extrait DOSSIER`` imports nothing: it writes the committed extract (``communes.json.gz`` and, with
``--departements``, ``departements.json.gz``), the same records trimmed to the fields read here.
"""

import gzip
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError

from referentiels.models import CodePostal, Commune, CommuneMot, Departement, TypeCommune
from referentiels.search import normalize

_CODE_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_CODE_POSTAL = re.compile(r"^[0-9]{5}$")
_CODE_DEPARTEMENT = re.compile(r"^(?:[0-9]{2}|2A|2B|9[78][0-9])$")
# Fields kept in the committed extract: exactly those this importer reads.
CHAMPS_COMMUNE = ("code", "nom", "type", "departement", "codesPostaux", "chefLieu", "commune", "population")
CHAMPS_DEPARTEMENT = ("code", "nom", "region", "zone")


def open_text(path: str | Path):
    """A text stream on a plain or gzipped (``.gz``) file."""
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {path}")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def read_json_list(path: str | Path) -> list[dict]:
    with open_text(path) as stream:
        try:
            data = json.load(stream)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} : JSON invalide ({error}).") from None
    if not isinstance(data, list) or not all(isinstance(record, dict) for record in data):
        raise CommandError(f"{path} : une liste d'objets JSON est attendue.")
    return data


@dataclass
class Bilan:
    total: int = 0
    crees: int = 0
    modifies: int = 0
    supprimes: int = 0

    def __str__(self):
        return f"{self.total} (créés {self.crees}, modifiés {self.modifies}, supprimés {self.supprimes})"


def synchronise(model, rows: list[dict], key: tuple[str, ...], fields: tuple[str, ...], *, supprimer=True) -> Bilan:
    """Make ``model``'s table hold exactly ``rows`` (dicts of attnames), matched on ``key``, in bulk.

    Only the differences are written: new keys are inserted, rows whose ``fields`` differ are updated and,
    with ``supprimer``, keys absent from ``rows`` are deleted. Call it inside a transaction.
    """
    existants = {}
    for values in model.objects.values_list("pk", *key, *fields).iterator(chunk_size=5000):
        existants[values[1 : 1 + len(key)]] = (values[0], values[1 + len(key) :])
    vus, a_creer, a_modifier = set(), [], []
    for row in rows:
        cle = tuple(row[name] for name in key)
        if cle in vus:
            raise CommandError(f"{model._meta.verbose_name} en double dans le fichier : {cle}")
        vus.add(cle)
        if cle not in existants:
            a_creer.append(model(**row))
        elif existants[cle][1] != tuple(row[name] for name in fields):
            a_modifier.append(model(pk=existants[cle][0], **row))
    obsoletes = [pk for cle, (pk, _) in existants.items() if cle not in vus] if supprimer else []
    try:
        for start in range(0, len(obsoletes), 500):
            model.objects.filter(pk__in=obsoletes[start : start + 500]).delete()
    except ProtectedError as error:
        raise CommandError(
            f"Suppression impossible de {model._meta.verbose_name_plural} absents du fichier mais encore utilisés "
            f"({len(error.protected_objects)} références)."
        ) from None
    model.objects.bulk_create(a_creer, batch_size=500)
    if a_modifier and fields:
        model.objects.bulk_update(a_modifier, fields, batch_size=500)
    return Bilan(total=len(rows), crees=len(a_creer), modifies=len(a_modifier), supprimes=len(obsoletes))


def analyse(*models) -> None:
    """Refresh the planner statistics after a bulk load: without them PostgreSQL seq-scans the communes.

    On PostgreSQL outside a transaction, VACUUM too: it sets the visibility map that index-only scans of
    the search index need.
    """
    commande = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        commande = "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{commande} {connection.ops.quote_name(model._meta.db_table)}")


def departement_rows(records: list[dict]) -> list[dict]:
    rows = []
    for record in records:
        code, nom = str(record.get("code") or ""), str(record.get("nom") or "").strip()
        if not _CODE_DEPARTEMENT.match(code) or not nom:
            raise CommandError(f"Département invalide : {record!r}")
        rows.append(
            {"code": code, "nom": nom, "region": str(record.get("region") or ""), "zone": str(record.get("zone") or "")}
        )
    return rows


def commune_rows(records: list[dict]) -> tuple[list[dict], dict[tuple[str, str], str], list[tuple[str, str, str]]]:
    """(commune rows without parent, parent code INSEE per commune key, (code, type, postal code) triples)."""
    types = set(TypeCommune.values)
    rows, parents, codes_postaux = [], {}, []
    for record in records:
        code, nom, type_ = str(record.get("code") or ""), str(record.get("nom") or "").strip(), record.get("type")
        departement = str(record.get("departement") or "")
        if not _CODE_INSEE.match(code) or not nom or type_ not in types or not departement:
            raise CommandError(f"Commune invalide : {json.dumps(record, ensure_ascii=False)[:200]}")
        population = record.get("population")
        rows.append(
            {
                "code": code,
                "type": type_,
                "nom": nom,
                "nom_recherche": normalize(nom),
                "departement_id": departement,
                "actuelle": type_ == TypeCommune.ACTUELLE,
                "population": population if isinstance(population, int) and population >= 0 else None,
            }
        )
        parent = record.get("chefLieu") or record.get("commune")
        if type_ != TypeCommune.ACTUELLE and parent:
            parents[(code, type_)] = str(parent)
        for code_postal in record.get("codesPostaux") or []:
            codes_postaux.append((code, type_, str(code_postal)))
    return rows, parents, codes_postaux


class Command(BaseCommand):
    help = "Importe les communes, codes postaux (et départements) au format @etalab/decoupage-administratif."

    def add_arguments(self, parser):
        parser.add_argument("communes", help="communes.json ou communes.json.gz")
        parser.add_argument("--departements", help="departements.json ou departements.json.gz")
        parser.add_argument(
            "--extrait", metavar="DOSSIER", help="écrire l'extrait réduit (.json.gz) dans DOSSIER au lieu d'importer"
        )

    def handle(self, *args, **options):
        debut = time.perf_counter()
        communes = read_json_list(options["communes"])
        departements = read_json_list(options["departements"]) if options["departements"] else None
        if options["extrait"]:
            self.ecrit_extrait(Path(options["extrait"]), "communes.json.gz", communes, CHAMPS_COMMUNE)
            if departements is not None:
                self.ecrit_extrait(Path(options["extrait"]), "departements.json.gz", departements, CHAMPS_DEPARTEMENT)
            return
        rows, parents, triples = commune_rows(communes)
        with transaction.atomic():
            bilans = self.importe(rows, parents, triples, departement_rows(departements) if departements else None)
        analyse(Departement, Commune, CodePostal, CommuneMot)
        for libelle, bilan in bilans.items():
            self.stdout.write(f"{libelle} : {bilan}")
        self.stdout.write(self.style.SUCCESS(f"Import des communes terminé en {time.perf_counter() - debut:.1f} s."))

    def ecrit_extrait(self, dossier: Path, nom: str, records: list[dict], champs: tuple[str, ...]):
        reduits = [{champ: record[champ] for champ in champs if champ in record} for record in records]
        texte = json.dumps(reduits, ensure_ascii=False, separators=(",", ":"))
        dossier.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same input gives the same bytes (no spurious diff when the extract is rebuilt).
        with gzip.GzipFile(dossier / nom, "wb", compresslevel=9, mtime=0) as sortie:
            sortie.write(texte.encode("utf-8"))
        self.stdout.write(f"{dossier / nom} : {len(reduits)} enregistrements.")

    def importe(self, rows, parents, triples, departements):
        bilans = {}
        if departements is not None:
            bilans["Départements"] = synchronise(
                Departement, departements, ("code",), ("nom", "region", "zone"), supprimer=False
            )
        connus = set(Departement.objects.values_list("code", flat=True))
        inconnus = sorted({row["departement_id"] for row in rows} - connus)
        if inconnus:
            raise CommandError(
                f"Départements inconnus : {', '.join(inconnus)}. Importez-les avec --departements departements.json."
            )

        champs = ("nom", "nom_recherche", "departement_id", "actuelle", "population")
        bilans["Communes"] = synchronise(Commune, rows, ("code", "type"), champs)

        # Parents are current communes, known once every row exists: a second pass writes only them.
        ids = {(code, type_): pk for pk, code, type_ in Commune.objects.values_list("pk", "code", "type")}
        actuelles = {code: pk for (code, type_), pk in ids.items() if type_ == TypeCommune.ACTUELLE}
        sans_parent = sorted(code for (code, _), parent in parents.items() if parent not in actuelles)
        if sans_parent:
            self.stderr.write(f"Commune de rattachement introuvable pour : {', '.join(sans_parent[:20])}")
        for row in rows:
            row["commune_parente_id"] = actuelles.get(parents.get((row["code"], row["type"])))
        rattachements = synchronise(Commune, rows, ("code", "type"), (*champs, "commune_parente_id"), supprimer=False)
        bilans["Rattachements modifiés"] = rattachements.modifies

        paires = [
            {"code": code_postal, "commune_id": ids[(code, type_)]}
            for code, type_, code_postal in dict.fromkeys(triples)
        ]
        invalides = [paire["code"] for paire in paires if not _CODE_POSTAL.match(paire["code"])]
        if invalides:
            raise CommandError(f"Codes postaux invalides : {', '.join(sorted(set(invalides))[:20])}")
        bilans["Codes postaux"] = synchronise(CodePostal, paires, ("code", "commune_id"), ())

        index = Commune.objects.values_list("pk", "nom_recherche", "actuelle", "population")
        crees, modifies, supprimes = CommuneMot.synchronise(index.iterator(chunk_size=5000), toutes=True)
        bilans["Index de recherche"] = f"{crees} mots ajoutés, {modifies} modifiés, {supprimes} supprimés"

        if departements is not None:
            codes = {row["code"] for row in departements}
            obsoletes = Departement.objects.exclude(code__in=codes).filter(communes__isnull=True)
            bilans["Départements supprimés"] = obsoletes.delete()[0]
        return bilans
