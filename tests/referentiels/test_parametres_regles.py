"""Dated parameters of the rules (``ParametreRegle``): the facts RULES.md marks [L] / [M], editable in the admin."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from dossiers import rules
from dossiers.enums import Diplome, NatureContrat, TypeContrat
from dossiers.rules.contrat import essai_maximum_cdd, heures_payees_equivalentes
from dossiers.rules.formation import heures_contrat
from referentiels.management.commands.load_parametres import DATA
from referentiels.models import ParametreRegle
from referentiels.parametres import ParametreIntrouvable, parametre
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

CODES = {
    "DAT04_TOLERANCE_JOURS": "0",
    "TP04_ESSAI_CDD_COURT_JOURS": "14",
    "TP04_ESSAI_CDD_LONG_JOURS": "31",
    "TP04_ESSAI_CDI_EMPLOYES_JOURS": "61",
    "TP04_ESSAI_CDI_CADRES_JOURS": "123",
    "FOR05_HORAIRE_HEBDOMADAIRE": "35",
    "SAL02_MAJORATION_1_TAUX": "25",
    "SAL02_MAJORATION_1_JUSQUA_HEURE": "43",
    "SAL02_MAJORATION_2_TAUX": "50",
    "FIN_TUTORAT_MENSUEL": "230",
    "FIN_TUTORAT_MENSUEL_MAJORE": "345",
    "FIN_TUTORAT_MOIS_MAX": "6",
    "D6325_2_DELAI_JOURS": "20",
    "D6325_2_ALERTE_JOURS": "15",
    "D6325_2_DELAI_JOURS__PROA": "20",
    "D6325_2_ACCEPTATION_TACITE": "1",
    "D6325_2_ACCEPTATION_TACITE__PROA": "0",
}


def load() -> str:
    out = StringIO()
    call_command("load_parametres", stdout=out)
    return out.getvalue()


def nouvelle_valeur(code: str, date_effet: date, valeur) -> ParametreRegle:
    """What an agent does in the admin: a newer row of the same code."""
    return ParametreRegle.objects.create(
        code=code, date_effet=date_effet, valeur=Decimal(str(valeur)), libelle="Modifié dans l'administration"
    )


def dossier(**contrat):
    d = DossierFactory(type_contrat=TypeContrat.INITIAL)
    d.salarie.date_naissance = date(2006, 5, 12)
    d.salarie.diplome_plus_eleve = Diplome.BAC_PRO
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
    for name, value in {**valeurs, **contrat}.items():
        setattr(d.contrat, name, value)
    return d


def anomalies(d) -> set[str]:
    return {a.code for a in rules.check_onglet(d, "contrat")}


# --- The data: in every fresh database (migration 0004), and in the file -----------------------------


def test_fresh_database_has_every_rule_parameter_from_the_migration():
    """No load_parametres here: the test database is built by the migrations."""
    en_base = {p.code: p for p in ParametreRegle.objects.all()}
    assert set(en_base) == set(CODES)
    for code, valeur in CODES.items():
        assert en_base[code].valeur == Decimal(valeur), code
        assert en_base[code].libelle and en_base[code].unite, code
        assert "RULES.md" in en_base[code].source and "[M]" in en_base[code].source, code


def test_data_file_rules_parameters_have_a_source_and_fit_the_columns():
    regles = json.loads(DATA.read_text(encoding="utf-8"))["regles"]
    assert {r["code"]: r["valeur"] for r in regles} == CODES
    for r in regles:
        assert "à confirmer" in r["source"], r["code"]
        assert len(r["libelle"]) <= 200 and len(r["source"]) <= 300 and len(r["unite"]) <= 30


def test_load_parametres_is_idempotent_restores_the_file_and_keeps_admin_rows():
    n = len(CODES)
    assert f"paramètres des règles : 0 créés, 0 modifiés, {n} inchangés ({n} en base)" in load()
    ParametreRegle.objects.filter(code="TP04_ESSAI_CDD_COURT_JOURS").update(valeur=Decimal("99"))
    nouvelle_valeur("TP04_ESSAI_CDD_COURT_JOURS", date(2027, 1, 1), 10)
    assert f"paramètres des règles : 0 créés, 1 modifiés, {n - 1} inchangés ({n + 1} en base)" in load()
    assert parametre("TP04_ESSAI_CDD_COURT_JOURS", date(2026, 12, 31)) == 14
    assert parametre("TP04_ESSAI_CDD_COURT_JOURS", date(2027, 1, 1)) == 10  # the admin's row is kept


def test_load_parametres_creates_the_missing_rows():
    ParametreRegle.objects.all().delete()
    assert f"paramètres des règles : {len(CODES)} créés, 0 modifiés, 0 inchangés ({len(CODES)} en base)" in load()


def test_one_value_per_code_and_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        nouvelle_valeur("DAT04_TOLERANCE_JOURS", date(2000, 1, 1), 3)


# --- parametre(code, date) -------------------------------------------------------------------------


def test_parametre_the_day_before_and_on_a_change():
    nouvelle_valeur("DAT04_TOLERANCE_JOURS", date(2026, 9, 1), 5)
    assert parametre("DAT04_TOLERANCE_JOURS", date(2026, 8, 31)) == 0
    assert parametre("DAT04_TOLERANCE_JOURS", date(2026, 9, 1)) == 5
    assert parametre("DAT04_TOLERANCE_JOURS", date(2030, 1, 1)) == 5
    assert isinstance(parametre("DAT04_TOLERANCE_JOURS", date(2030, 1, 1)), Decimal)


def test_parametre_defaults_to_today():
    assert parametre("TP04_ESSAI_CDI_CADRES_JOURS") == 123
    nouvelle_valeur("TP04_ESSAI_CDI_CADRES_JOURS", date.today(), 120)
    assert parametre("TP04_ESSAI_CDI_CADRES_JOURS") == 120
    nouvelle_valeur("TP04_ESSAI_CDI_CADRES_JOURS", date.today() + timedelta(days=1), 90)
    assert parametre("TP04_ESSAI_CDI_CADRES_JOURS") == 120  # not yet in force


def test_parametre_is_not_cached_across_calls():
    assert parametre("FOR05_HORAIRE_HEBDOMADAIRE", date(2026, 1, 1)) == 35
    ParametreRegle.objects.filter(code="FOR05_HORAIRE_HEBDOMADAIRE").update(valeur=Decimal("36"))
    assert parametre("FOR05_HORAIRE_HEBDOMADAIRE", date(2026, 1, 1)) == 36


def test_parametre_unknown_or_before_its_first_date_raises_in_french():
    with pytest.raises(ParametreIntrouvable, match="« INCONNU » n'a pas de valeur au 01/01/2026"):
        parametre("INCONNU", date(2026, 1, 1))
    with pytest.raises(ParametreIntrouvable, match="load_parametres"):
        parametre("DAT04_TOLERANCE_JOURS", date(1999, 12, 31))


def test_str_of_a_parameter():
    p = ParametreRegle(code="X", date_effet=date(2026, 1, 1), valeur=Decimal("12.5000"), unite="jours")
    assert str(p) == "X au 01/01/2026 : 12,5 jours"
    assert str(ParametreRegle(code="X", date_effet=date(2026, 1, 1), valeur=Decimal("100.0000"))) == (
        "X au 01/01/2026 : 100"
    )


# --- The rules read the parameter in force on the contract's start date ------------------------------


def test_tp04_cdd_cap_changes_from_the_new_value_date():
    nouvelle_valeur("TP04_ESSAI_CDD_COURT_JOURS", date(2026, 3, 1), 10)
    assert essai_maximum_cdd(date(2026, 2, 2), date(2026, 8, 1)) == 14  # before: the file's value
    assert essai_maximum_cdd(date(2026, 3, 2), date(2026, 9, 1)) == 10
    avant = dossier(date_debut=date(2026, 2, 2), date_fin=date(2026, 8, 1), duree_essai_jours=14)
    apres = dossier(date_debut=date(2026, 3, 2), date_fin=date(2026, 9, 1), duree_essai_jours=14)
    assert "CONTRAT_TP_01" not in anomalies(avant)
    assert "CONTRAT_TP_01" in anomalies(apres)
    apres.contrat.duree_essai_jours = 10
    assert "CONTRAT_TP_01" not in anomalies(apres)


def test_tp04_cdi_bounds_follow_the_parameters():
    d = dossier(nature=NatureContrat.CDI, duree_essai_jours=92)
    assert "CONTRAT_TP_02_CATEGORIE" in anomalies(d) and "CONTRAT_TP_02" not in anomalies(d)
    nouvelle_valeur("TP04_ESSAI_CDI_EMPLOYES_JOURS", date(2026, 1, 1), 92)
    assert "CONTRAT_TP_02_CATEGORIE" not in anomalies(d)
    nouvelle_valeur("TP04_ESSAI_CDI_CADRES_JOURS", date(2026, 1, 1), 91)
    assert "CONTRAT_TP_02" in anomalies(d)


def test_dat04_tolerance_from_the_admin():
    d = dossier()
    d.formation.date_debut_cycle = date(2026, 1, 31)  # C9 − 2 days
    assert "CONTRAT_DAT_04" in anomalies(d)
    nouvelle_valeur("DAT04_TOLERANCE_JOURS", date(2026, 3, 1), 2)  # after C9: not yet in force
    assert "CONTRAT_DAT_04" in anomalies(d)
    nouvelle_valeur("DAT04_TOLERANCE_JOURS", date(2026, 1, 1), 2)
    assert "CONTRAT_DAT_04" not in anomalies(d)
    d.formation.date_debut_cycle = date(2026, 1, 30)  # C9 − 3 days
    assert "CONTRAT_DAT_04" in anomalies(d)


def test_for05_weekly_hours_parameter_changes_the_contract_hours():
    d = dossier(date_debut=date(2025, 9, 1), date_fin=date(2026, 8, 31))
    assert heures_contrat(d) == 1820
    nouvelle_valeur("FOR05_HORAIRE_HEBDOMADAIRE", date(2025, 9, 1), 39)
    assert heures_contrat(d) == 2028  # 12 × 39 × 52 / 12


def test_sal02_overtime_rates_are_parameters():
    assert heures_payees_equivalentes(Decimal(45), date(2026, 2, 2)) == Decimal("48")  # 35 + 8 × 1,25 + 2 × 1,5
    nouvelle_valeur("SAL02_MAJORATION_1_TAUX", date(2026, 1, 1), 10)
    assert heures_payees_equivalentes(Decimal(45), date(2026, 2, 2)) == Decimal("46.8")  # 35 + 8 × 1,1 + 2 × 1,5
    assert heures_payees_equivalentes(Decimal(45), date(2025, 12, 31)) == Decimal("48")


def test_a_missing_parameter_is_a_configuration_error():
    ParametreRegle.objects.filter(code="TP04_ESSAI_CDD_LONG_JOURS").delete()
    with pytest.raises(ParametreIntrouvable, match="TP04_ESSAI_CDD_LONG_JOURS"):
        anomalies(dossier())


@pytest.mark.parametrize(
    ("code", "parametres"),
    [
        ("CONTRAT_DAT_04", ["DAT04_TOLERANCE_JOURS"]),
        ("CONTRAT_TP_01", ["TP04_ESSAI_CDD_COURT_JOURS", "TP04_ESSAI_CDD_LONG_JOURS"]),
        ("CONTRAT_TP_02", ["TP04_ESSAI_CDI_CADRES_JOURS"]),
        ("CONTRAT_TP_02_CATEGORIE", ["TP04_ESSAI_CDI_EMPLOYES_JOURS", "TP04_ESSAI_CDI_CADRES_JOURS"]),
        ("CONTRAT_SAL_02", ["SAL02_MAJORATION_1_TAUX", "SAL02_MAJORATION_1_JUSQUA_HEURE", "SAL02_MAJORATION_2_TAUX"]),
        ("FORMATION_FOR02_MINIMUM_15_POURCENT", ["FOR05_HORAIRE_HEBDOMADAIRE"]),
        ("FORMATION_FOR03_PLUS_DE_25_POURCENT", ["FOR05_HORAIRE_HEBDOMADAIRE"]),
    ],
)
def test_rule_descriptions_name_their_parameters(code, parametres):
    rule = next(r for r in rules.REGISTRY.rules if r.code == code)
    assert "paramètre" in rule.description and "administration" in rule.description
    for parametre_code in parametres:
        assert parametre_code in rule.description


# --- Admin -------------------------------------------------------------------------------------------------


def test_admin_lists_filters_and_edits_the_parameters(admin_client):
    url = reverse("admin:referentiels_parametreregle_changelist")
    response = admin_client.get(url, {"code": "TP04_ESSAI_CDD_COURT_JOURS"})
    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == ["TP04_ESSAI_CDD_COURT_JOURS"]
    assert 'name="form-0-valeur"' in response.content.decode()  # the value is editable in the list
    response = admin_client.post(
        reverse("admin:referentiels_parametreregle_add"),
        {
            "code": "TP04_ESSAI_CDD_COURT_JOURS",
            "date_effet": "2027-01-01",
            "valeur": "12",
            "unite": "jours",
            "libelle": "Nouvelle valeur",
            "source": "Confirmé par AKTO",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert parametre("TP04_ESSAI_CDD_COURT_JOURS", date(2027, 1, 1)) == 12
    assert essai_maximum_cdd(date(2027, 1, 4), date(2027, 7, 3)) == 12


def test_a_variant_of_a_parameter_applies_first():
    """``parametre(code, date, variante)``: the ``<code>__<VARIANTE>`` row in force on that date, else the code's."""
    nouvelle_valeur("D6325_2_DELAI_JOURS__CPRO", date(2026, 1, 1), 30)
    assert parametre("D6325_2_DELAI_JOURS", date(2026, 6, 1), variante="cpro") == 30
    assert parametre("D6325_2_DELAI_JOURS", date(2025, 12, 31), variante="CPRO") == 20  # not yet in force
    assert parametre("D6325_2_DELAI_JOURS", date(2026, 6, 1), variante="PROA") == 20
    assert parametre("D6325_2_DELAI_JOURS", date(2026, 6, 1)) == 20
