"""Rules of the Salarié tab (RULES.md §1.3.2, §1.3.3, §2.2, §2.8, §4).

Field names are the tab form's: the salarié's own fields (``nom_naissance``, ``nir``…) and the
tutors' as ``tuteur1_<field>`` (establishment employer) and ``tuteur2_<field>`` (user company).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import timezone

from dossiers.calculs.age import age_revolu
from dossiers.calculs.identite import (
    PortalIdentityVerifier,
    Verdict,
    cle_nom,
    empreinte_nir,
    get_identity_verifier,
)
from dossiers.enums import DossierState, MinimumSocial, Sexe, SituationAvantContrat
from dossiers.models import Tuteur
from dossiers.rules import CONTRAT_PRO, PARTAGEE, lu_une_fois, obligatoire, regle, source
from referentiels.validators import NirParts, decompose_nir


class SalarieVue:
    """What the rules read on this tab: the salarié's fields, and ``tuteurN_<field>`` for the tutors."""

    def __init__(self, dossier):
        self.dossier = dossier

    def __getattr__(self, name):
        if name.startswith("tuteur") and name[6:7].isdigit() and name[7:8] == "_":
            return getattr(self.dossier.tuteur(int(name[6])), name[8:])
        return getattr(self.dossier.salarie, name)


source("salarie", SalarieVue)


def _salarie(dossier):
    return dossier.salarie


def travail_temporaire_ou_geiq(dossier) -> bool:
    employeur = dossier.employeur
    return employeur.travail_temporaire or employeur.geiq


# --- Mandatory fields, and those mandatory exactly when their condition holds ----------------------

# The identity and address every dispositif needs (a période de reconversion's salarié too); the rest is the
# contrat pro's CERFA (its fields are not on another dispositif's form: ``salarie.formulaire.CHAMPS_ABSENTS``).
_IDENTITE = {
    "nom_naissance",
    "prenom",
    "date_naissance",
    "sexe",
    "nir_temporaire",
    "diplome_plus_eleve",
    "numero_voie",
    "code_postal",
    "commune",
}
for _name in [
    "nom_naissance",
    "prenom",
    "date_naissance",
    "sexe",
    "departement_naissance",
    "commune_naissance",
    "nir_temporaire",
    "rqth",
    "inscrit_france_travail",
    "situation_avant_contrat",
    "diplome_plus_eleve",
    "numero_voie",
    "code_postal",
    "commune",
]:
    obligatoire("salarie", _name, dispositifs=PARTAGEE if _name in _IDENTITE else CONTRAT_PRO)

obligatoire(
    "salarie",
    "nir",
    when=lambda d: _salarie(d).nir_temporaire is False,
    exigences=("NIR-02",),
    dispositifs=PARTAGEE,
)
obligatoire("salarie", "ntt", when=lambda d: _salarie(d).nir_temporaire is True, dispositifs=PARTAGEE)
obligatoire("salarie", "equivalence_jeunes", when=lambda d: _salarie(d).rqth is False)
obligatoire("salarie", "extension_boe", when=lambda d: _salarie(d).rqth is False)
obligatoire("salarie", "public_specifique", when=lambda d: d.employeur.travail_temporaire)
# « Inscrit à France Travail ? » Oui → S16 (numéro) and S17 (durée d'inscription) required.
for _name in ["numero_france_travail", "duree_inscription_mois"]:
    obligatoire(
        "salarie",
        _name,
        when=lambda d: _salarie(d).inscrit_france_travail is True,
        exigences=("X-10",),
        source="CERFA 12434*05",
    )

# TUT-01: a tutor in the employer's establishment for every contrat pro. PROA-07 (D6324-2): the reconversion's
# tutor is designated under the same articles D6325-6 to D6325-10: these tutor rules are shared (``PARTAGEE``).
for _name in ["nom", "prenom", "emploi", "date_naissance", "est_employeur"]:
    obligatoire(
        "salarie",
        f"tuteur{Tuteur.Rang.EMPLOYEUR}_{_name}",
        code=f"SALARIE_TUTEUR1_{_name.upper()}_OBLIGATOIRE",
        exigences=("TUT-01", "PROA-07"),
        source="Code du travail, art. L6325-3-1 et D6325-6",
        dispositifs=PARTAGEE,
    )
