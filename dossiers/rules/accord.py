"""Rules of the période de reconversion's « Accord » tab (RULES.md §2.12: REC-01…REC-08, PROA-01…PROA-09).

They apply to the dispositif « Reconversion ou promotion par alternance » only (``dispositifs=RECONVERSION``).
"""

import datetime as dt
from fractions import Fraction

from django.utils import timezone

from dossiers.enums import SousDispositifReconversion
from dossiers.models import AccordReconversion
from dossiers.rules import RECONVERSION, obligatoire, regle, source
from dossiers.rules.contrat import ajoute_mois
from dossiers.rules.formation import HEURES_MINIMUM, TAUX_MAXIMUM, TAUX_MINIMUM, heures_periode, mois_entre

source("accord", AccordReconversion.du_dossier)

FIN_PRO_A = dt.date(2026, 1, 1)  # loi n° 2025-989, art. 11: Pro-A for avenants concluded before this day
HEURES_MIN, HEURES_MAX, MOIS_MAX = 150, 450, 12  # L6324-4
HEURES_MAX_ACCORD, MOIS_MAX_ACCORD = 2100, 36  # L6324-4, with a branch or company agreement
JOURS_DEPOT = 30  # R6324-1: sent within the 30 days preceding the start
CDD_ACCUEIL_MOIS_MIN = 6  # L1242-3 5°


def _accord(dossier) -> AccordReconversion:
    return AccordReconversion.du_dossier(dossier)


def _sous(dossier) -> str:
    return dossier.sous_dispositif.code


def _externe(dossier) -> bool:
    return _sous(dossier) == SousDispositifReconversion.EXTERNE


def _pro_a(dossier) -> bool:
    return _sous(dossier) == SousDispositifReconversion.PRO_A


for _name in ("date_debut", "date_fin", "duree_formation_heures", "objet", "intitule_qualification"):
    obligatoire("accord", _name, dispositifs=RECONVERSION, exigences=("REC-01", "PROA-01") if _name == "objet" else ())
obligatoire("accord", "hors_temps_travail", dispositifs=RECONVERSION, exigences=("PROA-08",))
obligatoire(
    "accord",
    "accord_ecrit_salarie",
    coche=True,
    when=lambda d: _accord(d).hors_temps_travail is True,
    dispositifs=RECONVERSION,
    exigences=("PROA-08",),
    source="Code du travail, art. L6324-7",
)
for _name in ("accueil_siret", "accueil_raison_sociale", "accueil_nature_contrat"):
    obligatoire("accord", _name, when=_externe, dispositifs=RECONVERSION, exigences=("REC-02",))
obligatoire(
    "accord",
    "accueil_duree_mois",
    when=lambda d: _externe(d) and _accord(d).accueil_nature_contrat == "cdd",
    dispositifs=RECONVERSION,
    exigences=("REC-02",),
)
obligatoire("accord", "salarie_en_cdi", when=_pro_a, dispositifs=RECONVERSION, exigences=("PROA-02",))
obligatoire("accord", "date_avenant", when=_pro_a, dispositifs=RECONVERSION, exigences=("PROA-06",))


def _limites(dossier) -> tuple[int, int]:
    """The maximum hours and months: 450 h over 12 months, or 2 100 h over 36 with an agreement (L6324-4)."""
    if _accord(dossier).accord_collectif:
        return HEURES_MAX_ACCORD, MOIS_MAX_ACCORD
    return HEURES_MAX, MOIS_MAX


@regle(
    "ACCORD_DUREE_FORMATION_HEURES",
    "accord",
    fields=["duree_formation_heures"],
    reads=["duree_formation_heures"],
    message="La formation compte de 150 à 450 heures (jusqu'à 2 100 heures avec un accord de branche ou d'entreprise).",
    source="Code du travail, art. L6324-4",
    exigences=("REC-03",),
    dispositifs=RECONVERSION,
)
def heures_hors_limites(dossier):
    """Durée de la formation hors de 150 – 450 h (2 100 h avec accord) ; hors Pro-A (durées du contrat pro)."""
    if _pro_a(dossier):
        return False
    return not HEURES_MIN <= _accord(dossier).duree_formation_heures <= _limites(dossier)[0]


