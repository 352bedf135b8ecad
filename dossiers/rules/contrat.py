"""Rules of the Contrat tab (RULES.md §1.3.4, §2.2.2, §2.3, §2.5–§2.7, §2.9, §2.11, §2.14).

Each business rule carries its RULES.md id in its code (``CONTRAT_DUR_03``…). Dates: C9 ``date_debut``,
C11 ``date_fin``, C13 ``date_conclusion``, C10 ``date_effet_avenant``. The contract's type (C3) is the
dossier's ``type_contrat`` (wizard). Durations: « N months » ends on C9 + N months − 1 day (DUR-07).
The VAE experiment (type de qualification 8, EXP-02): C2 ``avenant_vae``, T7 ``naf_entreprise_utilisatrice``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from dossiers.calculs import salaire as _salaire
from dossiers.calculs.age import age_revolu
from dossiers.enums import (
    Diplome,
    DossierState,
    MinimumSocial,
    NatureContrat,
    SituationAvantContrat,
    TypeContrat,
    TypePublic,
    TypeQualification,
)
from dossiers.rules import lu_une_fois, obligatoire, regle, source
from referentiels.parametres import est_ferie, parametre

source("contrat", lambda dossier: dossier.contrat)

ONGLET = "contrat"
RENOUVELLEMENTS = TypeContrat.renouvellements()
DUREE_MINIMUM_MOIS = 6  # L6325-11
DUREE_MAXIMUM_MOIS = 12  # L6325-11
DUREE_MAXIMUM_RENFORCE_MOIS = 36  # L6325-11 (public L6325-1-1)
DUREE_MAXIMUM_ACCORD_MOIS = 24  # L6325-12 (branch agreement)
TYPE_QUALIFICATION_VAE = TypeQualification.VAE  # DUR-08: VAE experiment, no minimum duration
# DUR-08 / X-03: the experiment is open to contracts concluded from 28/05/2023 to 28/02/2026 (décret n° 2023-408,
# art. 5, [M]); an extension after February 2026 is not verified (RULES.md Q5).
VAE_CONCLUSION_DEBUT = dt.date(2023, 5, 28)
VAE_CONCLUSION_FIN = dt.date(2026, 2, 28)
SOURCE_VAE = "Notice 51650#09 (contrat de professionnalisation associant des actions de VAE, loi n° 2022-1598, art. 11)"
HEURES_MAXIMUM = 48  # L3121-20
HEURES_MAXIMUM_MINEUR = 35  # L3162-1
HEURES_LEGALES = 35  # L3121-27
JOURS_OUVRABLES_REMISE = 2  # L1242-13
JOURS_TRANSMISSION = 5  # D6325-1
# Facts RULES.md marks [L] / [M] (practice, not law) are dated parameters (``ParametreRegle``, editable in the
# admin, initial values in referentiels/data/parametres.json), read at the contract's start date (C9):
# DAT-04: "C9 − small tolerance" [M]: no official figure, to confirm with AKTO.
PARAM_TOLERANCE_DEBUT_FORMATION = "DAT04_TOLERANCE_JOURS"
# TP-04 [M]: calendar days for C8 — CDD ≤ 6 months: 2 weeks; longer: 1 month; CDI: 2 (employés) / 4 (cadres) months.
PARAM_ESSAI_CDD_COURT = "TP04_ESSAI_CDD_COURT_JOURS"
PARAM_ESSAI_CDD_LONG = "TP04_ESSAI_CDD_LONG_JOURS"
PARAM_ESSAI_CDI_EMPLOYES = "TP04_ESSAI_CDI_EMPLOYES_JOURS"
PARAM_ESSAI_CDI_CADRES = "TP04_ESSAI_CDI_CADRES_JOURS"
# SAL-02 [M]: overtime +25 % up to the 43rd hour, +50 % beyond (L3121-36 legal default, not re-read for the spec).
PARAM_MAJORATION_1_TAUX = "SAL02_MAJORATION_1_TAUX"
PARAM_MAJORATION_1_JUSQUA = "SAL02_MAJORATION_1_JUSQUA_HEURE"
PARAM_MAJORATION_2_TAUX = "SAL02_MAJORATION_2_TAUX"
ETATS_BROUILLON = (DossierState.BROUILLON, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE)


def _contrat(dossier):
    return dossier.contrat


def _formation(dossier):
    try:
        return dossier.formation
    except ObjectDoesNotExist:
        return None


def _formation_date(dossier, name):
    return getattr(_formation(dossier), name, None)


def jours(code: str, jour: dt.date | None) -> int:
    """A dated parameter counted in whole days (``parametre(code, jour)``, today when ``jour`` is None)."""
    return int(parametre(code, jour))


def tolerance_debut_formation(jour: dt.date | None = None) -> dt.timedelta:
    """DAT-04's tolerance before C9, parameter ``DAT04_TOLERANCE_JOURS`` in force on ``jour``."""
    return dt.timedelta(days=jours(PARAM_TOLERANCE_DEBUT_FORMATION, jour))


def ajoute_mois(jour: dt.date, mois: int) -> dt.date:
    """``jour`` + ``mois`` months, on the last day of the month when that day does not exist (31/01 + 1 → 28/02)."""
    annee, m = divmod(jour.month - 1 + mois, 12)
    annee += jour.year
    return dt.date(annee, m + 1, min(jour.day, calendar.monthrange(annee, m + 1)[1]))


def fin_apres_mois(debut: dt.date, mois: int) -> dt.date:
    """Last day of a duration of ``mois`` months starting on ``debut`` (DUR-07: C9 + N months − 1 day)."""
    return ajoute_mois(debut, mois) - dt.timedelta(days=1)


def age_au(dossier, jour: dt.date | None) -> int | None:
    naissance = dossier.salarie.date_naissance
    return None if naissance is None or jour is None else age_revolu(naissance, jour)


def public_renforce(dossier) -> bool:
    """RENF-01/02/03 (L6325-1-1): 16–25 without any diploma, job seeker > 1 year, RSA/ASS/AAH or ex-CUI."""
    salarie, contrat = dossier.salarie, _contrat(dossier)
    age = age_au(dossier, contrat.date_conclusion or contrat.date_debut)
    if age is not None and age < 26 and salarie.diplome_plus_eleve == Diplome.AUCUN:
        return True
    if salarie.inscrit_france_travail is True and (salarie.duree_inscription_mois or 0) > 12:
        return True
    return (
        salarie.minimum_social in MinimumSocial.values
        or salarie.situation_avant_contrat == SituationAvantContrat.CONTRAT_AIDE
    )


def type_qualification(dossier) -> str:
    """F7 (Formation tab), '' while it is not chosen."""
    return getattr(_formation(dossier), "type_qualification", "") or ""


def experimentation_vae(dossier) -> bool:
    return type_qualification(dossier) == TYPE_QUALIFICATION_VAE


