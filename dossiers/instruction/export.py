"""« Exporter en CSV »: the back office's filtered list of dossiers, as French spreadsheet users expect it.

UTF-8 with a byte order mark (Excel then reads the accents), ``;`` between columns, French headers, dates
JJ/MM/AAAA, amounts with a decimal comma and no thousands separator (a number for the spreadsheet). Every
matching row, streamed in chunks: the list may be long. Never the NIR.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.utils import timezone

from dossiers.enums import TypeModule
from dossiers.instruction.decisions import delai
from dossiers.models import ModuleFormation

BOM = "\ufeff"
CHUNK = 500


def date_fr(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _montant(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _organisme(d) -> str:
    if d.module1_type == TypeModule.INTERNE:
        return "Formation interne"
    return d.module1_organisme or ""


def _delai(d) -> str:
    compte = delai(d)
    return "" if compte is None else str(compte.jours)


COLONNES: list[tuple[str, Callable]] = [
    ("Numéro", lambda d: d.numero),
    ("Dispositif", lambda d: d.dispositif.libelle),
    ("Sous-dispositif", lambda d: d.sous_dispositif.libelle),
    ("Raison sociale", lambda d: d.employeur.raison_sociale),
    ("SIRET", lambda d: d.employeur.siret),
    ("IDCC", lambda d: d.employeur.idcc),
    ("Nom de naissance", lambda d: d.salarie.nom_naissance),
    ("Prénom", lambda d: d.salarie.prenom),
    ("Formation", lambda d: d.formation.intitule),
    ("Code RNCP", lambda d: d.formation.code_rncp),
    ("Organisme de formation principal", _organisme),
    ("Date de début du contrat", lambda d: date_fr(d.contrat.date_debut)),
    ("Date de fin du contrat", lambda d: date_fr(d.contrat.date_fin)),
    ("Etat", lambda d: d.get_state_display()),
    ("Transmis le", lambda d: date_fr(d.transmis_le)),
    ("Jours depuis la transmission", _delai),
    ("Décidé le", lambda d: date_fr(d.decide_le)),
    ("Montant engagé (€)", lambda d: _montant(d.montant_engage)),
    ("Motif du refus", lambda d: d.get_motif_refus_display()),
]


def pour_export(queryset: QuerySet) -> QuerySet:
    """The rows with every part a column reads, in one query per chunk (first module's organisme included)."""
    premier = ModuleFormation.objects.filter(formation__dossier=OuterRef("pk")).order_by("ordre", "pk")
    return queryset.select_related(
        "dispositif", "sous_dispositif", "employeur", "salarie", "contrat", "formation"
    ).annotate(
        module1_type=Subquery(premier.values("type")[:1]),
        module1_organisme=Subquery(premier.values("organisme__raison_sociale")[:1]),
    )


class _Echo:
    """csv.writer writes into this and hands each line back: nothing accumulates in memory."""

    def write(self, value: str) -> str:
        return value


def lignes(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([titre for titre, _ in COLONNES])
    for dossier in pour_export(queryset).iterator(chunk_size=CHUNK):
        yield writer.writerow([valeur(dossier) for _, valeur in COLONNES])


def reponse_csv(queryset: QuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lignes(queryset), content_type="text/csv; charset=utf-8")
    nom = f"dossiers-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    response["Cache-Control"] = "private, no-store"
    return response
