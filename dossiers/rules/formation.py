"""Rules of the Formation tab (RULES.md §1.3.5, §1.4.7, §2.4, §2.11, §2.13–§2.14, §5.4).

Field names are the tab form's (``duree_totale_heures``, ``code_rncp``…), plus ``modules`` (the list
of modules: at least one, the first one's organisme being the CERFA's *organisme principal*) and
``module<N>_<field>`` for the N-th module's fields (``module2_heures_distance``), read through
``FormationVue``. Module rules are declared for modules 1 to ``MAX_MODULES``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction

from dossiers.enums import Diplome, ObjetReconversion, PrefixeIntituleVae, TypeModule, TypeQualification
from dossiers.models import AccordReconversion
from dossiers.rules import CONTRAT_PRO, PARTAGEE, RECONVERSION, obligatoire, regle, source
from referentiels.parametres import parametre

MAX_MODULES = 10
HEURES_MINIMUM = 150  # FOR-02
# FOR-05 [M]: the common OPCO practice (not law), 12 months × 35 h × 52 / 12 = 1 820 h: a dated parameter
# (``ParametreRegle``, editable in the admin), read at the contract's start date (C9).
PARAM_HORAIRE_HEBDOMADAIRE = "FOR05_HORAIRE_HEBDOMADAIRE"
TAUX_MINIMUM = Fraction(15, 100)
TAUX_MAXIMUM = Fraction(25, 100)

MSG_DISTANCE = "La durée de la formation à distance doit être inférieure à la durée de formation"

SOURCE_L6325_13 = "Code du travail, art. L6325-13"
SOURCE_L6325_14 = "Code du travail, art. L6325-14"
SOURCE_CERFA = "CERFA 12434*05 et sa notice 51650#09"
SOURCE_QUALIOPI = "Code du travail, art. L6316-1 et L6351-1"


class FormationVue:
    """What the rules read on this tab: the training's fields, and ``module<N>_<field>`` for the modules."""

    def __init__(self, dossier):
        self.dossier = dossier
        self.formation = dossier.formation

    def __getattr__(self, name):
        if name.startswith("module") and "_" in name and name[6 : name.index("_")].isdigit():
            numero, field = int(name[6 : name.index("_")]), name[name.index("_") + 1 :]
            module = self.formation.module(numero)
            return getattr(module, field) if module is not None else None
        if name == "modules":
            return self.formation.liste_modules or None
        return getattr(self.formation, name)


source("formation", FormationVue)


def _formation(dossier):
    return dossier.formation


# --- Contract duration (FOR-05) ---------------------------------------------------------------


def mois_entre(debut: dt.date, fin: dt.date) -> Fraction:
    """Months from ``debut`` to ``fin`` inclusive: whole months, then the rest as a fraction of its month."""
    fin_exclue = fin + dt.timedelta(days=1)
    mois = (fin_exclue.year - debut.year) * 12 + fin_exclue.month - debut.month
    if fin_exclue.day < debut.day:
        mois -= 1
    # The date ``mois`` whole months after ``debut`` (the day clamped to the month's end).
    annee, m = divmod(debut.month - 1 + mois, 12)
    annee += debut.year
    m += 1
    ancre = dt.date(annee, m, min(debut.day, calendar.monthrange(annee, m)[1]))
    jours_du_mois = calendar.monthrange(ancre.year, ancre.month)[1]
    return Fraction(mois) + Fraction((fin_exclue - ancre).days, jours_du_mois)


def heures_contrat(dossier) -> Fraction | None:
    """The contract's duration in hours (months × 35 h × 52 / 12), or None while its dates are missing.

    The weekly hours (35) are the parameter ``FOR05_HORAIRE_HEBDOMADAIRE`` in force on the start date (C9).
    """
    contrat = getattr(dossier, "contrat", None)
    return heures_periode(getattr(contrat, "date_debut", None), getattr(contrat, "date_fin", None))


def heures_periode(debut: dt.date | None, fin: dt.date | None) -> Fraction | None:
    """A period's duration in hours (months × the weekly hours in force on ``debut`` × 52 / 12), or None while
    either date is missing (a Pro-A's, PROA-05, is counted as a contract's)."""
    if not debut or not fin or fin < debut:
        return None
    horaire = Fraction(parametre(PARAM_HORAIRE_HEBDOMADAIRE, debut))
    return mois_entre(debut, fin) * horaire * 52 / 12


def taux_formation(dossier) -> Fraction | None:
    """F13 over the contract's duration, or None when either is unknown."""
    heures = heures_contrat(dossier)
    total = _formation(dossier).duree_totale_heures
    if not heures or total is None:
        return None
    return Fraction(total) / heures


