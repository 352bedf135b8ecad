"""Every BLOCK requirement of the business-rules specification is implemented, or declared not applicable.

The specification is committed as docs/spec/RULES.md (a copy of the team's spec, ../shared/spec/RULES.md); its
requirement ids (DUR-03, X-14…) are cited by the rules (``exigences=``) and by ``dossiers.rules.exigences``.
"""

import re
from pathlib import Path

from django.conf import settings

from dossiers import rules
from dossiers.rules import exigences
from tests.conftest import client_for

RULES_MD = Path(settings.BASE_DIR) / exigences.SOURCE_RULES_MD
SPEC_PARTAGEE = Path(settings.BASE_DIR).parent / "shared" / "spec" / "RULES.md"


def _texte():
    return RULES_MD.read_text(encoding="utf-8")


def _tous_les_identifiants():
    """Ids the spec defines: first cell of a table row, or named in a rules cell (§5.4: « CERT-01 F7=1 → … »)."""
    texte = _texte()
    en_tete = set(re.findall(r"^\| ([A-Z]+-\d+) \|", texte, re.M))
    return en_tete | set(re.findall(r"(?:\| Rules \| |; )([A-Z]+-\d+) ", texte))


def test_the_committed_specification_is_the_teams():
    """The copy the tests read is the shared spec (when the shared folder is there, i.e. on the team's machines)."""
    assert RULES_MD.is_file()
    if SPEC_PARTAGEE.is_file():
        assert RULES_MD.read_text(encoding="utf-8") == SPEC_PARTAGEE.read_text(encoding="utf-8")


def test_the_block_requirements_are_read_from_the_severity_column():
    texte = "\n".join(
        [
            "| ID | Rule | Sev. |",
            "| A-01 | x | BLOCK if below |",
            "| A-02 | x | WARN if unknown, BLOCK if known and below |",
            "| A-03 | x | WARN (BLOCK is too strict: corrected civil status) |",
            "| A-04 | x | WARN/BLOCK per branch table |",
            "| A-05 | the word BLOCK in a description | WARN |",
            "| Validation | BLOCK if not 11 digits |",
        ]
    )
    assert exigences.identifiants_bloquants(texte) == ["A-01", "A-02", "A-04"]
    bloquants = exigences.identifiants_bloquants(_texte())
    assert {"SAL-03", "SAL-04", "X-14", "TUT-02", "FOR-09", "FOR-10", "NIR-04"} <= set(bloquants)
    assert not {"NIR-07", "X-06", "DUR-05"} & set(bloquants)  # alerts


def test_every_block_requirement_is_implemented_by_a_blocking_check_or_not_applicable():
    par_exigence = exigences.regles_par_exigence()
    manquantes = []
    for exigence in exigences.identifiants_bloquants(_texte()):
        bloquantes = [r.code for r in par_exigence.get(exigence, []) if r.bloquant]
        if not (bloquantes or exigence in exigences.HORS_REGISTRE or exigence in exigences.NON_APPLICABLES):
            manquantes.append(exigence)
    assert manquantes == []


def test_not_applicable_requirements_say_why_and_are_not_also_implemented():
    par_exigence = exigences.regles_par_exigence()
    for exigence, raison in exigences.NON_APPLICABLES.items():
        assert len(raison) > 40 and exigence not in par_exigence and exigence not in exigences.HORS_REGISTRE


def test_every_cited_requirement_exists_in_the_specification():
    connus = _tous_les_identifiants()
    cites = {e for rule in rules.REGISTRY.rules for e in rule.exigences}
    assert cites - connus == set()
    assert set(exigences.HORS_REGISTRE) - connus == set() and set(exigences.NON_APPLICABLES) - connus == set()


def test_the_rules_page_maps_requirements_to_codes_and_filters_by_requirement(adherent):
    client = client_for(adherent)
    page = client.get("/regles/").content.decode()
    assert '<th scope="col">Exigence</th>' in page
    assert '<option value="X-19"' in page and '<a href="?exigence=DUR-03">DUR-03</a>' in page
    assert "Exigences sans objet dans ce portail" in page and "Particulier-employeur" in page

    filtree = client.get("/regles/?exigence=x-19").content.decode()
    codes = set(re.findall(r"<code>([A-Z0-9_{}n]+)</code>", filtree))
    attendus = {r.code for r in rules.REGISTRY.rules if "X-19" in r.exigences}
    assert codes == attendus and attendus
    assert '<option value="X-19" selected>' in filtree
    assert "Particulier-employeur" not in filtree

    hors_moteur = client.get("/regles/?exigence=NIR-04").content.decode()
    assert "validate_nir" in hors_moteur


def test_an_unknown_requirement_or_tab_in_the_filter_is_a_message_not_an_error(adherent):
    client = client_for(adherent)
    response = client.get("/regles/?exigence=ZZ-99&onglet=inexistant")
    assert response.status_code == 200
    assert "Cette exigence n'est pas connue" in response.content.decode()


def test_the_rules_page_filters_by_tab(adherent):
    page = client_for(adherent).get("/regles/?onglet=formation").content.decode()
    assert "FORMATION_FOR02_MINIMUM_150_HEURES" in page
    assert "CONTRAT_DAT_02" not in page and "SALARIE_NIR_SEXE" not in page


def test_requirements_checked_outside_the_engine_name_code_that_exists():
    """Each entry of HORS_REGISTRE starts with the dotted path of what checks it: it must resolve (no stale entry)."""
    import importlib

    for exigence, ailleurs in exigences.HORS_REGISTRE.items():
        chemin = ailleurs.ou.split()[0].split(".")
        for coupure in range(len(chemin) - 1, 0, -1):
            try:
                objet = importlib.import_module(".".join(chemin[:coupure]))
            except ImportError:
                continue
            for nom in chemin[coupure:]:
                objet = getattr(objet, nom, None) or objet._meta.get_field(nom)
            break
        else:
            raise AssertionError(f"{exigence}: {ailleurs.ou}")
        assert objet is not None, exigence
