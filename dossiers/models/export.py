"""An « Exporter en CSV » of the back office, produced by a Celery task: who asked, for which list, how far.

The file is private: it lives in the ``exports`` storage (``settings.STORAGES``; a folder outside ``MEDIA_ROOT``
by default), never under a public URL, and is served only to the gestionnaire who asked for it by the back
office's download view (``dossiers/instruction/admin.py``). Jobs and files older than ``DUREE_CONSERVATION`` are
deleted by celery beat (``dossiers/instruction/export.py`` ``nettoyer``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models

from dossiers.enums import EtatExport

__all__ = ["ExportDossiers", "stockage_exports"]

DUREE_CONSERVATION = dt.timedelta(days=7)


def stockage_exports():
    """The exports' private storage (a callable: tests and deployments choose it in ``STORAGES``)."""
    return storages["exports"]


def chemin_export(export: ExportDossiers, filename: str) -> str:
    """A random stored name: the file cannot be guessed, its download name is set by the view."""
    return f"exports/{uuid.uuid4().hex}.csv"


class ExportDossiers(models.Model):
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports_dossiers", verbose_name="demandé par"
    )
    # The list's query string as the changelist saw it (filters, search, sort; never the page): the task
    # rebuilds the same list from it.
    parametres = models.TextField("Filtres de la liste", blank=True)
    etat = models.CharField("Etat", max_length=12, choices=EtatExport.choices, default=EtatExport.EN_ATTENTE)
    lignes_faites = models.PositiveIntegerField("Lignes écrites", default=0)
    lignes_total = models.PositiveIntegerField("Lignes à écrire", null=True, blank=True)
    fichier = models.FileField(upload_to=chemin_export, storage=stockage_exports, max_length=255, blank=True)
    cree_le = models.DateTimeField("Demandé le", auto_now_add=True, db_index=True)
    termine_le = models.DateTimeField("Terminé le", null=True, blank=True)
    erreur = models.TextField("Erreur", blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "export de dossiers"
        verbose_name_plural = "exports de dossiers"

    def __str__(self):
        return f"Export {self.pk} ({self.get_etat_display()})"

    @property
    def termine(self) -> bool:
        return self.etat in EtatExport.termines()