def hors_experimentation_vae(dossier) -> bool:
    """F7 is chosen and is not 8: what only the VAE experiment allows (C2, T7) is out of place."""
    return type_qualification(dossier) not in ("", TYPE_QUALIFICATION_VAE)


def travail_temporaire_ou_geiq(dossier) -> bool:
    from dossiers.rules.salarie import travail_temporaire_ou_geiq as _ett_ou_ge

    return _ett_ou_ge(dossier)


def est_cdd(contrat) -> bool:
    return contrat.nature in (NatureContrat.CDD, NatureContrat.TRAVAIL_TEMPORAIRE)


# --- Mandatory fields (the guide's *), and the avenant's date d'effet exactly for type 30 -----------

# C1: one nature, except for the VAE experiment's avenant to the initial work contract (C2), where none.
obligatoire(ONGLET, "nature", when=lambda d: not _contrat(d).avenant_vae)
for _name in [
    "emploi",
    "niveau",
    "duree_essai_jours",
    "date_debut",
    "date_fin",
    "duree_hebdo_minutes",
    "salaire_brut",
    "date_conclusion",
]:
    obligatoire(ONGLET, _name)

# PROC-04 / X-09: « Le champ date d'effet d'avenant devient obligatoire à la saisie d'un contrat sous avenant ».
obligatoire(
    ONGLET,
    "date_effet_avenant",
    when=lambda d: d.type_contrat == TypeContrat.AVENANT,
    exigences=("PROC-04", "X-09"),
    source="Notice 51650#09 (avenant, type 30) ; Code du travail, art. D6325-13",
)
# in the VAE experiment, T7 (the user company's NAF) is « impératif » for an ETT or a GE/GEIQ employer.
obligatoire(
    ONGLET,
    "naf_entreprise_utilisatrice",
    code="CONTRAT_X03_NAF_UTILISATRICE_OBLIGATOIRE",
    when=lambda d: experimentation_vae(d) and travail_temporaire_ou_geiq(d),
    exigences=("X-03",),
    source=SOURCE_VAE,
)


# --- Nature, duration, renewal (RULES.md §2.3) --------------------------------------------------------


@regle(
    "CONTRAT_DUR_01",
    ONGLET,
    fields=["nature"],
    reads=["nature"],
    message=(
        "Le contrat de professionnalisation est un CDD ou un CDI : la nature « Travail temporaire » est réservée "
        "aux entreprises de travail temporaire."
    ),
    source="Code du travail, art. L6325-5",
    exigences=("DUR-01",),
)
def dur_01(dossier):
    """DUR-01 : CDD (L1242-3) ou CDI ; « travail temporaire » (CDD d'une ETT) seulement pour une ETT."""
    return _contrat(dossier).nature == NatureContrat.TRAVAIL_TEMPORAIRE and not dossier.employeur.travail_temporaire


def interimaire_d_une_ett(dossier) -> bool:
    """The wizard's *Quel est le type de public concerné ?* answered « Intérimaire » for a travail temporaire
    employer (a permanent of an ETT is hired as by any employer: CDD or CDI)."""
    return bool(dossier.employeur.travail_temporaire) and dossier.type_public == TypePublic.INTERIMAIRE


@regle(
    "CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE",
    ONGLET,
    fields=["nature"],
    reads=["nature"],
    message=(
        "Pour un intérimaire d'une entreprise de travail temporaire, la nature du contrat est « Travail "
        "temporaire » (le salaire est alors horaire) : choisissez-la à la place de « CDD »."
    ),
    source="Notice 51650#09 (nature du contrat : travail temporaire) ; Code du travail, art. L6325-23",
    exigences=("ETT-04", "X-05"),
)
def ett_04(dossier):
    """ETT-04 (X-05) : employeur de travail temporaire et public « Intérimaire » → C1 « Travail temporaire »
    (C14 horaire en découle, SAL-05), pas « CDD ».

    Ne contredit pas DUR-01 : « Travail temporaire » est le CDD (L1242-3) d'une ETT. Un CDI relève d'ETT-01
    (alerte ``CONTRAT_ETT01_CDI_INTERIMAIRE``) ; un permanent de l'ETT (public « Permanent ») choisit CDD ou CDI.
    """
    return interimaire_d_une_ett(dossier) and _contrat(dossier).nature == NatureContrat.CDD


@regle(
    "CONTRAT_ETT01_CDI_INTERIMAIRE",
    ONGLET,
    fields=["nature"],
    reads=["nature"],
    message=(
        "Une entreprise de travail temporaire conclut des contrats de professionnalisation à durée déterminée "
        "(nature « Travail temporaire ») : un CDI, y compris un CDI intérimaire, n'est pas prévu pour un "
        "intérimaire ; vérifiez la nature du contrat."
    ),
    alerte=True,
    source="Code du travail, art. L6325-23, L1251-58-1",
    exigences=("ETT-01", "ETT-05"),
)
def ett_01_cdi(dossier):
    """ETT-01 / ETT-05 : employeur de travail temporaire, public « Intérimaire » et CDI → alerte (la loi ne prévoit
    que le CDD ; le CDI intérimaire est un produit de branche)."""
    return interimaire_d_une_ett(dossier) and _contrat(dossier).nature == NatureContrat.CDI


@regle(
    "CONTRAT_DUR_02",
    ONGLET,
    fields=["date_debut"],
    reads=["nature", "date_debut", "date_fin"],
    message=(
        "En CDI, l'action de professionnalisation se situe au début du contrat : le cycle de formation doit "
        "commencer entre la date de début d'exécution et la date de fin de l'action de professionnalisation."
    ),
    source="Code du travail, art. L6325-11",
    exigences=("DUR-02",),
)
def dur_02(dossier):
    """DUR-02 : en CDI, l'action est au début du contrat (C9 = début de l'action, C11 = sa fin).

    Vérifiable quand la date de début du cycle de formation (onglet Formation) est saisie : elle doit se
    situer dans [C9, C11]. Se tait tant que l'onglet Formation ne la donne pas.
    """
    contrat = _contrat(dossier)
    debut_cycle = _formation_date(dossier, "date_debut_cycle")
    if contrat.nature != NatureContrat.CDI or debut_cycle is None:
        return False
    return not (contrat.date_debut <= debut_cycle <= contrat.date_fin)


@regle(
    "CONTRAT_DUR_03",
    ONGLET,
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message=(
        "La durée du CDD ou de l'action de professionnalisation doit être d'au moins 6 mois "
        "(date de fin au plus tôt la veille du même jour, 6 mois après la date de début)."
    ),
    source="Code du travail, art. L6325-11",
    exigences=("DUR-03", "DUR-08"),
)
def dur_03(dossier):
    """DUR-03 : durée (C9 → C11) d'au moins 6 mois : C11 ≥ C9 + 6 mois − 1 jour (DUR-07).

    Sauf expérimentation VAE (type de qualification 8, DUR-08) : pas de durée minimale.
    """
    contrat = _contrat(dossier)
    if contrat.date_fin <= contrat.date_debut or experimentation_vae(dossier):
        return False  # DAT-02 speaks
    return contrat.date_fin < fin_apres_mois(contrat.date_debut, DUREE_MINIMUM_MOIS)


