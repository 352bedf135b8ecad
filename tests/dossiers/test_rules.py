"""The rules engine: declared once, pure, and silent on cross-field rules until their fields are filled."""

import pytest

from dossiers import rules
from dossiers.enums import AnomalieKind
from dossiers.models import Dossier
from dossiers.saisie import onglets
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def codes(anomalies):
    return {a.code for a in anomalies}


def intro_employeur(dossier):
    """The anomalies of the first two tabs (the Salarié tab has its own tests)."""
    return [a for a in rules.check(dossier) if a.onglet in ("introduction", "employeur")]


def complete(dossier):
    dossier.notice_lue = True
    e = dossier.employeur
    e.email, e.effectif_total, e.caisse_retraite, e.organisme_prevoyance = "rh@x.fr", 0, "AG2R", "APICIL"
    return dossier


def test_new_draft_lists_every_missing_mandatory_field():
    dossier = DossierFactory()
    dossier.employeur.email = ""
    assert codes(intro_employeur(dossier)) == {
        "INTRODUCTION_NOTICE_OBLIGATOIRE",
        "EMPLOYEUR_EMAIL_OBLIGATOIRE",
        "EMPLOYEUR_EFFECTIF_OBLIGATOIRE",
        "EMPLOYEUR_CAISSE_RETRAITE_OBLIGATOIRE",
        "EMPLOYEUR_PREVOYANCE_OBLIGATOIRE",
    }
    assert all(a.message == "Saisie obligatoire" for a in intro_employeur(dossier))


def test_zero_headcount_is_filled():
    assert intro_employeur(complete(DossierFactory())) == []


def test_check_is_pure_and_reads_unsaved_values():
    dossier = complete(DossierFactory())
    rules.check(dossier)
    assert Dossier.objects.get(pk=dossier.pk).notice_lue is False  # nothing written
    dossier.employeur.caisse_retraite = "   "
    assert codes(intro_employeur(dossier)) == {"EMPLOYEUR_CAISSE_RETRAITE_OBLIGATOIRE"}


def test_business_rule_speaks_only_when_its_fields_are_filled():
    dossier = complete(DossierFactory())
    dossier.employeur.categorie_juridique = ""
    assert intro_employeur(dossier) == []
    dossier.employeur.categorie_juridique = "7210"
    [anomalie] = intro_employeur(dossier)
    assert (anomalie.code, anomalie.kind, anomalie.onglet, anomalie.field) == (
        "EMPLOYEUR_PERSONNE_PUBLIQUE",
        AnomalieKind.REGLE,
        "employeur",
        "siret",
    )


def test_codes_are_unique_and_tabs_known():
    all_codes = [r.code for r in rules.REGISTRY.rules]
    assert len(all_codes) == len(set(all_codes))
    assert {r.onglet for r in rules.REGISTRY.rules} <= {o.slug for o in onglets.TOUS}


def test_declaring_a_code_twice_is_refused():
    with pytest.raises(ValueError):
        rules.obligatoire("employeur", "email", code="EMPLOYEUR_EMAIL_OBLIGATOIRE")


def test_mandatory_fields_drive_the_stars():
    assert rules.mandatory_fields("employeur") == {"email", "effectif_total", "caisse_retraite", "organisme_prevoyance"}
    assert "telephone" not in rules.mandatory_fields("employeur")


def test_bullets():
    dossier = complete(DossierFactory())
    status = {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}
    assert status["introduction"] == status["employeur"] == "valid"
    assert status["salarie"] == "invalid"  # nothing entered yet
    assert status["documents"] == "invalid"  # the attestation and the mandatory documents are missing
    dossier.employeur.email = ""
    status = {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}
    assert status["employeur"] == "invalid"


def test_rules_page_lists_every_rule(adherent):
    import re

    from tests.conftest import client_for

    page = client_for(adherent).get("/regles/").content.decode()
    for rule in rules.REGISTRY.rules:
        assert re.sub(r"MODULE\d+", "MODULE{n}", rule.code) in page
    assert "MODULE2" not in page  # the rules of every module are listed once
    for word in ["Bloquant", "Alerte", "Code du travail"]:
        assert word in page