@regle(
    "ACCORD_DUREE_MOIS",
    "accord",
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message="La période de reconversion dure au plus 12 mois (36 mois avec un accord de branche ou d'entreprise), "
    "et sa fin suit son début.",
    source="Code du travail, art. L6324-4",
    exigences=("REC-03",),
    dispositifs=RECONVERSION,
)
def periode_trop_longue(dossier):
    """Fin avant le début, ou au-delà de 12 mois (36 avec accord) après le début."""
    if _pro_a(dossier):
        return False
    accord = _accord(dossier)
    return accord.date_fin < accord.date_debut or accord.date_fin > ajoute_mois(accord.date_debut, _limites(dossier)[1])


@regle(
    "ACCORD_CDD_ACCUEIL_6_MOIS",
    "accord",
    fields=["accueil_duree_mois"],
    reads=["accueil_nature_contrat", "accueil_duree_mois"],
    message="L'entreprise d'accueil embauche en CDI ou en CDD d'au moins 6 mois.",
    source="Code du travail, art. L6324-3, L1242-3 5°",
    exigences=("REC-02",),
    dispositifs=RECONVERSION,
)
def cdd_accueil_trop_court(dossier):
    """Reconversion externe : le CDD de l'entreprise d'accueil dure moins de 6 mois."""
    accord = _accord(dossier)
    return (
        _externe(dossier)
        and accord.accueil_nature_contrat == "cdd"
        and accord.accueil_duree_mois < CDD_ACCUEIL_MOIS_MIN
    )


def jour_de_depot(dossier) -> dt.date:
    """The day the dossier is (or was) sent to AKTO: its transmission, else today."""
    return timezone.localdate(dossier.transmis_le) if dossier.transmis_le else timezone.localdate()


@regle(
    "ACCORD_DEPOT_30_JOURS",
    "accord",
    fields=["date_debut"],
    reads=["date_debut"],
    message="La demande est transmise à AKTO dans les 30 jours qui précèdent le début de la période de reconversion.",
    source="Code du travail, art. R6324-1",
    exigences=("REC-05",),
    dispositifs=RECONVERSION,
)
def depot_hors_delai(dossier):
    """Transmission plus de 30 jours avant le début, ou après lui (hors Pro-A)."""
    if _pro_a(dossier):
        return False
    jours = (_accord(dossier).date_debut - jour_de_depot(dossier)).days
    return not 0 <= jours <= JOURS_DEPOT


@regle(
    "ACCORD_PROA_CDI",
    "accord",
    fields=["salarie_en_cdi"],
    reads=["salarie_en_cdi"],
    message="La Pro-A est ouverte aux salariés en contrat à durée indéterminée.",
    source="Code du travail, art. L6324-1 (rédaction antérieure au 01/01/2026)",
    exigences=("PROA-02",),
    dispositifs=RECONVERSION,
)
def proa_sans_cdi(dossier):
    """Pro-A : le salarié n'est pas en CDI."""
    return _pro_a(dossier) and _accord(dossier).salarie_en_cdi is False


@regle(
    "ACCORD_PROA_AVENANT_AVANT_2026",
    "accord",
    fields=["date_avenant"],
    reads=["date_avenant"],
    message="Depuis le 1er janvier 2026, la Pro-A est remplacée par la période de reconversion : seul un avenant "
    "conclu avant cette date relève encore de la Pro-A.",
    source="Loi n° 2025-989 du 24 octobre 2025, art. 11",
    exigences=("PROA-06",),
    dispositifs=RECONVERSION,
)
def avenant_trop_recent(dossier):
    """Pro-A : avenant conclu le 01/01/2026 ou après."""
    return _pro_a(dossier) and _accord(dossier).date_avenant >= FIN_PRO_A


