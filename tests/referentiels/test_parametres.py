"""Dated parameters (SMIC, funding forfaits) and public holidays by zone."""

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from referentiels.management.commands.load_parametres import DATA
from referentiels.models import ForfaitPriseEnCharge, PublicForfait, Smic, Territoire
from referentiels.parametres import (
    ParametreIntrouvable,
    Zone,
    est_ferie,
    forfait_horaire,
    jours_feries,
    smic_horaire,
    smic_mensuel,
    territoire_smic,
    zone_pour_departement,
)

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_parametres", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def parametres():
    load()


# --------------------------------------------------------------------------------------------
# SMIC
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jour", "horaire"),
    [
        (date(2024, 1, 1), "11.65"),
        (date(2024, 10, 31), "11.65"),
        (date(2024, 11, 1), "11.88"),
        (date(2025, 12, 31), "11.88"),
        (date(2026, 1, 1), "12.02"),
        (date(2026, 5, 31), "12.02"),
        (date(2026, 6, 1), "12.31"),
        (datetime(2030, 1, 1, 12, 0), "12.31"),
    ],
)
def test_smic_horaire_the_day_before_and_after_each_change(jour, horaire):
    assert smic_horaire(jour) == Decimal(horaire)


def test_smic_mensuel_is_the_published_amount_at_35_hours():
    assert smic_mensuel(date(2025, 12, 31)) == Decimal("1801.80")
    assert smic_mensuel(date(2026, 1, 1)) == Decimal("1823.03")
    assert smic_mensuel(date(2026, 6, 1)) == Decimal("1867.02")
    # Part-time: hourly × weekly hours × 52 / 12.
    assert smic_mensuel(date(2026, 1, 1), heures_hebdo=24) == Decimal("1250.08")


def test_every_published_monthly_amount_is_hourly_times_35_times_52_over_12():
    for smic in Smic.objects.all():
        assert Smic.mensuel_pour(smic.horaire) == smic.mensuel, smic
    # ... and not hourly × 151,67 (1 801,84 €).
    assert (
        Decimal("11.88") * Decimal("151.67")
        != Smic.objects.get(date_effet="2024-11-01", territoire="metropole").mensuel
    )


def test_smic_mayotte():
    assert smic_horaire(date(2024, 11, 1), "mayotte") == Decimal("8.98")
    assert smic_horaire(date(2025, 12, 31), Territoire.MAYOTTE) == Decimal("8.98")
    assert smic_horaire(date(2026, 1, 1), Territoire.MAYOTTE) == Decimal("9.33")
    assert smic_mensuel(date(2026, 1, 1), "mayotte") == Decimal("1415.05")
    assert smic_horaire(date(2026, 1, 1), territoire_smic("976")) == Decimal("9.33")
    assert smic_horaire(date(2026, 1, 1), territoire_smic("974")) == Decimal("12.02")  # La Réunion: métropole's


def test_no_smic_for_the_date_is_a_clear_french_error():
    with pytest.raises(ParametreIntrouvable, match=r"Aucun montant du SMIC .* au 31/12/2023"):
        smic_horaire(date(2023, 12, 31))
    with pytest.raises(ParametreIntrouvable, match=r"Mayotte.* au 31/10/2024"):
        smic_horaire(date(2024, 10, 31), "mayotte")
    with pytest.raises(ValueError, match="Territoire inconnu"):
        smic_horaire(date(2025, 1, 1), "guadeloupe")


def test_smic_mensuel_computed_when_left_empty():
    smic = Smic.objects.create(date_effet=date(2027, 1, 1), horaire=Decimal("12.50"))
    assert smic.mensuel == Decimal("1895.83")


def test_load_parametres_is_idempotent_and_restores_the_file_values():
    counts = (Smic.objects.count(), ForfaitPriseEnCharge.objects.count())
    assert counts == (6, 3)  # the forfaits: contrat pro standard and renforcé, période de reconversion
    assert "0 créés, 0 modifiés, 9 inchangés" in load()
    Smic.objects.filter(date_effet="2026-01-01", territoire="metropole").update(horaire=Decimal("1.00"))
    assert "0 créés, 1 modifiés, 8 inchangés" in load()
    assert smic_horaire(date(2026, 1, 1)) == Decimal("12.02")
    assert (Smic.objects.count(), ForfaitPriseEnCharge.objects.count()) == counts


def test_load_parametres_keeps_branch_forfaits():
    ForfaitPriseEnCharge.objects.create(date_effet=date(2025, 1, 1), idcc="3043", montant_horaire=Decimal("12"))
    load()
    assert ForfaitPriseEnCharge.objects.filter(idcc="3043").count() == 1


def test_data_file_has_every_date_of_the_rules():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    dates = {(s["territoire"], s["date_effet"]) for s in data["smic"]}
    assert dates == {
        ("metropole", "2024-01-01"),
        ("metropole", "2024-11-01"),
        ("metropole", "2026-01-01"),
        ("metropole", "2026-06-01"),
        ("mayotte", "2024-11-01"),
        ("mayotte", "2026-01-01"),
    }