# --- Mandatory fields --------------------------------------------------------------------------

# The période de reconversion's Formation tab shares the training itself (intitulé, total hours, cycle's dates,
# modules, the organisms' NDA and Qualiopi, the RNCP code's check); the CERFA's own fields (type de qualification,
# diplôme visé, apprentissage, spécialité NSF, enseignements), its types' rules and the durations against the
# contract (FOR-02…FOR-05: the Accord's own REC-03) are the contrat pro's.
_PARTAGES = {"intitule", "duree_totale_heures", "date_debut_cycle", "date_fin_examens", "modules"}
for _name in [
    "type_qualification",
    "diplome_vise",
    "apprentissage",
    "intitule",
    "specialite_nsf",
    "duree_totale_heures",
    "duree_enseignements_heures",
    "date_debut_cycle",
    "date_fin_examens",
    "modules",
]:
    obligatoire("formation", _name, dispositifs=PARTAGEE if _name in _PARTAGES else CONTRAT_PRO)

# CERT-01 / X-18: a qualification of type 1 is registered at the RNCP: its code is required.
obligatoire(
    "formation",
    "code_rncp",
    code="FORMATION_CERT01_CODE_RNCP_OBLIGATOIRE",
    when=lambda d: _formation(d).type_qualification == TypeQualification.RNCP,
    exigences=("CERT-01", "X-18"),
    source=SOURCE_CERFA,
)


# a contract associating VAE actions (type 8) carries the DGEFP project number (E15).
obligatoire(
    "formation",
    "numero_projet_vae",
    code="FORMATION_X03_NUMERO_PROJET_VAE_OBLIGATOIRE",
    when=lambda d: _formation(d).type_qualification == TypeQualification.VAE,
    exigences=("X-03",),
    source=SOURCE_CERFA,
)


# --- Qualification and certification (§1.4.5, §5.4) ---------------------------------------------


@regle(
    "FORMATION_X19_X20_TYPE_QUALIFICATION_FERME",
    "formation",
    fields=["type_qualification"],
    reads=["type_qualification"],
    message="Ce type de qualification n'est plus ouvert aux nouveaux contrats de professionnalisation "
    "(abrogé ou expérimentation terminée) : choisissez le type 1, 2, 3 ou 8.",
    source=SOURCE_CERFA,
    exigences=("X-19", "X-20"),
)
def type_qualification_ferme(dossier):
    """X-19 / X-20 : les types 4 (expérimentation terminée), 5, 6 et 7 (abrogés) sont refusés."""
    return _formation(dossier).type_qualification in TypeQualification.fermes()


# --- The VAE experiment (§1.4.7, §2.11 EXP-02, X-03); its dates are the Contrat tab's (DUR-08) -------------


@regle(
    "FORMATION_X03_NUMERO_PROJET_TYPE_8",
    "formation",
    fields=["numero_projet_vae"],
    reads=["numero_projet_vae", "type_qualification"],
    message="Le numéro du projet ne se renseigne que pour un contrat de professionnalisation associant des "
    "actions de VAE : choisissez le type de qualification 8.",
    source=SOURCE_CERFA,
    exigences=("X-03",),
)
def numero_projet_type_8(dossier):
    """X-03 : un numéro de projet DGEFP (E15) → le type de qualification est 8."""
    return _formation(dossier).type_qualification != TypeQualification.VAE


def intitule_prefixe_vae(intitule: str) -> bool:
    """F10 starts with one of the notice's prefixes (« RNCP », « Bloc RNCP »…) as a word, then the title itself."""
    texte = intitule.strip()
    return any(
        re.match(rf"{re.escape(prefixe)}(?![^\W\d_]).*\w", texte, re.IGNORECASE | re.DOTALL)
        for prefixe in PrefixeIntituleVae.values
    )


@regle(
    "FORMATION_X03_INTITULE_PREFIXE_VAE",
    "formation",
    fields=["intitule"],
    reads=["intitule", "type_qualification"],
    message="Pour un contrat associant des actions de VAE, l'intitulé précis commence par RNCP, CQP, CCN, "
    "Bloc RNCP ou Autre Bloc, suivi de l'intitulé de la certification, de la qualification ou du bloc de "
    "compétences visé (Ex : RNCP Titre professionnel Agent de propreté et d'hygiène).",
    source=SOURCE_CERFA,
    exigences=("X-03",),
)
def intitule_prefixe(dossier):
    """§1.4.7 / X-03 : type 8 → « Intitulé précis » (F10) préfixé RNCP, CQP, CCN, Bloc RNCP ou Autre Bloc."""
    formation = _formation(dossier)
    return formation.type_qualification == TypeQualification.VAE and not intitule_prefixe_vae(formation.intitule)


