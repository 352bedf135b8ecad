"""Import training organisms from "référentiel réseau" CSV files (one per network), or from the committed extract.

Format: ``;``-separated UTF-8 (BOM or not), one row per establishment, columns read by name (``Siret``,
``UAI validée``, ``Raison sociale``, ``Enseigne``, ``numero_declaration_activite``, ``etat_administratif``,
``Nature``, ``Adresse``, ``Qualiopi``, ``Réseaux à jour``, ``Date d'import``); other columns are ignored, and
some networks only give ``UAI validée;Siret;Réseaux à jour``. ``.gz`` files are read transparently.

- Idempotent: rows are keyed by SIRET; a second run changes nothing. Organisms absent from the files are kept.
- One SIRET in several files (or twice in one) becomes one organism: networks are merged (with those already
  in the database), each other column takes the value of the most recent import that fills it.
- Rows whose SIRET fails ``validate_siret`` are reported, not imported.
- NDA: 11 digits; a 10-digit NDA that is an 11-digit one with its leading 0 lost (``RR DD NNNNN DD`` once
  padded) is repaired; other formats (e.g. the historical ``RRDDPNNNNDD``) are reported and left empty.
- ``--extract PATH`` also writes the merged rows (valid SIRETs, used columns only, values trimmed) in the same
  format, gzipped: that is ``referentiels/data/organismes.csv.gz``, loaded when no file is given.
"""

import csv
import datetime
import gzip
import io
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.models import OrganismeFormation
from referentiels.search import ascii_fold, normalize
from referentiels.validators import validate_siret

EXTRACT = Path(__file__).resolve().parents[2] / "data" / "organismes.csv.gz"

# Column of the source format → key used here; headers are compared after ``normalize()``
# (accents, case, doubled spaces: the GRETA file says « Réseaux à  jour »).
COLUMNS = {
    "Siret": "siret",
    "UAI validée": "uai",
    "Raison sociale": "raison_sociale",
    "Enseigne": "enseigne",
    "numero_declaration_activite": "nda",
    "etat_administratif": "etat",
    "Nature": "nature",
    "Adresse": "adresse",
    "Qualiopi": "qualiopi",
    "Réseaux à jour": "reseaux",
    "Date d'import": "date_import",
}
_HEADER_KEYS = {normalize(header): key for header, key in COLUMNS.items()}
_SCALARS = ["uai", "raison_sociale", "enseigne", "nda", "etat", "nature", "adresse", "qualiopi"]

