"""Dated parameters and public holidays, as the rest of the portal asks for them.

- ``smic_horaire(date, territoire)``, ``smic_mensuel(date, territoire, heures_hebdo=35)``: the SMIC in force
  on a date, for ``"metropole"`` (métropole and DROM except Mayotte) or ``"mayotte"``;
- ``forfait_horaire(date, idcc=None, renforce=False)``: the hourly funding of a contrat de
  professionnalisation, the branch's level when one is recorded, else the legal default (D6332-86);
- ``smc_en_vigueur(idcc, date, niveau, coefficient)``, ``taux_conventionnel_en_vigueur(idcc, date, tranche,
  superieure)``: a branch's conventional minimum for an emploi, its own rate for the contrat de
  professionnalisation (the gestionnaires' grids, ``referentiels.models.minima``), None when none is known;
- ``parametre(code, date=None, variante="")``: a rule's dated figure (``ParametreRegle``, editable in the admin)
  in force on a date, today by default; ``variante``: its ``<code>__<VARIANTE>`` row first (per dispositif);
- ``jours_feries(annee, zone)``, ``est_ferie(date, zone)``, ``zone_pour_departement(code)``: French public
  holidays by zone (métropole, Alsace-Moselle, each overseas department) with the ``holidays`` package.

A date that no recorded parameter covers raises ``ParametreIntrouvable`` (a ``LookupError``) with a French
message: a wrong amount is worse than a visible error.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType

import holidays
from django.db import models
from django.utils import timezone

from portal.tables import lignes
from referentiels.models.minima import SalaireMinimumConventionnel, TauxConventionnel
from referentiels.models.parametres import ForfaitPriseEnCharge, ParametreRegle, PublicForfait, Smic, Territoire
from referentiels.search import normalize


class ParametreIntrouvable(LookupError):
    """No dated parameter covers the requested date."""


class Zone(models.TextChoices):
    """Zones of public holidays; the ``holidays`` subdivision of each is in ``_SUBDIVISIONS``."""

    METROPOLE = "metropole", "Métropole"
    ALSACE_MOSELLE = "alsace-moselle", "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)"
    GUADELOUPE = "guadeloupe", "Guadeloupe"
    MARTINIQUE = "martinique", "Martinique"
    GUYANE = "guyane", "Guyane"
    LA_REUNION = "la-reunion", "La Réunion"
    MAYOTTE = "mayotte", "Mayotte"
    SAINT_PIERRE_ET_MIQUELON = "saint-pierre-et-miquelon", "Saint-Pierre-et-Miquelon"
    SAINT_BARTHELEMY = "saint-barthelemy", "Saint-Barthélemy"
    SAINT_MARTIN = "saint-martin", "Saint-Martin"


# holidays 0.109, France: subdivisions "57" (Moselle) and "6AE" (Alsace) have the same two extra days
# (Vendredi saint, Saint-Étienne); the overseas departments are their INSEE codes; the COM are ISO codes.
_SUBDIVISIONS = {
    Zone.METROPOLE: None,
    Zone.ALSACE_MOSELLE: "57",
    Zone.GUADELOUPE: "971",
    Zone.MARTINIQUE: "972",
    Zone.GUYANE: "973",
    Zone.LA_REUNION: "974",
    Zone.MAYOTTE: "976",
    Zone.SAINT_PIERRE_ET_MIQUELON: "PM",
    Zone.SAINT_BARTHELEMY: "BL",
    Zone.SAINT_MARTIN: "MF",
}

_OUTRE_MER = {
    "971": Zone.GUADELOUPE,
    "972": Zone.MARTINIQUE,
    "973": Zone.GUYANE,
    "974": Zone.LA_REUNION,
    "975": Zone.SAINT_PIERRE_ET_MIQUELON,
    "976": Zone.MAYOTTE,
    "977": Zone.SAINT_BARTHELEMY,
    "978": Zone.SAINT_MARTIN,
}
_ALSACE_MOSELLE = {"57", "67", "68"}
_METROPOLE = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"Une date est attendue, pas {value!r}.")


def _territoire(value) -> str:
    if value not in Territoire.values:
        attendus = ", ".join(f"« {v} »" for v in Territoire.values)
        raise ValueError(f"Territoire inconnu pour le SMIC : « {value} » (attendus : {attendus}).")
    return value


# --------------------------------------------------------------------------------------------
# SMIC
# --------------------------------------------------------------------------------------------


def smic_en_vigueur(date, territoire: str = Territoire.METROPOLE) -> Smic:
    """The ``Smic`` row in force on ``date`` for ``territoire``."""
    jour = _as_date(date)
    territoire = _territoire(territoire)
    smic = _en_vigueur(r for r in lignes(Smic) if r.territoire == territoire and r.date_effet <= jour)
    if smic is None:
        libelle = Territoire(territoire).label
        raise ParametreIntrouvable(
            f"Aucun montant du SMIC ({libelle}) n'est connu au {jour:%d/%m/%Y} : chargez les paramètres "
            "(manage.py load_parametres) ou ajoutez-le dans l'administration."
        )
    return smic


def smic_horaire(date, territoire: str = Territoire.METROPOLE) -> Decimal:
    """Gross hourly SMIC in force on ``date`` (``Decimal``, in euros)."""
    return smic_en_vigueur(date, territoire).horaire


def smic_mensuel(date, territoire: str = Territoire.METROPOLE, heures_hebdo=35) -> Decimal:
    """Gross monthly SMIC on ``date``: the published amount at 35 h, else hourly × weekly hours × 52 / 12."""
    smic = smic_en_vigueur(date, territoire)
    heures = Decimal(str(heures_hebdo))
    if heures == 35:
        return smic.mensuel
    return (smic.horaire * heures * 52 / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def territoire_smic(code_departement) -> str:
    """``"mayotte"`` for département 976, ``"metropole"`` (métropole and the other DROM) otherwise."""
    zone = zone_pour_departement(code_departement)
    return Territoire.MAYOTTE if zone == Zone.MAYOTTE else Territoire.METROPOLE


# --------------------------------------------------------------------------------------------
# Forfaits de prise en charge (D6332-86)
# --------------------------------------------------------------------------------------------


def forfait_horaire(date, idcc: str | None = None, renforce: bool = False) -> Decimal:
    """Hourly funding in force on ``date``: the branch's (``idcc``) level if recorded, else the legal default.

    ``renforce``: contract with a person of the L6325-1-1 public or in a GEIQ insertion path (15 €/h by default).
    """
    jour = _as_date(date)
    public = PublicForfait.RENFORCE if renforce else PublicForfait.STANDARD
    ligne = forfait_en_vigueur(jour, idcc, renforce)
    if ligne is None:
        raise ParametreIntrouvable(
            f"Aucun forfait horaire de prise en charge ({PublicForfait(public).label.lower()}) n'est connu au "
            f"{jour:%d/%m/%Y} : chargez les paramètres (manage.py load_parametres) ou ajoutez-le dans "
            "l'administration."
        )
    return ligne.montant_horaire


def forfait_en_vigueur(
    date, idcc: str | None = None, renforce: bool = False, *, public: str = ""
) -> ForfaitPriseEnCharge | None:
    """The row ``forfait_horaire`` reads: the branch's (``idcc``) in force on ``date`` if any, else the legal one.

    ``public``: another public's forfaits (``PublicForfait.RECONVERSION``: the période de reconversion's)."""
    jour = _as_date(date)
    public = public or (PublicForfait.RENFORCE if renforce else PublicForfait.STANDARD)
    forfaits = [r for r in lignes(ForfaitPriseEnCharge) if r.public == public and r.date_effet <= jour]
    branche = str(idcc).strip() if idcc else ""
    return (branche and _en_vigueur(r for r in forfaits if r.idcc == branche)) or _en_vigueur(
        r for r in forfaits if r.idcc is None
    )


# --------------------------------------------------------------------------------------------
# Minima conventionnels des branches (SAL-03, SAL-04)
# --------------------------------------------------------------------------------------------


def _idcc(idcc) -> str:
    return str(idcc or "").strip()


_index: dict[str, tuple[tuple, dict]] = {}


def _par_idcc(modele) -> dict[str, list]:
    """The rows of ``modele`` by IDCC, built once per reading of the table (``lignes`` returns the same tuple
    while it is held): a few thousand grid lines cost a dict lookup, not a scan, on each of the salary rules."""
    rows = lignes(modele)
    cle = modele._meta.label
    tenu = _index.get(cle)
    if tenu is None or tenu[0] is not rows:
        index: dict[str, list] = {}
        for row in rows:
            index.setdefault(row.idcc, []).append(row)
        tenu = _index[cle] = (rows, index)
    return tenu[1]


def _meme_valeur(grille: str, contrat: str) -> bool:
    """A grid's niveau or coefficient matches the contract's as typed, give or take case, accents and spaces
    (« Niveau II » ≠ « II »: the gestionnaire enters the grid's own wording, the employer the CERFA's)."""
    return not grille or normalize(grille) == normalize(contrat or "")


def smc_en_vigueur(idcc, date, niveau: str = "", coefficient: str = "") -> SalaireMinimumConventionnel | None:
    """The branch's conventional minimum for this emploi on ``date``, None when the grid does not know it.

    Lines of the IDCC in force on ``date`` whose niveau and coefficient are blank or the contract's; the most
    precise wins (niveau and coefficient, then either, then the branch's floor), then the latest.
    """
    jour = _as_date(date)
    lignes_emploi = [
        r
        for r in _par_idcc(SalaireMinimumConventionnel).get(_idcc(idcc), ())
        if r.en_vigueur(jour) and _meme_valeur(r.niveau, niveau) and _meme_valeur(r.coefficient, coefficient)
    ]
    return max(
        lignes_emploi,
        key=lambda r: (bool(r.niveau) + bool(r.coefficient), r.date_debut, r.montant_mensuel),
        default=None,
    )


def taux_conventionnel_en_vigueur(idcc, date, tranche: str, superieure: bool) -> TauxConventionnel | None:
    """The branch's own rate for this age band and qualification on ``date`` (a column's line before one for
    every qualification, then the latest), None when the branch has none."""
    jour = _as_date(date)
    cases = [
        r
        for r in _par_idcc(TauxConventionnel).get(_idcc(idcc), ())
        if r.en_vigueur(jour) and r.applique_a(tranche, superieure)
    ]
    return max(cases, key=lambda r: (bool(r.qualification), r.date_debut), default=None)


# --------------------------------------------------------------------------------------------
# Paramètres des règles (faits [L] / [M] de RULES.md)
# --------------------------------------------------------------------------------------------


def parametre(code: str, date: datetime.date | None = None, variante: str = "") -> Decimal:
    """Value of the rule parameter ``code`` in force on ``date`` (today when ``None``).

    ``variante`` (a dispositif's code, say): the row ``<code>__<VARIANTE>`` in force on that date when AKTO
    recorded one, else ``code``'s. The table is held in memory (portal/tables.py) and read again as soon as a row
    changes: a value changed in the admin applies at once.
    """
    jour = timezone.localdate() if date is None else _as_date(date)
    ligne = parametre_en_vigueur(f"{code}__{variante.upper()}", jour) if variante else None
    ligne = ligne or parametre_en_vigueur(code, jour)
    if ligne is None:
        raise ParametreIntrouvable(
            f"Le paramètre de règle « {code} » n'a pas de valeur au {jour:%d/%m/%Y} : chargez les paramètres "
            "(manage.py load_parametres) ou ajoutez-le dans l'administration."
        )
    return ligne.valeur


def parametre_en_vigueur(code: str, date) -> ParametreRegle | None:
    """The ``ParametreRegle`` row of ``code`` in force on ``date`` (None when no row covers it)."""
    jour = _as_date(date)
    return _en_vigueur(r for r in lignes(ParametreRegle) if r.code == code and r.date_effet <= jour)


def _en_vigueur(rows):
    """The row with the latest ``date_effet`` (None for no row)."""
    return max(rows, key=lambda r: r.date_effet, default=None)


# --------------------------------------------------------------------------------------------
# Jours fériés
# --------------------------------------------------------------------------------------------


def zone_pour_departement(code_departement) -> str:
    """Holiday zone of a département code (``"67"``, ``"2A"``, ``"974"``, ``7`` → ``"07"``)."""
    code = str(code_departement if code_departement is not None else "").strip().upper()
    if code.isdigit() and len(code) < 2:
        code = code.zfill(2)
    if code in _OUTRE_MER:
        return _OUTRE_MER[code]
    if code in _ALSACE_MOSELLE:
        return Zone.ALSACE_MOSELLE
    if code in _METROPOLE:
        return Zone.METROPOLE
    raise ValueError(f"Département inconnu : « {code_departement} ».")


def _zone(value) -> Zone:
    try:
        return Zone(value)
    except ValueError:
        attendues = ", ".join(f"« {z} »" for z in Zone.values)
        raise ValueError(f"Zone de jours fériés inconnue : « {value} » (attendues : {attendues}).") from None


@lru_cache(maxsize=256)
def _feries(annee: int, zone: Zone) -> MappingProxyType:
    jours = holidays.France(years=annee, subdiv=_SUBDIVISIONS[zone], language="fr")
    return MappingProxyType(dict(sorted(jours.items())))


def jours_feries(annee: int, zone: str = Zone.METROPOLE) -> dict[datetime.date, str]:
    """Public holidays of ``annee`` in ``zone``, ``{date: libellé}`` in date order."""
    return dict(_feries(int(annee), _zone(zone)))


def est_ferie(date, zone: str = Zone.METROPOLE) -> bool:
    jour = _as_date(date)
    return jour in _feries(jour.year, _zone(zone))