@regle(
    "FORMATION_CERT01_RNCP_INCONNU",
    "formation",
    fields=["code_rncp"],
    reads=["code_rncp"],
    message="Ce code n'est pas connu du référentiel France compétences : vérifiez-le.",
    alerte=True,
    source="Code du travail, art. L6113-5",
    exigences=("CERT-01",),
    dispositifs=PARTAGEE,
)
def rncp_inconnu(dossier):
    """CERT-01 : le code RNCP saisi doit exister au répertoire national."""
    return _formation(dossier).certification_id is None


@regle(
    "FORMATION_CERT01_RNCP_INACTIF",
    "formation",
    fields=["code_rncp"],
    reads=["code_rncp"],
    message="Ce code RNCP est inactif : au moment de la conclusion du contrat, une relance sera transmise.",
    alerte=True,
    source="Code du travail, art. L6113-5",
    exigences=("CERT-01",),
    dispositifs=PARTAGEE,
)
def rncp_inactif(dossier):
    """CERT-01 : la certification devrait être active ; sinon AKTO relance, le remplaçant actif est proposé."""
    certification = _formation(dossier).certification
    return certification is not None and not certification.actif


@regle(
    "FORMATION_CERT_NON_OUVERTE_CONTRAT_PRO",
    "formation",
    fields=["code_rncp"],
    reads=["code_rncp"],
    message="Selon France compétences, cette certification n'est pas ouverte en contrat de professionnalisation.",
    alerte=True,
    source="Code du travail, art. L6325-1 et L6314-1",
)
def rncp_non_ouverte(dossier):
    """La fiche ne déclare pas le contrat de professionnalisation parmi ses voies d'accès."""
    certification = _formation(dossier).certification
    return certification is not None and certification.accessible_contrat_pro is False


# CERT-04: the diploma code's family ↔ the European level of the fiche.
NIVEAUX_PAR_DIPLOME = {"1": {7, 8}, "2": {6}, "3": {5}, "4": {4}, "5": {3}}


@regle(
    "FORMATION_CERT04_NIVEAU_DIPLOME",
    "formation",
    fields=["diplome_vise", "code_rncp"],
    reads=["diplome_vise", "code_rncp"],
    message="Le diplôme ou titre visé ne correspond pas au niveau de la certification RNCP choisie.",
    alerte=True,
    source=SOURCE_CERFA,
    exigences=("CERT-04", "X-18"),
)
def niveau_diplome(dossier):
    """CERT-04 : 1x ↔ niveaux 7/8, 2x ↔ 6, 3x ↔ 5, 4x ↔ 4, 5x ↔ 3 (cadre européen)."""
    formation = _formation(dossier)
    certification = formation.certification
    if certification is None or certification.niveau is None or formation.diplome_vise == Diplome.AUCUN:
        return False
    attendus = NIVEAUX_PAR_DIPLOME.get(formation.diplome_vise[:1])
    return attendus is not None and certification.niveau not in attendus


# --- Training duration (§2.4, X-15) -------------------------------------------------------------


@regle(
    "FORMATION_FOR02_MINIMUM_150_HEURES",
    "formation",
    fields=["duree_totale_heures"],
    reads=["duree_totale_heures"],
    message="La durée totale de formation doit être d'au moins 150 heures.",
    source=SOURCE_L6325_13,
    exigences=("FOR-02", "X-15"),
)
def minimum_150_heures(dossier):
    """FOR-02 : la durée totale (F13) est d'au moins 150 heures."""
    return _formation(dossier).duree_totale_heures < HEURES_MINIMUM


@regle(
    "FORMATION_FOR02_MINIMUM_15_POURCENT",
    "formation",
    fields=["duree_totale_heures"],
    reads=["duree_totale_heures"],
    message="La durée totale de formation doit représenter au moins 15 % de la durée du contrat.",
    source=SOURCE_L6325_13,
    exigences=("FOR-02", "X-15"),
)
def minimum_15_pourcent(dossier):
    """FOR-02 : F13 ≥ 15 % de la durée du contrat (mois × 35 h × 52 / 12) ; muet tant que les dates du contrat
    manquent.

    L'horaire hebdomadaire de la durée du contrat (35 h, pratique des OPCO FOR-05, [M], à confirmer avec AKTO) est
    un paramètre daté modifiable dans l'administration (Paramètres des règles), code ``FOR05_HORAIRE_HEBDOMADAIRE``,
    lu à la date de début du contrat (C9).
    """
    taux = taux_formation(dossier)
    return taux is not None and taux < TAUX_MINIMUM


