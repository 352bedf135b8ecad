"""The catalogue of document types (the guide's *ÉTAPE DOCUMENT*), one place for codes and labels.

The data migration loads it into ``TypeDocument`` (editable in the admin afterwards); the rules module
declares one rule per code of this catalogue. Decisions where the guide is silent are written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Obligation(models.TextChoices):
    TOUJOURS = "toujours", "Toujours obligatoire"
    EXTERNE = "externe", "Obligatoire en formation externe"
    INTERNE = "interne", "Obligatoire en formation interne"
    JAMAIS = "jamais", "Facultatif"


@dataclass(frozen=True)
class TypeDef:
    code: str
    libelle: str
    ordre: int
    obligation: str
    ajout_libre: bool = False  # *Ajouter un fichier* → *Autre*: shown on demand, optional, removable
    sous_dispositifs: str = ""  # codes separated by commas; empty: every sous-dispositif
    types_contrat: str = ""  # contract types (CERFA C3) separated by commas; empty: every type
    exigences: tuple[str, ...] = ()  # the RULES.md ids of the type's rule (shown on /regles/)
    source: str = ""  # the legal basis of the obligation
    dispositifs: tuple[str, ...] = ()  # the codes of the dispositifs whose dossiers may need it; empty: every one


# The guide's 2/2 screenshot (external training) counts *Programme* and *Convention signée des 2 parties ou
# Devis*; *Bilan de positionnement* shows without *(1 fichier minimum)*; the internal training's list is
# *Attestation de capacité du formateur interne* and *Annexe pédagogique ou budget prévisionnel*. The guide
# names no difference between CPRO, CPRO_PRODIAT and CPRO_HOPE yet: every type applies to the three
# (``TypeDocument.sous_dispositifs`` restricts one in the admin when AKTO says so).
#
# *Convention tripartite*: the type 12 contract (concluded jointly with two employers for a seasonal activity) is
# validated by the OPCO with the convention between the salarié and the two employers annexed (assignment
# calendar, which employer pays each training period, tutoring: L6325-4-1, RULES.md DUR-13 / X-08); mandatory
# for type 12 only, and not offered for any other type (``TypeDocument.types_contrat``).
CATALOGUE: tuple[TypeDef, ...] = (
    TypeDef(
        "PROGRAMME",
        "Programme",
        10,
        Obligation.EXTERNE,
        exigences=("FOR-06",),
        source="Code du travail, art. D6325-11, D6325-12",
    ),
    TypeDef(
        "CONVENTION_DEVIS",
        "Convention signée des 2 parties ou Devis",
        20,
        Obligation.EXTERNE,
        exigences=("FOR-06",),
        source="Code du travail, art. D6325-11, D6325-12",
    ),
    TypeDef(
        "CONVENTION_TRIPARTITE",
        "Convention tripartite",
        25,
        Obligation.TOUJOURS,
        types_contrat="12",
        exigences=("X-08", "DUR-13"),
        source="Code du travail, art. L6325-4-1",
    ),
    TypeDef("ATTESTATION_FORMATEUR_INTERNE", "Attestation de capacité du formateur interne", 30, Obligation.INTERNE),
    TypeDef("ANNEXE_PEDAGOGIQUE", "Annexe pédagogique ou budget prévisionnel", 40, Obligation.INTERNE),
    TypeDef("BILAN_POSITIONNEMENT", "Bilan de positionnement", 50, Obligation.JAMAIS),
    # The période de reconversion's (R6324-1, RULES.md REC-05), and the Pro-A's avenant (L6324-6, PROA-06).
    TypeDef(
        "ACCORD_RECONVERSION",
        "Accord écrit de la période de reconversion",
        60,
        Obligation.TOUJOURS,
        sous_dispositifs="REC_INT,REC_EXT",
        dispositifs=("PROA",),
        exigences=("REC-05",),
        source="Code du travail, art. R6324-1",
    ),
    TypeDef(
        "AVENANT_PROA",
        "Avenant au contrat de travail (Pro-A)",
        61,
        Obligation.TOUJOURS,
        sous_dispositifs="PROA_AVT",
        dispositifs=("PROA",),
        exigences=("PROA-06",),
        source="Code du travail, art. L6324-6 (rédaction antérieure au 01/01/2026)",
    ),
    TypeDef(
        "CONVENTION_FORMATION",
        "Convention de formation",
        62,
        Obligation.TOUJOURS,
        sous_dispositifs="REC_INT,REC_EXT,PROA_AVT",
        dispositifs=("PROA",),
        exigences=("REC-05",),
        source="Code du travail, art. R6324-1, L6353-1",
    ),
    TypeDef(
        "CONTRAT_ACCUEIL",
        "Contrat de travail de l'entreprise d'accueil",
        63,
        Obligation.TOUJOURS,
        sous_dispositifs="REC_EXT",
        dispositifs=("PROA",),
        exigences=("REC-05",),
        source="Code du travail, art. R6324-1",
    ),
    TypeDef("AUTRE", "Autre", 90, Obligation.JAMAIS, ajout_libre=True),
)
BY_CODE = {t.code: t for t in CATALOGUE}
