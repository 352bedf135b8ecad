"""Celery's autodiscovery imports ``dossiers.tasks``: the back office's tasks live in ``dossiers.instruction``."""

from dossiers.instruction.tasks import exporter_dossiers, nettoyer_exports, veiller_delais  # noqa: F401
