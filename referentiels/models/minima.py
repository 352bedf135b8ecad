"""The branches' conventional minima for a contrat de professionnalisation (RULES.md §2.5, SAL-03 and SAL-04),
entered by AKTO's gestionnaires in the admin as the branch publishes them.

- ``SalaireMinimumConventionnel``: one line of a branch's salary grid (IDCC, optionally niveau and/or
  coefficient, the monthly minimum for 35 h a week, valid from/to, the accord or avenant it comes from). From
  26 years old the salarié earns at least 85 % of it (L6325-9, D6325-18).
- ``TauxConventionnel``: one cell of a branch's own grid of the contrat de professionnalisation (age band ×
  qualification, as the legal grid of D6325-15), a percentage of the SMIC higher than the legal one and/or a
  percentage of the conventional minimum (L6325-8: more favourable provisions prevail).

The legal grid itself (``TAUX_LEGAUX``) is here, the one place both the admin's checks and the calculation
(``dossiers.calculs.salaire``) read it. Read the rows through ``referentiels.parametres`` (held in memory).
"""

__all__ = [
    "POURCENTAGE_SMC_LEGAL",
    "TAUX_LEGAUX",
    "Qualification",
    "SalaireMinimumConventionnel",
    "TauxConventionnel",
    "TrancheAge",
]

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

POURCENTAGE_SMC_LEGAL = 85  # D6325-18: from 26, at least 85 % of the branch's conventional minimum


class TrancheAge(models.TextChoices):
    """The age bands of D6325-15 and L6325-9 (age at the contract's start, steps on the next month's 1st)."""

    MOINS_21 = "moins_21", "Moins de 21 ans"
    DE_21_A_25 = "21_25", "De 21 à 25 ans"
    DES_26 = "26_plus", "26 ans et plus"


class Qualification(models.TextChoices):
    """The two columns of the legal grid (notice 51650#09, RULES.md §2.5.2); blank: both."""

    TOUTES = "", "Toutes qualifications"
    INFERIEURE = "inferieure", "Qualification inférieure au bac professionnel"
    SUPERIEURE = "superieure", "Qualification égale ou supérieure au bac professionnel"


# % of the SMIC by band: (without, with a qualification ≥ bac pro). D6325-15; 26 and over: L6325-9.
TAUX_LEGAUX = {
    TrancheAge.MOINS_21: (55, 65),
    TrancheAge.DE_21_A_25: (70, 80),
    TrancheAge.DES_26: (100, 100),
}

_IDCC = RegexValidator(r"^[0-9]{4}$", "L'IDCC doit comporter 4 chiffres.", code="format")
_POURCENTAGE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("300"))]


def _euros(amount) -> str:
    return f"{amount}".replace(".", ",")


def _periode(debut, fin) -> str:
    return f"du {debut:%d/%m/%Y}" + (f" au {fin:%d/%m/%Y}" if fin else "")


class Periode(models.Model):
    """An IDCC and the dates a branch's provision is valid (the end date included; empty: no end known)."""

    idcc = models.CharField(
        "IDCC de la branche",
        max_length=4,
        validators=[_IDCC],
        help_text="Identifiant de la convention collective, 4 chiffres (par exemple 1486).",
    )
    date_debut = models.DateField("En vigueur à partir du")
    date_fin = models.DateField(
        "Jusqu'au (inclus)",
        null=True,
        blank=True,
        help_text="Vide : jusqu'à nouvel ordre (une ligne plus récente pour le même emploi la remplace).",
    )
    source = models.CharField(
        "Source",
        max_length=300,
        help_text="L'accord ou l'avenant et sa date, par exemple : Avenant n° 12 du 15/01/2026 (salaires), "
        "étendu par arrêté du 10/04/2026.",
    )

    class Meta:
        abstract = True

    def en_vigueur(self, jour) -> bool:
        return self.date_debut <= jour and (self.date_fin is None or jour <= self.date_fin)

    def clean(self):
        super().clean()
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La date de fin précède la date de début."})


def _periode_valide(nom: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
        name=nom,
        violation_error_message="La date de fin précède la date de début.",
    )