@regle(
    "CONTRAT_DUR_04",
    ONGLET,
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message="La durée du CDD ou de l'action de professionnalisation ne peut pas dépasser 36 mois.",
    source="Code du travail, art. L6325-11",
    exigences=("DUR-04", "X-14"),
)
def dur_04(dossier):
    """DUR-04 : 36 mois au plus (public de l'article L6325-1-1) : C11 ≤ C9 + 36 mois − 1 jour."""
    contrat = _contrat(dossier)
    return contrat.date_fin > fin_apres_mois(contrat.date_debut, DUREE_MAXIMUM_RENFORCE_MOIS)


@regle(
    "CONTRAT_DUR_05",
    ONGLET,
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message=(
        "Durée supérieure à 12 mois : elle n'est possible que jusqu'à 24 mois si un accord de branche le prévoit, "
        "ou jusqu'à 36 mois pour les publics de l'article L6325-1-1 (jeunes sans qualification, demandeurs "
        "d'emploi depuis plus d'un an, bénéficiaires du RSA, de l'ASS, de l'AAH ou d'un CUI)."
    ),
    alerte=True,
    source="Code du travail, art. L6325-11, L6325-12",
    exigences=("DUR-05", "X-14"),
)
def dur_05(dossier):
    """DUR-05 (X-14) : de 12 mois et 1 jour à 24 mois, hors public L6325-1-1 et expérimentation VAE, un accord de
    branche doit le prévoir. Alerte : la table des accords de branche par IDCC n'est pas connue. Au-delà de
    24 mois, ``CONTRAT_X14_PLUS_DE_24_MOIS`` bloque.
    """
    contrat = _contrat(dossier)
    if public_renforce(dossier) or experimentation_vae(dossier):
        return False
    limite_24 = fin_apres_mois(contrat.date_debut, DUREE_MAXIMUM_ACCORD_MOIS)
    return fin_apres_mois(contrat.date_debut, DUREE_MAXIMUM_MOIS) < contrat.date_fin <= limite_24


MESSAGE_X14 = (
    "Durée supérieure à 24 mois : au-delà de 24 mois (et jusqu'à 36 mois), le contrat n'est possible que pour les "
    "publics de l'article L6325-1-1 (jeunes de 16 à 25 ans sans qualification, demandeurs d'emploi inscrits depuis "
    "plus d'un an, bénéficiaires du RSA, de l'ASS, de l'AAH ou d'un contrat aidé) ou dans l'expérimentation "
    "associant des actions de VAE (type de qualification 8). Un accord de branche ne permet pas de dépasser 24 mois."
)


def _message_x14(dossier):
    limite = fin_apres_mois(_contrat(dossier).date_debut, DUREE_MAXIMUM_ACCORD_MOIS)
    # What to do first: the message under the field shows one line until clicked.
    general = MESSAGE_X14.removeprefix("Durée supérieure à 24 mois : ")
    return (
        f"Durée supérieure à 24 mois : la date de fin doit être au plus tard le {limite:%d/%m/%Y}. "
        f"{general[0].upper()}{general[1:]} D'après l'onglet Salarié (âge, diplôme, inscription à France Travail, "
        "minimum social, situation avant le contrat), le salarié ne relève pas de ces publics."
    )


@regle(
    "CONTRAT_X14_PLUS_DE_24_MOIS",
    ONGLET,
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message=MESSAGE_X14,
    source="Code du travail, art. L6325-11, L6325-12",
    exigences=("X-14", "DUR-04", "DUR-05", "DUR-08"),
    message_de=_message_x14,
)
def x14_plus_de_24_mois(dossier):
    """X-14 (DUR-04, DUR-05, DUR-08) : de 24 mois et 1 jour à 36 mois (C11 > C9 + 24 mois − 1 jour), seuls le
    public de l'article L6325-1-1 (RENF-01/02/03, ``public_renforce``) et l'expérimentation VAE (type de
    qualification 8) sont admis ; pour toute autre personne, 24 mois au plus même avec un accord de branche
    (L6325-12). Au-delà de 36 mois, ``CONTRAT_DUR_04`` bloque pour tous. La mobilité internationale (DUR-06,
    24 mois) n'est pas saisie : elle ne change pas ce plafond.
    """
    contrat = _contrat(dossier)
    if public_renforce(dossier) or experimentation_vae(dossier):
        return False
    limite_24 = fin_apres_mois(contrat.date_debut, DUREE_MAXIMUM_ACCORD_MOIS)
    return limite_24 < contrat.date_fin <= fin_apres_mois(contrat.date_debut, DUREE_MAXIMUM_RENFORCE_MOIS)


@regle(
    "CONTRAT_DUR_09",
    ONGLET,
    fields=["nature"],
    reads=["nature"],
    message=(
        "Un nouveau contrat (types 21 à 24 : renouvellement) n'est possible qu'en CDD : choisissez la nature CDD."
    ),
    source="Code du travail, art. L6325-7",
    exigences=("DUR-09", "X-07"),
)
def dur_09(dossier):
    """DUR-09 (X-07) : les types 21, 22, 23 et 24 sont un renouvellement de CDD.

    Le renouvellement unique est ``CONTRAT_DUR_09_CONTRAT_PRECEDENT``, quand le portail connaît le contrat
    précédent.
    """
    return dossier.type_contrat in RENOUVELLEMENTS and _contrat(dossier).nature != NatureContrat.CDD


def autres_contrats(dossier):
    """The other dossiers of this salarié with this employer whose contract the portal knows, or None.

    The same salarié: the same keyed fingerprint of the NIR (``Salarie.nir_empreinte``, never the clear NIR); the
    same employer: the same SIREN (first 9 digits of the SIRET); known: sent to AKTO and not refused
    (``DossierState.contrats_conclus``); avenants (type 30) are no contract of their own. None, and no query, when the
    NIR or the SIRET is not entered, or when the dossier's load found no such dossier (``Dossier.indice``).
    """
    from dossiers.models import Dossier

    empreinte, siren = dossier.salarie.nir_empreinte, (dossier.employeur.siret or "")[:9]
    if not empreinte or len(siren) != 9:
        return None
    if dossier.indice("contrat", dossier.type_contrat, empreinte, siren) is False:
        return None
    autres = Dossier.objects.filter(
        state__in=DossierState.contrats_conclus(), salarie__nir_empreinte=empreinte, employeur__siret__startswith=siren
    ).exclude(type_contrat=TypeContrat.AVENANT)
    return autres.exclude(pk=dossier.pk) if dossier.pk is not None else autres


