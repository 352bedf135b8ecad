"""One validator per format, reused by model fields, forms and importers alike.

NIR, NTT, SIREN, SIRET (La Poste exception), NDA, RNCP/RS codes, French postal code, French phone
number, e-mail, a person's name (the civil status's characters). Each ``validate_*`` raises ``ValidationError``
with a French message and code ``"format"``; each ``normalize_*`` returns the canonical stored form (and
validates it).
"""

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
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


# Metropolitan France and the overseas departments/collectivities that share the French numbering plan.
_PHONE_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")
MSG_PHONE = "Saisissez un numéro de téléphone français valide (Ex : 01 23 45 67 89)."


def normalize_phone(value: str) -> str:
    """A French number (metropolitan or overseas) as ``01 23 45 67 89``; raise if it is not one."""
    raw = str(value or "").strip()
    for region in _PHONE_REGIONS:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) in _PHONE_REGIONS:
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            digits = re.sub(r"\D", "", national)
            if len(digits) == 10:
                return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    raise ValidationError(MSG_PHONE, code="format")


def validate_phone(value: str) -> None:
    normalize_phone(value)


def validate_postal_code(value: str) -> None:
    """Five digits, département part 01–95, 97 or 98 (overseas)."""
    if not re.fullmatch(r"(0[1-9]|[1-8]\d|9[0-578])\d{3}", str(value or "")):
        raise ValidationError("Le code postal doit comporter 5 chiffres (Ex : 75001).", code="format")


_email = EmailValidator(message="Saisissez une adresse e-mail valide (Ex : nom@entreprise.fr).", code="format")


def validate_email(value: str) -> None:
    _email(value)


# --- Names of persons (salarié, tutors): the civil status's character set -----------------------------

# Latin script only: basic letters, Latin-1 (à â ä ç é è ê ë î ï ô ö ù û ü ÿ æ œ…, not × ÷), Latin Extended-A/B and
# Latin Extended Additional (other diacritics: ł ø ß ğ ş ț ñ…); separators: space, hyphen, both apostrophes.
_LETTRES_LATINES = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_SEPARATEURS_NOM = frozenset(" -'\u2019")
MSG_NOM = (
    "Saisissez le nom comme à l'état civil : des lettres, avec au besoin des espaces, des tirets (-) "
    "ou des apostrophes (')."
)


def _caractere(c: str) -> str:
    return c if c.isprintable() else f"U+{ord(c):04X}"


def normalize_nom(value: str) -> str:
    """A surname or first name as stored: NFC (an accent typed as a combining mark joins its letter), spaces
    collapsed and trimmed. Raises when a character is outside the civil status's set, or when there is no letter."""
    nom = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    refuses = [c for c in nom if c not in _SEPARATEURS_NOM and not (c.isalpha() and _LETTRES_LATINES.match(c))]
    if refuses:
        uniques = list(dict.fromkeys(refuses))
        liste = " ".join(f"« {_caractere(c)} »" for c in uniques)
        libelle = "Caractère non accepté" if len(uniques) == 1 else "Caractères non acceptés"
        raise ValidationError(f"{MSG_NOM} {libelle} : {liste}.", code="format")
    if nom and not any(c.isalpha() for c in nom):
        raise ValidationError(MSG_NOM, code="format")
    return nom


def validate_nom(value: str) -> None:
    normalize_nom(value)


# --- NIR (RULES.md §4) --------------------------------------------------------------------------

# Sex 1/2, year, month (01–12 or the pseudo-months of incomplete civil status: 20, 30–42, 50–99),
# département (2 digits, 2A/2B), commune or country (3 digits), order (3 digits), key (2 digits).
_NIR = re.compile(r"[12]\d{2}(0[1-9]|1[0-2]|20|3\d|4[0-2]|[5-9]\d)(\d{2}|2A|2B)\d{6}\d{2}")
MSG_NIR = "Le numéro de sécurité sociale (NIR) n'est pas valide : vérifiez les 13 chiffres et la clé."


def normalize_nir(value: str) -> str:
    """Spaces, dots and hyphens removed, upper case (``2A``/``2B``); not validated."""
    return re.sub(r"[\s.\-]", "", str(value or "")).upper()


def nir_key(first_13: str) -> int:
    """``97 − (N mod 97)`` with Corsica's 2A → 19 and 2B → 18."""
    number = first_13[:5] + first_13[5:7].replace("2A", "19").replace("2B", "18") + first_13[7:13]
    return 97 - int(number) % 97


def validate_nir(value: str) -> None:
    nir = normalize_nir(value)
    if len(nir) == 13 and nir.isdigit():
        raise ValidationError(
            "Saisissez le NIR complet avec sa clé : 15 caractères (13 chiffres et la clé de 2 chiffres).",
            code="format",
        )
    if len(nir) != 15:
        raise ValidationError("Le NIR comporte 15 caractères (13 chiffres et la clé de 2 chiffres).", code="format")
    if nir[0] in "345678":
        # NNP (7/8), MIG (5/6) or other provisional numbers: not a NIR (NIR-05).
        raise ValidationError(
            "Ce numéro est un numéro provisoire et non un NIR : répondez « Oui » à la question sur le NIR "
            "temporaire et saisissez le numéro technique temporaire.",
            code="format",
        )
    if not _NIR.fullmatch(nir) or nir_key(nir[:13]) != int(nir[13:]):
        raise ValidationError(MSG_NIR, code="format")