class SalaireMinimumConventionnel(Periode):
    """One line of a branch's grid of salaires minima conventionnels (SMC), monthly for 35 h a week."""

    niveau = models.CharField(
        "Niveau", max_length=40, blank=True, help_text="Tel que dans la grille ; vide : tous les niveaux."
    )
    coefficient = models.CharField(
        "Coefficient hiérarchique",
        max_length=40,
        blank=True,
        help_text="Tel que dans la grille ; vide : tous les coefficients (du niveau, s'il est indiqué).",
    )
    montant_mensuel = models.DecimalField(
        "Salaire minimum mensuel brut pour 35 h (€)",
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Base 151,67 heures par mois ; le portail le proratise selon la durée hebdomadaire du contrat.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "salaire minimum conventionnel"
        verbose_name_plural = "salaires minima conventionnels (grilles des branches)"
        ordering = ["idcc", "-date_debut", "niveau", "coefficient"]
        constraints = [
            _periode_valide("smc_fin_apres_debut"),
            models.UniqueConstraint(
                fields=["idcc", "niveau", "coefficient", "date_debut"],
                name="smc_unique_par_emploi_et_date",
                violation_error_message="Cette grille a déjà un montant pour ce niveau et ce coefficient à cette date.",
            ),
        ]

    def __str__(self):
        emploi = ", ".join(
            part
            for part in (
                f"niveau {self.niveau}" if self.niveau else "",
                f"coefficient {self.coefficient}" if self.coefficient else "",
            )
            if part
        )
        emploi = f" ({emploi})" if emploi else ""
        return (
            f"IDCC {self.idcc}{emploi} {_periode(self.date_debut, self.date_fin)} : "
            f"{_euros(self.montant_mensuel)} €/mois"
        )


class TauxConventionnel(Periode):
    """One cell of a branch's grid for the contrat de professionnalisation: for an age band and a qualification,
    the minimum as a % of the SMIC (higher than the legal rate) and/or a % of the conventional minimum."""

    tranche_age = models.CharField("Âge du salarié", max_length=10, choices=TrancheAge.choices)
    qualification = models.CharField(
        "Qualification du salarié", max_length=10, choices=Qualification.choices, blank=True, default=""
    )
    pourcentage_smic = models.DecimalField(
        "% du SMIC",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_POURCENTAGE,
        help_text="Doit dépasser le taux légal de la case (55/65 % avant 21 ans, 70/80 % de 21 à 25 ans, 100 % "
        "ensuite).",
    )
    pourcentage_smc = models.DecimalField(
        "% du salaire minimum conventionnel",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_POURCENTAGE,
        help_text="Du minimum de la grille des salaires de la branche pour l'emploi ; à partir de 26 ans, doit "
        "dépasser 85 %.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "taux conventionnel du contrat de professionnalisation"
        verbose_name_plural = "taux conventionnels du contrat de professionnalisation"
        ordering = ["idcc", "-date_debut", "tranche_age", "qualification"]
        constraints = [
            _periode_valide("taux_conventionnel_fin_apres_debut"),
            models.CheckConstraint(
                condition=Q(pourcentage_smic__isnull=False) | Q(pourcentage_smc__isnull=False),
                name="taux_conventionnel_un_pourcentage",
                violation_error_message="Indiquez un pourcentage du SMIC ou du salaire minimum conventionnel.",
            ),
            models.UniqueConstraint(
                fields=["idcc", "tranche_age", "qualification", "date_debut"],
                name="taux_conventionnel_unique_par_case_et_date",
                violation_error_message="Cette branche a déjà un taux pour cet âge et cette qualification à cette "
                "date.",
            ),
        ]

    def __str__(self):
        parts = [f"{_euros(p.normalize())} % du {base}" for p, base in self._pourcentages()]
        qualification = f", {self.get_qualification_display().lower()}" if self.qualification else ""
        return (
            f"IDCC {self.idcc}, {self.get_tranche_age_display().lower()}{qualification} "
            f"{_periode(self.date_debut, self.date_fin)} : {' ou '.join(parts)}"
        )

    def _pourcentages(self):
        if self.pourcentage_smic is not None:
            yield self.pourcentage_smic, "SMIC"
        if self.pourcentage_smc is not None:
            yield self.pourcentage_smc, "salaire minimum conventionnel"

    def taux_legal(self) -> int | None:
        """The legal % of the SMIC of this cell (the lower column's for « toutes qualifications »)."""
        if self.tranche_age not in TAUX_LEGAUX:
            return None
        inferieur, superieur = TAUX_LEGAUX[self.tranche_age]
        return superieur if self.qualification == Qualification.SUPERIEURE else inferieur

    def applique_a(self, tranche: str, superieure: bool) -> bool:
        colonne = Qualification.SUPERIEURE if superieure else Qualification.INFERIEURE
        return self.tranche_age == tranche and self.qualification in (Qualification.TOUTES, colonne)

    def clean(self):
        super().clean()
        if self.pourcentage_smic is None and self.pourcentage_smc is None:
            raise ValidationError("Indiquez un pourcentage du SMIC ou du salaire minimum conventionnel.")
        erreurs = {}
        legal = self.taux_legal()
        if self.pourcentage_smic is not None and legal is not None and self.pourcentage_smic <= legal:
            erreurs["pourcentage_smic"] = (
                f"Le taux légal est déjà de {legal} % du SMIC pour ce salarié : un taux conventionnel n'a de sens "
                "que s'il est plus élevé."
            )
        if (
            self.pourcentage_smc is not None
            and self.tranche_age == TrancheAge.DES_26
            and self.pourcentage_smc <= POURCENTAGE_SMC_LEGAL
        ):
            erreurs["pourcentage_smc"] = (
                f"À partir de 26 ans, la loi impose déjà {POURCENTAGE_SMC_LEGAL} % du salaire minimum "
                "conventionnel : un taux conventionnel n'a de sens que s'il est plus élevé."
            )
        if erreurs:
            raise ValidationError(erreurs)
