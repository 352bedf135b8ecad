import pytest
from django.core.exceptions import ValidationError

from referentiels.validators import (
    decompose_nir,
    nir_key,
    normalize_certification_code,
    normalize_nda,
    normalize_nir,
    normalize_nom,
    normalize_phone,
    siren_with_check_digit,
    siret_with_check_digit,
    validate_email,
    validate_nir,
    validate_nom,
    validate_ntt,
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
    [
        ("0123456789", "01 23 45 67 89"),
        ("01.23.45.67.89", "01 23 45 67 89"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("0262 21 00 00", "02 62 21 00 00"),  # La Réunion
        ("+596 596 30 12 34", "05 96 30 12 34"),  # Martinique
    ],
)
def test_phone_normalized(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0023456789", "01234567890", "abc", "+44 20 7946 0958"])
def test_phone_rejected_with_french_message(raw):
    with pytest.raises(ValidationError, match="téléphone français"):
        normalize_phone(raw)


def test_postal_code():
    for code in ["75001", "20000", "97400", "98800", "01400"]:
        validate_postal_code(code)
    for code in ["7500", "00100", "96000", "75OO1"]:
        with pytest.raises(ValidationError, match="5 chiffres"):
            validate_postal_code(code)


@pytest.mark.parametrize(
    "nir",
    [
        "2 95 10 99 126 111 93",  # born abroad (99)
        "253072A07300443",  # Corsica 2A
        "253072B07300470",  # Corsica 2B
        "1.85.05.78.006.084.91",
        "1-85-05-78-006-084-91",
        "2 88 40 75 056 123 63",  # pseudo-month 40 (incomplete civil status)
    ],
)
def test_valid_nir(nir):
    validate_nir(nir)


def test_nir_key_is_computed_with_corsica_substitution():
    assert nir_key("253072A073004") == 43
    assert nir_key("253072B073004") == 70


@pytest.mark.parametrize(
    "nir,message",
    [
        ("2951099126111", "avec sa clé"),  # 13 digits: the key is needed
        ("29510991261119", "15 caractères"),
        ("295109912611194", "n'est pas valide"),  # wrong key
        ("253072C07300443", "n'est pas valide"),  # 2C is no département
        ("295139912611193", "n'est pas valide"),  # month 13
        ("795109912611193", "numéro provisoire"),  # NNP
        ("095109912611193", "n'est pas valide"),  # sex digit 0
    ],
)
def test_invalid_nir(nir, message):
    with pytest.raises(ValidationError, match=message):
        validate_nir(nir)


def test_decompose_nir():
    parts = decompose_nir("2 95 10 99 126 111 93")
    assert (parts.sexe, parts.annee, parts.mois, parts.departement, parts.ne_a_l_etranger) == (
        "2",
        "95",
        "10",
        "99",
        True,
    )
    assert decompose_nir("253072A07300443").departement == "2A"
    overseas = "1850597412345"  # born 05/1985 in La Réunion (974), commune 12, order 345
    overseas += f"{nir_key(overseas):02d}"
    assert decompose_nir(overseas).departement == "974"
    assert normalize_nir("2 53 07 2a 073 004 43") == "253072A07300443"


def test_ntt():
    validate_ntt("AB123456789")
    validate_ntt("X" * 40)
    for bad in ["AB12345678", "X" * 41, "AB-123456789"]:
        with pytest.raises(ValidationError, match="11 à 40"):
            validate_ntt(bad)


def test_nda():
    assert normalize_nda("11 75 39666 75") == "11753966675"
    with pytest.raises(ValidationError, match="11 chiffres"):
        normalize_nda("1175396667")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("RNCP34567", "RNCP34567"),
        ("rncp 345", "RNCP345"),
        ("RS5063", "RS5063"),
        ("RS27", "RS27"),
        ("RNCP1", "RNCP1"),  # the form accepted it, the validator did not: one rule now (1 to 6 digits)
        ("rncp 034567", "RNCP34567"),
        ("34567", "RNCP34567"),  # a bare number is an RNCP fiche, as the form always read it
        ("", ""),
    ],
)
def test_certification_codes(raw, expected):
    assert normalize_certification_code(raw) == expected