# TUT-08: a second tutor in the user company, exactly for travail temporaire and GEIQ employers.
for _name in ["nom", "prenom", "emploi", "date_naissance"]:
    obligatoire(
        "salarie",
        f"tuteur{Tuteur.Rang.UTILISATRICE}_{_name}",
        code=f"SALARIE_TUTEUR2_{_name.upper()}_OBLIGATOIRE",
        when=travail_temporaire_ou_geiq,
        exigences=("TUT-08", "X-05", "ETT-04", "PROA-07"),
        source="Code du travail, art. D6325-10 et D6325-22",
        dispositifs=PARTAGEE,
    )
# T8: the employer attests the tutor's load (TUT-04, TUT-05), which the portal also counts below.
obligatoire(
    "salarie",
    "attestation_tuteur",
    coche=True,
    exigences=("X-21", "TUT-04", "TUT-05", "PROA-07"),
    source="CERFA 12434*05 (attestation du tuteur) ; Code du travail, art. D6325-9",
    dispositifs=PARTAGEE,
)
# TUT-02 (TUT-03 for the employer-tutor, TUT-08 for ETT/GE): the tutor's qualification, volunteering and
# experience are the company's internal data: the employer attests them.
obligatoire(
    "salarie",
    "attestation_tuteur_qualifie",
    coche=True,
    exigences=("TUT-02", "PROA-07"),
    source="Code du travail, art. D6325-6",
    dispositifs=PARTAGEE,
)


# --- NIR consistency with the civil status (RULES.md §4.3 NIR-06…09, X-26) ------------------------
# The NIR's own format and key are the form's validator's business (NIR-02…05): a malformed value
# makes these rules silent. They speak only for a real NIR (``nir_temporaire`` answered « Non »).


def _nir_parts(dossier) -> NirParts | None:
    salarie = dossier.salarie
    if salarie.nir_temporaire is not False:
        return None
    try:
        return decompose_nir(salarie.nir)
    except ValidationError:
        return None


@regle(
    "SALARIE_NIR_SEXE",
    "salarie",
    fields=["nir", "sexe"],
    reads=["nir_temporaire", "nir", "sexe"],
    message="Le NIR ne correspond pas au sexe saisi.",
    alerte=True,  # RULES.md X-26: WARN — a civil-status correction may explain it; never hard-block
    exigences=("NIR-06", "X-26"),
)
def nir_sexe(dossier):
    """NIR-06 : le premier chiffre du NIR (1 homme, 2 femme) correspond au sexe saisi."""
    parts = _nir_parts(dossier)
    return parts is not None and {"1": Sexe.MASCULIN, "2": Sexe.FEMININ}.get(parts.sexe) != dossier.salarie.sexe


@regle(
    "SALARIE_NIR_ANNEE_NAISSANCE",
    "salarie",
    fields=["nir", "date_naissance"],
    reads=["nir_temporaire", "nir", "date_naissance"],
    message="L'année de naissance du NIR ne correspond pas à la date de naissance.",
    alerte=True,  # RULES.md X-26: WARN — a civil-status correction may explain it; never hard-block
    exigences=("NIR-07", "X-26"),
)
def nir_annee_naissance(dossier):
    """NIR-07 : les 2e et 3e chiffres du NIR sont l'année de naissance sur deux chiffres."""
    parts = _nir_parts(dossier)
    return parts is not None and int(parts.annee) != dossier.salarie.date_naissance.year % 100


@regle(
    "SALARIE_NIR_MOIS_NAISSANCE",
    "salarie",
    fields=["nir", "date_naissance"],
    reads=["nir_temporaire", "nir", "date_naissance"],
    message="Le mois de naissance du NIR ne correspond pas à la date de naissance.",
    alerte=True,  # RULES.md X-26: WARN — a civil-status correction may explain it; never hard-block
    exigences=("NIR-08", "X-26"),
)
def nir_mois_naissance(dossier):
    """NIR-08 : les 4e et 5e chiffres du NIR sont le mois de naissance, quand l'état civil le donne.

    Les pseudo-mois (20, 30 à 42, 50 à 99) d'un état civil incomplet sont acceptés quelle que soit la date.
    """
    parts = _nir_parts(dossier)
    return parts is not None and parts.mois_connu and int(parts.mois) != dossier.salarie.date_naissance.month


