"""The dossier's tabs, in the guide's order: slug, label, form, template and rule module.

One generic view serves them all. A tab without a form is not available yet in this release:
it says so plainly and its bullet stays neutral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dossiers import forms, forms_contrat, forms_documents, forms_financement, forms_formation, rules


@dataclass(frozen=True)
class Onglet:
    slug: str
    label: str
    form_class: type[forms.OngletForm] | None = None
    instance: Callable[[object], object] | None = None

    @property
    def disponible(self) -> bool:
        return self.form_class is not None

    @property
    def template(self) -> str:
        return f"dossiers/tabs/{self.slug}.html" if self.disponible else "dossiers/tabs/indisponible.html"


ONGLETS: list[Onglet] = [
    Onglet("introduction", "Introduction", forms.IntroductionForm, lambda d: d),
    Onglet("employeur", "Employeur", forms.EmployeurForm, lambda d: d.employeur),
    Onglet("salarie", "Salarié", forms.SalarieForm, lambda d: d.salarie),
    Onglet("contrat", "Contrat", forms_contrat.ContratForm, lambda d: d.contrat),
    Onglet("formation", "Formation", forms_formation.FormationForm, lambda d: d.formation),
    Onglet("financement", "Financement", forms_financement.FinancementForm, forms_financement.financement_de),
    Onglet("synthese", "Synthèse", forms_financement.SyntheseForm, forms_financement.synthese_de),
    Onglet("documents", "Documents", *forms_documents.ONGLET_DOCUMENTS),
]
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
