"""Minimum salary of a contrat de professionnalisation (RULES.md §2.5, D6325-15 to D6325-18, L6325-8, L6325-9).

``salaire_minimum(dossier)`` gives the minimum for the salarié at the contract's start — the highest of the legal
minimum (a % of the SMIC by age and diploma), the branch's own rate when the gestionnaires entered one for the
employer's IDCC (SAL-04) and, from 26, 85 % of the branch's conventional minimum (SMC) for the emploi when its
grid is known (SAL-03) — saying which one applies, and the coming age steps within the contract. Without a
known grid, the minimum from 26 is 100 % of the SMIC and checking the SMC is left to the user (WARN SAL-03).
The branches' grids: ``referentiels.models.minima``, read through ``referentiels.parametres`` (in memory).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist

from dossiers.calculs.age import age_revolu
from dossiers.enums import Diplome, NatureContrat
from referentiels.models.minima import POURCENTAGE_SMC_LEGAL, TAUX_LEGAUX, TrancheAge
from referentiels.parametres import (
    ParametreIntrouvable,
    smc_en_vigueur,
    smic_horaire,
    smic_mensuel,
    taux_conventionnel_en_vigueur,
    territoire_smic,
)

CENT = Decimal("0.01")
HEURES_TEMPS_PLEIN = Decimal(35)  # L3121-27; 35 h/week = 151,67 h/month

# RULES.md §2.5.2: qualification ≥ bac pro / titre professionnel de niveau 4 or a higher-education diploma.
DIPLOMES_TAUX_SUPERIEUR = frozenset(
    {
        Diplome.DOCTORAT,
        Diplome.MASTER2_PRO,
        Diplome.MASTER2_RECHERCHE,
        Diplome.AUTRE_BAC5,
        Diplome.MASTER1_PRO,
        Diplome.MASTER1,
        Diplome.LICENCE_PRO,
        Diplome.LICENCE,
        Diplome.AUTRE_BAC34,
        Diplome.BTS,
        Diplome.DUT,
        Diplome.AUTRE_BAC2,
        Diplome.BAC_PRO,
    }
)
# Bac technologique and « autre diplôme de niveau bac »: lower rate, and the user is asked (WARN) [M/L].
DIPLOMES_AMBIGUS = frozenset({Diplome.BAC_TECHNO, Diplome.AUTRE_BAC})

# (age threshold, rate below it without / with a qualification ≥ bac pro), D6325-15; 26+ : 100 % (L6325-9).
GRILLE = ((21, *TAUX_LEGAUX[TrancheAge.MOINS_21]), (26, *TAUX_LEGAUX[TrancheAge.DE_21_A_25]))
TAUX_26_ANS = TAUX_LEGAUX[TrancheAge.DES_26][0]
SEUILS_AGE = (21, 26)
SEMAINES_PAR_MOIS = Decimal(52) / 12
# Where the minimum comes from: the law, the branch's own rate (SAL-04), 85 % of the branch's SMC (SAL-03).
LEGAL, TAUX_BRANCHE, SMC = "legal", "taux_branche", "smc"


@dataclass(frozen=True)
class Palier:
    """A coming age step: the rate ``taux`` (% of the SMIC) applies from ``date``."""

    date: dt.date
    age: int
    taux: int


@dataclass(frozen=True)
class SalaireMinimum:
    montant: Decimal  # monthly, or hourly when ``horaire``
    taux: int  # % of the SMIC
    horaire: bool
    age: int
    smic_horaire: Decimal
    heures_hebdo: Decimal
    diplome_superieur: bool
    diplome_ambigu: bool
    paliers: list[Palier] = field(default_factory=list)
    montant_legal: Decimal | None = None  # the legal minimum (SAL-01 / SAL-05); ``montant`` when None
    origine: str = LEGAL  # which minimum ``montant`` is: LEGAL, TAUX_BRANCHE or SMC
    idcc: str = ""
    smc: Decimal | None = None  # the branch's conventional minimum for the emploi, monthly for 35 h, when known
    smc_source: str = ""
    minimum_smc: Decimal | None = None  # 85 % of the SMC, prorated (26 and over, SMC known): SAL-03
    minimum_branche: Decimal | None = None  # the branch's own rate applied (SAL-04), when known
    taux_branche: str = ""  # that rate in words: « 75 % du SMIC »
    taux_branche_source: str = ""
    pourcentage_smc_inconnu: Decimal | None = None  # the branch's rate is a % of a SMC the grid does not know

    def __post_init__(self):
        if self.montant_legal is None:
            object.__setattr__(self, "montant_legal", self.montant)

    @property
    def unite(self) -> str:
        return "€/heure" if self.horaire else "€/mois"

    @property
    def smc_requis(self) -> bool:
        """From 26, the salary must also reach 85 % of the branch's SMC (L6325-9, D6325-18)."""
        return self.age >= SEUILS_AGE[-1]


