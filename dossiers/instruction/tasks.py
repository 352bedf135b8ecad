"""Celery tasks of the back office: thin interfaces over ``dossiers.instruction.export`` and ``decisions``
(``dossiers/tasks.py`` re-exports them for Celery's autodiscovery)."""

from celery import shared_task
from django.contrib import admin

from dossiers.instruction import decisions, export
from dossiers.models import Dossier


# No result is stored: the job's row is the outcome (and its progress).
@shared_task(name="dossiers.tasks.exporter_dossiers", ignore_result=True)
def exporter_dossiers(export_id: int) -> str:
    """Write the CSV of an « Exporter en CSV » job: the list the gestionnaire saw, rebuilt by the admin."""
    return export.produire(export_id, admin.site.get_model_admin(Dossier).liste_exportee)


@shared_task(name="dossiers.tasks.nettoyer_exports", ignore_result=True)
def nettoyer_exports() -> int:
    """celery beat: the export jobs older than a week and their files."""
    return export.nettoyer()


@shared_task(name="dossiers.tasks.veiller_delais", ignore_result=True)
def veiller_delais() -> dict:
    """celery beat, daily: the D6325-2 deadline — the assignee's warning at the alert threshold, the tacit acceptance
    once the deadline is over (idempotent)."""
    return decisions.veiller_delais()