@pytest.mark.parametrize("raw", ["RNCP1234567", "RNCP0", "RNCP34567BC01", "CQP123", "RNCP 34 567"])
def test_bad_certification_codes(raw):
    with pytest.raises(ValidationError, match=r"Saisissez un code RNCP \(Ex : RNCP34567\) ou RS"):
        normalize_certification_code(raw)


@pytest.mark.django_db
def test_one_certification_format_for_the_form_the_importer_the_lookup_and_the_database():
    from django.db import IntegrityError, transaction

    from dossiers.saisie.onglets.formation.formulaire import fiche
    from referentiels.lookups.certifications import search
    from referentiels.management.commands.import_rncp import codes_in, normalize_code
    from referentiels.models import Certification

    assert normalize_code(" rncp 0509") == "RNCP509" and normalize_code("CQP12") is None
    assert codes_in("RNCP34567 ; RS5063, rncp 085") == ["RNCP34567", "RS5063", "RNCP85"]
    Certification.objects.create(code="RNCP34567", type="RNCP", intitule="Titre")
    assert fiche("rncp 034567").code == "RNCP34567"
    assert [c.code for c in search("34567")] == ["RNCP34567"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.create(code="RNCP034567", type="RNCP", intitule="Zéro de tête")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Jean-Pierre", "Jean-Pierre"),
        ("D'Artagnan", "D'Artagnan"),
        ("O’Neil", "O’Neil"),  # the typographic apostrophe too
        ("de La Fontaine", "de La Fontaine"),
        ("àâäçéèêëîïôöùûüÿæœ", "àâäçéèêëîïôöùûüÿæœ"),
        ("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ", "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"),
        ("Łukasz Wałęsa", "Łukasz Wałęsa"),  # other Latin letters with diacritics
        ("Müller-Straße", "Müller-Straße"),
        ("Ngô Bảo Châu", "Ngô Bảo Châu"),
        ("  Le   Gall ", "Le Gall"),  # spaces collapsed and trimmed
        ("élodie", "élodie"),  # a combining accent joins its letter (NFC)
        ("", ""),
    ],
)
def test_names_of_the_civil_status_accepted(raw, expected):
    assert normalize_nom(raw) == expected
    validate_nom(raw)


@pytest.mark.parametrize(
    "raw,refuse",
    [
        ("Jean3", "« 3 »"),
        ("J@ne", "« @ »"),
        ("Jean_Paul", "« _ »"),
        ("Dupont.", "« . »"),
        ("Marie, Louise", "« , »"),
        ("Ivan Иван", "Caractères non acceptés : « И » « в » « а » « н »"),  # Latin script only
        ("Σοφία", "« Σ »"),
        ("A×B", "« × »"),
        ("Zoé​", "« U+200B »"),  # an invisible character is named
        ("JeanʼPaul", "« ʼ »"),  # a modifier letter is not an apostrophe
    ],
)
def test_names_with_other_characters_are_a_format_error(raw, refuse):
    with pytest.raises(ValidationError, match="comme à l'état civil") as error:
        normalize_nom(raw)
    assert error.value.code == "format"
    assert refuse in error.value.messages[0]


@pytest.mark.parametrize("raw", ["-", "' -", "’"])
def test_a_name_has_a_letter(raw):
    with pytest.raises(ValidationError, match="comme à l'état civil"):
        validate_nom(raw)


def test_email():
    validate_email("rh@entreprise.fr")
    with pytest.raises(ValidationError, match="adresse e-mail valide"):
        validate_email("rh@entreprise")


def test_search_normalisation():
    from referentiels.search import normalize

    assert normalize("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert normalize("Chargé d’affaires") == "charge d affaires"
    assert normalize("L'Haÿ-les-Roses") == "l hay les roses"