def contrat_dates(contrat) -> tuple:
    return contrat.date_debut, contrat.date_fin


def _cle_autres_contrats(dossier) -> tuple:
    contrat = _contrat(dossier)
    return (dossier.type_contrat, dossier.salarie.nir_empreinte, dossier.employeur.siret, *contrat_dates(contrat))


def contrat_precedent(dossier, *, relire: bool = False) -> tuple[str, str, str] | None:
    """(number, type, nature) of the salarié's last contract with this employer ended on or before C9 (one
    query; none when ``autres_contrats`` needs none), None when the portal knows none."""

    def lire():
        autres = autres_contrats(dossier)
        if autres is None:
            return None
        return (
            autres.filter(contrat__date_fin__lte=_contrat(dossier).date_debut)
            .order_by("-contrat__date_fin", "-pk")
            .values_list("numero", "type_contrat", "contrat__nature")
            .first()
        )

    return lu_une_fois(dossier, "_contrat_precedent", _cle_autres_contrats(dossier), lire, relire=relire)


def _precedent_interdit(dossier, *, relire: bool = False) -> tuple[str, str, str] | None:
    """The previous contract when it forbids this renewal: itself a renewal (types 21–24), or a CDI."""
    if dossier.type_contrat not in RENOUVELLEMENTS:
        return None
    precedent = contrat_precedent(dossier, relire=relire)
    if precedent is None:
        return None
    _numero, type_contrat, nature = precedent
    return precedent if type_contrat in RENOUVELLEMENTS or nature == NatureContrat.CDI else None


MESSAGE_DUR_09_PRECEDENT = (
    "Un contrat de professionnalisation à durée déterminée ne se renouvelle qu'une fois (types 21 à 24), et un CDI "
    "ne se renouvelle pas : le contrat précédent de ce salarié chez cet employeur ne le permet pas."
)


def _message_dur_09_precedent(dossier):
    precedent = _precedent_interdit(dossier)
    if precedent is None:
        return MESSAGE_DUR_09_PRECEDENT
    numero, type_contrat, _nature = precedent
    if type_contrat in RENOUVELLEMENTS:
        pourquoi = "était déjà un renouvellement : un second renouvellement n'est pas possible"
    else:
        pourquoi = "est un CDI : seul un CDD se renouvelle"
    return (
        f"Le contrat précédent de ce salarié chez cet employeur (dossier n° {numero}) {pourquoi} "
        "(article L6325-7). Choisissez un autre type de contrat."
    )


@regle(
    "CONTRAT_DUR_09_CONTRAT_PRECEDENT",
    ONGLET,
    fields=["type_contrat"],
    reads=["date_debut"],
    message=MESSAGE_DUR_09_PRECEDENT,
    source="Code du travail, art. L6325-7",
    exigences=("DUR-09", "X-07"),
    message_de=_message_dur_09_precedent,
)
def dur_09_contrat_precedent(dossier):
    """DUR-09 (X-07) : types 21 à 24, un seul renouvellement d'un CDD avec le même employeur.

    Vérifiable quand le portail connaît le contrat précédent (``contrat_precedent`` : le dernier dossier du même
    salarié et du même employeur, transmis ou accepté, dont le contrat finit au plus tard à C9) : bloque s'il
    était lui-même un renouvellement (types 21 à 24) ou un CDI. Se tait quand aucun n'est connu (contrat conclu
    hors du portail, ou NIR pas encore saisi) : le portail ne peut pas le vérifier. Le message ne dit de l'autre
    dossier que son numéro.
    """
    return _precedent_interdit(dossier, relire=True) is not None


def contrat_modifie(dossier, *, relire: bool = False) -> tuple[str, dt.date, dt.date] | None:
    """(number, C9, C11) of the contract this avenant (type 30) amends, when the portal knows it: the one accepted
    dossier of the salarié with this employer (``autres_contrats``) whose contract overlaps this one's C9 → C11.
    None when there is none, or more than one (which one is amended is then unknown). One query at most."""

    def lire():
        autres = autres_contrats(dossier)
        if autres is None:
            return None
        contrat = _contrat(dossier)
        candidats = autres.filter(
            state=DossierState.ACCEPTE,
            contrat__date_debut__lte=contrat.date_fin,
            contrat__date_fin__gte=contrat.date_debut,
        )
        lignes = list(candidats.order_by("pk").values_list("numero", "contrat__date_debut", "contrat__date_fin")[:2])
        return lignes[0] if len(lignes) == 1 else None

    return lu_une_fois(dossier, "_contrat_modifie", _cle_autres_contrats(dossier), lire, relire=relire)


def _x09_dates_differentes(dossier) -> bool:
    if dossier.type_contrat != TypeContrat.AVENANT:
        return False
    modifie = contrat_modifie(dossier, relire=True)
    return modifie is not None and modifie[1:] != contrat_dates(_contrat(dossier))


MESSAGE_X09 = (
    "Un avenant (type 30) reprend la date de début et la date de fin du contrat qu'il modifie (la date d'effet dit "
    "quand il s'applique) : elles diffèrent de celles du contrat accepté de ce salarié chez cet employeur."
)


def _message_x09(dossier):
    modifie = contrat_modifie(dossier)
    if modifie is None:
        return MESSAGE_X09
    return (
        f"{MESSAGE_X09[:-1]} (dossier n° {modifie[0]}). Vérifiez-les, ou le type de contrat si ce n'est pas un "
        "avenant à ce contrat."
    )


@regle(
    "CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE",
    ONGLET,
    fields=["date_debut"],
    reads=["date_debut", "date_fin"],
    message=MESSAGE_X09,
    alerte=True,
    source="Notice 51650#09 (avenant : dates du contrat initial) ; Code du travail, art. D6325-13",
    exigences=("X-09",),
    message_de=_message_x09,
)
def x09_dates_du_contrat_modifie(dossier):
    """X-09 : type 30 → C9 et C11 sont ceux du contrat modifié, quand le portail le connaît (``contrat_modifie`` :
    le seul dossier accepté du même salarié et du même employeur dont le contrat chevauche celui-ci).

    Alerte, et non blocage comme le dit RULES.md : le contrat modifié n'est pas désigné par l'utilisateur, le
    portail le déduit ; un contrat conclu hors du portail, ou deux contrats qui chevauchent, le laissent inconnu et
    la règle se tait. Le message ne dit de l'autre dossier que son numéro.
    """
    return _x09_dates_differentes(dossier)


