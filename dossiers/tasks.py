"""Celery's autodiscovery imports ``dossiers.tasks``: the back office's tasks live in ``dossiers.instruction``, the
API's in ``dossiers.api``; the webhooks' two (thin interfaces over ``dossiers.webhooks``) are here."""

from celery import shared_task

from dossiers import webhooks
from dossiers.api.tasks import purger_requetes_idempotentes  # noqa: F401
from dossiers.instruction.tasks import exporter_dossiers, nettoyer_exports, veiller_delais  # noqa: F401


# No result is stored: the row is the outcome (``dossiers.webhooks.planifier`` publishes it by name).
@shared_task(name=webhooks.TACHE_LIVRER, ignore_result=True)
def livrer_webhook(livraison_id: int) -> bool:
    """POST one webhook event, signed (idempotent: a redelivered task sends nothing twice)."""
    return webhooks.livrer(livraison_id)


@shared_task(name="dossiers.tasks.relancer_webhooks", ignore_result=True)
def relancer_webhooks() -> int:
    """celery beat, every minute: the webhook events still pending whose attempt is due, with bounded retries."""
    return webhooks.relancer()
