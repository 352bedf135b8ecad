"""The dossier's tabs as the data-entry layer shows them: each tab (slug, label) with its form
(``onglets/<slug>/formulaire.py``), the instance it edits and its template; and, keyed by the dispositif's code,
which tabs a dossier of that dispositif has, in order (``du_dossier``): the contrat de professionnalisation's are
``enums.OngletDossier``, the période de reconversion's reuse most of them beside its own « Accord ».

One generic view serves them all (``saisie/vues.py``). A tab without a form is not available yet in this release:
it says so plainly and its bullet stays neutral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dossiers import rules
from dossiers.enums import CodeDispositif, OngletDossier, OngletReconversion
from dossiers.saisie.onglets.accord.formulaire import AccordForm, accord_de
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
    OngletReconversion.ACCORD: (AccordForm, accord_de),
}
# Every tab the portal knows, once (a dispositif lists the slugs it has).
BY_SLUG: dict[str, Onglet] = {
    o.value: Onglet(o.value, o.label, *FORMULAIRES.get(o, ())) for o in (*OngletDossier, *OngletReconversion)
}
# The tabs of each dispositif, by its code: data, the one place that says which tabs a dossier has.
PAR_DISPOSITIF: dict[str, tuple[str, ...]] = {
    CodeDispositif.CONTRAT_PRO: tuple(OngletDossier.values),
    # The période de reconversion: the shared blocks, and its written agreement in place of the CERFA's contract.
    CodeDispositif.RECONVERSION: (
        OngletDossier.INTRODUCTION,
        OngletDossier.EMPLOYEUR,
        OngletDossier.SALARIE,
        OngletReconversion.ACCORD,
        OngletDossier.FORMATION,
        OngletDossier.SYNTHESE,
        OngletDossier.DOCUMENTS,
    ),
}
# The contrat de professionnalisation's tabs (the default dispositif); every tab the portal knows: ``TOUS``.
ONGLETS: list[Onglet] = [BY_SLUG[slug] for slug in PAR_DISPOSITIF[CodeDispositif.CONTRAT_PRO]]
TOUS: list[Onglet] = list(BY_SLUG.values())


@dataclass(frozen=True)
class DocumentDeSynthese:
    """The PDF a dispositif's dossier prints (*Générer le CERFA* for the contrat pro)."""

    url: str  # URL name, argument the dossier's pk
    libelle: str
    preparer: str = ""  # URL name of the htmx render with progress (the CERFA's), if any
    titre: str = ""  # the dossier page's heading


DOCUMENTS_DE_SYNTHESE: dict[str, DocumentDeSynthese] = {
    CodeDispositif.CONTRAT_PRO: DocumentDeSynthese(
        "dossier_cerfa", "Générer le CERFA", "dossier_cerfa_preparer", titre="Nouveau contrat de professionnalisation"
    ),
    # No CERFA 12434 for an agreement (RULES.md §2.12): its summary PDF.
    CodeDispositif.RECONVERSION: DocumentDeSynthese(
        "dossier_recapitulatif", "Générer le récapitulatif", titre="Reconversion ou promotion par alternance"
    ),
}


def document_de_synthese(dossier) -> DocumentDeSynthese:
    return DOCUMENTS_DE_SYNTHESE[rules.code_dispositif(dossier)]


def du_dossier(dossier) -> list[Onglet]:
    """The tabs of ``dossier``'s dispositif, in order."""
    return [BY_SLUG[slug] for slug in PAR_DISPOSITIF[rules.code_dispositif(dossier)]]


def get(slug: str, dossier=None) -> Onglet | None:
    """The tab ``slug``; given the dossier, only if its dispositif has it (else None: the views answer 404)."""
    onglet = BY_SLUG.get(slug)
    if onglet is None or (dossier is not None and slug not in PAR_DISPOSITIF[rules.code_dispositif(dossier)]):
        return None
    return onglet


def voisins(onglet: Onglet, dossier=None) -> tuple[Onglet | None, Onglet | None]:
    liste = du_dossier(dossier) if dossier is not None else ONGLETS
    i = liste.index(onglet)
    return (liste[i - 1] if i > 0 else None, liste[i + 1] if i + 1 < len(liste) else None)


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
    """The bullet of every tab the portal knows (``puces_du_dossier`` keeps the dossier's)."""
    en_anomalie = rules.onglets_en_anomalie(anomalies)
    return [Puce(o, "neutral" if not o.disponible else ("invalid" if o.slug in en_anomalie else "valid")) for o in TOUS]


def puces_du_dossier(dossier, anomalies: list[rules.Anomalie]) -> list[Puce]:
    """The bullets of ``dossier``'s tabs, in its dispositif's order."""
    par_slug = {p.onglet.slug: p for p in puces(anomalies)}
    return [par_slug[o.slug] for o in du_dossier(dossier) if o.slug in par_slug]
