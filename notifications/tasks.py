"""Celery tasks: thin interfaces over ``notifications.envoi`` (delivery after commit, periodic sweep)."""

from celery import shared_task

from notifications import envoi


# No result is stored: the row is the outcome, and publishing must not touch the result backend.
@shared_task(name="notifications.tasks.envoyer_notification", ignore_result=True)
def envoyer_notification(notification_id: int) -> bool:
    """Send one notification's e-mail (idempotent: a redelivered task sends nothing twice)."""
    return envoi.notification_envoyer(notification_id)


@shared_task(name="notifications.tasks.relancer_notifications", ignore_result=True)
def relancer_notifications() -> int:
    """The sweep run by celery beat: pending e-mails whose attempt is due, with bounded retries."""
    return envoi.notifications_relancer()