# --------------------------------------------------------------------------------------------
# Forfaits de prise en charge
# --------------------------------------------------------------------------------------------


def test_forfait_legal_default():
    assert forfait_horaire(date(2026, 3, 1)) == Decimal("9.15")
    assert forfait_horaire(date(2026, 3, 1), renforce=True) == Decimal("15.00")
    assert forfait_horaire(date(2026, 3, 1), idcc="1979") == Decimal("9.15")  # no branch level recorded


def test_forfait_branch_override():
    ForfaitPriseEnCharge.objects.create(date_effet=date(2025, 7, 1), idcc="3043", montant_horaire=Decimal("12.50"))
    ForfaitPriseEnCharge.objects.create(date_effet=date(2026, 1, 1), idcc="3043", montant_horaire=Decimal("13.00"))
    assert forfait_horaire(date(2025, 6, 30), idcc="3043") == Decimal("9.15")  # before the branch's level
    assert forfait_horaire(date(2025, 7, 1), idcc="3043") == Decimal("12.50")
    assert forfait_horaire(date(2026, 1, 1), idcc="3043") == Decimal("13.00")
    assert forfait_horaire(date(2026, 1, 1), idcc="3043", renforce=True) == Decimal("15.00")  # none for this public
    assert forfait_horaire(date(2026, 1, 1), idcc="1351") == Decimal("9.15")  # another branch


def test_no_forfait_for_the_date_is_a_clear_french_error():
    with pytest.raises(ParametreIntrouvable, match=r"Aucun forfait horaire de prise en charge .* au 31/12/2018"):
        forfait_horaire(date(2018, 12, 31))


def test_one_legal_forfait_per_public_and_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ForfaitPriseEnCharge.objects.create(
            date_effet=date(2019, 1, 1), public=PublicForfait.STANDARD, montant_horaire=Decimal("10")
        )
    # An empty IDCC typed in the admin is the legal default too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ForfaitPriseEnCharge.objects.create(date_effet=date(2019, 1, 1), idcc="", montant_horaire=Decimal("10"))


# --------------------------------------------------------------------------------------------
# Jours fériés
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_has_good_friday_and_saint_stephen(departement):
    zone = zone_pour_departement(departement)
    assert zone == Zone.ALSACE_MOSELLE
    assert est_ferie(date(2025, 12, 26), zone)
    assert est_ferie(date(2025, 4, 18), zone)  # Vendredi saint 2025
    assert jours_feries(2026, zone)[date(2026, 4, 3)] == "Vendredi saint"
    assert jours_feries(2026, zone)[date(2026, 12, 26)] == "Saint-Étienne"


def test_metropole_has_neither():
    assert zone_pour_departement("75") == Zone.METROPOLE
    assert not est_ferie(date(2025, 12, 26), "metropole")
    assert not est_ferie(date(2025, 4, 18), "metropole")
    assert est_ferie(date(2025, 7, 14))
    feries = jours_feries(2025)
    assert len(feries) == 11
    assert list(feries) == sorted(feries)
    assert feries[date(2025, 1, 1)] == "Jour de l'an"


@pytest.mark.parametrize(
    ("departement", "zone", "abolition"),
    [
        ("971", Zone.GUADELOUPE, date(2025, 5, 27)),
        ("972", Zone.MARTINIQUE, date(2025, 5, 22)),
        ("973", Zone.GUYANE, date(2025, 6, 10)),
        ("974", Zone.LA_REUNION, date(2025, 12, 20)),
        ("976", Zone.MAYOTTE, date(2025, 4, 27)),
    ],
)
def test_overseas_abolition_of_slavery_day(departement, zone, abolition):
    assert zone_pour_departement(departement) == zone
    assert est_ferie(abolition, zone)
    assert jours_feries(2025, zone)[abolition] == "Abolition de l'esclavage"
    assert not est_ferie(abolition, Zone.METROPOLE)


@pytest.mark.parametrize(
    ("code", "zone"), [("2A", "metropole"), ("2b", "metropole"), (1, "metropole"), ("06", "metropole")]
)
def test_zone_pour_departement_formats(code, zone):
    assert zone_pour_departement(code) == zone


@pytest.mark.parametrize("code", ["20", "96", "99", "988", "", None, "7500"])
def test_zone_pour_departement_unknown(code):
    with pytest.raises(ValueError, match="Département inconnu"):
        zone_pour_departement(code)


def test_unknown_zone():
    with pytest.raises(ValueError, match="Zone de jours fériés inconnue"):
        est_ferie(date(2025, 1, 1), "corse")


def test_jours_feries_returns_a_copy():
    jours_feries(2025).clear()
    assert len(jours_feries(2025)) == 11