@dataclass(frozen=True)
class NirParts:
    sexe: str  # "1" homme, "2" femme
    annee: str  # two digits
    mois: str  # 01–12, or a pseudo-month when the civil status gives none
    departement: str  # "75", "2A", "971"…, "99" born abroad
    lieu: str  # commune (INSEE) or country code

    @property
    def mois_connu(self) -> bool:
        return 1 <= int(self.mois) <= 12

    @property
    def ne_a_l_etranger(self) -> bool:
        return self.departement == "99"


def decompose_nir(value: str) -> NirParts:
    """Parts of a valid NIR, for the consistency rules (sex, birth year and month, place)."""
    nir = normalize_nir(value)
    validate_nir(nir)
    if nir[5:7] == "97" or nir[5:7] == "98":
        departement, lieu = nir[5:8], nir[8:10]
    else:
        departement, lieu = nir[5:7], nir[7:10]
    return NirParts(sexe=nir[0], annee=nir[1:3], mois=nir[3:5], departement=departement, lieu=lieu)


def validate_ntt(value: str) -> None:
    """Numéro technique temporaire (DSN S21.G00.30.020): 11 to 40 letters or digits."""
    if not re.fullmatch(r"[A-Za-z0-9]{11,40}", re.sub(r"\s", "", str(value or ""))):
        raise ValidationError(
            "Le numéro technique temporaire comporte de 11 à 40 caractères (lettres et chiffres).", code="format"
        )


# --- Training organisations and certifications -------------------------------------------------


def normalize_nda(value: str) -> str:
    nda = re.sub(r"\s", "", str(value or ""))
    if not re.fullmatch(r"\d{11}", nda):
        raise ValidationError(
            "Le numéro de déclaration d'activité comporte 11 chiffres (Ex : 11 75 39666 75).", code="format"
        )
    return nda


def validate_nda(value: str) -> None:
    normalize_nda(value)


# --- RNCP / RS certification codes: the one format, for the form, the importer, the lookup and the model ---------
#
# A code is the repertory (RNCP or RS) and the fiche's number, without leading zeros: RNCP34567, RS5063. Current
# fiches have 3–5 digits, older ones fewer (RS27, RNCP85, still met in replacement chains): 1 to 6 digits.
REPERTOIRES_CERTIFICATION = ("RNCP", "RS")
NUMERO_FICHE = "[1-9][0-9]{0,5}"
CODE_CERTIFICATION = re.compile(rf"({'|'.join(REPERTOIRES_CERTIFICATION)})\s*0*({NUMERO_FICHE})", re.IGNORECASE)
MSG_CODE_CERTIFICATION = "Saisissez un code RNCP (Ex : RNCP34567) ou RS (Ex : RS5063)."


def regex_code_certification(repertoire: str) -> str:
    """The stored code's pattern for a repertory, for the database's check constraint (``^RNCP[1-9][0-9]{0,5}$``)."""
    return f"^{repertoire}{NUMERO_FICHE}$"


def normalize_certification_code(value: str) -> str:
    """``"rncp 034567"`` → ``"RNCP34567"``; a bare number is an RNCP fiche; ``""`` stays empty; raise otherwise."""
    value = re.sub(r"\s+", " ", str(value or "")).strip()
    if not value:
        return ""
    if value.isdigit():
        value = f"RNCP{value}"
    match = CODE_CERTIFICATION.fullmatch(value)
    if not match:
        raise ValidationError(MSG_CODE_CERTIFICATION, code="format")
    return match.group(1).upper() + match.group(2)


def validate_certification_code(value: str) -> None:
    normalize_certification_code(value)


def certification_codes_in(text: str) -> list[str]:
    """Every RNCP / RS code a text lists (an export's cell may list several), normalised."""
    return [m.group(1).upper() + m.group(2) for m in CODE_CERTIFICATION.finditer(str(text or "")) if m.group(2)]


# --- Employer codes (RULES.md §5.2) -----------------------------------------------------------


def normalize_naf(value: str) -> str:
    """NAF rév. 2 code, stored compact: ``"56.10a"`` → ``"5610A"``."""
    match = re.fullmatch(r"(\d{2})\.?(\d{2})([A-Z])", str(value or "").strip().upper())
    if not match:
        raise ValidationError("Le code NAF comporte 4 chiffres et une lettre (Ex : 56.10A).", code="format")
    return "".join(match.groups())


def validate_idcc(value: str) -> None:
    if not re.fullmatch(r"\d{4}", str(value or "")):
        raise ValidationError("Le code IDCC comporte 4 chiffres (Ex : 1979).", code="format")


def mask_nir(value: str) -> str:
    """``"287012A07300443"`` → ``"2 87 01 •• ••• ••• ••"``: sex, year and month only, wherever shown."""
    nir = normalize_nir(value)
    if len(nir) < 5:
        return "•" * len(nir)
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} •• ••• ••• ••"
