"""Rules of the Formation tab at their boundaries (RULES.md §2.4 FOR-02/03/04, X-15…X-20, CERT-01/04, FOR-08)."""

import datetime as dt
from fractions import Fraction

import pytest

from dossiers import rules
from dossiers.models import Dossier, ModuleFormation
from dossiers.rules.formation import heures_contrat, intitule_prefixe_vae, mois_entre
from referentiels.models import Certification, OrganismeFormation
from referentiels.validators import siren_with_check_digit, siret_with_check_digit
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

DOUZE_MOIS = {"date_debut": dt.date(2025, 9, 1), "date_fin": dt.date(2026, 8, 31)}  # 1 820 h: 15 % = 273, 25 % = 455


def dossier_avec(contrat=None, **formation):
    dossier = DossierFactory(parts={"contrat": contrat or {}})
    for name, value in formation.items():
        setattr(dossier.formation, name, value)
    dossier.formation.save()
    return Dossier.objects.get(pk=dossier.pk)


def anomalies(dossier) -> dict[str, bool]:
    dossier = Dossier.objects.get(pk=dossier.pk)  # fresh modules
    return {a.code: a.bloquant for a in rules.check_onglet(dossier, "formation")}


def organisme(**kwargs):
    siret = siret_with_check_digit(siren_with_check_digit("77000001"), "0001")
    return OrganismeFormation.objects.create(siret=siret, **{"nda": "11755555575", "qualiopi": True, **kwargs})


def module(dossier, **kwargs):
    defaults = {"type": "externe", "ordre": 1, "heures": 100, "heures_distance": 0}
    return ModuleFormation.objects.create(formation=dossier.formation, **{**defaults, **kwargs})


def test_contract_duration_in_months_and_hours():
    assert mois_entre(dt.date(2025, 9, 1), dt.date(2026, 8, 31)) == 12
    assert mois_entre(dt.date(2026, 1, 1), dt.date(2026, 6, 30)) == 6
    assert mois_entre(dt.date(2026, 1, 15), dt.date(2026, 2, 14)) == 1
    assert mois_entre(dt.date(2026, 2, 1), dt.date(2026, 2, 14)) == Fraction(14, 28)
    d = dossier_avec(DOUZE_MOIS)
    assert heures_contrat(d) == 1820


@pytest.mark.parametrize("heures,violee", [(149, True), (150, False)])
def test_for02_150_hours_floor(heures, violee):
    d = dossier_avec(duree_totale_heures=heures)  # no contract dates: only the floor speaks
    assert ("FORMATION_FOR02_MINIMUM_150_HEURES" in anomalies(d)) is violee
    assert "FORMATION_FOR02_MINIMUM_15_POURCENT" not in anomalies(d)


@pytest.mark.parametrize("heures,violee", [(272, True), (273, False)])
def test_for02_15_percent(heures, violee):
    d = dossier_avec(DOUZE_MOIS, duree_totale_heures=heures)
    assert ("FORMATION_FOR02_MINIMUM_15_POURCENT" in anomalies(d)) is violee
    if violee:
        assert anomalies(d)["FORMATION_FOR02_MINIMUM_15_POURCENT"] is True  # BLOCK


@pytest.mark.parametrize("heures,violee", [(455, False), (456, True)])
def test_for03_25_percent_is_an_alert(heures, violee):
    d = dossier_avec(DOUZE_MOIS, duree_totale_heures=heures)
    found = anomalies(d)
    assert ("FORMATION_FOR03_PLUS_DE_25_POURCENT" in found) is violee
    if violee:
        assert found["FORMATION_FOR03_PLUS_DE_25_POURCENT"] is False  # WARN


def test_six_month_contract_the_150_hour_floor_binds():
    d = dossier_avec({"date_debut": dt.date(2026, 1, 1), "date_fin": dt.date(2026, 6, 30)}, duree_totale_heures=140)
    found = anomalies(d)  # 15 % of 910 h = 136.5 h: only the floor is broken
    assert "FORMATION_FOR02_MINIMUM_150_HEURES" in found and "FORMATION_FOR02_MINIMUM_15_POURCENT" not in found


def test_percentage_rules_silent_without_contract_end():
    d = dossier_avec({"date_debut": dt.date(2025, 9, 1)}, duree_totale_heures=1000)
    assert "FORMATION_FOR03_PLUS_DE_25_POURCENT" not in anomalies(d)


@pytest.mark.parametrize("enseignements,violee", [(400, False), (401, True)])
def test_for04_teaching_within_total(enseignements, violee):
    d = dossier_avec(duree_totale_heures=400, duree_enseignements_heures=enseignements)
    assert ("FORMATION_FOR04_ENSEIGNEMENTS_INFERIEURS_TOTAL" in anomalies(d)) is violee


@pytest.mark.parametrize("distance,violee", [(100, False), (101, True)])
def test_module_distance_equal_to_duration_is_accepted(distance, violee):
    d = dossier_avec()
    module(d, heures=100, heures_distance=distance)
    assert ("FORMATION_MODULE1_DISTANCE" in anomalies(d)) is violee


@pytest.mark.parametrize("distance,violee", [(200, False), (201, True)])
def test_total_distance_within_total_duration(distance, violee):
    d = dossier_avec(duree_totale_heures=200)
    module(d, heures=150, heures_distance=150)
    module(d, ordre=2, heures=100, heures_distance=distance - 150)
    assert ("FORMATION_DISTANCE_TOTALE" in anomalies(d)) is violee