@regle(
    "CONTRAT_DUR_13",
    ONGLET,
    fields=["nature"],
    reads=["nature"],
    message=(
        "Un contrat conclu avec deux employeurs pour une activité saisonnière (type 12) est un CDD : "
        "choisissez la nature CDD."
    ),
    source="Code du travail, art. L6325-4-1",
    exigences=("DUR-13", "X-08"),
)
def dur_13(dossier):
    """DUR-13 (X-08) : type 12 (deux employeurs, activité saisonnière) → nature CDD.

    L'âge (16 à 25 ans révolus au début) est ``CONTRAT_DUR_13_AGE`` ; la convention tripartite à joindre est le
    type de document « Convention tripartite », obligatoire pour le seul type 12 (``documents/types.py``, règle
    ``DOCUMENTS_CONVENTION_TRIPARTITE_OBLIGATOIRE``).
    """
    return dossier.type_contrat == TypeContrat.INITIAL_SAISONNIER and _contrat(dossier).nature != NatureContrat.CDD


AGE_SAISONNIER_MINIMUM = 16
AGE_SAISONNIER_MAXIMUM = 26  # "16 à 25 ans révolus": up to the day before the 26th birthday
MESSAGE_DUR_13_AGE = (
    "Un contrat conclu avec deux employeurs pour une activité saisonnière (type 12) est réservé aux personnes "
    "de 16 à 25 ans révolus à la date de début d'exécution du contrat (article L6325-4-1)."
)


def _message_dur_13_age(dossier):
    age = age_au(dossier, _contrat(dossier).date_debut)
    if age is not None and age < AGE_SAISONNIER_MINIMUM:
        return (
            f"{MESSAGE_DUR_13_AGE} Le salarié a {age} ans à cette date : le contrat commence au plus tôt à ses 16 ans."
        )
    return f"{MESSAGE_DUR_13_AGE} Le salarié a {age} ans à cette date : choisissez un autre type de contrat."


@regle(
    "CONTRAT_DUR_13_AGE",
    ONGLET,
    fields=["type_contrat"],
    reads=["date_debut"],
    message=MESSAGE_DUR_13_AGE,
    source="Code du travail, art. L6325-4-1, L6325-1 (1°)",
    exigences=("DUR-13", "X-08"),
    message_de=_message_dur_13_age,
)
def dur_13_age(dossier):
    """DUR-13 (X-08) : type 12 → public 1° de l'article L6325-1 seulement, c'est-à-dire 16 à 25 ans révolus à la
    date de début d'exécution (C9) : du 16e anniversaire à la veille du 26e. Se tait tant que la date de
    naissance (onglet Salarié) manque.
    """
    if dossier.type_contrat != TypeContrat.INITIAL_SAISONNIER:
        return False
    age = age_au(dossier, _contrat(dossier).date_debut)
    return age is not None and not AGE_SAISONNIER_MINIMUM <= age < AGE_SAISONNIER_MAXIMUM


# --- The VAE experiment (RULES.md §2.11 EXP-02, DUR-08, X-03, X-04) ------------------------------------


@regle(
    "CONTRAT_DUR_08_X03_PERIODE_VAE",
    ONGLET,
    fields=["date_conclusion"],
    reads=["date_conclusion"],
    message=(
        "L'expérimentation associant des actions de VAE (type de qualification 8) n'est ouverte qu'aux contrats "
        "conclus du 28/05/2023 au 28/02/2026 : vérifiez la date de conclusion, ou le type de qualification "
        "(onglet Formation)."
    ),
    source=f"{SOURCE_VAE} ; décret n° 2023-408, art. 5",
    exigences=("DUR-08", "X-03", "EXP-02"),
)
def dur_08_periode_vae(dossier):
    """DUR-08 / X-03 : type de qualification 8 → C13 du 28/05/2023 au 28/02/2026 inclus (décret 2023-408, [M]).

    Les autres effets de DUR-08 (pas de durée minimale, 36 mois au plus) sont dans DUR-03, DUR-05 et X-14.
    """
    conclusion = _contrat(dossier).date_conclusion
    return experimentation_vae(dossier) and not (VAE_CONCLUSION_DEBUT <= conclusion <= VAE_CONCLUSION_FIN)


@regle(
    "CONTRAT_X03_AVENANT_VAE_TYPE_8",
    ONGLET,
    fields=["avenant_vae"],
    reads=["avenant_vae"],
    message=(
        "Cette case ne se coche que pour un contrat de professionnalisation associant des actions de VAE : "
        "choisissez le type de qualification 8 (onglet Formation), ou décochez-la."
    ),
    source=SOURCE_VAE,
    exigences=("X-03",),
)
def x03_avenant_vae(dossier):
    """X-03 : C2 (le contrat vaut avenant au contrat de travail initial) seulement avec le type de qualification 8.

    Se tait tant que le type de qualification (onglet Formation) n'est pas choisi.
    """
    return _contrat(dossier).avenant_vae is True and hors_experimentation_vae(dossier)


@regle(
    "CONTRAT_X03_NAF_UTILISATRICE_TYPE_8",
    ONGLET,
    fields=["naf_entreprise_utilisatrice"],
    reads=["naf_entreprise_utilisatrice"],
    message=(
        "Le code activité de l'entreprise utilisatrice ne se renseigne que pour un contrat de professionnalisation "
        "associant des actions de VAE : choisissez le type de qualification 8 (onglet Formation), ou videz ce champ."
    ),
    source=SOURCE_VAE,
    exigences=("X-03",),
)
def x03_naf_utilisatrice(dossier):
    """X-03 : T7 (NAF de l'entreprise utilisatrice) seulement avec le type de qualification 8.

    Se tait tant que le type de qualification (onglet Formation) n'est pas choisi.
    """
    return hors_experimentation_vae(dossier)


@regle(
    "CONTRAT_X04_AVENANT_VAE_SANS_NATURE",
    ONGLET,
    fields=["nature"],
    reads=["avenant_vae", "nature"],
    message=(
        "Le contrat vaut avenant au contrat de travail initial : ne renseignez pas la nature du contrat "
        "(CDI, CDD ou travail temporaire)."
    ),
    source="Notice 51650#09 (« ne cocher aucune des cases relatives à la nature du contrat »)",
    exigences=("X-04",),
)
def x04_avenant_vae_sans_nature(dossier):
    """X-04 : C2 cochée → aucune des cases C1 (CDI, CDD, travail temporaire)."""
    return _contrat(dossier).avenant_vae is True


# --- Dates (RULES.md §2.3 DAT-*) ------------------------------------------------------------------------


def jours_ouvrables_apres(jour: dt.date, n: int) -> dt.date:
    """The n-th jour ouvrable after ``jour`` (all days but Sundays and public holidays, métropole)."""
    while n:
        jour += dt.timedelta(days=1)
        if jour.weekday() != 6 and not est_ferie(jour):
            n -= 1
    return jour


