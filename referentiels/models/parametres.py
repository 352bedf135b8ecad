"""Dated legal parameters: SMIC by territory, the OPCO's hourly funding forfaits (legal default or per branch),
and the rules' uncertain figures (``ParametreRegle``: a fact RULES.md marks [L] or [M], kept editable in the admin).

Values change on a date: a row applies from its ``date_effet`` until the next row of the same key.
Query them through ``referentiels.parametres`` (``smic_horaire``, ``forfait_horaire``...), never directly.
"""

__all__ = ["ForfaitPriseEnCharge", "ParametreRegle", "PublicForfait", "Smic", "Territoire"]

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
    RECONVERSION = "reconv", "Période de reconversion ou Pro-A (article D6332-89)"


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


class ParametreRegle(models.Model):
    """A figure a business rule reads (``DAT04_TOLERANCE_JOURS``…), from its ``date_effet`` until the code's next row.

    For the facts RULES.md marks [L] or [M] (practice, not law): they stay editable in the admin instead of being
    constants in the code. Read them through ``referentiels.parametres.parametre(code, date)``.
    """

    code = models.CharField(
        "Code",
        max_length=60,
        validators=[
            RegexValidator(
                r"^[A-Z0-9_]+$", "Le code ne comporte que des majuscules, des chiffres et des « _ ».", code="format"
            )
        ],
        help_text="Nom lu par les règles, par exemple DAT04_TOLERANCE_JOURS.",
    )
    date_effet = models.DateField("Date d'effet", help_text="La valeur s'applique à partir de cette date.")
    valeur = models.DecimalField("Valeur", max_digits=12, decimal_places=4)
    unite = models.CharField("Unité", max_length=30, blank=True, help_text="Par exemple : jours, heures, %.")
    libelle = models.CharField("Libellé", max_length=200)
    source = models.CharField(
        "Source",
        max_length=300,
        blank=True,
        help_text="D'où vient la valeur et son degré de confiance (par exemple : RULES.md TP-04 [M] — à confirmer "
        "avec AKTO).",
    )

    class Meta:
        verbose_name = "paramètre de règle"
        verbose_name_plural = "paramètres des règles"
        ordering = ["code", "-date_effet"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "date_effet"],
                name="parametre_regle_unique_par_code_et_date",
                violation_error_message="Ce paramètre a déjà une valeur à cette date.",
            )
        ]

    def __str__(self):
        valeur = _euros(format(self.valeur.normalize(), "f")) if self.valeur is not None else ""
        unite = f" {self.unite}" if self.unite else ""
        return f"{self.code} au {self.date_effet:%d/%m/%Y} : {valeur}{unite}"
