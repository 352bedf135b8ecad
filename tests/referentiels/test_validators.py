import pytest
from django.core.exceptions import ValidationError

from referentiels.validators import (
    normalize_phone,
    siren_with_check_digit,
    siret_with_check_digit,
    validate_postal_code,
    validate_siren,
    validate_siret,
)


def test_siren_valid_and_invalid():
    validate_siren("732 829 320")  # spaces are tolerated
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siren("732829321")
    with pytest.raises(ValidationError, match="9 chiffres"):
        validate_siren("12345")


def test_siret_luhn():
    validate_siret("73282932000074")
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siret("73282932000075")
    with pytest.raises(ValidationError, match="14 chiffres"):
        validate_siret("7328293200007")


def test_siret_la_poste_exception():
    # La Poste's establishments fail Luhn but their digits sum to a multiple of 5.
    validate_siret("35600000049837")
    with pytest.raises(ValidationError):
        validate_siret("35600000049838")


def test_check_digit_helpers_produce_valid_numbers():
    siren = siren_with_check_digit("81234567")
    validate_siren(siren)
    validate_siret(siret_with_check_digit(siren, "0001"))


@pytest.mark.parametrize(
    "raw,expected",
    [("0123456789", "01 23 45 67 89"), ("01.23.45.67.89", "01 23 45 67 89"), ("+33 6 12 34 56 78", "06 12 34 56 78")],
)
def test_phone_normalized(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0023456789", "01234567890", "abc"])
def test_phone_rejected_with_french_message(raw):
    with pytest.raises(ValidationError, match="téléphone français"):
        normalize_phone(raw)


def test_postal_code():
    validate_postal_code("97400")
    with pytest.raises(ValidationError):
        validate_postal_code("7500")
