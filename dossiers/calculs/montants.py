"""The funding a dossier asks for, per dispositif: the one place the back office reads it (the *Accepter* page's
estimate and proposed amount, the tacit acceptance's amount, the bulk acceptance). The contrat de
professionnalisation's is its funding estimate (training + tutor aid, ``calculs/financement.py``); the période de
reconversion's its agreement's (training hours × the hourly forfait in force, ``calculs/reconversion.py``). Both
estimates show the same way: ``date_reference``, ``date_reference_libelle``, ``lignes()``, ``total_aides``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from dossiers.enums import CodeDispositif


def _contrat_pro(dossier):
    from dossiers.calculs.financement import estimation

    return estimation(dossier)


def _reconversion(dossier):
    from dossiers.calculs.reconversion import estimation
    from dossiers.models import AccordReconversion

    employeur = getattr(dossier, "employeur", None)  # a missing one-to-one raises an AttributeError
    return estimation(AccordReconversion.du_dossier(dossier), getattr(employeur, "idcc", None))


ESTIMATIONS: dict[str, Callable] = {
    CodeDispositif.CONTRAT_PRO: _contrat_pro,
    CodeDispositif.RECONVERSION: _reconversion,
}


def estimation_du_dossier(dossier):
    """The funding estimate of ``dossier``'s dispositif (a dossier without one yet: a contrat pro)."""
    code = dossier.dispositif.code if getattr(dossier, "dispositif_id", None) else CodeDispositif.CONTRAT_PRO
    return ESTIMATIONS[code](dossier)


def montant_estime(dossier) -> Decimal | None:
    """The estimated amount of the funding ``dossier`` asks for (None: not computable)."""
    return estimation_du_dossier(dossier).total_aides