@regle(
    "FORMATION_FOR03_PLUS_DE_25_POURCENT",
    "formation",
    fields=["duree_totale_heures"],
    reads=["duree_totale_heures"],
    message="La durée totale de formation dépasse 25 % de la durée du contrat : ce n'est possible que si un "
    "accord de branche le prévoit pour ce public ou cette formation.",
    alerte=True,
    source=SOURCE_L6325_14,
    exigences=("FOR-03", "X-15"),
)
def plus_de_25_pourcent(dossier):
    """FOR-03 : au-delà de 25 % de la durée du contrat (mois × 35 h × 52 / 12), un accord de branche est nécessaire.

    L'horaire hebdomadaire de la durée du contrat (35 h, pratique des OPCO FOR-05, [M], à confirmer avec AKTO) est
    un paramètre daté modifiable dans l'administration (Paramètres des règles), code ``FOR05_HORAIRE_HEBDOMADAIRE``,
    lu à la date de début du contrat (C9).
    """
    taux = taux_formation(dossier)
    return taux is not None and taux > TAUX_MAXIMUM


@regle(
    "FORMATION_FOR04_ENSEIGNEMENTS_INFERIEURS_TOTAL",
    "formation",
    fields=["duree_enseignements_heures", "duree_totale_heures"],
    reads=["duree_enseignements_heures", "duree_totale_heures"],
    message="La durée des enseignements théoriques ne peut pas dépasser la durée totale de formation.",
    source=SOURCE_CERFA,
    exigences=("FOR-04",),
)
def enseignements_inferieurs_total(dossier):
    """FOR-04 : F14 (dont enseignements généraux, professionnels et technologiques) ≤ F13."""
    formation = _formation(dossier)
    return formation.duree_enseignements_heures > formation.duree_totale_heures


@regle(
    "FORMATION_DATES_CYCLE",
    "formation",
    fields=["date_fin_examens", "date_debut_cycle"],
    reads=["date_debut_cycle", "date_fin_examens"],
    message="La date de fin des épreuves ou examens doit être postérieure à la date de début du cycle de formation.",
    source=SOURCE_CERFA,
    dispositifs=PARTAGEE,
)
def dates_cycle(dossier):
    """F16 après F15."""
    formation = _formation(dossier)
    return formation.date_fin_examens < formation.date_debut_cycle


@regle(
    "FORMATION_DISTANCE_TOTALE",
    "formation",
    fields=["duree_totale_heures"],
    reads=["duree_totale_heures", "modules"],
    message=MSG_DISTANCE,
    source=SOURCE_CERFA,
    dispositifs=PARTAGEE,
)
def distance_totale(dossier):
    """Le guide : la durée à distance de tous les modules ne dépasse pas la durée totale de formation (égale :
    formation entièrement à distance, acceptée)."""
    formation = _formation(dossier)
    return formation.heures_distance_totales > formation.duree_totale_heures


# --- Modules (F1–F6, X-16, X-17, FOR-08) ----------------------------------------------------------


def _module(numero):
    return lambda d: _formation(d).module(numero)


def _est(numero, type_module):
    def condition(d):
        module = _formation(d).module(numero)
        return module is not None and module.type == type_module

    return condition