# Born abroad: "99" in the NIR, "99" or "099" in the field.
NE_A_L_ETRANGER = "99"
# Births in Algeria, Morocco, Tunisia before independence carry 91–96 in the NIR (NIR-09).
_AFRIQUE_DU_NORD_AVANT_INDEPENDANCE = {"91", "92", "93", "94", "95", "96"}
# Corsica before 1976 is "20" in the NIR; Mayotte before 2011 is "985" (today 976).
_ANCIENS_CODES = {"20": {"2A", "2B"}, "985": {"976"}}


def code_departement(value: str) -> str:
    """A département code in one canonical form: ``"075"`` → ``"75"``, ``"2a"`` → ``"2A"``, ``"099"`` → ``"99"``.

    Overseas codes keep their three characters (``"974"``).
    """
    code = str(value or "").strip().upper()
    if len(code) == 3 and code.startswith("0"):
        code = code[1:]
    return code


def departements_concordants(nir_departement: str, departement_naissance: str) -> bool:
    nir_code, saisi = code_departement(nir_departement), code_departement(departement_naissance)
    if nir_code == saisi or saisi in _ANCIENS_CODES.get(nir_code, ()):
        return True
    return saisi == NE_A_L_ETRANGER and nir_code in _AFRIQUE_DU_NORD_AVANT_INDEPENDANCE


@regle(
    "SALARIE_NIR_DEPARTEMENT_NAISSANCE",
    "salarie",
    fields=["nir", "departement_naissance"],
    reads=["nir_temporaire", "nir", "departement_naissance"],
    message=(
        "Le département de naissance du NIR ne correspond pas au département de naissance saisi "
        "(99 pour une naissance à l'étranger)."
    ),
    alerte=True,  # RULES.md X-26: WARN — a civil-status correction may explain it; never hard-block
    exigences=("NIR-09", "X-26"),
)
def nir_departement_naissance(dossier):
    """NIR-09 : le département du NIR (2A/2B en Corse, 97x outre-mer, 99 à l'étranger) est celui de naissance.

    Tolérances : « 20 » (Corse avant 1976) pour 2A/2B, « 985 » (Mayotte avant 2011) pour 976, 91 à 96
    (Algérie, Maroc, Tunisie avant l'indépendance) pour une naissance déclarée à l'étranger.
    """
    parts = _nir_parts(dossier)
    return parts is not None and not departements_concordants(parts.departement, dossier.salarie.departement_naissance)


MESSAGE_NIR_NOM_NAISSANCE = "Le NIR ne correspond pas au nom de naissance"


@regle(
    "SALARIE_NIR_NOM_NAISSANCE",
    "salarie",
    fields=["nir"],
    reads=["nir", "nom_naissance"],
    message=MESSAGE_NIR_NOM_NAISSANCE,
    exigences=("X-26",),
)
def nir_nom_naissance(dossier):
    """X-26 (NIR et identité) : le NIR n'est pas déjà connu sous un autre nom de naissance.

    Port ``dossiers.calculs.identite`` : l'adaptateur configuré (``IDENTITY_VERIFIER``, par défaut le portail
    lui-même) compare l'empreinte du NIR saisi (valeur en mémoire, pas l'empreinte enregistrée) au nom
    saisi, hors ce dossier ; le message est le même quel que soit l'autre nom, rien de l'autre dossier
    n'est révélé.
    """
    if _nir_parts(dossier) is None:
        return False
    verifier, empreinte = get_identity_verifier(), empreinte_nir(dossier.salarie.nir)
    if isinstance(verifier, PortalIdentityVerifier) and dossier.indice("nir", empreinte) is False:
        return False  # read with the dossier: no other salarié of the portal holds this NIR
    verdict = verifier.verify(empreinte, dossier.salarie.nom_naissance, exclude_dossier_id=dossier.pk)
    return verdict is Verdict.DISCORDANT


# --- Eligible publics and age at the date of conclusion (RULES.md §2.2, L6325-1, L4153-1) ------------

