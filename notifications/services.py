"""Writing notifications (the outbox) and delivering their e-mails, exactly once as far as the database can tell.

``notifier`` is called by the workflow inside the transaction of the change it reports: the rows commit or
roll back with it. Sending is scheduled after commit; if the broker is unreachable the rows stay pending and
the periodic sweep (``notifications_relancer``, run by celery beat) sends them later. A delivery locks its row
and checks it is still pending, so a task delivered twice, or racing a sweep, never sends the e-mail twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.envoi import (  # noqa: F401 — the sending, with the rest of the notifications' services
    DELAI_RELANCE,
    LOT_RELANCE,
    TENTATIVES_MAX,
    DestinataireInactif,
    email_contenu,
    lien_dossier,
    notification_envoyer,
    notifications_relancer,
)
from notifications.events import Evenement
from notifications.models import Notification
from notifications.tasks import envoyer_notification
from portal.models import Role
from referentiels.models import Rattachement

logger = logging.getLogger(__name__)


def destinataires_adherents(etablissement):
    """Active adhérents acting for ``etablissement``: attached to it or to its company (one query)."""
    rattachements = Rattachement.objects.filter(
        Q(etablissement_id=etablissement.pk) | Q(entreprise_id=etablissement.entreprise_id)
    )
    return get_user_model().objects.filter(is_active=True, role=Role.ADHERENT, pk__in=rattachements.values("user"))


def destinataires_prestataires(organisme_id):
    """Active prestataire users of a training organisation (none when ``organisme_id`` is None)."""
    if organisme_id is None:
        return get_user_model().objects.none()
    rattachements = Rattachement.objects.filter(organisme_id=organisme_id)
    return get_user_model().objects.filter(is_active=True, role=Role.PRESTATAIRE, pk__in=rattachements.values("user"))


def notifier(
    evenement: str, dossier, destinataires: Iterable, *, commentaire: str = "", dossier_evenement=None
) -> list[Notification]:
    """Write one notification of ``evenement`` per distinct active recipient; e-mail them after commit.

    Must run inside the caller's transaction (the one of the change being reported). ``destinataires`` may
    hold ``None`` (e.g. no prestataire) and duplicates; inactive users are skipped.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Une notification s'écrit dans la transaction du changement qu'elle annonce.")
    evenement = Evenement(evenement)
    maintenant = timezone.now()
    vus: set[int] = set()
    lignes = []
    for user in destinataires:
        if user is None or not user.is_active or user.pk in vus:
            continue
        vus.add(user.pk)
        lignes.append(
            Notification(
                recipient=user,
                evenement=evenement,
                dossier=dossier,
                dossier_evenement=dossier_evenement,
                commentaire=commentaire,
                created_at=maintenant,
                email_prochain_essai=maintenant + DELAI_RELANCE,
            )
        )
    notifications = Notification.objects.bulk_create(lignes)
    if notifications:
        ids = [n.pk for n in notifications]
        transaction.on_commit(lambda: planifier_envoi(ids))
    return notifications


def planifier_envoi(ids: list[int]) -> None:
    """Queue one delivery task per notification; never raises (the sweep covers what could not be queued).

    A dedicated connection that fails at once: with Redis down, the user's request must not wait for it.
    """

    app = envoyer_notification.app
    try:
        if app.conf.task_always_eager:  # embedded run and tests: sent right here, no broker
            for pk in ids:
                envoyer_notification.apply_async((pk,))
            return
        with app.connection_for_write(transport_options={"max_retries": 0, "socket_connect_timeout": 2}) as conn:
            for pk in ids:
                envoyer_notification.apply_async((pk,), connection=conn, retry=False)
    except Exception as error:  # broker down, or anything else: the rows stay pending for the sweep
        # Ids and the error's class only: no address, name or message that could carry personal data.
        logger.warning(
            "Envoi des notifications %s non planifié (%s) : la relance périodique s'en chargera.",
            ids,
            type(error).__name__,
        )


def notification_marquer_lue(notification: Notification) -> None:
    """Mark read (once: the first reading's time is kept)."""
    if notification.lu_le is None:
        notification.lu_le = timezone.now()
        Notification.objects.filter(pk=notification.pk, lu_le__isnull=True).update(lu_le=notification.lu_le)


def notifications_marquer_lues(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many were."""
    return Notification.objects.de(user).non_lues().update(lu_le=timezone.now())