@regle(
    "CONTRAT_DAT_01",
    ONGLET,
    fields=["date_conclusion"],
    reads=["date_conclusion", "date_debut"],
    message=(
        "La date de conclusion est postérieure de plus de 2 jours ouvrables à la date de début d'exécution : "
        "le contrat doit être remis au salarié au plus tard dans les 2 jours ouvrables suivant l'embauche."
    ),
    alerte=True,
    source="Code du travail, art. L1242-13",
    exigences=("DAT-01",),
)
def dat_01(dossier):
    """DAT-01 : C13 ≤ C9 + 2 jours ouvrables (dimanches et jours fériés de métropole exclus)."""
    contrat = _contrat(dossier)
    return contrat.date_conclusion > jours_ouvrables_apres(contrat.date_debut, JOURS_OUVRABLES_REMISE)


@regle(
    "CONTRAT_DAT_02",
    ONGLET,
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message="La date de fin doit être postérieure à la date de début d'exécution du contrat.",
    source="Code du travail, art. L6325-11",
    exigences=("DAT-02",),
)
def dat_02(dossier):
    """DAT-02 : C9 < C11."""
    contrat = _contrat(dossier)
    return contrat.date_fin <= contrat.date_debut


@regle(
    "CONTRAT_DAT_03",
    ONGLET,
    fields=["date_debut"],
    reads=["date_debut"],
    message=(
        "Le contrat doit être transmis à l'OPCO au plus tard 5 jours après le début de son exécution : "
        "ce délai est dépassé."
    ),
    alerte=True,
    source="Code du travail, art. D6325-1",
    exigences=("DAT-03",),
)
def dat_03(dossier):
    """DAT-03 : transmission ≤ C9 + 5 jours calendaires. Un brouillon n'est pas encore transmis : le délai est
    dépassé dès qu'aujourd'hui est après C9 + 5 jours.
    """
    if dossier.state not in ETATS_BROUILLON:
        return False
    return timezone.localdate() > _contrat(dossier).date_debut + dt.timedelta(days=JOURS_TRANSMISSION)


@regle(
    "CONTRAT_DAT_04",
    ONGLET,
    fields=["date_debut"],
    reads=["date_debut", "date_fin"],
    message=(
        "La date de début du cycle de formation (onglet Formation) doit se situer entre la date de début "
        "d'exécution et la date de fin du contrat."
    ),
    alerte=True,
    source="Code du travail, art. L6325-11",
    exigences=("DAT-04",),
)
def dat_04(dossier):
    """DAT-04 : F15 dans [C9 − tolérance, C11].

    La tolérance (en jours, 0 au départ, [M] : aucun chiffre officiel, à confirmer avec AKTO) est un paramètre daté
    modifiable dans l'administration (Paramètres des règles), code ``DAT04_TOLERANCE_JOURS``, lu à la date C9.
    Se tait tant que la date de début du cycle (onglet Formation) n'est pas saisie.
    """
    contrat = _contrat(dossier)
    debut_cycle = _formation_date(dossier, "date_debut_cycle")
    if debut_cycle is None:
        return False
    tolerance = tolerance_debut_formation(contrat.date_debut)
    return not (contrat.date_debut - tolerance <= debut_cycle <= contrat.date_fin)


@regle(
    "CONTRAT_DAT_05",
    ONGLET,
    fields=["date_fin"],
    reads=["nature", "date_fin"],
    message=(
        "La date prévue de fin des épreuves ou examens (onglet Formation) est postérieure à la fin du CDD : "
        "la qualification est l'objet du contrat."
    ),
    alerte=True,
    source="Code du travail, art. L6325-1",
    exigences=("DAT-05",),
)
def dat_05(dossier):
    """DAT-05 : en CDD, F16 (fin prévue des épreuves, onglet Formation) ≤ C11."""
    contrat = _contrat(dossier)
    fin_examens = _formation_date(dossier, "date_fin_examens")
    return est_cdd(contrat) and fin_examens is not None and fin_examens > contrat.date_fin


@regle(
    "CONTRAT_DAT_06",
    ONGLET,
    fields=["date_effet_avenant"],
    reads=["date_effet_avenant", "date_debut", "date_fin"],
    message="La date d'effet de l'avenant doit se situer entre la date de début et la date de fin du contrat.",
    source="Notice 51650#09 (avenant, type 30) ; Code du travail, art. D6325-13",
    exigences=("DAT-06", "X-09", "PROC-04"),
)
def dat_06(dossier):
    """DAT-06 : type 30 → C9 ≤ C10 ≤ C11."""
    contrat = _contrat(dossier)
    if dossier.type_contrat != TypeContrat.AVENANT:
        return False
    return not (contrat.date_debut <= contrat.date_effet_avenant <= contrat.date_fin)


# --- Minimum salary (RULES.md §2.5) -------------------------------------------------------------------------


def _minimum(dossier):
    return _salaire.salaire_minimum(dossier)


def _sous_minimum(dossier, horaire: bool) -> bool:
    minimum = _minimum(dossier)
    if minimum is None or minimum.horaire is not horaire:
        return False
    return _contrat(dossier).salaire_brut < minimum.montant_legal


@regle(
    "CONTRAT_SAL_01",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut"],
    message=(
        "Le salaire est inférieur au minimum légal pour ce salarié (pourcentage du SMIC selon son âge et son "
        "niveau de formation)."
    ),
    source="Code du travail, art. D6325-15, D6325-18, L6325-9",
    exigences=("SAL-01", "X-24"),
)
def sal_01(dossier):
    """SAL-01 (X-24) : C14 ≥ taux × SMIC horaire(C9) × min(durée hebdomadaire, 35) × 52 / 12.

    Taux par âge au début et niveau de diplôme (``dossiers.calculs.salaire``) ; le SMIC est un paramètre daté
    (``referentiels.parametres``). Se tait tant que la date de naissance ou le diplôme (onglet Salarié)
    manquent.
    """
    return _sous_minimum(dossier, horaire=False)


@regle(
    "CONTRAT_SAL_05",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut", "nature"],
    message="Le salaire horaire est inférieur au minimum légal pour ce salarié (pourcentage du SMIC horaire).",
    source="Code du travail, art. D6325-15, D6325-18, L6325-9",
    exigences=("SAL-05", "X-24", "X-05", "ETT-04"),
)
def sal_05(dossier):
    """SAL-05 : travail temporaire, C14 est horaire : C14 ≥ taux × SMIC horaire(C9)."""
    return _sous_minimum(dossier, horaire=True)


def heures_payees_equivalentes(heures: Decimal, jour: dt.date | None = None) -> Decimal:
    """Weekly hours paid as hours at the normal rate: overtime by default +25 % for the 36th to the 43rd hour,
    +50 % beyond (L3121-36, [M]); rates and limit are the SAL02_* parameters in force on ``jour``."""
    taux_1 = 1 + parametre(PARAM_MAJORATION_1_TAUX, jour) / 100
    jusqua = parametre(PARAM_MAJORATION_1_JUSQUA, jour)
    taux_2 = 1 + parametre(PARAM_MAJORATION_2_TAUX, jour) / 100
    sup = max(heures - HEURES_LEGALES, 0)
    return HEURES_LEGALES + min(sup, max(jusqua - HEURES_LEGALES, 0)) * taux_1 + max(heures - jusqua, 0) * taux_2