def _declare_module_rules(n: int) -> None:
    module = _module(n)
    existe = lambda d: module(d) is not None  # noqa: E731
    externe, interne = _est(n, TypeModule.EXTERNE), _est(n, TypeModule.INTERNE)
    for name in ["date_debut", "date_fin", "heures", "modalite"]:
        obligatoire("formation", f"module{n}_{name}", when=existe, dispositifs=PARTAGEE)
    obligatoire(
        "formation",
        f"module{n}_organisme",
        when=externe,
        exigences=("X-17",),
        source=SOURCE_CERFA,
        dispositifs=PARTAGEE,
    )
    obligatoire("formation", f"module{n}_apprentissage_controle", when=externe)  # CERFA's: the contrat pro's
    obligatoire("formation", f"module{n}_service_interne", when=interne, dispositifs=PARTAGEE)
    # F3 ticked iff the service is internal.
    obligatoire(
        "formation",
        f"module{n}_attestation_interne",
        when=interne,
        coche=True,
        code=f"FORMATION_X16_MODULE{n}_ATTESTATION_INTERNE",
        exigences=("X-16",),
        source=SOURCE_CERFA,
        dispositifs=PARTAGEE,
    )

    @regle(
        f"FORMATION_MODULE{n}_DISTANCE",
        "formation",
        fields=[f"module{n}_heures_distance"],
        reads=[f"module{n}_heures_distance", f"module{n}_heures"],
        message=MSG_DISTANCE,
        source=SOURCE_CERFA,
        dispositifs=PARTAGEE,
    )
    def distance(dossier):
        """Le guide : la durée à distance d'un module ne dépasse pas sa durée de formation (égale acceptée)."""
        m = module(dossier)
        return m.heures_distance > m.heures

    @regle(
        f"FORMATION_MODULE{n}_DATES",
        "formation",
        fields=[f"module{n}_date_fin"],
        reads=[f"module{n}_date_debut", f"module{n}_date_fin"],
        message="La date de fin du module doit être postérieure à sa date de début.",
        source=SOURCE_CERFA,
        dispositifs=PARTAGEE,
    )
    def dates(dossier):
        """La date de fin d'un module suit sa date de début."""
        m = module(dossier)
        return m.date_fin < m.date_debut

    @regle(
        f"FORMATION_X17_MODULE{n}_NDA",
        "formation",
        fields=[f"module{n}_organisme"],
        reads=[f"module{n}_organisme"],
        message="L'organisme de formation externe doit avoir un N° de déclaration d'activité : choisissez un "
        "organisme qui en dispose.",
        source="Code du travail, art. L6351-1",
        exigences=("X-17",),
        dispositifs=PARTAGEE,
    )
    def nda(dossier):
        """X-17 : un organisme de formation externe a un numéro de déclaration d'activité (F5)."""
        return externe(dossier) and not module(dossier).organisme.nda

    @regle(
        f"FORMATION_FOR08_MODULE{n}_QUALIOPI",
        "formation",
        fields=[f"module{n}_organisme"],
        reads=[f"module{n}_organisme"],
        message="L'organisme de formation n'est pas certifié Qualiopi (ou ne l'a pas déclaré) : AKTO ne peut "
        "financer que des organismes certifiés.",
        alerte=True,
        source=SOURCE_QUALIOPI,
        exigences=("FOR-08", "X-17"),
        dispositifs=PARTAGEE,
    )
    def qualiopi(dossier):
        """FOR-08 : un organisme financé par un OPCO est certifié Qualiopi."""
        return externe(dossier) and module(dossier).organisme.qualiopi is not True


for _n in range(1, MAX_MODULES + 1):
    _declare_module_rules(_n)


# --- The période de reconversion's training (RULES.md §2.12: REC-01, REC-03) ------------------------------------


def _accord(dossier):
    return AccordReconversion.du_dossier(dossier)


# REC-01: an RNCP certification, or blocs de compétences (of an RNCP certification, L6113-1), aimed at in
# the Accord (« Qualification visée ») is named by its code RNCP, checked by CERT-01's rules above.
VISE_LE_RNCP = (ObjetReconversion.RNCP, ObjetReconversion.BLOCS)
obligatoire(
    "formation",
    "code_rncp",
    code="FORMATION_REC01_CODE_RNCP_OBLIGATOIRE",
    when=lambda d: _accord(d).objet in VISE_LE_RNCP,
    exigences=("REC-01",),
    source="Code du travail, art. L6324-1 et L6314-1",
    dispositifs=RECONVERSION,
)


@regle(
    "FORMATION_REC03_DUREE_TOTALE_ACCORD",
    "formation",
    fields=["duree_totale_heures"],
    reads=["duree_totale_heures"],
    message="La durée totale de formation doit être celle de l'accord (onglet Accord, « Durée totale de la "
    "formation »).",
    source="Code du travail, art. L6324-4",
    exigences=("REC-03",),
    dispositifs=RECONVERSION,
)
def duree_totale_accord(dossier):
    """REC-03 : la durée totale de la formation est celle que fixe l'accord écrit."""
    heures = _accord(dossier).duree_formation_heures
    return heures is not None and _formation(dossier).duree_totale_heures != heures


@regle(
    "FORMATION_REC03_HEURES_MODULES",
    "formation",
    fields=["modules"],
    reads=["modules"],
    message="La somme des durées des modules doit être égale à la durée totale de la formation de l'accord "
    "(onglet Accord).",
    source="Code du travail, art. L6324-4",
    exigences=("REC-03",),
    dispositifs=RECONVERSION,
)
def heures_modules(dossier):
    """REC-03 : les heures des modules, toutes saisies, font la durée totale de la formation de l'accord."""
    heures = _accord(dossier).duree_formation_heures
    modules = _formation(dossier).liste_modules
    if heures is None or any(m.heures is None for m in modules):
        return False
    return sum(m.heures for m in modules) != heures
