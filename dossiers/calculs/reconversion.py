"""The funding estimate of a période de reconversion (RULES.md REC-08, PROA-09): training hours × the hourly
forfait in force on the start date, the branch's (a dated parameter ``REC08_FORFAIT_HORAIRE__<IDCC>``, entered in
the admin) when recorded, else the default 9,15 €/h (D6332-89). An estimate, as the contrat pro's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from dossiers.calculs.financement import CENT, euros
from referentiels.parametres import parametre, parametre_en_vigueur

CODE_FORFAIT = "REC08_FORFAIT_HORAIRE"


@dataclass(frozen=True)
class EstimationReconversion:
    jour: dt.date
    forfait: Decimal
    origine: str
    heures: int | None
    prise_en_charge: Decimal | None

    @property
    def forfait_texte(self) -> str:
        return f"{euros(self.forfait)}/h"

    @property
    def prise_en_charge_texte(self) -> str:
        return euros(self.prise_en_charge) if self.prise_en_charge is not None else "—"


def estimation(accord, idcc: str | None) -> EstimationReconversion:
    jour = accord.date_debut or timezone.localdate()
    branche = (idcc or "").strip()
    forfait = parametre(CODE_FORFAIT, jour, variante=branche)
    if branche and parametre_en_vigueur(f"{CODE_FORFAIT}__{branche}", jour):
        origine = f"niveau de prise en charge de la branche (IDCC {branche})"
    else:
        origine = "montant par défaut (article D6332-89 du code du travail)"
    heures = accord.duree_formation_heures
    montant = (forfait * heures).quantize(CENT, rounding=ROUND_HALF_UP) if heures is not None else None
    return EstimationReconversion(jour, forfait, origine, heures, montant)
