"""``manage.py import_idcc idcc.csv[.gz]``: collective agreements, CSV ``idcc,libelle,etats_legifrance``.

``etats_legifrance`` lists the Légifrance (KALI) states of the agreement's texts, separated by ``|``
(``VIGUEUR_ETEN|ABROGE``), empty when Légifrance has none. A cell may hold several IDCC separated by
spaces (``1740 1841 1843``): each gets the row unless it has its own. Idempotent: only the differences are
written.
"""

import csv
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referentiels.management.commands.import_communes import analyse, open_text, synchronise
from referentiels.models import ConventionCollective
from referentiels.models.nomenclatures import statut_convention
from referentiels.search import normalize


def read_idcc(path) -> list[dict]:
    """Rows of the file; a row with one IDCC wins over a row grouping several (``1740 1841 1843``, an
    abrogated common text of agreements that each have their own row)."""
    uniques, groupes = {}, []
    with open_text(path) as stream:
        reader = csv.DictReader(stream)
        if not {"idcc", "libelle", "etats_legifrance"} <= set(reader.fieldnames or ()):
            raise CommandError(f"{path} : colonnes « idcc », « libelle » et « etats_legifrance » attendues.")
        for numero, record in enumerate(reader, start=2):
            codes = (record["idcc"] or "").split()
            if not codes or not all(re.fullmatch(r"[0-9]{1,4}", code) for code in codes):
                raise CommandError(f"{path}, ligne {numero} : ligne invalide {dict(record)!r}.")
            # "___Sans convention collective___" (9999, 9998): the underscores are a sorting trick of the source.
            titre = " ".join((record["libelle"] or "").split()).strip("_ ")
            etats = [etat.strip().upper() for etat in (record["etats_legifrance"] or "").split("|") if etat.strip()]
            if len(codes) > 1:
                groupes.extend((code.zfill(4), titre, etats) for code in codes)
            elif codes[0].zfill(4) in uniques:
                raise CommandError(f"{path}, ligne {numero} : IDCC {codes[0].zfill(4)} en double.")
            else:
                uniques[codes[0].zfill(4)] = (titre, etats)
    for idcc, titre, etats in groupes:
        uniques.setdefault(idcc, (titre, etats))
    if not uniques:
        raise CommandError(f"{path} : aucune convention collective.")
    rows = []
    for idcc, (titre, etats) in sorted(uniques.items()):
        # Two real rows (0403, 1325, both dead) have no title.
        titre = titre or f"Convention collective {idcc} (intitulé inconnu)"
        statut, active = statut_convention(etats)
        rows.append(
            {
                "idcc": idcc,
                "titre": titre,
                "titre_recherche": normalize(titre),
                "etats_legifrance": "|".join(etats),
                "statut": statut,
                "active": active,
            }
        )
    return rows


class Command(BaseCommand):
    help = "Importe les conventions collectives (CSV idcc,libelle,etats_legifrance)."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="idcc.csv ou idcc.csv.gz")

    def handle(self, *args, **options):
        debut = time.perf_counter()
        rows = read_idcc(options["csv"])
        champs = ("titre", "titre_recherche", "etats_legifrance", "statut", "active")
        with transaction.atomic():
            bilan = synchronise(ConventionCollective, rows, ("idcc",), champs)
        actives = sum(row["active"] for row in rows)
        analyse(ConventionCollective)
        self.stdout.write(f"Conventions collectives : {bilan} ; actives : {actives}")
        self.stdout.write(self.style.SUCCESS(f"Import IDCC terminé en {time.perf_counter() - debut:.1f} s."))