@pytest.mark.parametrize(
    "code,refuse", [("1", False), ("3", False), ("4", True), ("5", True), ("6", True), ("7", True), ("8", False)]
)
def test_closed_qualification_types(code, refuse):
    d = dossier_avec(type_qualification=code)
    assert ("FORMATION_X19_X20_TYPE_QUALIFICATION_FERME" in anomalies(d)) is refuse


def test_cert01_code_required_for_type_1_only():
    assert "FORMATION_CERT01_CODE_RNCP_OBLIGATOIRE" in anomalies(dossier_avec(type_qualification="1"))
    assert "FORMATION_CERT01_CODE_RNCP_OBLIGATOIRE" not in anomalies(dossier_avec(type_qualification="2"))


# --- The VAE experiment (RULES.md §1.4.7, EXP-02, X-03) ------------------------------------------------


@pytest.mark.parametrize("code,obligatoire", [("8", True), ("1", False), ("", False)])
def test_x03_project_number_mandatory_for_type_8(code, obligatoire):
    d = dossier_avec(type_qualification=code)
    assert ("FORMATION_X03_NUMERO_PROJET_VAE_OBLIGATOIRE" in anomalies(d)) is obligatoire
    assert ("numero_projet_vae" in rules.mandatory_fields("formation", d)) is obligatoire
    d = dossier_avec(type_qualification=code, numero_projet_vae="VAE-2023-0042")
    assert "FORMATION_X03_NUMERO_PROJET_VAE_OBLIGATOIRE" not in anomalies(d)


@pytest.mark.parametrize("code,violee", [("8", False), ("1", True), ("3", True)])
def test_x03_project_number_only_with_type_8(code, violee):
    d = dossier_avec(type_qualification=code, numero_projet_vae="VAE-2023-0042")
    found = anomalies(d)
    assert ("FORMATION_X03_NUMERO_PROJET_TYPE_8" in found) is violee
    if violee:
        assert found["FORMATION_X03_NUMERO_PROJET_TYPE_8"] is True  # BLOCK


@pytest.mark.parametrize(
    "intitule,prefixe",
    [
        ("RNCP Titre professionnel Agent de propreté et d'hygiène", True),
        ("RNCP34567 Titre professionnel Agent de propreté et d'hygiène", True),
        ("rncp - Titre professionnel", True),
        ("CQP Agent machiniste classique", True),
        ("CCN Employé qualifié de restauration", True),
        ("Bloc RNCP Réaliser un nettoyage manuel", True),
        ("Autre Bloc Accueil de la clientèle", True),
        ("Titre professionnel Agent de propreté", False),
        ("RNCPX Titre", False),
        ("RNCP", False),
        ("Bloc Accueil de la clientèle", False),
        ("Autre Accueil", False),
        ("  ", False),
    ],
)
def test_vae_title_prefixes(intitule, prefixe):
    assert intitule_prefixe_vae(intitule) is prefixe


@pytest.mark.parametrize(
    "code,intitule,violee",
    [
        ("8", "Titre professionnel Agent de propreté", True),
        ("8", "RNCP Titre professionnel Agent de propreté", False),
        ("1", "Titre professionnel Agent de propreté", False),
    ],
)
def test_x03_type_8_title_is_prefixed(code, intitule, violee):
    found = anomalies(dossier_avec(type_qualification=code, intitule=intitule))
    assert ("FORMATION_X03_INTITULE_PREFIXE_VAE" in found) is violee
    if violee:
        assert found["FORMATION_X03_INTITULE_PREFIXE_VAE"] is True  # BLOCK


@pytest.mark.parametrize(
    "diplome,niveau,alerte", [("31", 5, False), ("31", 6, True), ("41", 4, False), ("11", 7, False)]
)
def test_cert04_level_consistency(diplome, niveau, alerte):
    fiche = Certification.objects.create(code="RNCP1", type="RNCP", intitule="T", niveau=niveau, actif=True)
    d = dossier_avec(diplome_vise=diplome, code_rncp="RNCP1", certification=fiche)
    found = anomalies(d)
    assert ("FORMATION_CERT04_NIVEAU_DIPLOME" in found) is alerte
    if alerte:
        assert found["FORMATION_CERT04_NIVEAU_DIPLOME"] is False


def test_inactive_and_closed_fiche_are_alerts():
    fiche = Certification.objects.create(
        code="RNCP1", type="RNCP", intitule="T", actif=False, accessible_contrat_pro=False
    )
    found = anomalies(dossier_avec(code_rncp="RNCP1", certification=fiche))
    assert found["FORMATION_CERT01_RNCP_INACTIF"] is False
    assert found["FORMATION_CERT_NON_OUVERTE_CONTRAT_PRO"] is False


def test_external_organisme_nda_and_qualiopi():
    d = dossier_avec()
    module(d, organisme=organisme(nda="", qualiopi=None))
    found = anomalies(d)
    assert found["FORMATION_X17_MODULE1_NDA"] is True
    assert found["FORMATION_FOR08_MODULE1_QUALIOPI"] is False


def test_internal_module_requires_the_attestation():
    d = dossier_avec()
    m = module(d, type="interne", service_interne="Service formation")
    assert "FORMATION_X16_MODULE1_ATTESTATION_INTERNE" in anomalies(d)
    m.attestation_interne = True
    m.save()
    assert "FORMATION_X16_MODULE1_ATTESTATION_INTERNE" not in anomalies(d)


def test_at_least_one_module():
    d = dossier_avec()
    assert "FORMATION_MODULES_OBLIGATOIRE" in anomalies(d)
    module(d)
    assert "FORMATION_MODULES_OBLIGATOIRE" not in anomalies(d)