def tranche_age(age: int) -> str:
    """The band of the legal grid for ``age`` at the contract's start."""
    if age < SEUILS_AGE[0]:
        return TrancheAge.MOINS_21
    return TrancheAge.DE_21_A_25 if age < SEUILS_AGE[1] else TrancheAge.DES_26


def _pourcent(montant: Decimal, pourcentage) -> Decimal:
    return (montant * Decimal(pourcentage) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def taux_fr(pourcentage) -> str:
    return f"{Decimal(pourcentage).normalize():f}".replace(".", ",")


def taux_smic(age: int, diplome_superieur: bool) -> int:
    """% of the SMIC for ``age`` at the reference date (D6325-15, L6325-9)."""
    for seuil, bas, haut in GRILLE:
        if age < seuil:
            return haut if diplome_superieur else bas
    return TAUX_26_ANS


def anniversaire(naissance: dt.date, age: int) -> dt.date:
    """The day ``age`` is reached (29 February: 1 March in common years, as ``age_revolu``)."""
    try:
        return naissance.replace(year=naissance.year + age)
    except ValueError:
        return dt.date(naissance.year + age, 3, 1)


def premier_du_mois_suivant(jour: dt.date) -> dt.date:
    return dt.date(jour.year + (jour.month == 12), jour.month % 12 + 1, 1)


def est_horaire(dossier) -> bool:
    """C14 is an hourly wage for a travail temporaire contract (CERFA C14, notice p.5)."""
    contrat = _contrat(dossier)
    return bool(contrat and contrat.nature == NatureContrat.TRAVAIL_TEMPORAIRE)


def territoire(dossier) -> str:
    code_postal = (dossier.employeur.code_postal or "").strip()
    departement = code_postal[:3] if code_postal.startswith("97") else code_postal[:2]
    try:
        return territoire_smic(departement)
    except ValueError:  # "20" (Corsica) or an empty code: the métropole's SMIC
        return territoire_smic("75")


def _contrat(dossier):
    try:
        return dossier.contrat
    except ObjectDoesNotExist:
        return None


def salaire_minimum(dossier) -> SalaireMinimum | None:
    """The minimum at the contract's start (``date_debut``), None while it cannot be computed.

    Needs the start date, the salarié's date of birth and — under 26 — the highest diploma obtained.
    Rate by age at the start (under 21 / 21 to 25 / 26 and over) and diploma level; SMIC in force at the
    start for the employer's territory, prorated to the weekly hours (capped at 35 h: overtime is SAL-02;
    35 h when not yet entered); hourly for travail temporaire. The age steps (21st and 26th birthdays)
    take effect on the first day of the month following the birthday (D6325-16), listed when within the
    contract (before its end date, or all while the end date is empty).

    The branch's (the employer's IDCC) grids in force at the start, when the gestionnaires entered them: its SMC
    for the contract's niveau and coefficient, prorated to the weekly hours like the SMIC (hourly: ÷ 151,67 h);
    from 26, the minimum is max(100 % SMIC, 85 % SMC) (L6325-9, D6325-18); and its own rate for the salarié's
    age band and qualification, a % of the SMIC or of the SMC (L6325-8). The highest applies (``origine``).
    The age steps give the legal rates.
    """
    contrat = _contrat(dossier)
    salarie = dossier.salarie
    if contrat is None or contrat.date_debut is None or salarie.date_naissance is None:
        return None
    debut, naissance = contrat.date_debut, salarie.date_naissance
    age = age_revolu(naissance, debut)
    diplome = salarie.diplome_plus_eleve
    if age < SEUILS_AGE[-1] and not diplome:
        return None
    superieur = diplome in DIPLOMES_TAUX_SUPERIEUR
    taux = taux_smic(age, superieur)
    heures = HEURES_TEMPS_PLEIN
    if contrat.duree_hebdo_minutes is not None:
        heures = min(Decimal(contrat.duree_hebdo_minutes) / 60, HEURES_TEMPS_PLEIN)
    horaire = est_horaire(dossier)
    try:
        smic_h = smic_horaire(debut, territoire(dossier))
        if horaire:
            base = smic_h
        elif heures == HEURES_TEMPS_PLEIN:
            base = smic_mensuel(debut, territoire(dossier))
        else:
            base = smic_h * heures * 52 / 12
    except ParametreIntrouvable:
        return None
    legal = _pourcent(base, taux)
    conventionnel = _conventionnel(dossier, contrat, age, superieur, base, heures, horaire)
    paliers = []
    for seuil in SEUILS_AGE:
        if age < seuil:
            jour = premier_du_mois_suivant(anniversaire(naissance, seuil))
            if contrat.date_fin is None or jour <= contrat.date_fin:
                paliers.append(Palier(jour, seuil, taux_smic(seuil, superieur)))
    candidats = [(legal, LEGAL)]
    if conventionnel["minimum_branche"] is not None:
        candidats.append((conventionnel["minimum_branche"], TAUX_BRANCHE))
    if conventionnel["minimum_smc"] is not None:
        candidats.append((conventionnel["minimum_smc"], SMC))
    montant, origine = max(candidats, key=lambda candidat: candidat[0])  # the legal one on a tie
    return SalaireMinimum(
        montant=montant,
        montant_legal=legal,
        origine=origine,
        **conventionnel,
        taux=taux,
        horaire=horaire,
        age=age,
        smic_horaire=smic_h,
        heures_hebdo=heures,
        diplome_superieur=superieur,
        diplome_ambigu=diplome in DIPLOMES_AMBIGUS,
        paliers=paliers,
    )


def _conventionnel(dossier, contrat, age, superieur, base_smic, heures, horaire) -> dict:
    """The branch's minima for this contract (SAL-03, SAL-04), from the grids in force at its start."""
    idcc = (dossier.employeur.idcc or "").strip()
    debut = contrat.date_debut
    grille = smc_en_vigueur(idcc, debut, contrat.niveau, contrat.coefficient)
    # The SMC is monthly for 35 h: prorated to the weekly hours, or per hour (÷ 35 × 12 / 52) for an hourly wage.
    base_smc = None
    if grille is not None:
        base_smc = grille.montant_mensuel * (1 / (HEURES_TEMPS_PLEIN * SEMAINES_PAR_MOIS) if horaire else heures / 35)
    valeurs = {
        "idcc": idcc,
        "smc": grille.montant_mensuel if grille else None,
        "smc_source": grille.source if grille else "",
        "minimum_smc": _pourcent(base_smc, POURCENTAGE_SMC_LEGAL) if base_smc and age >= SEUILS_AGE[-1] else None,
    }
    case = taux_conventionnel_en_vigueur(idcc, debut, tranche_age(age), superieur)
    minima = []
    if case is not None and case.pourcentage_smic is not None:
        minima.append((_pourcent(base_smic, case.pourcentage_smic), f"{taux_fr(case.pourcentage_smic)} % du SMIC"))
    if case is not None and case.pourcentage_smc is not None and base_smc is not None:
        minima.append(
            (
                _pourcent(base_smc, case.pourcentage_smc),
                f"{taux_fr(case.pourcentage_smc)} % du salaire minimum conventionnel",
            )
        )
    minimum, taux = max(minima, key=lambda m: m[0], default=(None, ""))
    sans_smc = case is not None and case.pourcentage_smc is not None and base_smc is None
    return {
        **valeurs,
        "pourcentage_smc_inconnu": case.pourcentage_smc if sans_smc else None,
        "minimum_branche": minimum,
        "taux_branche": taux,
        "taux_branche_source": case.source if case and minimum is not None else "",
    }


def montant_fr(montant: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1 234,50"`` (narrow no-break space as thousands separator)."""
    entier, decimales = f"{montant.quantize(CENT):.2f}".split(".")
    groupes = []
    while len(entier) > 3:
        entier, groupes = entier[:-3], [entier[-3:], *groupes]
    return "\u202f".join([entier, *groupes]) + "," + decimales


def libelle(minimum: SalaireMinimum) -> str:
    """« Minimum légal pour ce salarié : 1 234,56 € (65 % du SMIC) — passe à 80 % le 01/06/2027 »; when the
    branch's minimum is higher: « Minimum conventionnel pour ce salarié (IDCC 1486) : 1 900,00 € (85 % du salaire
    minimum conventionnel de 2 235,29 €, Avenant n° 12 du …) ; minimum légal : 1 823,03 € (100 % du SMIC) »."""
    unite = " de l'heure" if minimum.horaire else ""
    legal = f"{montant_fr(minimum.montant_legal)} €{unite} ({minimum.taux} % du SMIC)"
    if minimum.origine == SMC:
        texte = (
            f"Minimum conventionnel pour ce salarié (IDCC {minimum.idcc}) : {montant_fr(minimum.montant)} €{unite} "
            f"({POURCENTAGE_SMC_LEGAL} % du salaire minimum conventionnel de {montant_fr(minimum.smc)} € par mois "
            f"pour 35 h, {minimum.smc_source}) ; minimum légal : {legal}"
        )
    elif minimum.origine == TAUX_BRANCHE:
        texte = (
            f"Minimum conventionnel pour ce salarié (IDCC {minimum.idcc}) : {montant_fr(minimum.montant)} €{unite} "
            f"({minimum.taux_branche}, {minimum.taux_branche_source}) ; minimum légal : {legal}"
        )
    else:
        texte = f"Minimum légal pour ce salarié : {legal}"
    for palier in minimum.paliers:
        texte += f" — passe à {palier.taux} % le {palier.date:%d/%m/%Y}"
    return texte
