"""The funding estimate of a dossier (RULES.md §3): AKTO's funding of the training, the tutor aid, the reste à charge.

``estimation(dossier)`` is a pure read of the dossier and of the dated parameters:

- **prise en charge de la formation** = forfait horaire × *Durée totale de formation* (F13). The forfait is the
  branch's level for the employer's IDCC when one is recorded (``ForfaitPriseEnCharge``), else the legal default
  (D6332-86): 9,15 €/h, or 15 €/h for a salarié of the L6325-1-1 public (RENF-01..03) or a GEIQ employer;
- **aide à la fonction tutorale** (D6332-93): a monthly amount for at most 6 months (within the contract's
  duration), majorée when the tutor is 45 or older or the salarié is of the L6325-1-1 public. The amounts are
  ``ParametreRegle`` rows (``FIN_TUTORAT_*``, loaded by migration ``dossiers.0009``), the legal ceilings failing
  them;
- **reste à charge** = max(0, coût pédagogique prévu − prise en charge de la formation), when the employer typed
  the training organisme's quote. The salarié's pay and social charges stay the employer's cost: they are not in
  the estimate.

The parameters are read at the contract's start date (today while it is empty). Every figure is an estimate,
« sous réserve de l'accord de prise en charge AKTO ».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from dossiers.calculs.age import age_revolu
from dossiers.enums import Diplome, MinimumSocial, SituationAvantContrat
from referentiels.models import ForfaitPriseEnCharge, ParametreRegle
from referentiels.parametres import (
    ParametreIntrouvable,
    forfait_en_vigueur,
    forfait_horaire,
    parametre,
    parametre_en_vigueur,
)

CENT = Decimal("0.01")
AGE_TUTEUR_MAJORATION = 45  # D6332-93
AGE_RENF01_MAX = 25  # L6325-1-1 1° : 16 à 25 ans révolus
DUREE_INSCRIPTION_RENF02_MOIS = 12  # L6325-1-1 : inscrit depuis plus d'un an

# Legal ceilings of D6332-93, used only when the ``ParametreRegle`` rows are missing.
TUTORAT_DEFAUTS = {
    "FIN_TUTORAT_MENSUEL": Decimal("230"),
    "FIN_TUTORAT_MENSUEL_MAJORE": Decimal("345"),
    "FIN_TUTORAT_MOIS_MAX": Decimal("6"),
}


@dataclass(frozen=True)
class ParametreUtilise:
    """A dated figure used by the estimate, as shown under it."""

    libelle: str
    valeur: str
    date_effet: dt.date | None
    source: str


@dataclass
class Estimation:
    date_reference: dt.date
    date_reference_libelle: str
    heures: int | None
    renforce: bool
    motifs_renforce: list[str]
    geiq: bool
    forfait: Decimal | None = None
    forfait_origine: str = ""
    prise_en_charge: Decimal | None = None
    tutorat_mensuel: Decimal | None = None
    tutorat_mois: int | None = None
    tutorat_majore: bool = False
    tutorat_motif: str = ""
    tutorat: Decimal | None = None
    tuteur_designe: bool = False
    cout_pedagogique: Decimal | None = None
    reste_a_charge: Decimal | None = None
    parametres: list[ParametreUtilise] = field(default_factory=list)
    manquants: list[str] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)

    @property
    def total_aides(self) -> Decimal | None:
        # The tutor aid counts only once a tutor is designated: until then it is shown, not added.
        tutorat = self.tutorat if self.tuteur_designe else None
        montants = [m for m in (self.prise_en_charge, tutorat) if m is not None]
        return sum(montants, Decimal(0)) if montants else None

    def lignes(self) -> list[tuple[str, str, str]]:
        """The estimate's rows as shown: (libellé, montant, détail du calcul)."""
        if self.prise_en_charge is not None:
            detail = f"{self.heures} h de formation × {euros(self.forfait)}/h ({self.forfait_origine})"
        elif self.forfait is not None:
            detail = f"{euros(self.forfait)}/h ({self.forfait_origine}) × la durée totale de formation, à saisir"
        else:
            detail = "Forfait horaire inconnu à cette date"
        formation = ("Prise en charge de la formation", euros(self.prise_en_charge) or "Non calculable", detail)
        detail = f"{self.tutorat_mois} mois × {euros(self.tutorat_mensuel)} par mois"
        if self.tutorat_majore:
            detail += f" (montant majoré : {self.tutorat_motif})"
        if not self.tuteur_designe:
            detail += " — versée si un tuteur est désigné (onglet Salarié)"
        tutorat = ("Aide à la fonction tutorale", euros(self.tutorat), detail)
        total = ("Total estimé des aides AKTO", euros(self.total_aides) or "Non calculable", "")
        if self.reste_a_charge is not None:
            detail = (
                f"{euros(self.cout_pedagogique)} de coût pédagogique prévu − {euros(self.prise_en_charge)} "
                "de prise en charge de la formation"
            )
            reste = ("Reste à charge estimé de l'employeur", euros(self.reste_a_charge), detail)
        else:
            reste = (
                "Reste à charge estimé de l'employeur",
                "Non calculé",
                "Saisissez le coût pédagogique prévu (devis de l'organisme de formation) pour l'estimer.",
            )
        return [formation, tutorat, total, reste]


