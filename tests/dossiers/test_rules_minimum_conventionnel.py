"""The branch's conventional minimum (RULES.md §2.5, SAL-03 and SAL-04): the grids the gestionnaires enter per IDCC
(``referentiels.models.minima``), the minimum they give, the rules that block below it, the admin."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dossiers import rules
from dossiers.calculs.salaire import LEGAL, SMC, TAUX_BRANCHE, libelle, salaire_minimum
from dossiers.enums import Diplome, NatureContrat
from referentiels.models import Qualification, SalaireMinimumConventionnel, TauxConventionnel, TrancheAge
from tests.complet import dossier_complet
from tests.conftest import client_for
from tests.dossiers.test_rules_contrat import alertes, bloquants
from tests.dossiers.test_rules_contrat import dossier as _dossier

pytestmark = pytest.mark.django_db

C9 = date(2026, 2, 2)
SOURCE = "Avenant n° 12 du 15/01/2026 (salaires)"
IDCC = "1979"


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


def dossier(naissance=date(1996, 1, 1), idcc=IDCC, **contrat):
    """A 30-year-old (at C9, 02/02/2026) in IDCC ``idcc``, niveau « 1 », coefficient « 120 », 35 h."""
    contrat.setdefault("coefficient", "120")
    d = _dossier(naissance=naissance, **contrat)
    d.employeur.idcc = idcc
    return d


def smc(montant="2400.00", idcc=IDCC, debut=date(2026, 1, 1), fin=None, niveau="", coefficient=""):
    return SalaireMinimumConventionnel.objects.create(
        idcc=idcc,
        niveau=niveau,
        coefficient=coefficient,
        montant_mensuel=Decimal(montant),
        date_debut=debut,
        date_fin=fin,
        source=SOURCE,
    )


def taux(tranche, qualification=Qualification.TOUTES, smic=None, smc=None, idcc=IDCC, debut=date(2026, 1, 1)):
    return TauxConventionnel.objects.create(
        idcc=idcc,
        tranche_age=tranche,
        qualification=qualification,
        pourcentage_smic=None if smic is None else Decimal(smic),
        pourcentage_smc=None if smc is None else Decimal(smc),
        date_debut=debut,
        source="Accord du 3 mars 2025 relatif à l'alternance",
    )


def message(d, code):
    return next(a.message for a in rules.check_onglet(d, "contrat") if a.code == code)


# --- SAL-03: 85 % of the SMC from 26 ---------------------------------------------------------------------------


@pytest.mark.parametrize("salaire,bloque", [("2040.00", False), ("2039.99", True)])  # 85 % × 2 400,00 = 2 040,00
def test_sal_03_blocks_one_cent_under_85_percent_of_the_smc(salaire, bloque):
    smc("2400.00", niveau="1")
    d = dossier(salaire_brut=Decimal(salaire))
    assert ("CONTRAT_SAL_03" in bloquants(d)) is bloque
    assert ("Contrat" in rules.onglets_invalides(d)) is bloque  # what Transmettre refuses
    assert "CONTRAT_SAL_03_SMC_INCONNU" not in alertes(d)  # known: no more « vérifiez-le »
    assert "CONTRAT_SAL_01" not in bloquants(d)  # above the legal 1 823,03
    if bloque:
        texte = message(d, "CONTRAT_SAL_03")
        assert "2\u202f040,00 €" in texte and "2\u202f400,00 €" in texte
        assert f"IDCC {IDCC}" in texte and SOURCE in texte


@pytest.mark.parametrize(
    "debut,fin,connu",
    [
        (date(2025, 1, 1), C9 - timedelta(days=1), False),  # valid until the day before C9
        (date(2025, 1, 1), C9, True),  # valid until C9 included
        (C9, None, True),  # from C9
        (C9 + timedelta(days=1), None, False),  # from the day after C9
    ],
)
def test_sal_03_reads_the_grid_in_force_at_c9(debut, fin, connu):
    smc("2400.00", debut=debut, fin=fin)
    d = dossier(salaire_brut=Decimal("1900.00"))
    assert ("CONTRAT_SAL_03" in bloquants(d)) is connu
    assert ("CONTRAT_SAL_03_SMC_INCONNU" in alertes(d)) is not connu


def test_another_idccs_grid_does_not_apply():
    smc("2400.00", idcc="1486")
    taux(TrancheAge.DES_26, smic="110", idcc="1486")
    d = dossier(salaire_brut=Decimal("1900.00"))
    assert not {"CONTRAT_SAL_03", "CONTRAT_SAL_04"} & bloquants(d)
    assert "CONTRAT_SAL_03_SMC_INCONNU" in alertes(d)
    assert salaire_minimum(d).origine == LEGAL


@pytest.mark.parametrize(
    "niveau,coefficient,connu",
    [
        ("1", "", True),
        (" i ", "", False),  # « I » is not « 1 »: the grid's wording
        ("2", "", False),  # another level
        ("", "120", True),
        ("1", "120", True),
        ("1", "130", False),
    ],
)
def test_sal_03_matches_the_contracts_level_and_coefficient(niveau, coefficient, connu):
    smc("2400.00", niveau=niveau, coefficient=coefficient)
    d = dossier(salaire_brut=Decimal("1900.00"))  # niveau « 1 », coefficient « 120 »
    assert ("CONTRAT_SAL_03" in bloquants(d)) is connu
    assert ("CONTRAT_SAL_03_SMC_INCONNU" in alertes(d)) is not connu


def test_the_most_precise_line_of_the_grid_applies():
    smc("2600.00")  # the branch's floor
    smc("2400.00", niveau="Niveau 1")
    smc("2200.00", niveau="niveau 1", coefficient="120")
    d = dossier(niveau="NIVEAU 1", salaire_brut=Decimal("1900.00"))
    assert salaire_minimum(d).smc == Decimal("2200.00")
    d.contrat.coefficient = "150"
    assert salaire_minimum(d).smc == Decimal("2400.00")
    d.contrat.niveau = "2"
    assert salaire_minimum(d).smc == Decimal("2600.00")


def test_a_later_avenant_replaces_the_grid():
    smc("2300.00", debut=date(2025, 1, 1))
    smc("2400.00", debut=date(2026, 1, 1))
    assert salaire_minimum(dossier()).smc == Decimal("2400.00")
    assert salaire_minimum(dossier(date_debut=date(2025, 12, 31), date_fin=date(2026, 12, 30))).smc == Decimal(
        "2300.00"
    )


def test_sal_03_prorated_to_the_weekly_hours_and_hourly():
    smc("2400.00")
    d = dossier(duree_hebdo_minutes=17 * 60 + 30, salaire_brut=Decimal("1020.00"))  # 2 400 × 17,5 / 35 × 85 %
    assert salaire_minimum(d).minimum_smc == Decimal("1020.00")
    assert "CONTRAT_SAL_03" not in bloquants(d)
    d.contrat.salaire_brut = Decimal("1019.99")
    assert "CONTRAT_SAL_03" in bloquants(d)
    d.contrat.nature = NatureContrat.TRAVAIL_TEMPORAIRE  # hourly: 2 400 / 151,67 × 85 % = 13,45
    d.contrat.salaire_brut = Decimal("13.44")
    assert salaire_minimum(d).minimum_smc == Decimal("13.45")
    assert "CONTRAT_SAL_03" in bloquants(d) and "CONTRAT_SAL_05" not in bloquants(d)


def test_sal_03_only_from_26():
    smc("2400.00")
    d = dossier(naissance=date(2000, 2, 3), salaire_brut=Decimal("1900.00"))  # 25 on C9, BTS: 80 % SMIC
    assert "CONTRAT_SAL_03" not in bloquants(d) and "CONTRAT_SAL_03_SMC_INCONNU" not in alertes(d)
    d = dossier(naissance=date(2000, 2, 2), salaire_brut=Decimal("1900.00"))  # 26 on C9
    assert "CONTRAT_SAL_03" in bloquants(d)


def test_no_smc_to_look_for_without_convention():
    d = dossier(idcc="9999", salaire_brut=Decimal("1900.00"))
    assert "CONTRAT_SAL_03_SMC_INCONNU" not in alertes(d)


def test_the_label_under_the_salary_names_the_convention():
    smc("2400.00")
    minimum = salaire_minimum(dossier())
    assert (minimum.origine, minimum.montant, minimum.montant_legal) == (SMC, Decimal("2040.00"), Decimal("1823.03"))
    assert libelle(minimum) == (
        f"Minimum conventionnel pour ce salarié (IDCC {IDCC}) : 2\u202f040,00 € (85 % du salaire minimum "
        f"conventionnel de 2\u202f400,00 € par mois pour 35 h, {SOURCE}) ; minimum légal : 1\u202f823,03 € "
        "(100 % du SMIC)"
    )


def test_a_smc_under_the_smic_leaves_the_legal_minimum():
    smc("2000.00")  # 85 % = 1 700,00 < 1 823,03
    d = dossier(salaire_brut=Decimal("1823.02"))
    minimum = salaire_minimum(d)
    assert (minimum.origine, minimum.montant) == (LEGAL, Decimal("1823.03"))
    assert libelle(minimum).startswith("Minimum légal pour ce salarié")
    assert bloquants(d) >= {"CONTRAT_SAL_01"} and "CONTRAT_SAL_03" not in bloquants(d)  # said once


# --- SAL-04: the branch's own rates ------------------------------------------------------------------------------


@pytest.mark.parametrize("salaire,bloque", [("1367.27", False), ("1367.26", True)])  # 75 % × 1 823,03
def test_sal_04_blocks_under_the_branchs_rate_of_the_smic(salaire, bloque):
    taux(TrancheAge.MOINS_21, Qualification.SUPERIEURE, smic="75")
    d = dossier(naissance=date(2006, 3, 1), salaire_brut=Decimal(salaire))  # 19, bac pro: legal 65 %
    assert ("CONTRAT_SAL_04" in bloquants(d)) is bloque
    assert "CONTRAT_SAL_01" not in bloquants(d)
    minimum = salaire_minimum(d)
    assert (minimum.origine, minimum.montant, minimum.montant_legal) == (
        TAUX_BRANCHE,
        Decimal("1367.27"),
        Decimal("1184.97"),
    )
    if bloque:
        assert message(d, "CONTRAT_SAL_04") == (
            f"Le salaire est inférieur au minimum prévu par la convention collective (IDCC {IDCC}) pour ce salarié : "
            "1\u202f367,27 € (75 % du SMIC, Accord du 3 mars 2025 relatif à l'alternance)."
        )


def test_sal_04_the_qualification_column_and_the_age_band():
    taux(TrancheAge.MOINS_21, Qualification.INFERIEURE, smic="60")
    d = dossier(naissance=date(2006, 3, 1), salaire_brut=Decimal("1184.97"))  # bac pro: the other column
    assert salaire_minimum(d).minimum_branche is None
    d.salarie.diplome_plus_eleve = Diplome.CAP  # 60 % × 1 823,03 = 1 093,82
    d.contrat.salaire_brut = Decimal("1093.81")
    assert "CONTRAT_SAL_04" in bloquants(d)
    d.salarie.date_naissance = date(2005, 2, 2)  # 21 on C9: another band
    assert salaire_minimum(d).minimum_branche is None


def test_sal_04_a_percentage_of_the_smc():
    smc("2000.00")
    taux(TrancheAge.DE_21_A_25, smc="90")  # 90 % × 2 000 = 1 800,00 > 80 % SMIC 1 458,42
    d = dossier(naissance=date(2003, 3, 1), salaire_brut=Decimal("1799.99"))
    assert "CONTRAT_SAL_04" in bloquants(d)
    assert "90 % du salaire minimum conventionnel" in message(d, "CONTRAT_SAL_04")
    d.contrat.salaire_brut = Decimal("1800.00")
    assert "CONTRAT_SAL_04" not in bloquants(d)


def test_sal_04_warns_when_its_percentage_of_the_smc_has_no_grid():
    taux(TrancheAge.DE_21_A_25, smc="90")
    d = dossier(naissance=date(2003, 3, 1), salaire_brut=Decimal("1500.00"))
    assert "CONTRAT_SAL_04_SMC_INCONNU" in alertes(d) and "CONTRAT_SAL_04" not in bloquants(d)
    assert message(d, "CONTRAT_SAL_04_SMC_INCONNU").startswith(
        f"La convention collective (IDCC {IDCC}) fixe le salaire de ce salarié à au moins 90 % du salaire minimum"
    )
    smc("2000.00", niveau="1")  # the grid now knows the emploi: checked, no more alert
    assert "CONTRAT_SAL_04_SMC_INCONNU" not in alertes(d) and "CONTRAT_SAL_04" in bloquants(d)


def test_sal_04_another_idcc_or_another_period():
    taux(TrancheAge.DES_26, smic="110", idcc="1486")
    taux(TrancheAge.DES_26, smic="110", debut=C9 + timedelta(days=1))
    assert salaire_minimum(dossier()).minimum_branche is None


@pytest.mark.parametrize("fin,connu", [(C9 - timedelta(days=1), False), (C9, True)])
def test_sal_04_a_rate_ending_the_day_before_c9(fin, connu):
    cellule = taux(TrancheAge.DES_26, smic="110", debut=date(2025, 1, 1))
    cellule.date_fin = fin
    cellule.save()
    d = dossier(salaire_brut=Decimal("1900.00"))  # 110 % × 1 823,03 = 2 005,33
    assert ("CONTRAT_SAL_04" in bloquants(d)) is connu


# --- The admin ---------------------------------------------------------------------------------------------------


def test_a_branch_rate_must_be_higher_than_the_legal_one():
    cellule = TauxConventionnel(
        idcc=IDCC,
        tranche_age=TrancheAge.MOINS_21,
        qualification=Qualification.SUPERIEURE,
        pourcentage_smic=Decimal("65"),
        date_debut=C9,
        source=SOURCE,
    )
    with pytest.raises(ValidationError) as erreur:
        cellule.full_clean()
    assert erreur.value.message_dict["pourcentage_smic"] == [
        "Le taux légal est déjà de 65 % du SMIC pour ce salarié : un taux conventionnel n'a de sens que s'il est plus "
        "élevé."
    ]
    cellule.pourcentage_smic = Decimal("65.01")
    cellule.full_clean()
    cellule.tranche_age, cellule.pourcentage_smic, cellule.pourcentage_smc = TrancheAge.DES_26, None, Decimal("85")
    with pytest.raises(ValidationError) as erreur:
        cellule.full_clean()
    assert "pourcentage_smc" in erreur.value.message_dict
    cellule.pourcentage_smc = None
    with pytest.raises(ValidationError):
        cellule.full_clean()  # neither percentage


def test_a_grid_line_ends_after_it_starts():
    ligne = SalaireMinimumConventionnel(
        idcc=IDCC, montant_mensuel=Decimal("2000"), date_debut=C9, date_fin=C9 - timedelta(days=1), source=SOURCE
    )
    with pytest.raises(ValidationError) as erreur:
        ligne.full_clean()
    assert erreur.value.message_dict["date_fin"] == ["La date de fin précède la date de début."]


def test_a_gestionnaire_adds_a_grid_line_in_the_admin_and_the_rule_blocks(adherent, gestionnaire):
    d = dossier_complet(adherent)
    d.salarie.date_naissance = date(1990, 5, 12)
    d.salarie.save()
    contrat, idcc = d.contrat, d.employeur.idcc
    assert "CONTRAT_SAL_03" not in bloquants(d)

    client = client_for(gestionnaire)
    url = "/admin/referentiels/salaireminimumconventionnel/add/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "idcc": idcc,
            "niveau": contrat.niveau,
            "coefficient": "",
            "montant_mensuel": "2500,00",
            "date_debut": contrat.date_debut.strftime("%d/%m/%Y"),
            "date_fin": "",
            "source": SOURCE,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ligne = SalaireMinimumConventionnel.objects.get()
    assert ligne.history.get().history_user == gestionnaire

    assert contrat.salaire_brut < Decimal("2125.00")  # 85 % × 2 500
    assert "CONTRAT_SAL_03" in bloquants(d)
    assert "Contrat" in rules.onglets_invalides(d)


def test_the_admin_refuses_a_rate_not_above_the_legal_one(gestionnaire):
    response = client_for(gestionnaire).post(
        "/admin/referentiels/tauxconventionnel/add/",
        {
            "idcc": IDCC,
            "tranche_age": TrancheAge.DE_21_A_25,
            "qualification": "",
            "pourcentage_smic": "70,00",
            "pourcentage_smc": "",
            "date_debut": "01/01/2026",
            "date_fin": "",
            "source": SOURCE,
        },
    )
    assert response.status_code == 200
    assert "Le taux légal est déjà de 70 % du SMIC" in response.content.decode()
    assert not TauxConventionnel.objects.exists()
