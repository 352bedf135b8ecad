"""Business rules of the Contrat tab and the legal minimum salary (RULES.md §2.3, §2.5–§2.7)."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import rules
from dossiers.calculs.salaire import libelle, salaire_minimum
from dossiers.enums import Diplome, NatureContrat, TypeContrat
from dossiers.rules.contrat import essai_maximum_cdd, fin_apres_mois
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


def dossier(type_contrat=TypeContrat.INITIAL, naissance=date(2006, 5, 12), diplome=Diplome.BAC_PRO, **contrat):
    d = DossierFactory(type_contrat=type_contrat)
    d.salarie.date_naissance = naissance
    d.salarie.diplome_plus_eleve = diplome
    d.employeur.code_postal = "69002"
    valeurs = {
        "nature": NatureContrat.CDD,
        "emploi": "Serveur",
        "niveau": "1",
        "duree_essai_jours": 14,
        "date_debut": date(2026, 2, 2),
        "date_fin": date(2027, 2, 1),
        "duree_hebdo_minutes": 35 * 60,
        "salaire_brut": Decimal("1500.00"),
        "date_conclusion": date(2026, 2, 2),
    }
    valeurs.update(contrat)
    for name, value in valeurs.items():
        setattr(d.contrat, name, value)
    return d


def codes(d):
    return {a.code for a in rules.check_onglet(d, "contrat")}


def bloquants(d):
    return {a.code for a in rules.check_onglet(d, "contrat") if a.bloquant}


def alertes(d):
    return {a.code for a in rules.check_onglet(d, "contrat") if not a.bloquant}


def test_complete_contract_has_no_blocking_anomaly(monkeypatch):
    assert bloquants(dossier()) == set()


def test_mandatory_fields():
    d = DossierFactory()
    found = codes(d)
    for name in ["NATURE", "EMPLOI", "NIVEAU", "DUREE_ESSAI_JOURS", "DATE_DEBUT", "DATE_FIN", "SALAIRE_BRUT"]:
        assert f"CONTRAT_{name}_OBLIGATOIRE" in found
    assert "CONTRAT_CLASSIFICATION_OBLIGATOIRE" not in found
    assert "CONTRAT_DATE_EFFET_AVENANT_OBLIGATOIRE" not in found
    assert rules.mandatory_fields("contrat", d) >= {"nature", "date_debut", "salaire_brut"}
    assert "date_effet_avenant" not in rules.mandatory_fields("contrat", d)


def test_zero_days_of_trial_period_is_an_answer():
    assert "CONTRAT_DUREE_ESSAI_JOURS_OBLIGATOIRE" not in codes(dossier(duree_essai_jours=0))


def test_type_30_without_date_d_effet_is_mandatory():
    d = dossier(type_contrat=TypeContrat.AVENANT)
    assert "CONTRAT_DATE_EFFET_AVENANT_OBLIGATOIRE" in bloquants(d)
    assert "date_effet_avenant" in rules.mandatory_fields("contrat", d)
    d.contrat.date_effet_avenant = date(2026, 6, 1)
    assert bloquants(d) == set()


@pytest.mark.parametrize(
    "effet,broken",
    [(date(2026, 2, 1), True), (date(2026, 2, 2), False), (date(2027, 2, 1), False), (date(2027, 2, 2), True)],
)
def test_dat_06_date_d_effet_within_the_contract(effet, broken):
    d = dossier(type_contrat=TypeContrat.AVENANT, date_effet_avenant=effet)
    assert ("CONTRAT_DAT_06" in bloquants(d)) is broken


def test_dur_01_travail_temporaire_only_for_an_ett():
    d = dossier(nature=NatureContrat.TRAVAIL_TEMPORAIRE, salaire_brut=Decimal("12.50"))
    assert "CONTRAT_DUR_01" in bloquants(d)
    d.employeur.travail_temporaire = True
    assert "CONTRAT_DUR_01" not in bloquants(d)


@pytest.mark.parametrize("fin,broken", [(date(2026, 8, 1), False), (date(2026, 7, 31), True)])
def test_dur_03_six_months_minus_one_day(fin, broken):
    # 02/02/2026 + 6 months − 1 day = 01/08/2026.
    d = dossier(date_fin=fin, duree_essai_jours=7)
    assert ("CONTRAT_DUR_03" in bloquants(d)) is broken


def test_dur_03_not_for_the_vae_experiment():
    d = dossier(date_fin=date(2026, 4, 1), duree_essai_jours=7)
    d.formation.type_qualification = "8"
    assert "CONTRAT_DUR_03" not in bloquants(d)


def test_fin_apres_mois_end_of_month():
    assert fin_apres_mois(date(2026, 8, 31), 6) == date(2027, 2, 27)
    assert fin_apres_mois(date(2026, 1, 1), 36) == date(2028, 12, 31)


@pytest.mark.parametrize("fin,broken", [(date(2029, 2, 1), False), (date(2029, 2, 2), True)])
def test_dur_04_thirty_six_months(fin, broken):
    d = dossier(date_fin=fin)
    assert ("CONTRAT_DUR_04" in bloquants(d)) is broken


@pytest.mark.parametrize("fin,warned", [(date(2027, 2, 1), False), (date(2027, 2, 2), True)])
def test_dur_05_beyond_twelve_months_warns(fin, warned):
    d = dossier(date_fin=fin)
    assert ("CONTRAT_DUR_05" in alertes(d)) is warned


def test_dur_05_silent_for_the_l6325_1_1_public():
    d = dossier(date_fin=date(2028, 2, 1), diplome=Diplome.AUCUN)
    assert "CONTRAT_DUR_05" not in alertes(d)


@pytest.mark.parametrize("type_contrat", ["21", "22", "23", "24"])
def test_dur_09_renewal_is_a_cdd(type_contrat):
    assert "CONTRAT_DUR_09" not in bloquants(dossier(type_contrat=type_contrat))
    d = dossier(type_contrat=type_contrat, nature=NatureContrat.CDI, duree_essai_jours=30)
    assert "CONTRAT_DUR_09" in bloquants(d)


def test_dur_02_cdi_training_at_the_start():
    d = dossier(nature=NatureContrat.CDI, duree_essai_jours=30)
    d.formation.date_debut_cycle = date(2026, 1, 15)
    assert "CONTRAT_DUR_02" in bloquants(d)
    d.formation.date_debut_cycle = date(2026, 2, 2)
    assert "CONTRAT_DUR_02" not in bloquants(d)


@pytest.mark.parametrize("fin,broken", [(date(2026, 2, 2), True), (date(2026, 2, 1), True)])
def test_dat_02_end_after_start(fin, broken):
    assert ("CONTRAT_DAT_02" in bloquants(dossier(date_fin=fin))) is broken


@pytest.mark.parametrize(
    # Friday 06/02/2026: Saturday counts as a jour ouvrable, Sunday does not.
    "conclusion,warned",
    [(date(2026, 2, 8), False), (date(2026, 2, 10), True)],
)
def test_dat_01_conclusion_within_two_working_days(conclusion, warned):
    d = dossier(date_debut=date(2026, 2, 6), date_conclusion=conclusion)
    # 06/02 (Fri) → Sat 07 (1), Sun 08 skipped, Mon 09 (2): the 9th is still fine, the 10th is late.
    assert ("CONTRAT_DAT_01" in alertes(d)) is warned


def test_dat_01_boundary_is_the_second_working_day():
    d = dossier(date_debut=date(2026, 2, 6), date_conclusion=date(2026, 2, 9))
    assert "CONTRAT_DAT_01" not in alertes(d)


def test_dat_03_late_transmission_of_a_draft(settings):
    d = dossier(date_debut=date.today() - timedelta(days=6), date_fin=date.today() + timedelta(days=300))
    assert "CONTRAT_DAT_03" in alertes(d)
    d.contrat.date_debut = date.today() - timedelta(days=5)
    assert "CONTRAT_DAT_03" not in alertes(d)


def test_dat_04_and_dat_05_formation_dates():
    d = dossier()
    d.formation.date_debut_cycle = date(2026, 2, 1)
    d.formation.date_fin_examens = date(2027, 2, 2)
    assert {"CONTRAT_DAT_04", "CONTRAT_DAT_05"} <= alertes(d)
    d.formation.date_debut_cycle = date(2026, 2, 2)
    d.formation.date_fin_examens = date(2027, 2, 1)
    assert not {"CONTRAT_DAT_04", "CONTRAT_DAT_05"} & alertes(d)


# --- Minimum salary -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "naissance,diplome,taux,montant",
    [
        (date(2006, 3, 1), Diplome.CAP, 55, "1002.67"),  # 19 at the start
        (date(2006, 3, 1), Diplome.BAC_PRO, 65, "1184.97"),
        (date(2003, 3, 1), Diplome.BAC_GENERAL, 70, "1276.12"),  # 22
        (date(2003, 3, 1), Diplome.BTS, 80, "1458.42"),
        (date(1990, 3, 1), "", 100, "1823.03"),  # 26+: the diploma does not matter
    ],
)
def test_salaire_minimum_grid_2026(naissance, diplome, taux, montant):
    minimum = salaire_minimum(dossier(naissance=naissance, diplome=diplome))
    assert (minimum.taux, minimum.montant) == (taux, Decimal(montant))


def test_salaire_minimum_smic_change_on_1_january():
    veille = salaire_minimum(dossier(date_debut=date(2025, 12, 31), date_fin=date(2026, 12, 30)))
    jour = salaire_minimum(dossier(date_debut=date(2026, 1, 1), date_fin=date(2026, 12, 31)))
    assert (veille.montant, jour.montant) == (Decimal("1171.17"), Decimal("1184.97"))  # 65 %


def test_salaire_minimum_prorated_and_hourly():
    d = dossier(duree_hebdo_minutes=17 * 60 + 30)
    assert salaire_minimum(d).montant == Decimal("592.49")  # 12,02 × 17,5 × 52 / 12 × 65 %
    d.contrat.nature = NatureContrat.TRAVAIL_TEMPORAIRE
    assert (salaire_minimum(d).montant, salaire_minimum(d).horaire) == (Decimal("7.81"), True)


@pytest.mark.parametrize(
    "naissance,age",
    [(date(2005, 2, 2), 21), (date(2005, 2, 3), 20)],  # 21st birthday on the start day, or the day after
)
def test_salaire_minimum_21st_birthday_at_the_start(naissance, age):
    minimum = salaire_minimum(dossier(naissance=naissance))
    assert minimum.age == age
    assert minimum.taux == (80 if age == 21 else 65)


def test_age_steps_within_the_contract():
    # 21 on 15/06/2026 → 80 % from 01/07/2026; 26 in 2031 is after the end.
    d = dossier(naissance=date(2005, 6, 15))
    minimum = salaire_minimum(d)
    assert [(p.date, p.taux) for p in minimum.paliers] == [(date(2026, 7, 1), 80)]
    assert libelle(minimum).endswith("(65 % du SMIC) — passe à 80 % le 01/07/2026")
    d.contrat.date_fin = date(2026, 6, 30)
    assert salaire_minimum(d).paliers == []


def test_26th_birthday_step():
    d = dossier(naissance=date(2000, 12, 10), date_debut=date(2026, 2, 2), date_fin=date(2027, 2, 1))
    assert [(p.date, p.taux) for p in salaire_minimum(d).paliers] == [(date(2027, 1, 1), 100)]


def test_salaire_minimum_unknown_without_birth_date_or_diploma():
    assert salaire_minimum(dossier(naissance=None)) is None
    assert salaire_minimum(dossier(diplome="")) is None


@pytest.mark.parametrize("salaire,broken", [("1184.96", True), ("1184.97", False)])
def test_sal_01_minimum_salary(salaire, broken):
    d = dossier(salaire_brut=Decimal(salaire))
    assert ("CONTRAT_SAL_01" in bloquants(d)) is broken


def test_sal_05_hourly_minimum_for_travail_temporaire():
    d = dossier(nature=NatureContrat.TRAVAIL_TEMPORAIRE, salaire_brut=Decimal("7.80"))
    d.employeur.travail_temporaire = True
    assert "CONTRAT_SAL_05" in bloquants(d) and "CONTRAT_SAL_01" not in bloquants(d)
    d.contrat.salaire_brut = Decimal("7.81")
    assert "CONTRAT_SAL_05" not in bloquants(d)


def test_sal_02_overtime_warning():
    d = dossier(duree_hebdo_minutes=39 * 60, salaire_brut=Decimal("1184.97"))
    assert "CONTRAT_SAL_02" in alertes(d)
    d.contrat.salaire_brut = Decimal("1400.00")  # 1184,97 × (35 + 4 × 1,25) / 35 = 1354,25
    assert "CONTRAT_SAL_02" not in alertes(d)


def test_sal_03_warns_from_26_when_no_grid_is_known():
    d = dossier(naissance=date(2000, 2, 2), salaire_brut=Decimal("1900"))
    assert "CONTRAT_SAL_03_SMC_INCONNU" in alertes(d) and "CONTRAT_SAL_03" not in bloquants(d)
    assert "CONTRAT_SAL_03_SMC_INCONNU" not in alertes(
        dossier(naissance=date(2000, 2, 3), salaire_brut=Decimal("1900"))
    )


# --- Working time and trial period ---------------------------------------------------------------------------


@pytest.mark.parametrize("minutes,broken", [(48 * 60, False), (48 * 60 + 1, True)])
def test_wt_02_48_hours(minutes, broken):
    d = dossier(naissance=date(1990, 1, 1), duree_hebdo_minutes=minutes, salaire_brut=Decimal("3000"))
    assert ("CONTRAT_WT_02" in bloquants(d)) is broken


@pytest.mark.parametrize(
    "naissance,minutes,broken",
    [
        (date(2009, 1, 1), 35 * 60, False),
        (date(2009, 1, 1), 35 * 60 + 30, True),
        (date(2008, 2, 2), 36 * 60, False),  # 18 on the start day
    ],
)
def test_min_01_minors_35_hours(naissance, minutes, broken):
    d = dossier(naissance=naissance, duree_hebdo_minutes=minutes, salaire_brut=Decimal("2000"))
    assert ("CONTRAT_MIN_01" in bloquants(d)) is broken


def test_essai_maximum_cdd():
    assert essai_maximum_cdd(date(2026, 2, 2), date(2026, 8, 1)) == 14  # 6 months
    assert essai_maximum_cdd(date(2026, 2, 2), date(2026, 9, 1)) == 31  # 7 months: 31 weeks → 31
    assert essai_maximum_cdd(date(2026, 2, 2), date(2027, 2, 1)) == 31


@pytest.mark.parametrize(
    "fin,jours,broken",
    [
        (date(2026, 8, 1), 14, False),
        (date(2026, 8, 1), 15, True),
        (date(2026, 9, 1), 31, False),
        (date(2026, 9, 1), 32, True),
    ],
)
def test_tp_01_cdd_trial_period(fin, jours, broken):
    assert ("CONTRAT_TP_01" in bloquants(dossier(date_fin=fin, duree_essai_jours=jours))) is broken


@pytest.mark.parametrize(
    "jours,broken,warned", [(61, False, False), (62, False, True), (123, False, True), (124, True, False)]
)
def test_tp_02_cdi_trial_period(jours, broken, warned):
    d = dossier(nature=NatureContrat.CDI, duree_essai_jours=jours)
    assert ("CONTRAT_TP_02" in bloquants(d)) is broken
    assert ("CONTRAT_TP_02_CATEGORIE" in alertes(d)) is warned


# --- The VAE experiment (RULES.md EXP-02, DUR-08, X-03, X-04) -------------------------------------------


def vae(type_qualification="8", **contrat):
    """A contract associating VAE actions: type de qualification 8 on the Formation tab."""
    d = dossier(**contrat)
    d.formation.type_qualification = type_qualification
    return d


@pytest.mark.parametrize(
    "conclusion,broken",
    [
        (date(2023, 5, 27), True),
        (date(2023, 5, 28), False),
        (date(2026, 2, 28), False),
        (date(2026, 3, 1), True),
    ],
)
def test_dur_08_x03_vae_contracts_concluded_within_the_experiment(conclusion, broken):
    d = vae(date_debut=conclusion, date_fin=conclusion + timedelta(days=200), date_conclusion=conclusion)
    assert ("CONTRAT_DUR_08_X03_PERIODE_VAE" in bloquants(d)) is broken


def test_dur_08_x03_period_only_for_type_8():
    d = vae(type_qualification="1", date_conclusion=date(2026, 3, 1))
    assert "CONTRAT_DUR_08_X03_PERIODE_VAE" not in codes(d)
    d.formation.type_qualification = ""
    assert "CONTRAT_DUR_08_X03_PERIODE_VAE" not in codes(d)


def test_x03_avenant_box_only_with_type_8():
    d = vae(avenant_vae=True, nature="")
    assert "CONTRAT_X03_AVENANT_VAE_TYPE_8" not in codes(d)
    d.formation.type_qualification = "1"
    assert "CONTRAT_X03_AVENANT_VAE_TYPE_8" in bloquants(d)
    d.contrat.avenant_vae = False
    assert "CONTRAT_X03_AVENANT_VAE_TYPE_8" not in codes(d)


def test_x03_avenant_box_waits_for_the_type_de_qualification():
    d = vae(type_qualification="", avenant_vae=True, nature="")
    assert "CONTRAT_X03_AVENANT_VAE_TYPE_8" not in codes(d)  # the Formation tab's own mandatory field speaks


def test_x03_user_company_naf_only_with_type_8():
    d = vae(naf_entreprise_utilisatrice="7820Z")
    assert "CONTRAT_X03_NAF_UTILISATRICE_TYPE_8" not in codes(d)
    d.formation.type_qualification = "3"
    assert "CONTRAT_X03_NAF_UTILISATRICE_TYPE_8" in bloquants(d)
    d.contrat.naf_entreprise_utilisatrice = ""
    assert "CONTRAT_X03_NAF_UTILISATRICE_TYPE_8" not in codes(d)


@pytest.mark.parametrize(
    "employeur,type_qualification,mandatory",
    [
        ({"travail_temporaire": True}, "8", True),
        ({"geiq": True}, "8", True),
        ({}, "8", False),
        ({"travail_temporaire": True}, "1", False),
    ],
)
def test_x03_user_company_naf_mandatory_for_ett_and_ge_in_the_experiment(employeur, type_qualification, mandatory):
    d = vae(type_qualification=type_qualification)
    for name, value in employeur.items():
        setattr(d.employeur, name, value)
    assert ("CONTRAT_X03_NAF_UTILISATRICE_OBLIGATOIRE" in bloquants(d)) is mandatory
    assert ("naf_entreprise_utilisatrice" in rules.mandatory_fields("contrat", d)) is mandatory
    d.contrat.naf_entreprise_utilisatrice = "7820Z"
    assert "CONTRAT_X03_NAF_UTILISATRICE_OBLIGATOIRE" not in codes(d)


def test_x04_the_vae_avenant_has_no_nature():
    d = vae(avenant_vae=True, nature=NatureContrat.CDI, duree_essai_jours=14)
    assert "CONTRAT_X04_AVENANT_VAE_SANS_NATURE" in bloquants(d)
    d.contrat.nature = ""
    assert "CONTRAT_X04_AVENANT_VAE_SANS_NATURE" not in codes(d)
    # … and the nature is then not mandatory (C1: « except VAE-experiment avenant (C2) where none must be ticked »).
    assert "CONTRAT_NATURE_OBLIGATOIRE" not in codes(d)
    assert "nature" not in rules.mandatory_fields("contrat", d)
    assert bloquants(d) == set()


def test_x04_nature_still_mandatory_without_the_vae_avenant():
    d = vae(nature="")
    assert "CONTRAT_NATURE_OBLIGATOIRE" in bloquants(d)
    assert "CONTRAT_X04_AVENANT_VAE_SANS_NATURE" not in codes(d)
    assert "nature" in rules.mandatory_fields("contrat", d)


def test_complete_vae_contract_has_no_blocking_anomaly():
    d = vae(avenant_vae=True, nature="", naf_entreprise_utilisatrice="7820Z")
    d.employeur.travail_temporaire = True
    assert bloquants(d) == set()


def test_every_contrat_rule_has_a_source_and_a_french_message():
    for rule in rules.REGISTRY.rules:
        if rule.onglet == "contrat" and rule.kind == "regle":
            assert rule.source.startswith(("Code du travail", "Notice")), rule.code
            assert rule.description, rule.code
