"""Legal minimum salary of a contrat de professionnalisation (RULES.md §2.5, D6325-15 to D6325-18, L6325-9).

``salaire_minimum(dossier)`` gives the minimum for the salarié at the contract's start, and the coming
age steps within the contract. A conventional minimum (branch grid, SMC) is never known to the portal:
for 26 years and over the minimum is max(100 % SMIC, 85 % of the salaire minimum conventionnel), computed
here as 100 % of the SMIC — the 85 % SMC check is left to the user (WARN SAL-03).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist

from dossiers.calculs.age import age_revolu
from dossiers.enums import Diplome, NatureContrat
from referentiels.parametres import ParametreIntrouvable, smic_horaire, smic_mensuel, territoire_smic

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
GRILLE = ((21, 55, 65), (26, 70, 80))
TAUX_26_ANS = 100
SEUILS_AGE = (21, 26)


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

    @property
    def unite(self) -> str:
        return "€/heure" if self.horaire else "€/mois"


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
    """The legal minimum at the contract's start (``date_debut``), None while it cannot be computed.

    Needs the start date, the salarié's date of birth and — under 26 — the highest diploma obtained.
    Rate by age at the start (under 21 / 21 to 25 / 26 and over) and diploma level; SMIC in force at the
    start for the employer's territory, prorated to the weekly hours (capped at 35 h: overtime is SAL-02;
    35 h when not yet entered); hourly for travail temporaire. The age steps (21st and 26th birthdays)
    take effect on the first day of the month following the birthday (D6325-16), listed when within the
    contract (before its end date, or all while the end date is empty).

    The conventional minimum (SMC) of the branch is not known: for 26 and over, the minimum is
    max(100 % SMIC, 85 % SMC) and is computed here as 100 % SMIC (SAL-03 asks the user to check the SMC).
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
    montant = (base * taux / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    paliers = []
    for seuil in SEUILS_AGE:
        if age < seuil:
            jour = premier_du_mois_suivant(anniversaire(naissance, seuil))
            if contrat.date_fin is None or jour <= contrat.date_fin:
                paliers.append(Palier(jour, seuil, taux_smic(seuil, superieur)))
    return SalaireMinimum(
        montant=montant,
        taux=taux,
        horaire=horaire,
        age=age,
        smic_horaire=smic_h,
        heures_hebdo=heures,
        diplome_superieur=superieur,
        diplome_ambigu=diplome in DIPLOMES_AMBIGUS,
        paliers=paliers,
    )


def montant_fr(montant: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1 234,50"`` (narrow no-break space as thousands separator)."""
    entier, decimales = f"{montant.quantize(CENT):.2f}".split(".")
    groupes = []
    while len(entier) > 3:
        entier, groupes = entier[:-3], [entier[-3:], *groupes]
    return "\u202f".join([entier, *groupes]) + "," + decimales


def libelle(minimum: SalaireMinimum) -> str:
    """« Minimum légal pour ce salarié : 1 234,56 € (65 % du SMIC) — passe à 80 % le 01/06/2027 »."""
    unite = " de l'heure" if minimum.horaire else ""
    texte = f"Minimum légal pour ce salarié : {montant_fr(minimum.montant)} €{unite} ({minimum.taux} % du SMIC)"
    for palier in minimum.paliers:
        texte += f" — passe à {palier.taux} % le {palier.date:%d/%m/%Y}"
    return texte