def _partie(dossier, nom):
    try:
        return getattr(dossier, nom)
    except ObjectDoesNotExist:
        return None


def motifs_public_renforce(dossier, le: dt.date | None = None) -> list[str]:
    """The RENF-01..03 criteria (L6325-1-1) the salarié meets, in words; empty when none."""
    salarie, contrat = dossier.salarie, _partie(dossier, "contrat")
    jour = le or (contrat and (contrat.date_conclusion or contrat.date_debut))
    motifs = []
    if salarie.date_naissance and jour and salarie.diplome_plus_eleve == Diplome.AUCUN:
        if 16 <= age_revolu(salarie.date_naissance, jour) <= AGE_RENF01_MAX:
            motifs.append("jeune de 16 à 25 ans sans diplôme ni titre professionnel")
    if salarie.inscrit_france_travail is True and (salarie.duree_inscription_mois or 0) > DUREE_INSCRIPTION_RENF02_MOIS:
        motifs.append("inscrit à France Travail depuis plus d'un an")
    if salarie.minimum_social in MinimumSocial.values:
        motifs.append(f"bénéficiaire du minimum social « {MinimumSocial(salarie.minimum_social).label[4:]} »")
    if salarie.situation_avant_contrat == SituationAvantContrat.CONTRAT_AIDE:
        motifs.append("sorti d'un contrat unique d'insertion (CUI)")
    return motifs


def _date_reference(dossier) -> tuple[dt.date, str]:
    contrat = _partie(dossier, "contrat")
    if contrat is not None and contrat.date_debut:
        return contrat.date_debut, "date de début d'exécution du contrat"
    return timezone.localdate(), "date du jour, la date de début du contrat n'étant pas encore saisie"


def _forfait_ligne(jour, idcc, renforce) -> ForfaitPriseEnCharge | None:
    """The row ``forfait_horaire`` reads (for its date and origin): the branch's if recorded, else the legal one."""
    return forfait_en_vigueur(jour, idcc, renforce)


def _parametre(code: str, jour: dt.date) -> tuple[Decimal, ParametreRegle | None]:
    try:
        valeur = parametre(code, jour)
    except ParametreIntrouvable:
        return TUTORAT_DEFAUTS[code], None
    return valeur, parametre_en_vigueur(code, jour)


def mois_de_contrat(debut: dt.date, fin: dt.date) -> int:
    """Months of a contract, a started month counting as one."""
    mois = (fin.year - debut.year) * 12 + fin.month - debut.month
    return max(1, mois + (fin.day >= debut.day))


def euros(montant: Decimal | None) -> str:
    if montant is None:
        return ""
    from dossiers.calculs.salaire import montant_fr

    return f"{montant_fr(montant)} €"


