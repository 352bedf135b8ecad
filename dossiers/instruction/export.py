"""« Exporter en CSV »: the back office's filtered list of dossiers, as French spreadsheet users expect it.

UTF-8 with a byte order mark (Excel then reads the accents), ``;`` between columns, French headers, dates
JJ/MM/AAAA, amounts with a decimal comma and no thousands separator (a number for the spreadsheet). Never the NIR.

The list may hold 100 000 rows: the file is written by a Celery task (``dossiers/instruction/tasks.py``) into an
``ExportDossiers`` job, whose progress the back office polls; no web request waits for it. The writer reads
only the columns it prints (``values_list``, no model instances) in one query, by chunks: 100 000 rows in about
2 s in the worker (``make bench-volume``, its export section).

**Formula injection** (OWASP « CSV Injection »): a spreadsheet evaluates a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, and the adhérent types most of these columns (``=HYPERLINK(...)`` as a name).
``neutraliser`` is the one rule, applied to every cell of every row: such a cell is prefixed with ``'`` (Excel
then shows it as text, the quote hidden); ``csv.writer`` keeps quoting what holds ``;``, ``"`` or a line break.
A plain number in the export's own format (``-12,50``, a minus, digits, one decimal comma) is left as it is: it
is no formula, and a negative amount stays a number for the spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.core.files import File
from django.db import connections
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from dossiers.enums import DossierState, EtatExport, MotifRefus, TypeModule
from dossiers.instruction.decisions import delai_de
from dossiers.models import ExportDossiers, ModuleFormation
from dossiers.models.dossier import colonnes_de_periode
from dossiers.models.export import DUREE_CONSERVATION

logger = logging.getLogger(__name__)

BOM = "\ufeff"
CHUNK = 2000  # rows read (and the job's progress written) at a time

ENTETES = [
    "Numéro",
    "Dispositif",
    "Sous-dispositif",
    "Raison sociale",
    "SIRET",
    "IDCC",
    "Nom de naissance",
    "Prénom",
    "Formation",
    "Code RNCP",
    "Organisme de formation principal",
    "Date de début du contrat",
    "Date de fin du contrat",
    "Etat",
    "Transmis le",
    "Jours depuis la transmission",
    "Décidé le",
    "Montant engagé (€)",
    "Motif du refus",
]
# The columns read, in the order ``_ligne`` unpacks them (``organisme_principal``: annotated by ``_colonnes``).
CHAMPS = [
    "pk",
    "numero",
    "dispositif__libelle",
    "sous_dispositif__libelle",
    "employeur__raison_sociale",
    "employeur__siret",
    "employeur__idcc",
    "salarie__nom_naissance",
    "salarie__prenom",
    "formation__intitule",
    "formation__code_rncp",
    "organisme_principal",
    "periode_debut",  # the contract's dates, or the agreement's (Dossier.PARTIE_DES_DATES)
    "periode_fin",
    "state",
    "transmis_le",
    "decide_le",
    "montant_engage",
    "motif_refus",
]
ETATS = dict(DossierState.choices)
MOTIFS = dict(MotifRefus.choices)

# OWASP's list: a cell starting with one of these is a formula (or may become one) in Excel, LibreOffice, Sheets.
DEBUTS_DE_FORMULE = frozenset("=+-@\t\r")
_NOMBRE = re.compile(r"-?\d+(?:,\d+)?")

MSG_ECHEC = "L'export n'a pas pu être produit. Revenez à la liste des dossiers et exportez-la à nouveau."


def date_fr(value, tz=None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(tz or timezone.get_current_timezone()).date()
    return _jour_fr(value)


@lru_cache(maxsize=4096)
def _jour_fr(jour: dt.date) -> str:
    """JJ/MM/AAAA; a few hundred distinct days in an export of 100 000 rows: formatted once each."""
    return jour.strftime("%d/%m/%Y")


def neutraliser(cellule: str) -> str:
    """The cell as the spreadsheet must read it: text, never a formula (the module's docstring)."""
    if cellule and cellule[0] in DEBUTS_DE_FORMULE and not _NOMBRE.fullmatch(cellule):
        return "'" + cellule
    return cellule


def _montant(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _colonnes(queryset: QuerySet) -> QuerySet:
    """The CSV's columns of the dossiers of ``queryset``, the *organisme principal* (the first module's organisme,
    or the internal service) included, whatever the number of modules."""
    premier = (
        ModuleFormation.objects.filter(formation_id=OuterRef("formation__id"))
        .order_by("ordre", "pk")
        .annotate(
            principal=Case(
                When(type=TypeModule.INTERNE, then=Value("Formation interne")),
                default=F("organisme__raison_sociale"),
            )
        )
        .values("principal")[:1]
    )
    return queryset.annotate(organisme_principal=Subquery(premier), **colonnes_de_periode()).values_list(*CHAMPS)


def _ligne(row: tuple, aujourdhui: dt.date, tz) -> list[str]:
    (
        _pk,
        numero,
        dispositif,
        sous_dispositif,
        raison_sociale,
        siret,
        idcc,
        nom_naissance,
        prenom,
        intitule,
        code_rncp,
        organisme,
        date_debut,
        date_fin,
        state,
        transmis_le,
        decide_le,
        montant_engage,
        motif_refus,
    ) = row
    compte = delai_de(state, transmis_le, aujourdhui, tz)
    cellules = [
        numero,
        dispositif,
        sous_dispositif,
        raison_sociale or "",
        siret or "",
        idcc or "",
        nom_naissance or "",
        prenom or "",
        intitule or "",
        code_rncp or "",
        organisme or "",
        date_fr(date_debut),
        date_fr(date_fin),
        ETATS.get(state, state),
        date_fr(transmis_le, tz),
        "" if compte is None else str(compte.jours),
        date_fr(decide_le, tz),
        _montant(montant_engage),
        MOTIFS.get(motif_refus, motif_refus),
    ]
    # Most cells start with a letter or a digit: the rule is only called for the others (100 000 rows).
    return [c if not c or c[0] not in DEBUTS_DE_FORMULE else neutraliser(c) for c in cellules]


def ecrire_csv(queryset: QuerySet, fichier, progression: Callable[[int], object] | None = None) -> int:
    """Write the dossiers of ``queryset`` (in its order) as the export's CSV into ``fichier``; the rows written.

    ``fichier``: a text file (opened with ``newline=""``) or a binary one (UTF-8 is written). ``progression`` is
    called with the number of rows done after each chunk of ``CHUNK`` rows.

    One query, read by chunks through a server-side cursor (``iterator``): only the printed columns, the first
    module's organisme as a correlated subquery.
    """
    binaire = not hasattr(fichier, "encoding")
    sortie = io.TextIOWrapper(fichier, encoding="utf-8", newline="") if binaire else fichier
    writer = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    sortie.write(BOM)
    writer.writerow([neutraliser(entete) for entete in ENTETES])
    aujourdhui, tz = timezone.localdate(), timezone.get_current_timezone()
    rows = _colonnes(queryset).iterator(chunk_size=CHUNK)
    faites = 0
    with _tout_le_curseur(queryset.db):
        while chunk := list(islice(rows, CHUNK)):
            writer.writerows(_ligne(row, aujourdhui, tz) for row in chunk)
            faites += len(chunk)
            if progression is not None:
                progression(faites)
    if binaire:
        sortie.flush()
        sortie.detach()  # leave ``fichier`` open for the caller
    return faites


@contextmanager
def _tout_le_curseur(alias: str):
    """PostgreSQL plans a cursor for its first 10 % of rows by default (``cursor_tuple_fraction``): nested loops
    that start at once and finish late. The export reads every row: say so while it runs (2.2 s → 0.9 s for the
    rows of 100 000 dossiers)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def nom_telechargement(export: ExportDossiers) -> str:
    return f"dossiers-{timezone.localtime(export.cree_le):%Y-%m-%d}.csv"


# -- the job -------------------------------------------------------------------------------------------------


def produire(export_id: int, liste: Callable[[ExportDossiers], QuerySet]) -> str:
    """Run the export job ``export_id``: the list ``liste(export)`` rebuilds, written to the private storage.

    Idempotent: a job already started (a redelivered task) is left alone. Any failure is recorded on the job
    (the gestionnaire sees it and may export again), never raised into the web request of the eager mode.
    """
    demarre = ExportDossiers.objects.filter(pk=export_id, etat=EtatExport.EN_ATTENTE).update(etat=EtatExport.EN_COURS)
    if not demarre:
        return "ignore"
    export = ExportDossiers.objects.get(pk=export_id)
    try:
        queryset = liste(export)
        total = queryset.count()
        ExportDossiers.objects.filter(pk=export_id).update(lignes_total=total)

        def progression(faites: int) -> None:
            ExportDossiers.objects.filter(pk=export_id).update(lignes_faites=faites)

        with tempfile.TemporaryFile() as fichier:
            faites = ecrire_csv(queryset, fichier, progression)
            fichier.seek(0)
            export.fichier.save(nom_telechargement(export), File(fichier), save=False)
    except Exception:
        logger.exception("Export de dossiers %s en échec", export_id)
        ExportDossiers.objects.filter(pk=export_id).update(
            etat=EtatExport.ECHEC, erreur=MSG_ECHEC, termine_le=timezone.now()
        )
        return EtatExport.ECHEC
    ExportDossiers.objects.filter(pk=export_id).update(
        etat=EtatExport.PRET,
        fichier=export.fichier.name,
        lignes_faites=faites,
        lignes_total=max(total, faites),
        termine_le=timezone.now(),
    )
    return EtatExport.PRET


def nettoyer(maintenant: dt.datetime | None = None) -> int:
    """Delete the jobs older than ``DUREE_CONSERVATION`` and their files; the number of jobs deleted."""
    limite = (maintenant or timezone.now()) - DUREE_CONSERVATION
    anciens = list(ExportDossiers.objects.filter(cree_le__lt=limite))
    for export in anciens:
        if export.fichier:
            export.fichier.storage.delete(export.fichier.name)
    ExportDossiers.objects.filter(pk__in=[e.pk for e in anciens]).delete()
    return len(anciens)
