"""The dossier's tabs as the data-entry layer shows them: each tab of ``enums.OngletDossier`` (slug, label, in the
guide's order) with its form (``onglets/<slug>/formulaire.py``), the instance it edits and its template.

One generic view serves them all (``saisie/vues.py``). A tab without a form is not available yet in this release:
it says so plainly and its bullet stays neutral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dossiers import rules
from dossiers.enums import OngletDossier
from dossiers.saisie.onglets.base import OngletForm
from dossiers.saisie.onglets.contrat.formulaire import ContratForm
from dossiers.saisie.onglets.documents.formulaire import ONGLET_DOCUMENTS
from dossiers.saisie.onglets.employeur.formulaire import EmployeurForm
from dossiers.saisie.onglets.financement.formulaire import FinancementForm, financement_de
from dossiers.saisie.onglets.formation.formulaire import FormationForm
from dossiers.saisie.onglets.introduction.formulaire import IntroductionForm
from dossiers.saisie.onglets.salarie.formulaire import SalarieForm
from dossiers.saisie.onglets.synthese.formulaire import SyntheseForm, synthese_de


@dataclass(frozen=True)
class Onglet:
    slug: str
    label: str
    form_class: type[OngletForm] | None = None
    instance: Callable[[object], object] | None = None

    @property
    def disponible(self) -> bool:
        return self.form_class is not None

    @property
    def template(self) -> str:
        return f"dossiers/tabs/{self.slug}.html" if self.disponible else "dossiers/tabs/indisponible.html"


FORMULAIRES: dict[str, tuple] = {
    OngletDossier.INTRODUCTION: (IntroductionForm, lambda d: d),
    OngletDossier.EMPLOYEUR: (EmployeurForm, lambda d: d.employeur),
    OngletDossier.SALARIE: (SalarieForm, lambda d: d.salarie),
    OngletDossier.CONTRAT: (ContratForm, lambda d: d.contrat),
    OngletDossier.FORMATION: (FormationForm, lambda d: d.formation),
    OngletDossier.FINANCEMENT: (FinancementForm, financement_de),
    OngletDossier.SYNTHESE: (SyntheseForm, synthese_de),
    OngletDossier.DOCUMENTS: ONGLET_DOCUMENTS,
}
ONGLETS: list[Onglet] = [Onglet(o.value, o.label, *FORMULAIRES.get(o, ())) for o in OngletDossier]
BY_SLUG = {o.slug: o for o in ONGLETS}


def get(slug: str) -> Onglet | None:
    return BY_SLUG.get(slug)


def voisins(onglet: Onglet) -> tuple[Onglet | None, Onglet | None]:
    i = ONGLETS.index(onglet)
    return (ONGLETS[i - 1] if i > 0 else None, ONGLETS[i + 1] if i + 1 < len(ONGLETS) else None)


@dataclass(frozen=True)
class Puce:
    onglet: Onglet
    status: str  # "valid", "invalid" or "neutral"

    @property
    def title(self) -> str:
        return {
            "valid": "Onglet validé",
            "invalid": "Des données obligatoires sont absentes ou des règles de gestion non valides",
            "neutral": "Onglet non disponible dans cette version",
        }[self.status]


def puces(anomalies: list[rules.Anomalie]) -> list[Puce]:
    en_anomalie = rules.onglets_en_anomalie(anomalies)
    return [
        Puce(o, "neutral" if not o.disponible else ("invalid" if o.slug in en_anomalie else "valid")) for o in ONGLETS
    ]