AGE_MINIMUM = 16
AGE_PUBLIC_JEUNE_MAXIMUM = 26  # "16 à 25 ans révolus": up to the day before the 26th birthday


def _contrat(dossier):
    try:
        return dossier.contrat
    except ObjectDoesNotExist:
        return None


def age_a_la_conclusion(dossier) -> int | None:
    """The salarié's age at the contract's date of conclusion (Contrat tab); None while either date is empty."""
    contrat = _contrat(dossier)
    naissance = dossier.salarie.date_naissance
    if contrat is None or contrat.date_conclusion is None or naissance is None:
        return None
    return age_revolu(naissance, contrat.date_conclusion)


@regle(
    "SALARIE_PUB04_AGE_MINIMUM",
    "salarie",
    fields=["date_naissance"],
    reads=["date_naissance"],
    message="Le salarié doit avoir au moins 16 ans à la date de conclusion du contrat.",
    exigences=("PUB-04",),
)
def age_minimum(dossier):
    """PUB-04 : au moins 16 ans à la date de conclusion du contrat (article L4153-1 du code du travail).

    La date de conclusion se saisit sur l'onglet Contrat : tant qu'elle est vide, la règle se tait.
    """
    age = age_a_la_conclusion(dossier)
    return age is not None and age < AGE_MINIMUM


def public_eligible_26_ans_et_plus(salarie) -> bool:
    """PUB-02 (inscrit à France Travail) or PUB-03 (RSA, ASS, AAH, or a former contrat aidé CUI)."""
    return (
        salarie.inscrit_france_travail is True
        or salarie.minimum_social in MinimumSocial.values
        or salarie.situation_avant_contrat == SituationAvantContrat.CONTRAT_AIDE
    )


@regle(
    "SALARIE_PUB02_PUB03_PUBLIC_26_ANS_ET_PLUS",
    "salarie",
    fields=["date_naissance"],
    reads=["date_naissance", "inscrit_france_travail", "situation_avant_contrat"],
    message=(
        "A partir de 26 ans, le contrat de professionnalisation est ouvert aux demandeurs d'emploi inscrits "
        "à France Travail, aux bénéficiaires du revenu de solidarité active (RSA), de l'allocation de "
        "solidarité spécifique (ASS) ou de l'allocation aux adultes handicapés (AAH), et aux personnes ayant "
        "bénéficié d'un contrat unique d'insertion (article L6325-1 du code du travail)."
    ),
    exigences=("PUB-01", "PUB-02", "PUB-03", "X-13"),
)
def public_26_ans_et_plus(dossier):
    """PUB-01…03 (X-13) : de 26 ans (jour anniversaire compris) à la conclusion, PUB-02 ou PUB-03 est requis.

    Le minimum social est facultatif : la règle attend les réponses à « Inscrit à France Travail ? » et à
    « Situation avant ce contrat », et la date de conclusion (onglet Contrat).
    """
    age = age_a_la_conclusion(dossier)
    return age is not None and age >= AGE_PUBLIC_JEUNE_MAXIMUM and not public_eligible_26_ans_et_plus(dossier.salarie)


# --- Tutor: how many contracts at once (RULES.md §2.8 TUT-04, TUT-05, X-22, article D6325-9) -------------

MAXIMUM_SALARIES_PAR_TUTEUR = 3
MAXIMUM_SALARIES_PAR_EMPLOYEUR_TUTEUR = 2


@dataclass(frozen=True)
class ChargeTuteur:
    """What the establishment tutor (rang 1) of a dossier follows besides this contract, over its period."""

    numeros: tuple[str, ...]  # the other dossiers of the portal counted (transmitted or accepted), by number
    hors_portail: int  # the contracts the employer declares outside the portal

    @property
    def autres(self) -> int:
        return len(self.numeros) + self.hors_portail


def periode_du_contrat(dossier) -> tuple[dt.date, dt.date]:
    """This contract's period [C9, C11]; today for a date not entered yet (an end before the start: the start)."""
    contrat = _contrat(dossier)
    debut = (contrat.date_debut if contrat else None) or timezone.localdate()
    fin = contrat.date_fin if contrat else None
    return debut, max(fin or debut, debut)


