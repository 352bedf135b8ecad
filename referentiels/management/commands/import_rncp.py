"""``manage.py import_rncp [path]``: load France compétences' export of RNCP / RS fiches.

``path`` is either the official zip (``export-fiches-csv-YYYY-MM-DD.zip``) or a plain *Standard* CSV
(``.csv`` or ``.csv.gz``) for a partial import; without it, the extract committed in
``referentiels/data/`` is loaded (what ``make run`` uses offline).

From the zip, the files are found by name prefix, whatever their date suffix:

* ``export_fiches_CSV_Standard_*`` (required): one row per fiche;
* ``export_fiches_CSV_Ancienne_Nouvelle_Certification_*``: replacement links. Each row gives the fiche's
  *ancienne* and *nouvelle* certification; both directions are used (a link missing on one side is
  rebuilt from the other), and the stored set of links is replaced by the file's;
* ``export_fiches_CSV_VoixdAccès_*``: access routes, ``En contrat de professionnalisation`` among them;
* ``export_fiches_CSV_Nsf_*`` and ``export_fiches_CSV_Certificateurs_*``: NSF codes, certifier names.

A field whose file is absent (partial import) keeps its stored value. The export's file names are UTF-8
without the zip's UTF-8 flag (and, in some re-zipped copies, decomposed: ``Acce\u0300s``): names are
decoded and folded to ASCII before matching.

Idempotent and bulk: existing rows are read once, only new rows are inserted and only changed rows
updated (batches), so a second run writes nothing. Certifications absent from the file are kept
(dossiers may refer to them); their number is reported.
"""

import csv
import datetime
import gzip
import io
import re
import time
import zipfile
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.models import Certification, CertificationMot, CertificationRemplacement, TypeCertification
from referentiels.models.certifications import search_key
from referentiels.search import ascii_fold, normalize
from referentiels.validators import certification_codes_in, normalize_certification_code

DEFAULT_EXTRACT = Path(__file__).resolve().parents[2] / "data" / "rncp-export-fiches-extrait.zip"

PREFIXES = {
    "standard": "export_fiches_csv_standard",
    "remplacements": "export_fiches_csv_ancienne_nouvelle_certification",
    "voies_acces": "export_fiches_csv_voixdacces",
    "nsf": "export_fiches_csv_nsf",
    "certificateurs": "export_fiches_csv_certificateurs",
}
STANDARD_FIELDS = [
    "type",
    "intitule",
    "intitule_recherche",
    "abrege_libelle",
    "abrege_intitule",
    "niveau",
    "actif",
    "date_fin_enregistrement",
    "type_enregistrement",
]
CONTRAT_PRO = "contrat de professionnalisation"
BATCH = 1000

_LEVEL = re.compile(r"(?:NIV(?:EAU)?)?\s*([1-8])")
_DATE_SUFFIX = re.compile(r"(\d{4})[_-](\d{2})[_-](\d{2})")


# --- reading -----------------------------------------------------------------------------------------


def normalize_code(value: str) -> str | None:
    """``" rncp 0509"`` → ``"RNCP509"``; ``None`` when it is not an RNCP / RS code (referentiels.validators)."""
    try:
        return normalize_certification_code(value) or None
    except ValidationError:
        return None


def codes_in(value: str) -> list[str]:
    """Every RNCP / RS code of a cell (a cell may list several)."""
    return certification_codes_in(value)


