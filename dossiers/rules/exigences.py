"""Where each requirement of the business-rules specification (RULES.md ids: DUR-03, X-14…) lives.

Most requirements are rules of the engine, which cite them (``exigences=`` on ``regle``/``obligatoire``). The
others are listed here, in one place, so ``/regles/`` maps every RULES.md id to its code and a test proves that
every BLOCK requirement of the specification (committed as ``docs/spec/RULES.md``) is either implemented or
declared not applicable, with its reason:

- ``HORS_REGISTRE``: checked elsewhere than in the rules engine (a form's validator, the data model), with where;
- ``NON_APPLICABLES``: requirements that cannot arise in this portal, with why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossiers import rules

SOURCE_RULES_MD = "docs/spec/RULES.md"
_IDENTIFIANT = re.compile(r"[A-Z]+-\d+")


@dataclass(frozen=True)
class Ailleurs:
    """A requirement checked outside the rules engine: ``ou`` says where, ``comment`` what the user sees."""

    ou: str
    comment: str


HORS_REGISTRE: dict[str, Ailleurs] = {
    "NIR-02": Ailleurs(
        "referentiels.validators.validate_nir (formulaire de l'onglet Salarié)",
        "13 chiffres : « Saisissez le NIR complet avec sa clé » ; autre longueur : « Le NIR comporte 15 "
        "caractères » (sous le champ, à la sortie du champ et à l'enregistrement).",
    ),
    "NIR-03": Ailleurs(
        "referentiels.validators.validate_nir (formulaire de l'onglet Salarié)",
        "Motif du NIR (sexe, année, mois y compris les pseudo-mois, département 2A/2B/97x, ordre) : « Saisie "
        "invalide » sous le champ ; la valeur n'est pas enregistrée.",
    ),
    "NIR-04": Ailleurs(
        "referentiels.validators.nir_key / validate_nir (formulaire de l'onglet Salarié)",
        "Clé de contrôle (97 − N mod 97, 2A → 19, 2B → 18) : « Saisie invalide » sous le champ.",
    ),
    "X-02": Ailleurs(
        "referentiels.models.Etablissement.siret (validate_siret : Luhn, exception La Poste) ; la règle "
        "EMPLOYEUR_NAF_SAISIE_MANUELLE_OBLIGATOIRE",
        "Le SIRET de l'employeur est celui d'un établissement rattaché, contrôlé à son entrée dans le référentiel ; "
        "le NAF vient de Sirene, et sa saisie est obligatoire quand Sirene ne le donne pas.",
    ),
    # The période de reconversion (RULES.md §2.12).
    "REC-06": Ailleurs(
        "dossiers.instruction.decisions.veiller_delais",
        "La décision dans les 20 jours de la réception (R6324-2) : le délai de décision du back office, le même que "
        "celui du contrat de professionnalisation (D6325-2), court de la transmission.",
    ),
    "REC-08": Ailleurs(
        "dossiers.calculs.reconversion.estimation",
        "Le forfait par défaut de 9,15 €/h (D6332-89), daté, ou celui de la branche : l'estimation de l'onglet "
        "Accord ; la prise en charge moyenne (5 000 €) et la part des reconversions externes sont du pilotage de "
        "l'OPCO, hors du dossier.",
    ),
    "PROA-09": Ailleurs(
        "dossiers.calculs.reconversion.estimation",
        "Le forfait de la branche, à défaut 9,15 €/h (D6332-89, rédaction antérieure) : l'estimation de l'onglet "
        "Accord d'une Pro-A.",
    ),
}

NON_APPLICABLES: dict[str, str] = {
    "REC-04": (
        "Les droits CPF du salarié ne sont pas connus du portail (ils sont sur Mon Compte Formation) : le "
        "co-financement CPF est saisi (montant, heures) dans l'onglet Accord, la limite de la moitié des droits en "
        "reconversion interne est vérifiée par le gestionnaire AKTO."
    ),
    "REC-07": (
        "L'interruption d'une période de reconversion est déclarée après la décision de prise en charge, hors de "
        "la saisie de la demande : aucun écran du portail ne la reçoit encore."
    ),
    "PROA-04": (
        "La liste des certifications ouvertes à la Pro-A par accord de branche étendu n'est pas un référentiel du "
        "portail : la qualification visée est saisie dans l'onglet Accord et vérifiée par le gestionnaire AKTO."
    ),
    "X-01": (
        "Particulier-employeur (E2 = oui) : le portail sert des entreprises adhérentes identifiées par un SIRET "
        "rattaché ; un particulier-employeur ne peut pas y créer de dossier, le CERFA imprime toujours E2 = non."
    ),
}


def identifiants_bloquants(texte: str) -> list[str]:
    """The ids of the specification's BLOCK requirements, in its order.

    A table row whose first cell is an id (``| DUR-03 | …``) and one of whose cells is a severity that blocks:
    it starts with ``BLOCK`` or ``WARN/BLOCK`` or, starting with ``WARN``, says ``BLOCK`` outside parentheses
    (SAL-03: « WARN if SMC unknown, BLOCK if known and below »; NIR-07's « WARN (BLOCK is too strict…) » is an
    alert).
    """
    ids = []
    for line in texte.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not _IDENTIFIANT.fullmatch(cells[0]) or cells[0] in ids:
            continue
        severites = [c for c in cells[1:] if re.match(r"(WARN|BLOCK|INFO)\b", c)]
        if any("BLOCK" in re.sub(r"\([^)]*\)", "", c) for c in severites):
            ids.append(cells[0])
    return ids


def regles_par_exigence() -> dict[str, list[rules.Rule]]:
    """Each RULES.md id cited by the engine's rules → those rules, in declaration order."""
    par_id: dict[str, list[rules.Rule]] = {}
    for rule in rules.REGISTRY.rules:
        for exigence in rule.exigences:
            par_id.setdefault(exigence, []).append(rule)
    return par_id


def cle_de_tri(exigence: str) -> tuple[str, int]:
    prefixe, numero = exigence.rsplit("-", 1)
    return prefixe, int(numero)


def toutes() -> list[str]:
    """Every id the portal speaks of (cited by a rule, checked elsewhere, or not applicable), sorted."""
    return sorted({*regles_par_exigence(), *HORS_REGISTRE, *NON_APPLICABLES}, key=cle_de_tri)