# PROA-03: below the licence grade (niveau 6): the salarié's highest diploma (CERFA S20 codes 1x and 2x are bac+3
# and above).
@regle(
    "ACCORD_PROA_NIVEAU_LICENCE",
    "accord",
    fields=["date_avenant"],
    message="La Pro-A est ouverte aux salariés qui n'ont pas atteint le niveau de la licence (niveau 6) : "
    "vérifiez le diplôme le plus élevé obtenu (onglet Salarié).",
    source="Code du travail, art. L6324-2, D6324-1-1 (rédaction antérieure au 01/01/2026)",
    exigences=("PROA-03",),
    dispositifs=RECONVERSION,
)
def proa_niveau_trop_haut(dossier):
    """Pro-A : le salarié a un diplôme de niveau licence ou plus."""
    return _pro_a(dossier) and (dossier.salarie.diplome_plus_eleve or "")[:1] in ("1", "2")


# PROA-05: a Pro-A's durations are the contrat pro's (D6324-1): the contrat pro's calculations, not a copy.
PROA_MOIS_MIN, PROA_MOIS_MAX = 6, 36  # L6325-11, L6325-12: 6 to 12 months, up to 36 by branch agreement
SOURCE_PROA_05 = "Code du travail, art. D6324-1, L6325-11 à L6325-14 (rédaction antérieure au 01/01/2026)"


def taux_pro_a(dossier) -> Fraction | None:
    """The training hours over the avenant's period counted as a contract's (``formation.heures_periode``)."""
    accord = _accord(dossier)
    heures = heures_periode(accord.date_debut, accord.date_fin)
    if not heures or accord.duree_formation_heures is None:
        return None
    return Fraction(accord.duree_formation_heures) / heures


@regle(
    "ACCORD_PROA_DUREE_MOIS",
    "accord",
    fields=["date_fin"],
    reads=["date_debut", "date_fin"],
    message="La Pro-A dure de 6 à 12 mois, jusqu'à 36 mois lorsqu'un accord de branche le prévoit.",
    source=SOURCE_PROA_05,
    exigences=("PROA-05",),
    dispositifs=RECONVERSION,
)
def proa_duree_hors_limites(dossier):
    """Pro-A : durée de l'action hors de 6 à 36 mois (comme le contrat de professionnalisation)."""
    accord = _accord(dossier)
    return _pro_a(dossier) and (
        accord.date_fin < accord.date_debut
        or not PROA_MOIS_MIN <= mois_entre(accord.date_debut, accord.date_fin) <= PROA_MOIS_MAX
    )


@regle(
    "ACCORD_PROA_FORMATION_150_HEURES_15_POURCENT",
    "accord",
    fields=["duree_formation_heures"],
    reads=["duree_formation_heures", "date_debut", "date_fin"],
    message="La formation d'une Pro-A compte au moins 150 heures et 15 % de la durée de l'action.",
    source=SOURCE_PROA_05,
    exigences=("PROA-05",),
    dispositifs=RECONVERSION,
)
def proa_formation_insuffisante(dossier):
    """Pro-A : moins de 150 heures ou moins de 15 % de la durée (mois × 35 h × 52 / 12, le paramètre daté)."""
    if not _pro_a(dossier):
        return False
    taux = taux_pro_a(dossier)
    return _accord(dossier).duree_formation_heures < HEURES_MINIMUM or (taux is not None and taux < TAUX_MINIMUM)


@regle(
    "ACCORD_PROA_FORMATION_25_POURCENT",
    "accord",
    fields=["duree_formation_heures"],
    reads=["duree_formation_heures", "date_debut", "date_fin"],
    message="La formation dépasse 25 % de la durée de l'action : ce n'est possible que si un accord de branche le "
    "prévoit.",
    alerte=True,
    source=SOURCE_PROA_05,
    exigences=("PROA-05",),
    dispositifs=RECONVERSION,
)
def proa_formation_au_dela_de_25_pourcent(dossier):
    """Pro-A : au-delà de 25 % de la durée de l'action, un accord de branche est nécessaire (alerte)."""
    taux = taux_pro_a(dossier) if _pro_a(dossier) else None
    return taux is not None and taux > TAUX_MAXIMUM
