"""The période de reconversion's Introduction, Salarié and Formation tabs: its own introduction text, the Salarié form
without the CERFA 12434's fields, the contrat pro's tutor and training rules it shares (PROA-07, REC-01, REC-03)."""

import html

import pytest

from dossiers.enums import TypeModule
from dossiers.models import AccordReconversion, Dossier, ModuleFormation, SousDispositif
from dossiers.saisie.onglets.salarie.formulaire import CHAMPS_CERFA, SalarieForm
from tests.conftest import client_for
from tests.dossiers.test_reconversion import codes, reconversion
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

INTRO_CONTRAT_PRO = "Avant de conclure un contrat de professionnalisation"
INTRO_RECONVERSION = "dans les 30 jours qui précèdent le début de la période de reconversion"


def _des_deux(adherent):
    etablissement = adherent.rattachements.get().etablissement
    rec = DossierFactory(
        etablissement=etablissement, created_by=adherent, sous_dispositif=SousDispositif.objects.get(code="REC_INT")
    )
    return rec, DossierFactory(etablissement=etablissement, created_by=adherent)


def _page(client, dossier, slug):
    response = client.get(f"/dossiers/{dossier.pk}/{slug}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_each_dispositif_has_its_introduction_text(adherent):
    rec, cpro = _des_deux(adherent)
    client = client_for(adherent)
    page = _page(client, rec, "introduction")
    assert INTRO_RECONVERSION in page and INTRO_CONTRAT_PRO not in page
    for attendu in ("Pro-A", "socle de connaissances et de compétences (CléA)", "la convention de formation"):
        assert attendu in page
    assert 'name="notice_lue"' in page  # the notice, shared
    page = _page(client, cpro, "introduction")
    assert INTRO_CONTRAT_PRO in page and INTRO_RECONVERSION not in page


def test_the_reconversions_salarie_tab_has_no_cerfa_fields(adherent):
    rec, cpro = _des_deux(adherent)
    client = client_for(adherent)
    page = _page(client, rec, "salarie")
    for label in ("Inscrit à France Travail ?", "Qualité de travailleur handicapé", "Équivalence jeunes"):
        assert label not in page
    for name in CHAMPS_CERFA:
        assert f'name="{name}"' not in page
    for name in ("nom_naissance", "nir", "diplome_plus_eleve", "code_postal", "tuteur1_nom", "attestation_tuteur"):
        assert f'name="{name}"' in page
    page = _page(client, cpro, "salarie")  # the contrat pro's unchanged
    for name in set(CHAMPS_CERFA) - {"public_specifique"}:  # public spécifique: travail temporaire only
        assert f'name="{name}"' in page


def test_a_cerfa_field_posted_to_a_reconversion_is_not_written(adherent):
    rec, _ = _des_deux(adherent)
    donnees = {
        "version": rec.version,
        "situation_avant_contrat": "1",
        "inscrit_france_travail": "True",
        "prenom": "Léa",
    }
    assert client_for(adherent).post(f"/dossiers/{rec.pk}/salarie/", donnees).status_code == 200
    salarie = Dossier.objects.get(pk=rec.pk).salarie
    assert salarie.prenom == "Léa"
    assert salarie.situation_avant_contrat == "" and salarie.inscrit_france_travail is None
    assert set(CHAMPS_CERFA) & set(SalarieForm(instance=salarie).fields) == set()


def test_salarie_rules_identity_address_and_tutor_shared_cerfa_ones_not():
    trouves = codes(reconversion("PROA_AVT"))
    for code in (
        "SALARIE_NOM_NAISSANCE_OBLIGATOIRE",
        "SALARIE_NUMERO_VOIE_OBLIGATOIRE",
        "SALARIE_CODE_POSTAL_OBLIGATOIRE",
        "SALARIE_COMMUNE_OBLIGATOIRE",
        "SALARIE_TUTEUR1_NOM_OBLIGATOIRE",  # PROA-07: the tutor of D6325-6 to D6325-10
        "SALARIE_ATTESTATION_TUTEUR_OBLIGATOIRE",
        "SALARIE_ATTESTATION_TUTEUR_QUALIFIE_OBLIGATOIRE",
    ):
        assert code in trouves
    for code in (
        "SALARIE_SITUATION_AVANT_CONTRAT_OBLIGATOIRE",
        "SALARIE_INSCRIT_FRANCE_TRAVAIL_OBLIGATOIRE",
        "SALARIE_RQTH_OBLIGATOIRE",
        "SALARIE_DEPARTEMENT_NAISSANCE_OBLIGATOIRE",
    ):
        assert code not in trouves
    assert "SALARIE_SITUATION_AVANT_CONTRAT_OBLIGATOIRE" in codes(DossierFactory())  # the contrat pro keeps it


def test_second_tutor_for_a_travail_temporaire_employer_in_reconversion_too():
    dossier = reconversion("REC_INT")
    assert "SALARIE_TUTEUR2_NOM_OBLIGATOIRE" not in codes(dossier)
    dossier.employeur.travail_temporaire = True
    dossier.employeur.save()
    assert "SALARIE_TUTEUR2_NOM_OBLIGATOIRE" in codes(Dossier.objects.get(pk=dossier.pk))


def test_formation_rules_shared_and_the_cerfas_not():
    trouves = codes(reconversion("REC_INT"))
    for code in (
        "FORMATION_INTITULE_OBLIGATOIRE",
        "FORMATION_DUREE_TOTALE_HEURES_OBLIGATOIRE",
        "FORMATION_MODULES_OBLIGATOIRE",
    ):
        assert code in trouves
    for code in (
        "FORMATION_TYPE_QUALIFICATION_OBLIGATOIRE",
        "FORMATION_DIPLOME_VISE_OBLIGATOIRE",
        "FORMATION_SPECIALITE_NSF_OBLIGATOIRE",
        "FORMATION_APPRENTISSAGE_OBLIGATOIRE",
    ):
        assert code not in trouves
    assert not {c for c in codes(DossierFactory()) if "_REC0" in c}  # the contrat pro has none of REC-01/03


@pytest.mark.parametrize(
    ("objet", "obligatoire"), [("rncp", True), ("blocs", True), ("cqp", False), ("clea", False), ("", False)]
)
def test_rec_01_an_rncp_objective_needs_the_code_rncp(objet, obligatoire):
    assert ("FORMATION_REC01_CODE_RNCP_OBLIGATOIRE" in codes(reconversion("REC_INT", objet=objet))) is obligatoire


def test_rec_01_the_code_rncp_given():
    dossier = reconversion("REC_INT", objet="rncp")
    assert "FORMATION_REC01_CODE_RNCP_OBLIGATOIRE" in codes(dossier)
    dossier.formation.code_rncp = "RNCP300"
    dossier.formation.save()
    assert "FORMATION_REC01_CODE_RNCP_OBLIGATOIRE" not in codes(Dossier.objects.get(pk=dossier.pk))


def _avec_heures(accord, totale, modules):
    dossier = reconversion("REC_EXT", duree_formation_heures=accord)
    formation = dossier.formation
    formation.duree_totale_heures = totale
    formation.save()
    for ordre, heures in enumerate(modules, start=1):
        ModuleFormation.objects.create(formation=formation, ordre=ordre, type=TypeModule.INTERNE, heures=heures)
    return codes(Dossier.objects.get(pk=dossier.pk))


@pytest.mark.parametrize(("totale", "viole"), [(399, True), (400, False), (401, True)])
def test_rec_03_the_total_is_the_agreements(totale, viole):
    assert ("FORMATION_REC03_DUREE_TOTALE_ACCORD" in _avec_heures(400, totale, [400])) is viole


@pytest.mark.parametrize(
    ("modules", "viole"), [([200, 199], True), ([200, 200], False), ([200, 201], True), ([400, None], False)]
)
def test_rec_03_the_modules_hours_make_the_agreements(modules, viole):
    assert ("FORMATION_REC03_HEURES_MODULES" in _avec_heures(400, 400, modules)) is viole


def test_rec_03_silent_without_the_agreements_hours():
    rec_03 = {"FORMATION_REC03_DUREE_TOTALE_ACCORD", "FORMATION_REC03_HEURES_MODULES"}
    assert not rec_03 & _avec_heures(None, 300, [100])
    assert rec_03 <= _avec_heures(400, 300, [100])


def test_an_agreement_is_read_even_before_its_first_save():
    dossier = DossierFactory(sous_dispositif=SousDispositif.objects.get(code="REC_INT"), type_contrat="")
    assert not AccordReconversion.objects.filter(dossier=dossier).exists()
    trouves = codes(dossier)
    assert "FORMATION_REC01_CODE_RNCP_OBLIGATOIRE" not in trouves
    assert "FORMATION_INTITULE_OBLIGATOIRE" in trouves  # the shared rules ran, the agreement unsaved
