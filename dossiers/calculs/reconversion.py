"""The funding estimate of a période de reconversion (RULES.md REC-08, PROA-09): training hours × the hourly
forfait in force on the start date — the branch's when AKTO recorded one (``ForfaitPriseEnCharge`` with its IDCC,
public « reconversion », in the admin: the contrat pro's mechanism), else the default 9,15 €/h (D6332-89,
``referentiels/data/parametres.json``). An estimate, as the contrat pro's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from dossiers.calculs.financement import CENT, euros
from referentiels.models.parametres import PublicForfait
from referentiels.parametres import forfait_en_vigueur


@dataclass(frozen=True)
class EstimationReconversion:
    jour: dt.date
    forfait: Decimal | None  # None: no forfait recorded for that day (the parameters are not loaded)
    origine: str
    heures: int | None
    prise_en_charge: Decimal | None

    @property
    def forfait_texte(self) -> str:
        return f"{euros(self.forfait)}/h" if self.forfait is not None else "forfait inconnu"

    @property
    def prise_en_charge_texte(self) -> str:
        return euros(self.prise_en_charge) if self.prise_en_charge is not None else "—"

    # As the contrat pro's ``financement.Estimation`` (the back office's *Accepter* page shows either one).
    date_reference_libelle = "date de début de la période de reconversion, à défaut la date du jour"

    @property
    def date_reference(self) -> dt.date:
        return self.jour

    @property
    def total_aides(self) -> Decimal | None:
        """The funding asked for: the training's prise en charge."""
        return self.prise_en_charge

    def lignes(self) -> list[tuple[str, str, str]]:
        """The estimate's rows as shown: (libellé, montant, détail du calcul)."""
        if self.prise_en_charge is not None:
            detail = f"{self.heures} h de formation × {self.forfait_texte} ({self.origine})"
        elif self.forfait is not None:
            detail = (
                f"{self.forfait_texte} ({self.origine}) × la durée totale de la formation, à saisir (onglet Accord)"
            )
        else:
            detail = self.origine
        return [("Prise en charge de la formation", euros(self.prise_en_charge) or "Non calculable", detail)]


def estimation(accord, idcc: str | None) -> EstimationReconversion:
    jour = accord.date_debut or timezone.localdate()
    ligne = forfait_en_vigueur(jour, idcc, public=PublicForfait.RECONVERSION)
    heures = accord.duree_formation_heures
    if ligne is None:
        origine = (
            f"aucun forfait horaire de la période de reconversion n'est connu au {jour:%d/%m/%Y} : "
            "rapprochez-vous de votre conseiller AKTO"
        )
        return EstimationReconversion(jour, None, origine, heures, None)
    if ligne.idcc:
        origine = f"niveau de prise en charge de la branche (IDCC {ligne.idcc})"
    else:
        origine = "montant par défaut (article D6332-89 du code du travail)"
    montant = (ligne.montant_horaire * heures).quantize(CENT, rounding=ROUND_HALF_UP) if heures is not None else None
    return EstimationReconversion(jour, ligne.montant_horaire, origine, heures, montant)
