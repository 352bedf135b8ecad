"""Sending a notification's e-mail (at most once, bounded retries) and the periodic sweep: what the Celery tasks
run (``tasks.py``). ``services.py`` writes the notifications and queues the tasks."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format

from notifications.models import EmailStatut, Notification

logger = logging.getLogger(__name__)


# Bounded retries: after TENTATIVES_MAX failed attempts an e-mail is marked as failed (visible in the admin).
TENTATIVES_MAX = 5


# The sweep leaves a fresh row to the task scheduled at commit for this long, then retries with a doubling delay.
DELAI_RELANCE = timedelta(minutes=1)


# Rows sent per sweep: a long backlog is worked through over several runs rather than in one long task.
LOT_RELANCE = 200


def email_contenu(notification: Notification) -> tuple[str, str]:
    """The French subject and body of a notification's e-mail (dossier number, employer, salarié's name)."""
    dossier = notification.dossier
    employeur = getattr(dossier, "employeur", None)
    salarie = getattr(dossier, "salarie", None)
    gestionnaire = notification.recipient.is_gestionnaire
    context = {
        "destinataire": notification.recipient.get_full_name() or notification.recipient.email,
        "numero": dossier.numero,
        "entreprise": employeur.raison_sociale if employeur else "",
        "salarie": salarie.nom_complet if salarie else "",
        "commentaire": notification.commentaire,
        "lien": settings.SITE_URL + lien_dossier(notification),
        # A gestionnaire is told which training organisation pre-entered the dossier (the others know it).
        "presaisi_par": dossier.prestataire.denomination if gestionnaire and dossier.prestataire_id else "",
        # AKTO's decision, when there is one: the notice's reason of a refusal, the amount engaged.
        "motif_refus": dossier.get_motif_refus_display() if getattr(dossier, "motif_refus", "") else "",
        "montant_engage": (
            f"{number_format(dossier.montant_engage, 2, force_grouping=True)} €"
            if getattr(dossier, "montant_engage", None) is not None
            else ""
        ),
    }
    base = f"notifications/email/{notification.evenement}"
    sujet = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    # The templates stay readable with their tags on their own lines: at most one blank line survives.
    corps = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", render_to_string(f"{base}_body.txt", context)).strip() + "\n"
    return sujet, corps


def lien_dossier(notification: Notification) -> str:
    """Where a notification leads: the back office's dossier page for a gestionnaire, the portal's for the others."""
    if notification.recipient.is_gestionnaire:
        return reverse("admin:dossiers_dossier_change", args=[notification.dossier_id])
    return reverse("dossier_detail", args=[notification.dossier_id])


class DestinataireInactif(Exception):
    """The recipient's account was deactivated after the notification was written."""


def notification_envoyer(notification_id: int) -> bool:
    """Send a notification's e-mail unless already sent or given up; True when this call sent it.

    The row is locked for the whole attempt: a concurrent attempt skips it (``skip_locked``), and a later
    one sees it sent. The one case left is a crash between the SMTP answer and the commit: the e-mail
    may then be sent again (at least once, never silently lost).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "dossier__employeur", "dossier__salarie", "dossier__prestataire")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_statut != EmailStatut.EN_ATTENTE:
            return False  # being sent by someone else, deleted with its dossier, already sent or given up
        maintenant = timezone.now()
        notification.email_tentatives += 1
        try:
            if not notification.recipient.is_active:
                raise DestinataireInactif("Compte désactivé")
            sujet, corps = email_contenu(notification)
            EmailMessage(
                sujet, corps, to=[notification.recipient.email], headers={"Auto-Submitted": "auto-generated"}
            ).send()
        except Exception as error:
            _echec(notification, error, maintenant)
        else:
            notification.email_statut = EmailStatut.ENVOYE
            notification.email_envoye_le = maintenant
            notification.email_prochain_essai = None
            notification.email_erreur = ""
        notification.save(
            update_fields=[
                "email_statut",
                "email_tentatives",
                "email_envoye_le",
                "email_prochain_essai",
                "email_erreur",
            ]
        )
        return notification.email_statut == EmailStatut.ENVOYE


def _echec(notification: Notification, error: Exception, maintenant) -> None:
    definitif = isinstance(error, DestinataireInactif) or notification.email_tentatives >= TENTATIVES_MAX
    notification.email_erreur = f"{type(error).__name__}: {error}"[:300]
    if definitif:
        notification.email_statut = EmailStatut.ECHEC
        notification.email_prochain_essai = None
    else:
        notification.email_prochain_essai = maintenant + DELAI_RELANCE * 2 ** (notification.email_tentatives - 1)
    logger.warning(
        "Notification %s : envoi de l'e-mail en échec (tentative %s/%s, %s)%s.",
        notification.pk,
        notification.email_tentatives,
        TENTATIVES_MAX,
        type(error).__name__,
        " ; abandon" if definitif else "",
    )


def notifications_relancer(*, lot: int = LOT_RELANCE) -> int:
    """The periodic sweep: send every pending e-mail whose attempt is due; returns how many were sent."""
    ids = list(
        Notification.objects.a_relancer()
        .filter(email_tentatives__lt=TENTATIVES_MAX)
        .order_by("email_prochain_essai", "pk")
        .values_list("pk", flat=True)[:lot]
    )
    return sum(notification_envoyer(pk) for pk in ids)