def _personne(empreinte_nir_, nom, prenom, naissance):
    """Who a salarié is, to count them once: the NIR's fingerprint, else the normalised names and birth date."""
    if empreinte_nir_:
        return ("nir", empreinte_nir_)
    if nom and prenom and naissance:
        return ("etat_civil", cle_nom(nom), cle_nom(prenom), naissance)
    return None


def _salarie_du_dossier(dossier):
    try:
        s = dossier.salarie
    except ObjectDoesNotExist:
        return None
    return _personne(s.nir_empreinte, s.nom_naissance, s.prenom, s.date_naissance)


def _numeros_des_autres_dossiers(dossier, tuteur, siren: str, periode: tuple[dt.date, dt.date]) -> tuple[str, ...]:
    cle = (cle_nom(tuteur.nom), cle_nom(tuteur.prenom))
    if not (tuteur.date_naissance and all(cle) and len(siren) == 9):
        return ()
    if dossier.indice("tuteur", tuteur.date_naissance, siren) is False:
        return ()  # read with the dossier: no other concluded contract of this employer has a tutor born that day
    debut, fin = periode
    candidats = Tuteur.objects.filter(
        rang=Tuteur.Rang.EMPLOYEUR,
        date_naissance=tuteur.date_naissance,
        dossier__employeur__siret__startswith=siren,
        dossier__state__in=DossierState.contrats_conclus(),
    ).filter(
        # The two periods overlap: the other starts on or before this one's end and ends on or after its start.
        Q(dossier__contrat__date_debut__isnull=True) | Q(dossier__contrat__date_debut__lte=fin),
        Q(dossier__contrat__date_fin__isnull=True) | Q(dossier__contrat__date_fin__gte=debut),
    )
    if dossier.pk is not None:
        candidats = candidats.exclude(dossier_id=dossier.pk)
    lignes = candidats.order_by("dossier__numero").values_list(
        "nom",
        "prenom",
        "dossier__numero",
        "dossier__salarie__nir_empreinte",
        "dossier__salarie__nom_naissance",
        "dossier__salarie__prenom",
        "dossier__salarie__date_naissance",
    )
    # One salarié is one tutored person: this contract's salarié (an avenant, a renewal) is not another, and two
    # dossiers of one other salarié count once (shown by the latest number).
    ce_salarie = _salarie_du_dossier(dossier)
    par_salarie = {}
    for nom, prenom, numero, *salarie in lignes:
        if (cle_nom(nom), cle_nom(prenom)) != cle:
            continue
        personne = _personne(*salarie) or ("dossier", numero)
        if personne != ce_salarie:
            par_salarie[personne] = numero
    return tuple(sorted(par_salarie.values()))


def _cle_de_lecture(dossier) -> tuple:
    """What the portal's count depends on in memory: when unchanged, what was read still holds."""
    tuteur = dossier.tuteur(Tuteur.Rang.EMPLOYEUR)
    siren = (dossier.employeur.siret or "")[:9]
    return (
        tuteur.nom,
        tuteur.prenom,
        tuteur.date_naissance,
        siren,
        periode_du_contrat(dossier),
        dossier.pk,
        _salarie_du_dossier(dossier),
    )


def charge_du_tuteur(dossier, *, relire: bool = False) -> ChargeTuteur:
    """The other contracts the establishment tutor (rang 1) of ``dossier`` follows during this contract.

    On the portal: the same person (same normalised nom and prénom, ``cle_nom``, and same date of birth) as
    rang-1 tutor of another dossier of the same employer (SIREN = first 9 digits of the SIRET) whose contract is
    concluded (``DossierState.contrats_conclus``: transmitted or accepted; a draft may never be signed, a refused
    one does not run) and whose period [C9, C11] overlaps this one's (``periode_du_contrat``), one per other
    salarié. Plus the contracts the employer declares outside the portal (``Tuteur.autres_alternants``). Reads the
    in-memory tutor; one query, whatever the number of dossiers, none when ``avec_indices`` found no candidate.
    """
    tuteur = dossier.tuteur(Tuteur.Rang.EMPLOYEUR)
    numeros = lu_une_fois(  # the rule and its message share the query
        dossier,
        "_charge_tuteur",
        _cle_de_lecture(dossier),
        lambda: _numeros_des_autres_dossiers(
            dossier, tuteur, (dossier.employeur.siret or "")[:9], periode_du_contrat(dossier)
        ),
        relire=relire,
    )
    return ChargeTuteur(numeros, tuteur.autres_alternants or 0)


