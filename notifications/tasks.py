"""Celery tasks: thin interfaces over ``notifications.services`` (delivery after commit, periodic sweep)."""

from celery import shared_task

from . import services


# No result is stored: the row is the outcome, and publishing must not touch the result backend.
@shared_task(name="notifications.tasks.envoyer_notification", ignore_result=True)
def envoyer_notification(notification_id: int) -> bool:
    """Send one notification's e-mail (idempotent: a redelivered task sends nothing twice)."""
    return services.notification_envoyer(notification_id)


@shared_task(name="notifications.tasks.relancer_notifications", ignore_result=True)
def relancer_notifications() -> int:
    """The sweep run by celery beat: pending e-mails whose attempt is due, with bounded retries."""
    return services.notifications_relancer()