def estimation(dossier) -> Estimation:
    employeur = dossier.employeur
    formation = _partie(dossier, "formation")
    contrat = _partie(dossier, "contrat")
    jour, jour_libelle = _date_reference(dossier)
    motifs = motifs_public_renforce(dossier)
    geiq = bool(employeur.geiq)
    renforce = bool(motifs) or geiq
    heures = formation.duree_totale_heures if formation is not None else None
    est = Estimation(jour, jour_libelle, heures, bool(motifs), motifs, geiq)

    # Prise en charge de la formation (D6332-85/86).
    idcc = (employeur.idcc or "").strip() or None
    try:
        est.forfait = forfait_horaire(jour, idcc, renforce=renforce)
    except ParametreIntrouvable as erreur:
        est.erreurs.append(str(erreur))
    else:
        ligne = _forfait_ligne(jour, idcc, renforce)
        if ligne is not None and ligne.idcc:
            est.forfait_origine = f"niveau de prise en charge de la branche (IDCC {ligne.idcc})"
        elif renforce:
            est.forfait_origine = "montant légal majoré (article D6332-86 du code du travail)"
        else:
            est.forfait_origine = "montant légal par défaut (article D6332-86 du code du travail)"
        est.parametres.append(
            ParametreUtilise(
                "Forfait horaire de prise en charge",
                f"{euros(est.forfait)}/h",
                ligne.date_effet if ligne else None,
                (ligne.source if ligne else "") or est.forfait_origine,
            )
        )
        if heures:
            est.prise_en_charge = (est.forfait * heures).quantize(CENT, rounding=ROUND_HALF_UP)
    if not heures:
        est.manquants.append("la durée totale de formation (onglet Formation)")

    # Aide à la fonction tutorale (D6332-93).
    tuteur = dossier.tuteur(1)
    est.tuteur_designe = bool(tuteur.nom or tuteur.prenom)
    if tuteur.date_naissance and age_revolu(tuteur.date_naissance, jour) >= AGE_TUTEUR_MAJORATION:
        est.tutorat_majore, est.tutorat_motif = True, "tuteur âgé de 45 ans ou plus"
    elif motifs:
        est.tutorat_majore, est.tutorat_motif = True, "salarié relevant de l'article L6325-1-1"
    code = "FIN_TUTORAT_MENSUEL_MAJORE" if est.tutorat_majore else "FIN_TUTORAT_MENSUEL"
    mensuel, ligne_mensuel = _parametre(code, jour)
    mois_max, ligne_mois = _parametre("FIN_TUTORAT_MOIS_MAX", jour)
    est.tutorat_mensuel = mensuel
    mois = int(mois_max)
    if contrat is not None and contrat.date_debut and contrat.date_fin and contrat.date_fin >= contrat.date_debut:
        mois = min(mois, mois_de_contrat(contrat.date_debut, contrat.date_fin))
    est.tutorat_mois = mois
    est.tutorat = (mensuel * mois).quantize(CENT, rounding=ROUND_HALF_UP)
    for libelle, valeur, ligne in (
        (
            "Aide à la fonction tutorale, par mois" + (" (majorée)" if est.tutorat_majore else ""),
            euros(mensuel),
            ligne_mensuel,
        ),
        ("Durée maximale de l'aide à la fonction tutorale", f"{int(mois_max)} mois", ligne_mois),
    ):
        est.parametres.append(
            ParametreUtilise(
                libelle,
                valeur,
                ligne.date_effet if ligne else None,
                (ligne.source if ligne else "") or "Code du travail, art. D6332-93 (plafond légal)",
            )
        )

    # Reste à charge de l'employeur (RULES.md §3.3).
    financement = _partie(dossier, "financement")
    est.cout_pedagogique = financement.cout_pedagogique if financement is not None else None
    if est.cout_pedagogique is not None and est.prise_en_charge is not None:
        est.reste_a_charge = max(Decimal(0), est.cout_pedagogique - est.prise_en_charge)
    return est