@regle(
    "CONTRAT_SAL_02",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "duree_hebdo_minutes", "date_debut"],
    message=(
        "Durée hebdomadaire supérieure à 35 h : les heures supplémentaires sont majorées (25 % de la 36e à la "
        "43e heure, 50 % au-delà, sauf accord) ; le salaire saisi ne semble pas les inclure."
    ),
    alerte=True,
    source="Code du travail, art. L3121-36",
    exigences=("SAL-02",),
)
def sal_02(dossier):
    """SAL-02 : au-delà de 35 h, C14 ≥ minimum à 35 h × (35 + heures majorées) / 35.

    Les majorations (25 % jusqu'à la 43e heure, 50 % au-delà : défaut légal, [M], à confirmer) sont des paramètres
    datés modifiables dans l'administration (Paramètres des règles), codes ``SAL02_MAJORATION_1_TAUX``,
    ``SAL02_MAJORATION_1_JUSQUA_HEURE`` et ``SAL02_MAJORATION_2_TAUX``, lus à la date C9.
    """
    contrat = _contrat(dossier)
    heures = Decimal(contrat.duree_hebdo_minutes) / 60
    minimum = _minimum(dossier)
    if heures <= HEURES_LEGALES or minimum is None or minimum.horaire:
        return False
    equivalentes = heures_payees_equivalentes(heures, contrat.date_debut)
    return contrat.salaire_brut < minimum.montant * equivalentes / HEURES_LEGALES


IDCC_SANS_CONVENTION = "9999"  # « Sans convention collective » (referentiels/data/idcc.csv.gz): no SMC to look for


def _unite(minimum) -> str:
    return " de l'heure" if minimum.horaire else ""


def _sous_conventionnel(dossier, attribut: str) -> bool:
    """C14 under the branch's minimum ``attribut`` of ``SalaireMinimum``, when it is known and above the legal one
    (below the legal one, SAL-01 / SAL-05 already say it)."""
    minimum = _minimum(dossier)
    conventionnel = getattr(minimum, attribut, None)
    if conventionnel is None or conventionnel <= minimum.montant_legal:
        return False
    return _contrat(dossier).salaire_brut < conventionnel


def _message_sal_03(dossier) -> str:
    minimum = _minimum(dossier)
    return (
        f"Salarié de 26 ans ou plus : le salaire doit atteindre 85 % du salaire minimum conventionnel de l'emploi, "
        f"soit {_salaire.montant_fr(minimum.minimum_smc)} €{_unite(minimum)} (minimum conventionnel de "
        f"{_salaire.montant_fr(minimum.smc)} € par mois pour 35 h, convention collective IDCC {minimum.idcc}, "
        f"{minimum.smc_source})."
    )


@regle(
    "CONTRAT_SAL_03",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut"],
    message=(
        "Salarié de 26 ans ou plus : le salaire doit atteindre 85 % du salaire minimum conventionnel de l'emploi "
        "(grille de la branche en vigueur au début du contrat)."
    ),
    source="Code du travail, art. L6325-9, D6325-18",
    exigences=("SAL-03",),
    message_de=_message_sal_03,
)
def sal_03(dossier):
    """SAL-03 : à partir de 26 ans au début du contrat, C14 ≥ 85 % du salaire minimum conventionnel (SMC).

    Le SMC est celui de la grille de la branche (IDCC de l'employeur) saisie par les gestionnaires dans
    l'administration (Salaires minima conventionnels), en vigueur à la date C9, pour le niveau et le coefficient du
    contrat ; proratisé selon la durée hebdomadaire comme le SMIC. Inconnu : alerte ``CONTRAT_SAL_03_SMC_INCONNU``.
    """
    return _sous_conventionnel(dossier, "minimum_smc")


@regle(
    "CONTRAT_SAL_03_SMC_INCONNU",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut"],
    message=(
        "Salarié de 26 ans ou plus : le salaire doit aussi atteindre 85 % du salaire minimum conventionnel de "
        "l'emploi (classification, niveau, coefficient) ; vérifiez-le, le portail ne connaît pas la grille de "
        "cette branche pour cet emploi."
    ),
    alerte=True,
    source="Code du travail, art. L6325-9, D6325-18",
    exigences=("SAL-03",),
)
def sal_03_smc_inconnu(dossier):
    """SAL-03 (alerte) : à partir de 26 ans, aucune ligne de la grille de la branche ne couvre l'emploi à la date
    C9 (ni l'IDCC, ni le niveau, ni le coefficient, ou pas à cette date) : l'utilisateur vérifie lui-même. Se tait
    sans convention collective (IDCC 9999)."""
    age = age_au(dossier, _contrat(dossier).date_debut)
    if age is None or age < 26 or (dossier.employeur.idcc or "").strip() == IDCC_SANS_CONVENTION:
        return False
    minimum = _minimum(dossier)
    return minimum is None or minimum.smc is None


def _message_sal_04(dossier) -> str:
    minimum = _minimum(dossier)
    return (
        f"Le salaire est inférieur au minimum prévu par la convention collective (IDCC {minimum.idcc}) pour ce "
        f"salarié : {_salaire.montant_fr(minimum.minimum_branche)} €{_unite(minimum)} ({minimum.taux_branche}, "
        f"{minimum.taux_branche_source})."
    )


@regle(
    "CONTRAT_SAL_04",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut"],
    message=(
        "Le salaire est inférieur au minimum prévu par la convention collective de la branche pour ce salarié "
        "(taux conventionnel selon son âge et son niveau de formation)."
    ),
    source="Code du travail, art. L6325-8, L6325-9, D6325-15 ; accord de branche (taux conventionnels)",
    exigences=("SAL-04",),
    message_de=_message_sal_04,
)
def sal_04(dossier):
    """SAL-04 : la branche (IDCC de l'employeur) a un taux plus favorable pour l'âge et la qualification du salarié
    (Taux conventionnels, saisis par les gestionnaires, en vigueur à la date C9) : C14 ≥ ce taux × SMIC ou × SMC,
    proratisé selon la durée hebdomadaire (horaire en travail temporaire)."""
    return _sous_conventionnel(dossier, "minimum_branche")


def _message_sal_04_smc_inconnu(dossier) -> str:
    minimum = _minimum(dossier)
    return (
        f"La convention collective (IDCC {minimum.idcc}) fixe le salaire de ce salarié à au moins "
        f"{_salaire.taux_fr(minimum.pourcentage_smc_inconnu)} % du salaire minimum conventionnel de l'emploi, que "
        "le portail ne connaît pas pour ce niveau et ce coefficient : vérifiez-le."
    )


