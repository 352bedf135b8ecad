"""``manage.py import_naf naf_rev2.csv[.gz]``: NAF rév. 2 (INSEE), CSV ``code,libelle``.

Codes in their official form (``01``, ``01.1``, ``01.11``, ``01.11Z``); the 21 sections (A to U) are added
when the file lacks them, with their INSEE titles. Idempotent: only the differences are written.
"""

import csv
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.management.commands.import_communes import analyse, open_text, synchronise
from referentiels.models import CodeNaf
from referentiels.models.nomenclatures import compact_naf, niveau_naf
from referentiels.search import normalize

SECTIONS = {
    "A": ("Agriculture, sylviculture et pêche", range(1, 4)),
    "B": ("Industries extractives", range(5, 10)),
    "C": ("Industrie manufacturière", range(10, 34)),
    "D": ("Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné", range(35, 36)),
    "E": ("Production et distribution d'eau ; assainissement, gestion des déchets et dépollution", range(36, 40)),
    "F": ("Construction", range(41, 44)),
    "G": ("Commerce ; réparation d'automobiles et de motocycles", range(45, 48)),
    "H": ("Transports et entreposage", range(49, 54)),
    "I": ("Hébergement et restauration", range(55, 57)),
    "J": ("Information et communication", range(58, 64)),
    "K": ("Activités financières et d'assurance", range(64, 67)),
    "L": ("Activités immobilières", range(68, 69)),
    "M": ("Activités spécialisées, scientifiques et techniques", range(69, 76)),
    "N": ("Activités de services administratifs et de soutien", range(77, 83)),
    "O": ("Administration publique", range(84, 85)),
    "P": ("Enseignement", range(85, 86)),
    "Q": ("Santé humaine et action sociale", range(86, 89)),
    "R": ("Arts, spectacles et activités récréatives", range(90, 94)),
    "S": ("Autres activités de services", range(94, 97)),
    "T": (
        "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages en tant que "
        "producteurs de biens et services pour usage propre",
        range(97, 99),
    ),
    "U": ("Activités extra-territoriales", range(99, 100)),
}
SECTION_DE_DIVISION = {
    f"{division:02d}": section for section, (_, divisions) in SECTIONS.items() for division in divisions
}


def parent_naf(code: str) -> str | None:
    """``01.11Z`` → ``01.11`` → ``01.1`` → ``01`` → ``A`` → None."""
    if code.isalpha():
        return None
    if len(code) == 2:
        return SECTION_DE_DIVISION.get(code)
    return {4: code[:2], 5: code[:4], 6: code[:5]}[len(code)]


def read_naf(path) -> dict[str, str]:
    """code → libellé, in file order, sections added when absent."""
    libelles = {}
    with open_text(path) as stream:
        reader = csv.DictReader(stream)
        if not {"code", "libelle"} <= set(reader.fieldnames or ()):
            raise CommandError(f"{path} : colonnes « code » et « libelle » attendues.")
        for numero, record in enumerate(reader, start=2):
            code, libelle = (record["code"] or "").strip().upper(), (record["libelle"] or "").strip()
            try:
                niveau_naf(code)
            except ValueError:
                raise CommandError(f"{path}, ligne {numero} : code NAF invalide {code!r}.") from None
            if not libelle:
                raise CommandError(f"{path}, ligne {numero} : libellé manquant.")
            if code in libelles:
                raise CommandError(f"{path}, ligne {numero} : code {code} en double.")
            libelles[code] = libelle
    if not libelles:
        raise CommandError(f"{path} : aucun code NAF.")
    sections = {section: libelle for section, (libelle, _) in SECTIONS.items() if section not in libelles}
    return {**sections, **libelles}


class Command(BaseCommand):
    help = "Importe la nomenclature NAF rév. 2 (CSV code,libelle)."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="naf_rev2.csv ou naf_rev2.csv.gz")

    def handle(self, *args, **options):
        debut = time.perf_counter()
        libelles = read_naf(options["csv"])
        orphelins = [code for code in libelles if parent_naf(code) and parent_naf(code) not in libelles]
        if orphelins:
            raise CommandError(f"Codes NAF sans niveau parent dans le fichier : {', '.join(orphelins[:20])}")
        rows = [
            {
                "code": code,
                "code_compact": compact_naf(code),
                "libelle": libelle,
                "libelle_recherche": normalize(libelle),
                "niveau": niveau_naf(code),
            }
            for code, libelle in libelles.items()
        ]
        champs = ("code_compact", "libelle", "libelle_recherche", "niveau")
        with transaction.atomic():
            bilan = synchronise(CodeNaf, rows, ("code",), champs)
            ids = dict(CodeNaf.objects.values_list("code", "pk"))
            for row in rows:
                row["parent_id"] = ids.get(parent_naf(row["code"]))
            parents = synchronise(CodeNaf, rows, ("code",), (*champs, "parent_id"), supprimer=False)
        analyse(CodeNaf)
        self.stdout.write(f"Codes NAF : {bilan} ; niveaux parents modifiés : {parents.modifies}")
        self.stdout.write(self.style.SUCCESS(f"Import NAF terminé en {time.perf_counter() - debut:.1f} s."))
