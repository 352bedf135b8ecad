"""The API's Celery task (re-exported by ``dossiers/tasks.py`` for autodiscovery): the idempotency keys' purge."""

from celery import shared_task

from dossiers.api import idempotence


@shared_task(name="dossiers.tasks.purger_requetes_idempotentes", ignore_result=True)
def purger_requetes_idempotentes() -> int:
    """Run by celery beat every hour: the ``Idempotency-Key`` rows older than 24 hours."""
    return idempotence.purger()