@regle(
    "CONTRAT_SAL_04_SMC_INCONNU",
    ONGLET,
    fields=["salaire_brut"],
    reads=["salaire_brut", "date_debut"],
    message=(
        "La convention collective fixe le salaire de ce salarié en pourcentage du salaire minimum conventionnel de "
        "l'emploi, que le portail ne connaît pas pour ce niveau et ce coefficient : vérifiez-le."
    ),
    alerte=True,
    source="Code du travail, art. L6325-8 ; accord de branche (taux conventionnels)",
    exigences=("SAL-04",),
    message_de=_message_sal_04_smc_inconnu,
)
def sal_04_smc_inconnu(dossier):
    """SAL-04 (alerte) : le taux de la branche pour l'âge et la qualification du salarié est un pourcentage du
    salaire minimum conventionnel, mais la grille des salaires de la branche ne couvre pas l'emploi à la date C9."""
    minimum = _minimum(dossier)
    return minimum is not None and minimum.pourcentage_smc_inconnu is not None


# --- Working time (RULES.md §2.6, §2.2.2) ------------------------------------------------------------------


@regle(
    "CONTRAT_WT_02",
    ONGLET,
    fields=["duree_hebdo_minutes"],
    reads=["duree_hebdo_minutes"],
    message="La durée hebdomadaire du travail ne peut pas dépasser 48 heures.",
    source="Code du travail, art. L3121-20",
    exigences=("WT-02",),
)
def wt_02(dossier):
    """WT-02 : C12 ≤ 48 h (durée maximale hebdomadaire absolue)."""
    return _contrat(dossier).duree_hebdo_minutes > HEURES_MAXIMUM * 60


@regle(
    "CONTRAT_MIN_01",
    ONGLET,
    fields=["duree_hebdo_minutes"],
    reads=["duree_hebdo_minutes", "date_debut"],
    message="Un salarié mineur ne peut pas travailler plus de 35 heures par semaine.",
    source="Code du travail, art. L3162-1",
    exigences=("MIN-01", "WT-04", "X-23"),
)
def min_01(dossier):
    """MIN-01 (X-23) : moins de 18 ans au début du contrat → C12 ≤ 35 h (aucune dérogation déclarée ici)."""
    age = age_au(dossier, _contrat(dossier).date_debut)
    return age is not None and age < 18 and _contrat(dossier).duree_hebdo_minutes > HEURES_MAXIMUM_MINEUR * 60


# --- Trial period (RULES.md §2.7) -------------------------------------------------------------------------------


def essai_maximum_cdd(debut: dt.date, fin: dt.date) -> int:
    """TP-01 with TP-04's conversion: 1 day per week of the planned duration, capped at 14 days for ≤ 6 months,
    31 days beyond (parameters ``TP04_ESSAI_CDD_COURT_JOURS`` / ``TP04_ESSAI_CDD_LONG_JOURS`` on ``debut``)."""
    semaines = math.ceil(((fin - debut).days + 1) / 7)
    court = fin <= fin_apres_mois(debut, DUREE_MINIMUM_MOIS)
    return min(semaines, jours(PARAM_ESSAI_CDD_COURT if court else PARAM_ESSAI_CDD_LONG, debut))


@regle(
    "CONTRAT_TP_01",
    ONGLET,
    fields=["duree_essai_jours"],
    reads=["duree_essai_jours", "nature", "date_debut", "date_fin"],
    message=(
        "La période d'essai d'un CDD ne peut pas dépasser un jour par semaine de la durée prévue, dans la limite "
        "de 2 semaines (14 jours) pour un contrat de 6 mois au plus, d'un mois (31 jours) au-delà."
    ),
    source="Code du travail, art. L1242-10",
    exigences=("TP-01", "X-25"),
)
def tp_01(dossier):
    """TP-01 (X-25) : CDD, C8 ≤ min(semaines arrondies au supérieur, 14 ou 31 jours).

    Les plafonds en jours (conversion TP-04, [M], à confirmer avec AKTO) sont des paramètres datés modifiables dans
    l'administration (Paramètres des règles), codes ``TP04_ESSAI_CDD_COURT_JOURS`` et ``TP04_ESSAI_CDD_LONG_JOURS``,
    lus à la date C9.
    """
    contrat = _contrat(dossier)
    if not est_cdd(contrat) or contrat.date_fin <= contrat.date_debut:
        return False
    return contrat.duree_essai_jours > essai_maximum_cdd(contrat.date_debut, contrat.date_fin)


@regle(
    "CONTRAT_TP_02",
    ONGLET,
    fields=["duree_essai_jours"],
    reads=["duree_essai_jours", "nature"],
    message="La période d'essai d'un CDI ne peut pas dépasser 4 mois (123 jours), pour les cadres.",
    source="Code du travail, art. L1221-19",
    exigences=("TP-02", "X-25"),
)
def tp_02(dossier):
    """TP-02 (X-25) : CDI, C8 ≤ 4 mois (cadres) = 123 jours ; renouvellement non compté.

    Les 123 jours (conversion TP-04, [M], à confirmer avec AKTO) sont un paramètre daté modifiable dans
    l'administration (Paramètres des règles), code ``TP04_ESSAI_CDI_CADRES_JOURS``, lu à la date C9
    (aujourd'hui tant qu'elle manque).
    """
    contrat = _contrat(dossier)
    if contrat.nature != NatureContrat.CDI:
        return False
    return contrat.duree_essai_jours > jours(PARAM_ESSAI_CDI_CADRES, contrat.date_debut)


@regle(
    "CONTRAT_TP_02_CATEGORIE",
    ONGLET,
    fields=["duree_essai_jours"],
    reads=["duree_essai_jours", "nature"],
    message=(
        "Période d'essai de plus de 2 mois (61 jours) : elle n'est possible que pour les agents de maîtrise et "
        "techniciens (3 mois) ou les cadres (4 mois) ; vérifiez la catégorie de l'emploi."
    ),
    alerte=True,
    source="Code du travail, art. L1221-19",
    exigences=("TP-02", "TP-04"),
)
def tp_02_categorie(dossier):
    """TP-02 / TP-04 : CDI, plus de 61 jours (ouvriers et employés : 2 mois) sans catégorie connue → alerte.

    Les bornes (61 et 123 jours, conversion TP-04, [M], à confirmer avec AKTO) sont des paramètres datés modifiables
    dans l'administration (Paramètres des règles), codes ``TP04_ESSAI_CDI_EMPLOYES_JOURS`` et
    ``TP04_ESSAI_CDI_CADRES_JOURS``, lus à la date C9 (aujourd'hui tant qu'elle manque).
    """
    contrat = _contrat(dossier)
    if contrat.nature != NatureContrat.CDI:
        return False
    employes = jours(PARAM_ESSAI_CDI_EMPLOYES, contrat.date_debut)
    return employes < contrat.duree_essai_jours <= jours(PARAM_ESSAI_CDI_CADRES, contrat.date_debut)
