"""Celery's autodiscovery imports ``dossiers.tasks``: the back office's tasks live in ``dossiers.instruction``, the
API's in ``dossiers.api``."""

from dossiers.api.tasks import purger_requetes_idempotentes  # noqa: F401
from dossiers.instruction.tasks import exporter_dossiers, nettoyer_exports, veiller_delais  # noqa: F401