def member_key(info: zipfile.ZipInfo) -> str:
    """A zip member's base name, decoded as the exporter meant it and folded to lowercase ASCII."""
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: Python decoded the bytes as cp437
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    name = name.rsplit("/", 1)[-1]
    return ascii_fold(name)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by lowercase column names; ``;`` (official) or ``,`` separated, quoted or not."""
    text = decode(data)
    header = text.split("\n", 1)[0]
    delimiter = ";" if ";" in header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        return []
    # The export prefixes SIRETs with a tab (to keep Excel from eating zeros): strip() drops it.
    return [dict(zip(columns, (value.strip() for value in row))) for row in reader if any(row)]


def one_line(value: str) -> str:
    return " ".join((value or "").split())


def parse_date(value: str) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_actif(value: str) -> bool | None:
    value = (value or "").strip().lower()
    if value in {"active", "oui", "true", "1"}:
        return True
    if value in {"inactive", "non", "false", "0", ""}:
        return False
    return None


def parse_standard(rows: list[dict[str, str]], warnings: list[str]) -> dict[str, dict]:
    """``{code: field values}`` from the Standard file (the last row wins on a duplicate code)."""
    missing = {"numero_fiche", "intitule", "actif"} - set(rows[0] if rows else ())
    if rows and missing:
        raise CommandError(f"Colonnes absentes du fichier Standard : {', '.join(sorted(missing))}.")
    fiches: dict[str, dict] = {}
    rejected, odd_status, odd_dates, duplicates = [], 0, 0, 0
    for row in rows:
        code = normalize_code(row.get("numero_fiche", ""))
        intitule = one_line(row.get("intitule", ""))
        if not code or not intitule:
            rejected.append(row.get("numero_fiche", "") or "?")
            continue
        actif = parse_actif(row.get("actif", ""))
        if actif is None:
            odd_status += 1
            actif = False
        raw_date = row.get("date_fin_enregistrement", "")
        date_fin = parse_date(raw_date) if raw_date else None
        if raw_date and date_fin is None:
            odd_dates += 1
        type_ = TypeCertification.RS if code.startswith("RS") else TypeCertification.RNCP
        level = _LEVEL.fullmatch(row.get("nomenclature_europe_niveau", "").strip().upper())
        abrege_libelle = one_line(row.get("abrege_libelle", ""))[:50]
        duplicates += code in fiches
        fiches[code] = {
            "type": type_,
            "intitule": intitule,
            "intitule_recherche": search_key(intitule, abrege_libelle),
            "abrege_libelle": abrege_libelle,
            "abrege_intitule": one_line(row.get("abrege_intitule", ""))[:200],
            # "REPRISE" (sans niveau) and the RS have no level.
            "niveau": int(level.group(1)) if level and type_ == TypeCertification.RNCP else None,
            "actif": actif,
            "date_fin_enregistrement": date_fin,
            "type_enregistrement": one_line(row.get("type_enregistrement", ""))[:50],
        }
    if rejected:
        warnings.append(
            f"{len(rejected)} ligne(s) sans code RNCP/RS valide ou sans intitulé : {', '.join(rejected[:5])}"
        )
    if odd_status:
        warnings.append(f"{odd_status} statut(s) « Actif » inconnu(s), lus comme inactifs.")
    if odd_dates:
        warnings.append(f"{odd_dates} date(s) de fin d'enregistrement illisible(s), ignorée(s).")
    if duplicates:
        warnings.append(f"{duplicates} code(s) en double dans le fichier Standard (dernière ligne retenue).")
    return fiches


def parse_links(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    """``{(ancien, nouveau)}`` from both sides of each row of Ancienne_Nouvelle_Certification."""
    links = set()
    for row in rows:
        code = normalize_code(row.get("numero_fiche", ""))
        if not code:
            continue
        links.update((ancien, code) for ancien in codes_in(row.get("ancienne_certification", "")))
        links.update((code, nouveau) for nouveau in codes_in(row.get("nouvelle_certification", "")))
    return {(ancien, nouveau) for ancien, nouveau in links if ancien != nouveau}


def parse_voies_acces(rows: list[dict[str, str]]) -> dict[str, bool]:
    """``{code: accessible en contrat de professionnalisation}`` for the fiches that list access routes."""
    result: dict[str, bool] = {}
    for row in rows:
        code = normalize_code(row.get("numero_fiche", ""))
        if not code:
            continue
        # The column is oddly named "Si_Jury"; take the first other column if it is renamed one day.
        value = row.get("si_jury")
        if value is None:
            value = next((v for k, v in row.items() if k != "numero_fiche"), "")
        result[code] = result.get(code, False) or CONTRAT_PRO in normalize(value)
    return result


def parse_multi(rows: list[dict[str, str]], column: str, separator: str, limit: int) -> dict[str, str]:
    values: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        code = normalize_code(row.get("numero_fiche", ""))
        value = one_line(row.get(column, ""))
        if code and value and value not in values[code]:
            values[code].append(value)
    return {code: separator.join(items)[:limit] for code, items in values.items()}


class Export:
    """The files of one export, as raw rows: ``standard`` always, the others when present."""

    def __init__(self, path: Path):
        self.path = path
        self.files: dict[str, list[dict[str, str]]] = {}
        self.date: str | None = None
        if zipfile.is_zipfile(path):
            self._read_zip(path)
        else:
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            self.files["standard"] = read_csv(data)

    def _read_zip(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            members = {member_key(info): info for info in archive.infolist() if not info.is_dir()}
            for kind, prefix in PREFIXES.items():
                matching = sorted(key for key in members if key.startswith(prefix))
                if not matching:
                    continue
                key = matching[-1]  # several exports in one zip: the latest date suffix
                data = archive.read(members[key])
                if key.endswith(".gz"):
                    data = gzip.decompress(data)
                self.files[kind] = read_csv(data)
                if kind == "standard" and (match := _DATE_SUFFIX.search(key)):
                    self.date = "/".join(reversed(match.groups()))
        if "standard" not in self.files:
            raise CommandError(f"{path.name} ne contient pas de fichier export_fiches_CSV_Standard_….")
        if not self.files["standard"]:
            # An empty Standard file is a failed export: importing it would still replace every link.
            raise CommandError(f"{path.name} : le fichier Standard est vide.")


# --- writing -----------------------------------------------------------------------------------------


def upsert_certifications(fiches: dict[str, dict], fields: list[str]) -> tuple[int, int, int]:
    """Insert new codes, update changed ones; ``(created, updated, unchanged)``."""
    existing = {row["code"]: row for row in Certification.objects.order_by().values("id", "code", *fields)}
    to_create, to_update = [], []
    for code, values in fiches.items():
        current = existing.get(code)
        if current is None:
            to_create.append(Certification(code=code, **values))
        elif any(current[name] != values[name] for name in fields):
            to_update.append(Certification(id=current["id"], code=code, **values))
    Certification.objects.bulk_create(to_create, batch_size=BATCH)
    Certification.objects.bulk_update(to_update, fields, batch_size=BATCH)
    return len(to_create), len(to_update), len(fiches) - len(to_create) - len(to_update)


def replace_links(links: set[tuple[str, str]]) -> tuple[int, int]:
    """Make the stored links exactly ``links``; ``(added, removed)``."""
    existing = {
        (ancien, nouveau): pk
        for pk, ancien, nouveau in CertificationRemplacement.objects.values_list("id", "ancien_code", "nouveau_code")
    }
    stale = [pk for pair, pk in existing.items() if pair not in links]
    for start in range(0, len(stale), BATCH):
        CertificationRemplacement.objects.filter(id__in=stale[start : start + BATCH]).delete()
    new = [CertificationRemplacement(ancien_code=a, nouveau_code=n) for a, n in sorted(links - existing.keys())]
    CertificationRemplacement.objects.bulk_create(new, batch_size=BATCH)
    return len(new), len(stale)


def import_export(path: Path) -> dict:
    """Import one export (zip or Standard CSV); return the figures the command prints."""
    started = time.perf_counter()
    export = Export(path)
    warnings: list[str] = []
    fiches = parse_standard(export.files["standard"], warnings)
    fields = list(STANDARD_FIELDS)
    if "voies_acces" in export.files:
        voies = parse_voies_acces(export.files["voies_acces"])
        for code, values in fiches.items():
            values["accessible_contrat_pro"] = voies.get(code)  # None: the fiche lists no access route
        fields.append("accessible_contrat_pro")
    if "nsf" in export.files:
        nsf = parse_multi(export.files["nsf"], "nsf_code", ", ", 200)
        for code, values in fiches.items():
            values["codes_nsf"] = nsf.get(code, "")
        fields.append("codes_nsf")
    if "certificateurs" in export.files:
        certificateurs = parse_multi(export.files["certificateurs"], "nom_certificateur", " ; ", 5000)
        for code, values in fiches.items():
            values["certificateurs"] = certificateurs.get(code, "")
        fields.append("certificateurs")
    with transaction.atomic():
        created, updated, unchanged = upsert_certifications(fiches, fields)
        if created or updated or not CertificationMot.objects.exists():
            CertificationMot.synchronise()
        added = removed = None
        if "remplacements" in export.files:
            added, removed = replace_links(parse_links(export.files["remplacements"]))
    known = Certification.objects.values("code")
    return {
        "date": export.date,
        "fichiers": sorted(export.files),
        "lues": len(fiches),
        "creees": created,
        "modifiees": updated,
        "inchangees": unchanged,
        "absentes_du_fichier": Certification.objects.count() - len(fiches),
        "liens_ajoutes": added,
        "liens_supprimes": removed,
        "liens": CertificationRemplacement.objects.count(),
        "liens_rompus": CertificationRemplacement.objects.exclude(nouveau_code__in=known).count(),
        "avertissements": warnings,
        "secondes": time.perf_counter() - started,
    }


class Command(BaseCommand):
    help = "Importe l'export France compétences des fiches RNCP / RS (zip officiel ou fichier Standard seul)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_EXTRACT),
            help="Zip export-fiches-csv-AAAA-MM-JJ.zip ou CSV Standard (.csv, .csv.gz). "
            "Par défaut : l'extrait fourni dans referentiels/data/.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        result = import_export(path)
        for warning in result["avertissements"]:
            self.stderr.write(self.style.WARNING(warning))
        export = f" (export du {result['date']})" if result["date"] else ""
        self.stdout.write(
            f"{path.name}{export} — fichiers : {', '.join(result['fichiers'])}\n"
            f"Certifications : {result['lues']} lues, {result['creees']} créées, {result['modifiees']} modifiées, "
            f"{result['inchangees']} inchangées ; {result['absentes_du_fichier']} en base absentes du fichier."
        )
        if result["liens_ajoutes"] is not None:
            self.stdout.write(
                f"Remplacements : {result['liens']} liens ({result['liens_ajoutes']} ajoutés, "
                f"{result['liens_supprimes']} supprimés), dont {result['liens_rompus']} vers un code absent."
            )
        self.stdout.write(self.style.SUCCESS(f"Import RNCP terminé en {result['secondes']:.2f} s."))
