"""``Notification``: one row per recipient and event, both the in-app message and the e-mail's outbox entry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .events import Evenement, texte


class EmailStatut(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ENVOYE = "envoye", "Envoyé"
    ECHEC = "echec", "Échec"


class NotificationQuerySet(models.QuerySet):
    def de(self, user):
        """A user's own notifications: anything else answers 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def non_lues(self):
        return self.filter(lu_le__isnull=True)

    def pour_liste(self):
        """Everything a row of the list shows, in the same query."""
        return self.select_related("dossier__employeur").order_by("-created_at", "-pk")

    def a_relancer(self, maintenant=None):
        """E-mails still pending whose next attempt is due (the sweep's work)."""
        return self.filter(email_statut=EmailStatut.EN_ATTENTE, email_prochain_essai__lte=maintenant or timezone.now())


class Notification(models.Model):
    # The composite index below serves "my notifications" lookups: no separate index on the FK alone.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        verbose_name="destinataire",
    )
    evenement = models.CharField("Événement", max_length=40, choices=Evenement.choices)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notifications")
    dossier_evenement = models.ForeignKey(
        "dossiers.DossierEvenement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="transition du dossier",
    )
    commentaire = models.TextField("Commentaire", blank=True)
    created_at = models.DateTimeField("Créée le", default=timezone.now)
    lu_le = models.DateTimeField("Lue le", null=True, blank=True)
    email_statut = models.CharField(
        "Statut de l'e-mail", max_length=12, choices=EmailStatut.choices, default=EmailStatut.EN_ATTENTE
    )
    email_tentatives = models.PositiveSmallIntegerField("Tentatives d'envoi", default=0)
    email_prochain_essai = models.DateTimeField(
        "Prochain essai d'envoi",
        null=True,
        blank=True,
        help_text="Quand la relance périodique renverra l'e-mail s'il est encore en attente.",
    )
    email_envoye_le = models.DateTimeField("E-mail envoyé le", null=True, blank=True)
    email_erreur = models.CharField("Dernière erreur d'envoi", max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_liste"),
            models.Index(fields=["recipient"], condition=Q(lu_le__isnull=True), name="notification_non_lues"),
            models.Index(
                fields=["email_prochain_essai"],
                condition=Q(email_statut="en_attente"),
                name="notification_a_envoyer",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_statut="envoye") | Q(email_envoye_le__isnull=False),
                name="notification_envoyee_datee",
                violation_error_message="Un e-mail envoyé a une date d'envoi.",
            )
        ]

    def __str__(self):
        return f"{self.get_evenement_display()} — {self.dossier_id} → {self.recipient_id}"

    @property
    def texte(self) -> str:
        """The list's one-line text (reads ``dossier.employeur``: use ``pour_liste()``)."""
        employeur = getattr(self.dossier, "employeur", None)
        return texte(
            self.evenement, numero=self.dossier.numero, entreprise=employeur.raison_sociale if employeur else ""
        )

    @property
    def est_lue(self) -> bool:
        return self.lu_le is not None
