"""The Documents rules: the attestation, and the mandatory types by sous-dispositif × internal/external training."""

import pytest

from documents import services
from documents.models import DossierDocuments, PieceJointe, TypeDocument
from dossiers import rules
from dossiers.models import Dossier, ModuleFormation
from tests.factories import DossierFactory, sous_dispositif

pytestmark = pytest.mark.django_db

EXTERNES = {"DOCUMENTS_PROGRAMME_OBLIGATOIRE", "DOCUMENTS_CONVENTION_DEVIS_OBLIGATOIRE"}
INTERNES = {"DOCUMENTS_ATTESTATION_FORMATEUR_INTERNE_OBLIGATOIRE", "DOCUMENTS_ANNEXE_PEDAGOGIQUE_OBLIGATOIRE"}


def dossier_avec(code_sd="CPRO", modules=()):
    dossier = DossierFactory(sous_dispositif=sous_dispositif(code_sd))
    for ordre, type_module in enumerate(modules, 1):
        ModuleFormation.objects.create(formation=dossier.formation, ordre=ordre, type=type_module)
    return Dossier.objects.get(pk=dossier.pk)


def codes(dossier) -> set[str]:
    return {a.code for a in rules.check_onglet(dossier, "documents")}


def piece(dossier, code):
    return PieceJointe.objects.create(
        dossier=dossier,
        type=TypeDocument.objects.get(code=code),
        fichier="pieces/x.pdf",
        nom_original="x.pdf",
        taille=10,
        type_contenu="application/pdf",
    )


@pytest.mark.parametrize("code_sd", ["CPRO", "CPRO_PRODIAT", "CPRO_HOPE"])
@pytest.mark.parametrize(
    ("modules", "attendus"),
    [
        ((), set()),
        (("externe",), EXTERNES),
        (("interne",), INTERNES),
        (("externe", "interne"), EXTERNES | INTERNES),
        (("interne", "interne"), INTERNES),
    ],
)
def test_mandatory_types_by_sous_dispositif_and_training(code_sd, modules, attendus):
    dossier = dossier_avec(code_sd, modules)
    assert codes(dossier) == attendus | {"DOCUMENTS_ATTESTATION_OBLIGATOIRE"}
    assert {f"DOCUMENTS_{t.code}_OBLIGATOIRE" for t in services.types_obligatoires(dossier)} == attendus
    assert services.compteur(dossier) == (0, len(attendus))


@pytest.mark.parametrize(
    "code", ["PROGRAMME", "CONVENTION_DEVIS", "ATTESTATION_FORMATEUR_INTERNE", "ANNEXE_PEDAGOGIQUE"]
)
def test_a_file_satisfies_its_type_only(code):
    dossier = dossier_avec("CPRO", ("externe", "interne"))
    piece(dossier, code)
    dossier = Dossier.objects.get(pk=dossier.pk)
    restants = (EXTERNES | INTERNES) - {f"DOCUMENTS_{code}_OBLIGATOIRE"}
    assert codes(dossier) == restants | {"DOCUMENTS_ATTESTATION_OBLIGATOIRE"}
    assert services.compteur(dossier) == (1, 4)


def test_optional_types_never_block():
    dossier = dossier_avec("CPRO", ("externe",))
    for code in ("BILAN_POSITIONNEMENT", "AUTRE"):
        assert code not in {t.code for t in services.types_obligatoires(dossier)}
    assert not {c for c in codes(dossier) if "BILAN" in c or "AUTRE" in c}


def test_complete_documents_tab_has_no_anomaly_and_the_message_names_the_type():
    dossier = dossier_avec("CPRO", ("externe",))
    messages = {a.message for a in rules.check_onglet(dossier, "documents")}
    assert "Programme : 1 fichier minimum" in messages
    assert "Convention signée des 2 parties ou Devis : 1 fichier minimum" in messages
    DossierDocuments.objects.create(dossier=dossier, attestation_pieces=True)
    piece(dossier, "PROGRAMME")
    piece(dossier, "CONVENTION_DEVIS")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert codes(dossier) == set()
    assert services.compteur(dossier) == (2, 2)


def test_attestation_is_a_box_to_tick():
    dossier = dossier_avec()
    DossierDocuments.objects.create(dossier=dossier, attestation_pieces=False)
    assert codes(Dossier.objects.get(pk=dossier.pk)) == {"DOCUMENTS_ATTESTATION_OBLIGATOIRE"}
    assert "attestation_pieces" in rules.mandatory_fields("documents", dossier)


def test_a_type_restricted_to_a_sous_dispositif_and_an_always_mandatory_type():
    TypeDocument.objects.filter(code="BILAN_POSITIONNEMENT").update(
        obligation="toujours", sous_dispositifs="CPRO_PRODIAT"
    )
    prodiat, cpro = dossier_avec("CPRO_PRODIAT"), dossier_avec("CPRO")
    assert "DOCUMENTS_BILAN_POSITIONNEMENT_OBLIGATOIRE" in codes(prodiat)
    assert "DOCUMENTS_BILAN_POSITIONNEMENT_OBLIGATOIRE" not in codes(cpro)
    assert "BILAN_POSITIONNEMENT" not in {t.code for t in services.types_du_dossier(cpro)}


def test_the_rules_are_listed_with_stable_codes():
    declares = {r.code for r in rules.REGISTRY.rules if r.onglet == "documents" and "CPRO" in r.dispositifs}
    assert declares == EXTERNES | INTERNES | {
        "DOCUMENTS_ATTESTATION_OBLIGATOIRE",
        "DOCUMENTS_BILAN_POSITIONNEMENT_OBLIGATOIRE",
        "DOCUMENTS_CONVENTION_TRIPARTITE_OBLIGATOIRE",
    }