def maximum_salaries(est_employeur: bool) -> int:
    return MAXIMUM_SALARIES_PAR_EMPLOYEUR_TUTEUR if est_employeur else MAXIMUM_SALARIES_PAR_TUTEUR


def _pluriel(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre <= 1 else pluriel}"


def message_charge_du_tuteur(dossier) -> str:
    """The rule's message for this dossier: what is counted, then the limit (dossier numbers only, never a name:
    the other dossiers may not be visible to this user)."""
    charge = charge_du_tuteur(dossier)
    employeur = bool(dossier.tuteur(Tuteur.Rang.EMPLOYEUR).est_employeur)
    limite = (
        f"L'employeur tuteur ne peut pas suivre plus de {MAXIMUM_SALARIES_PAR_EMPLOYEUR_TUTEUR} salariés"
        if employeur
        else f"Un salarié tuteur ne peut pas suivre plus de {MAXIMUM_SALARIES_PAR_TUTEUR} salariés"
    )
    comptes = []
    if charge.numeros:
        numeros = [f"n° {numero}" for numero in charge.numeros]
        liste = numeros[0] if len(numeros) == 1 else f"{', '.join(numeros[:-1])} et {numeros[-1]}"
        if len(numeros) == 1:
            comptes.append(f"le dossier {liste} (transmis ou accepté)")
        else:
            comptes.append(f"les dossiers {liste} (transmis ou acceptés)")
    if charge.hors_portail:
        declares = "déclaré" if charge.hors_portail == 1 else "déclarés"
        comptes.append(f"{_pluriel(charge.hors_portail, 'contrat', 'contrats')} {declares} hors du portail")
    # What is counted first: the message under the field shows one line until clicked.
    return (
        f"Ce tuteur suit déjà {_pluriel(charge.autres, 'contrat', 'contrats')} sur la même période : "
        f"{', et '.join(comptes)}. {limite} en contrat de professionnalisation ou d'apprentissage en même temps, ce "
        "contrat compris (article D6325-9 du code du travail)."
    )


@regle(
    "SALARIE_TUTEUR1_TROP_DE_CONTRATS",
    "salarie",
    fields=["tuteur1_nom"],
    reads=[
        "tuteur1_nom",
        "tuteur1_prenom",
        "tuteur1_date_naissance",
        "tuteur1_est_employeur",
        "tuteur1_autres_alternants",
    ],
    message=(
        "Ce tuteur suit déjà le nombre maximal de contrats sur la période de ce contrat : un salarié tuteur ne peut "
        "pas suivre plus de 3 salariés en contrat de professionnalisation ou d'apprentissage en même temps, "
        "l'employeur tuteur pas plus de 2, ce contrat compris (article D6325-9 du code du travail)."
    ),
    source="Code du travail, art. D6325-9",
    exigences=("TUT-04", "TUT-05", "X-22"),
    message_de=message_charge_du_tuteur,
)
def tuteur1_trop_de_contrats(dossier):
    """TUT-04 / TUT-05 (X-22) : au plus 3 salariés par tuteur salarié, 2 par employeur tuteur, ce contrat compris.

    Contrats comptés sur la période de ce contrat (``charge_du_tuteur``) : les dossiers transmis ou acceptés du
    même employeur dont ce tuteur est le tuteur et dont la période chevauche celle-ci, et les contrats que
    l'employeur déclare hors du portail. Les brouillons et les dossiers refusés ne comptent pas. Ne s'applique pas
    au tuteur désigné par une entreprise de travail temporaire ou un groupement d'employeurs (TUT-08 : les
    conditions de l'article D6325-9 ne lui sont pas applicables, articles D6325-10 et D6325-22).
    """
    if travail_temporaire_ou_geiq(dossier):
        return False
    maximum = maximum_salaries(dossier.tuteur(Tuteur.Rang.EMPLOYEUR).est_employeur)
    return charge_du_tuteur(dossier, relire=True).autres + 1 > maximum