# Network of a file (``referentiel-reseau-<slug>.csv``) in the vocabulary of the « Réseaux à jour » column.
FILE_NETWORKS = {
    "cfa-ec": "cfa_ec",
    "compagnons-du-devoir": "comp_du_devoir",
    "compagnons-du-tour-de-france": "comp_du_tour_de_france",
    "eduservice": "eduservices",
}
_FILE_NETWORK = re.compile(r"referentiel-reseau-(?P<slug>[a-z0-9-]+)\.csv", re.IGNORECASE)
_POSTAL = re.compile(r"^(?P<voie>.*)\b(?P<cp>\d{5})\s+(?P<commune>\D.*)$")
_SPACES = re.compile(r"\s+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_DISTRIBUTION = re.compile(r"\b(?:BP|CS|TSA)\s*\d+\b", re.IGNORECASE)  # boîte postale, course spéciale, TSA
_UAI = re.compile(r"^[0-9]{7}[A-Z]$")


def clean(value: str | None) -> str:
    """Trim, collapse spaces, drop the spreadsheet formula wrapping ``="…"`` seen in some exports."""
    value = _SPACES.sub(" ", value or "").strip()
    if value.startswith('="') and value.endswith('"'):
        value = value[2:-1].strip()
    return value


def parse_date(value: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def split_networks(value: str) -> set[str]:
    return {re.sub(r"[\s-]+", "_", token.strip().lower()) for token in value.split("|") if token.strip()}


def file_network(path: Path) -> str | None:
    match = _FILE_NETWORK.search(path.name)
    if not match:
        return None
    slug = match["slug"].lower()
    return FILE_NETWORKS.get(slug, slug.replace("-", "_"))


def clean_nda(raw: str) -> tuple[str, str]:
    """(11-digit NDA or "", "ok" | "vide" | "repare" | "ignore")."""
    digits = re.sub(r"[\s.]", "", raw)
    if not digits:
        return "", "vide"
    if re.fullmatch(r"\d{11}", digits):
        return digits, "ok"
    padded = "0" + digits
    if re.fullmatch(r"\d{10}", digits) and padded[2:4] == padded[9:11]:
        return padded, "repare"
    return "", "ignore"


def split_address(adresse: str) -> tuple[str, str, str]:
    """``"100 Avenue X 14100 Lisieux"`` → ``("100 Avenue X", "14100", "Lisieux")``; else (adresse, "", "")."""
    match = _POSTAL.match(adresse)
    if not match:
        return adresse, "", ""
    return match["voie"].strip(" ,"), match["cp"], match["commune"].strip()


def split_complement(voie: str, commune: str = "") -> tuple[str, str]:
    """The guide's *N° et voie* and *Complément d'adresse* from the networks' one-line address:
    ``"Avenue de Rome ( ZI du Brockus )"`` → ``("Avenue de Rome", "ZI du Brockus")``, ``"Le Plan BP 54"`` →
    ``("Le Plan", "BP 54")``; a parenthesis repeating the commune (``"(Lille)"``) is dropped."""
    parts = []
    for found in _PARENTHESES.findall(voie):
        texte = _SPACES.sub(" ", found).strip()
        if texte and ascii_fold(texte) != ascii_fold(commune):
            parts.append(texte)
    voie = _PARENTHESES.sub(" ", voie)
    parts += [_SPACES.sub(" ", m.group(0)).strip() for m in _DISTRIBUTION.finditer(voie)]
    voie = _DISTRIBUTION.sub(" ", voie)
    return _SPACES.sub(" ", voie).strip(" ,"), ", ".join(parts)


@dataclass
class Source:
    """One row of one file."""

    values: dict
    date: datetime.date | None
    order: int  # reading order, to keep ties deterministic


@dataclass
class Merged:
    siret: str
    sources: list[Source] = field(default_factory=list)
    networks: set[str] = field(default_factory=set)

    def value(self, key: str) -> str:
        """The value of the most recent import that fills ``key``; ties: the cautious or the fuller one."""
        filled = [s for s in self.sources if s.values.get(key)]
        if not filled:
            return ""
        latest = max((s.date or datetime.date.min) for s in filled)
        candidates = [
            s.values[key] for s in sorted(filled, key=lambda s: s.order) if (s.date or datetime.date.min) == latest
        ]
        distinct = list(dict.fromkeys(candidates))
        if len(distinct) == 1:
            return distinct[0]
        lowered = [v.lower() for v in distinct]
        if key == "etat" and "fermé" in lowered:
            return distinct[lowered.index("fermé")]
        if key == "qualiopi" and "non" in lowered:
            return distinct[lowered.index("non")]
        if key == "adresse":
            return max(distinct, key=lambda v: (bool(_POSTAL.match(v)), len(v)))
        if key == "nda":
            return max(distinct, key=lambda v: clean_nda(v)[1] == "ok")
        return distinct[0]

    def row(self) -> dict:
        """The merged row in the source vocabulary (for the extract and for the model)."""
        dates = [s.date for s in self.sources if s.date]
        row = {key: self.value(key) for key in _SCALARS}
        row["siret"] = self.siret
        row["reseaux"] = "|".join(sorted(self.networks))
        row["date_import"] = max(dates).isoformat() if dates else ""
        return row


@dataclass
class Report:
    lignes: int = 0
    rejets: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    nda: Counter = field(default_factory=Counter)
    nda_ignores: Counter = field(default_factory=Counter)
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0


def read_file(path: Path, order_start: int, merged: dict[str, Merged], report: Report) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    network = file_network(path)
    order = order_start
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        try:
            header = next(reader)
        except StopIteration:
            raise CommandError(f"{path} : fichier vide.") from None
        keys = [_HEADER_KEYS.get(normalize(h)) for h in header]
        if "siret" not in keys:
            raise CommandError(f"{path} : colonne « Siret » introuvable dans l'en-tête ({';'.join(header)[:200]}).")
        for line_number, line in enumerate(reader, start=2):
            if not any(cell.strip() for cell in line):
                continue
            report.lignes += 1
            values = {key: clean(cell) for key, cell in zip(keys, line) if key}
            siret = re.sub(r"[\s.]", "", values.get("siret", ""))
            try:
                validate_siret(siret)
            except ValidationError as error:
                name = values.get("raison_sociale") or values.get("enseigne") or ""
                report.rejets.append((path.name, line_number, siret, name, " ".join(error.messages)))
                continue
            entry = merged.setdefault(siret, Merged(siret))
            order += 1
            entry.sources.append(Source(values, parse_date(values.get("date_import", "")), order))
            networks = split_networks(values.get("reseaux", ""))
            if network and not any(n == network or n.startswith(network + "_") for n in networks):
                networks.add(network)
            entry.networks |= networks
    return order


def model_fields(row: dict, report: Report) -> dict:
    nda, status = clean_nda(row["nda"])
    report.nda[status] += 1
    if status == "ignore":
        report.nda_ignores[row["nda"]] += 1
    adresse, code_postal, commune = split_address(row["adresse"])
    adresse, complement = split_complement(adresse, commune)
    uai = row["uai"].upper()
    qualiopi = {"oui": True, "non": False}.get(row["qualiopi"].lower())
    return {
        "nda": nda,
        "raison_sociale": row["raison_sociale"][:250],
        "enseigne": row["enseigne"][:250],
        "adresse": adresse[:250],
        "complement_adresse": complement[:250],
        "code_postal": code_postal,
        "commune": commune[:100],
        "uai": uai if _UAI.match(uai) else "",
        "nature": row["nature"][:30],
        "qualiopi": qualiopi,
        "actif": row["etat"].lower() != "fermé",
        "reseaux": row["reseaux"][:200],
    }


EXTRACT_HEADER = [
    "Siret",
    "UAI validée",
    "Raison sociale",
    "Enseigne",
    "numero_declaration_activite",
    "etat_administratif",
    "Nature",
    "Adresse",
    "Qualiopi",
    "Réseaux à jour",
    "Date d'import",
]


def write_extract(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(EXTRACT_HEADER)
    for row in rows:
        writer.writerow([row[COLUMNS[h]] for h in EXTRACT_HEADER])
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same rows give the same bytes, so a rebuilt extract shows no diff.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(("\ufeff" + buffer.getvalue()).encode("utf-8"))


class Command(BaseCommand):
    help = "Importe les organismes de formation (fichiers « référentiel réseau » ; par défaut l'extrait versionné)."

    def add_arguments(self, parser):
        parser.add_argument(
            "fichiers", nargs="*", type=Path, help=f"fichiers CSV (.csv ou .csv.gz) ; défaut : {EXTRACT.name}"
        )
        parser.add_argument("--extract", type=Path, help="écrit aussi l'extrait fusionné (CSV gzip) à ce chemin")

    def handle(self, *args, fichiers, extract, verbosity, **options):
        started = time.perf_counter()
        fichiers = fichiers or [EXTRACT]
        report = Report()
        merged: dict[str, Merged] = {}
        order = 0
        for path in fichiers:
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {path}")
            order = read_file(path, order, merged, report)

        rows = [merged[siret].row() for siret in sorted(merged)]
        if extract:
            write_extract(extract, rows)

        self.save(rows, report)
        elapsed = time.perf_counter() - started

        self.stdout.write(
            f"Organismes de formation : {report.lignes} lignes lues dans {len(fichiers)} fichier(s), "
            f"{len(rows)} SIRET distincts ; {report.crees} créés, {report.modifies} modifiés, "
            f"{report.inchanges} inchangés ; {len(report.rejets)} ligne(s) rejetée(s) ; {elapsed:.2f} s."
        )
        self.stdout.write(
            f"NDA : {report.nda['ok']} valides, {report.nda['repare']} réparés (0 initial perdu), "
            f"{report.nda['ignore']} non conformes ignorés, {report.nda['vide']} absents."
        )
        if report.nda_ignores and verbosity >= 2:
            exemples = ", ".join(v for v, _ in report.nda_ignores.most_common(10))
            self.stdout.write(f"  NDA non conformes (exemples) : {exemples}")
        for fichier, ligne, siret, nom, motif in report.rejets:
            nom = f" {nom}" if nom else ""
            self.stderr.write(f"SIRET rejeté — {fichier}, ligne {ligne} : « {siret} »{nom} : {motif}")
        if extract:
            self.stdout.write(
                f"Extrait écrit : {extract} ({extract.stat().st_size / 1024:.1f} Kio, {len(rows)} lignes)."
            )

    @transaction.atomic
    def save(self, rows: list[dict], report: Report) -> None:
        existing = OrganismeFormation.objects.in_bulk(field_name="siret")
        fields = [
            "nda",
            "raison_sociale",
            "enseigne",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "uai",
            "nature",
            "qualiopi",
            "actif",
            "reseaux",
            "nom_recherche",
        ]
        to_create, to_update = [], []
        for row in rows:
            values = model_fields(row, report)
            organisme = existing.get(row["siret"])
            if organisme is None:
                organisme = OrganismeFormation(siret=row["siret"], **values)
                organisme.nom_recherche = organisme.build_nom_recherche()
                to_create.append(organisme)
                continue
            known = set(organisme.liste_reseaux)
            values["reseaux"] = "|".join(sorted(known | set(values["reseaux"].split("|")) - {""}))[:200]
            before = {f: getattr(organisme, f) for f in fields}
            for name, value in values.items():
                setattr(organisme, name, value)
            organisme.nom_recherche = organisme.build_nom_recherche()
            if {f: getattr(organisme, f) for f in fields} != before:
                to_update.append(organisme)
            else:
                report.inchanges += 1
        OrganismeFormation.objects.bulk_create(to_create, batch_size=500)
        OrganismeFormation.objects.bulk_update(to_update, fields, batch_size=500)
        report.crees, report.modifies = len(to_create), len(to_update)
