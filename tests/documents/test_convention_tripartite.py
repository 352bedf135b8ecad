"""The *Convention tripartite* of the type 12 contract (two seasonal employers, L6325-4-1, RULES.md DUR-13 / X-08):
mandatory for type 12, not offered for any other type; the contract types a document type applies to are data."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents import services
from documents.models import PieceJointe, TypeDocument
from dossiers import rules
from dossiers.models import Dossier, ModuleFormation
from dossiers.services import SaisieInvalide, dossier_transmettre
from tests.complet import PDF, dossier_complet
from tests.conftest import client_for
from tests.documents.conftest import fichier, pdf
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

CODE = "DOCUMENTS_CONVENTION_TRIPARTITE_OBLIGATOIRE"


def dossier_de_type(type_contrat, **kwargs):
    dossier = DossierFactory(type_contrat=type_contrat, **kwargs)
    ModuleFormation.objects.create(formation=dossier.formation, ordre=1, type="externe")
    return Dossier.objects.get(pk=dossier.pk)


def codes(dossier) -> set[str]:
    return {a.code for a in rules.check_onglet(dossier, "documents")}


def deposer_convention(dossier, user=None):
    piece = PieceJointe(
        dossier=dossier,
        type=TypeDocument.objects.get(code="CONVENTION_TRIPARTITE"),
        nom_original="convention.pdf",
        taille=len(PDF),
        type_contenu="application/pdf",
        depose_par=user,
    )
    piece.fichier.save("piece.pdf", ContentFile(PDF), save=False)
    piece.save()


def test_mandatory_for_type_12_and_satisfied_by_a_file():
    dossier = dossier_de_type("12")
    assert "CONVENTION_TRIPARTITE" in {t.code for t in services.types_obligatoires(dossier)}
    messages = {a.code: a.message for a in rules.check_onglet(dossier, "documents")}
    assert messages[CODE] == "Convention tripartite : 1 fichier minimum"
    assert services.compteur(dossier) == (0, 3)  # programme, convention with the organism, tripartite convention
    deposer_convention(dossier)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert CODE not in codes(dossier)
    assert services.compteur(dossier) == (1, 3)


def test_mandatory_for_type_12_before_any_training_module():
    dossier = Dossier.objects.get(pk=DossierFactory(type_contrat="12").pk)
    assert CODE in codes(dossier)


@pytest.mark.parametrize("type_contrat", ["11", "21", "24", "30"])
def test_not_offered_for_another_contract_type(type_contrat):
    dossier = dossier_de_type(type_contrat)
    assert "CONVENTION_TRIPARTITE" not in {t.code for t in services.types_du_dossier(dossier)}
    assert "CONVENTION_TRIPARTITE" not in {s.type.code for s in services.sections(dossier)}
    assert CODE not in codes(dossier)


def test_the_type_changed_on_the_contrat_tab_changes_the_list_at_once():
    dossier = dossier_de_type("11")
    assert CODE not in codes(dossier)
    dossier.type_contrat = "12"  # what the Contrat tab's form applies in memory before the rules run
    assert CODE in codes(dossier)


def test_the_tab_shows_the_line_for_type_12_only(adherent):
    etablissement = adherent.rattachements.get().etablissement
    douze = dossier_de_type("12", etablissement=etablissement, created_by=adherent)
    onze = dossier_de_type("11", etablissement=etablissement, created_by=adherent)
    client = client_for(adherent)
    html = client.get(reverse("dossier_onglet", args=[douze.pk, "documents"])).content.decode()
    assert "Convention tripartite (1 fichier minimum)" in html
    html = client.get(reverse("dossier_onglet", args=[onze.pk, "documents"])).content.decode()
    assert "Convention tripartite" not in html
    # Not offered: an upload for it on a type 11 dossier is refused (nothing stored).
    url = reverse("documents_deposer", args=[onze.pk, "CONVENTION_TRIPARTITE"])
    data = {"fichiers_CONVENTION_TRIPARTITE": [fichier("c.pdf", pdf())], "version": onze.version}
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 404
    assert not PieceJointe.objects.filter(dossier=onze).exists()


def test_transmettre_refused_without_the_convention_accepted_with_it(adherent):
    dossier = dossier_complet(adherent, type_contrat="12")
    with pytest.raises(SaisieInvalide) as refus:
        dossier_transmettre(dossier=dossier, user=adherent)
    assert refus.value.onglets_invalides == ["Documents"]
    deposer_convention(dossier, adherent)
    dossier_transmettre(dossier=Dossier.objects.get(pk=dossier.pk), user=adherent)
    assert Dossier.objects.get(pk=dossier.pk).state == "transmis"


def test_a_type_11_complete_dossier_needs_no_convention(adherent):
    dossier = dossier_complet(adherent)
    assert rules.onglets_invalides(dossier) == []


def test_the_rule_cites_its_exigences_and_source():
    rule = next(r for r in rules.REGISTRY.rules if r.code == CODE)
    assert set(rule.exigences) == {"X-08", "DUR-13"}
    assert "L6325-4-1" in rule.source
    programme = next(r for r in rules.REGISTRY.rules if r.code == "DOCUMENTS_PROGRAMME_OBLIGATOIRE")
    assert programme.exigences == ("FOR-06",)


def test_the_contract_types_of_a_document_type_are_data():
    TypeDocument.objects.filter(code="BILAN_POSITIONNEMENT").update(obligation="toujours", types_contrat="21, 22")
    assert "DOCUMENTS_BILAN_POSITIONNEMENT_OBLIGATOIRE" in codes(dossier_de_type("22"))
    assert "DOCUMENTS_BILAN_POSITIONNEMENT_OBLIGATOIRE" not in codes(dossier_de_type("11"))
