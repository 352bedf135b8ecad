"""One validator per format (SIREN, SIRET, phone, postal code), reused by models, forms and importers.

Each raises ``ValidationError`` with a French message and code ``"format"``; ``normalize_phone``
returns the canonical stored form.
"""

import re

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

_SEPARATORS = re.compile(r"[\s.\-/]")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", str(value or ""))


def _validate_number(value: str, *, name: str, length: int, stdnum_module) -> None:
    number = _compact(value)
    if not re.fullmatch(rf"\d{{{length}}}", number):
        raise ValidationError(f"Le {name} doit comporter {length} chiffres.", code="format")
    try:
        stdnum_module.validate(number)
    except StdnumError:
        raise ValidationError(f"Ce numéro {name} n'est pas valide (clé de contrôle).", code="format") from None


def validate_siren(value: str) -> None:
    """9 digits, Luhn."""
    _validate_number(value, name="SIREN", length=9, stdnum_module=stdnum_siren)


def validate_siret(value: str) -> None:
    """14 digits, Luhn over the whole number (python-stdnum also applies La Poste's exception)."""
    _validate_number(value, name="SIRET", length=14, stdnum_module=stdnum_siret)


def siren_with_check_digit(first_eight: str) -> str:
    """Complete eight digits into a valid SIREN (used by fixtures and demo data)."""
    return first_eight + luhn.calc_check_digit(first_eight)


def siret_with_check_digit(siren: str, nic_first_four: str) -> str:
    """Complete a SIREN and four NIC digits into a valid SIRET."""
    partial = siren + nic_first_four
    return partial + luhn.calc_check_digit(partial)


_PHONE_NATIONAL = re.compile(r"0[1-9]\d{8}")
_PHONE_INTERNATIONAL = re.compile(r"(?:\+|00)33(\d{9})")


def normalize_phone(value: str) -> str:
    """Return a French phone number as ``01 23 45 67 89``; raise if it is not one."""
    number = _compact(value).replace("(0)", "")
    international = _PHONE_INTERNATIONAL.fullmatch(number)
    if international:
        number = "0" + international.group(1)
    if not _PHONE_NATIONAL.fullmatch(number):
        raise ValidationError(
            "Saisissez un numéro de téléphone français à 10 chiffres (Ex : 01 23 45 67 89).",
            code="format",
        )
    return " ".join(number[i : i + 2] for i in range(0, 10, 2))


def validate_phone(value: str) -> None:
    normalize_phone(value)


def validate_postal_code(value: str) -> None:
    if not re.fullmatch(r"\d{5}", str(value or "")):
        raise ValidationError("Le code postal doit comporter 5 chiffres.", code="format")
