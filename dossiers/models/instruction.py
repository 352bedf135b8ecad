"""The back office's own records on a dossier, which change no state: who handles it (``Attribution``, the log of
``Dossier.instruit_par``) and the gestionnaires' internal notes (``NoteInterne``, never shown to the adhérent
nor the prestataire). The state changes are ``DossierEvenement`` (ADR « attribution et notes internes »)."""

__all__ = ["NOTE_MAX", "Attribution", "NoteInterne"]

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from dossiers.models.dossier import Dossier, DossierEvenement

NOTE_MAX = 2000


class Attribution(models.Model):
    """One assignment of a dossier: ``par`` gave it to ``instruit_par`` (none: the assignment was withdrawn)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attributions")
    instruit_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="attribué à",
    )
    precedent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="instruit auparavant par",
    )
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "attribution"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(instruit_par=models.F("precedent")),
                name="attribution_change_gestionnaire",
                violation_error_message="Une attribution change le gestionnaire du dossier.",
            )
        ]


class NoteInterne(models.Model):
    """A gestionnaire's note on a dossier, for the gestionnaires only; ``evenement`` when written with a decision
    (*Demander des compléments*)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes_internes")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("Note interne", validators=[MaxLengthValidator(NOTE_MAX)])
    evenement = models.ForeignKey(
        DossierEvenement, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes_internes"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "note interne"
        verbose_name_plural = "notes internes"
