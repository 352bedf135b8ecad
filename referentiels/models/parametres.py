"""Dated legal parameters: SMIC by territory and the OPCO's hourly funding forfaits (legal default or per branch).

Values change on a date: a row applies from its ``date_effet`` until the next row of the same key.
Query them through ``referentiels.parametres`` (``smic_horaire``, ``forfait_horaire``...), never directly.
"""

__all__ = ["ForfaitPriseEnCharge", "PublicForfait", "Smic", "Territoire"]

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

HEURES_MENSUELLES_35H = Decimal(35) * 52 / 12  # 151,666… h, shown as « 151,67 h »


def _euros(amount) -> str:
    return f"{amount}".replace(".", ",")


class Territoire(models.TextChoices):
    """The SMIC has one amount for métropole and the DROM, and its own for Mayotte."""

    METROPOLE = "metropole", "Métropole et DROM (hors Mayotte)"
    MAYOTTE = "mayotte", "Mayotte"


class PublicForfait(models.TextChoices):
    STANDARD = "standard", "Standard"
    RENFORCE = "renforce", "Renforcé (public de l'article L6325-1-1 ou parcours d'insertion en GEIQ)"


class Smic(models.Model):
    date_effet = models.DateField("Date d'effet")
    territoire = models.CharField("Territoire", max_length=20, choices=Territoire.choices, default=Territoire.METROPOLE)
    horaire = models.DecimalField(
        "Montant horaire brut (€)", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    mensuel = models.DecimalField(
        "Montant mensuel brut pour 35 h (€)",
        max_digits=8,
        decimal_places=2,
        blank=True,
        help_text="Base 35 h × 52 / 12 = 151,67 h ; calculé à partir du montant horaire s'il est laissé vide.",
    )
    source = models.CharField("Source", max_length=300, blank=True)

    class Meta:
        verbose_name = "SMIC"
        verbose_name_plural = "SMIC"
        ordering = ["territoire", "-date_effet"]
        constraints = [
            models.UniqueConstraint(
                fields=["territoire", "date_effet"],
                name="smic_unique_par_territoire_et_date",
                violation_error_message="Un SMIC existe déjà pour ce territoire à cette date.",
            )
        ]

    def __str__(self):
        return f"SMIC {self.get_territoire_display()} au {self.date_effet:%d/%m/%Y} : {_euros(self.horaire)} €/h"

    @staticmethod
    def mensuel_pour(horaire: Decimal) -> Decimal:
        """Monthly gross for 35 h a week, as published (hourly × 35 × 52 / 12, rounded half-up to the cent)."""
        return (Decimal(horaire) * HEURES_MENSUELLES_35H).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def save(self, *args, **kwargs):
        if self.mensuel is None and self.horaire is not None:
            self.mensuel = self.mensuel_pour(self.horaire)
        super().save(*args, **kwargs)


class ForfaitPriseEnCharge(models.Model):
    """Hourly funding of a contrat de professionnalisation: the legal default (no IDCC) or a branch's level."""

    date_effet = models.DateField("Date d'effet")
    idcc = models.CharField(
        "IDCC de la branche",
        max_length=4,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{4}$", "L'IDCC doit comporter 4 chiffres.", code="format")],
        help_text="Vide : montant légal par défaut (article D6332-86 du code du travail).",
    )
    public = models.CharField("Public", max_length=10, choices=PublicForfait.choices, default=PublicForfait.STANDARD)
    montant_horaire = models.DecimalField(
        "Montant par heure de formation (€)",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField("Source", max_length=300, blank=True)

    class Meta:
        verbose_name = "forfait horaire de prise en charge"
        verbose_name_plural = "forfaits horaires de prise en charge"
        ordering = ["idcc", "public", "-date_effet"]
        constraints = [
            models.UniqueConstraint(
                fields=["public", "date_effet"],
                condition=Q(idcc__isnull=True),
                name="forfait_legal_unique_par_public_et_date",
                violation_error_message="Un forfait légal existe déjà pour ce public à cette date.",
            ),
            models.UniqueConstraint(
                fields=["idcc", "public", "date_effet"],
                condition=Q(idcc__isnull=False),
                name="forfait_branche_unique_par_public_et_date",
                violation_error_message="Un forfait existe déjà pour cette branche et ce public à cette date.",
            ),
        ]

    def __str__(self):
        branche = f"IDCC {self.idcc}" if self.idcc else "défaut légal"
        return (
            f"{branche}, {self.get_public_display()}, au {self.date_effet:%d/%m/%Y} : "
            f"{_euros(self.montant_horaire)} €/h"
        )

    def save(self, *args, **kwargs):
        if self.idcc == "":
            self.idcc = None
        super().save(*args, **kwargs)
