"""Client of INSEE's Sirene API 3.11: one établissement by SIRET, mapped onto the local referential.

``fetch_etablissement(siret)`` calls ``GET {SIRENE_API_URL}/siret/{siret}`` with the header
``X-INSEE-Api-Key-Integration`` (portail-api.insee.fr, "API key" security scheme of the 3.11 OpenAPI
spec) and never raises for a network or API failure: the result's ``status`` says what happened and
``message`` is the French text to show the user. No retry: a web request waits at most
``SIRENE_TIMEOUT`` seconds (per socket operation). ``ok`` answers are cached 24 h; after a 429 the
client stays quiet for the ``Retry-After`` delay (60 s without one) instead of hammering the
per-minute quota.

Since 21 March 2023 a partially diffusible unit (``statutDiffusion…`` = ``P``) comes back with a 200
and ``[ND]`` in the masked fields; those fields are returned empty and listed in ``champs_masques``,
never stored as ``[ND]``. A 403 (the pre-2023 answer for a non-diffusible unit) is still understood.

Settings: ``SIRENE_API_KEY`` (empty: client off, status ``desactive``), ``SIRENE_API_URL``,
``SIRENE_TIMEOUT`` (seconds). The key is never logged; INFO logs carry the SIRET and the status only.
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

from django.conf import settings

from portal.cache import ecrire as ecrire_cache
from portal.cache import lire as lire_cache
from referentiels.models import Entreprise, Etablissement
from referentiels.validators import validate_siret

__all__ = [
    "HttpResponse",
    "SireneEtablissement",
    "SireneResult",
    "SireneStatus",
    "Transport",
    "apply_to_etablissement",
    "etablissement_from_result",
    "fetch_etablissement",
    "urllib_transport",
]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.insee.fr/api-sirene/3.11"
DEFAULT_TIMEOUT = 3
API_KEY_HEADER = "X-INSEE-Api-Key-Integration"
CACHE_TIMEOUT = 24 * 3600
CACHE_PREFIX = "sirene:v1:"
PAUSE_KEY = CACHE_PREFIX + "pause"
DEFAULT_PAUSE = 60  # INSEE's quota is counted per minute
MAX_BODY = 1_000_000
ND = "[ND]"


class SireneStatus(StrEnum):
    OK = "ok"
    NON_DIFFUSIBLE = "non_diffusible"
    FERME = "ferme"
    INTROUVABLE = "introuvable"
    INDISPONIBLE = "indisponible"
    DESACTIVE = "desactive"


_A_COMPLETER = "Vous pouvez compléter les informations manquantes, elles seront vérifiées par votre conseiller AKTO."
MESSAGES = {
    SireneStatus.OK: "Les informations de l'établissement ont été vérifiées dans le répertoire Sirene de l'INSEE.",
    SireneStatus.NON_DIFFUSIBLE: (
        "Les données de cet établissement ne sont pas diffusibles : complétez les informations manquantes, "
        "elles seront vérifiées par votre conseiller AKTO."
    ),
    SireneStatus.FERME: (
        "Cet établissement est fermé dans le répertoire Sirene : un contrat ne peut pas y être rattaché."
    ),
    SireneStatus.INTROUVABLE: (
        "Ce SIRET est introuvable dans le répertoire Sirene de l'INSEE : vérifiez le numéro saisi."
    ),
    SireneStatus.INDISPONIBLE: (
        f"Le service de l'INSEE ne répond pas : les données connues de l'établissement sont utilisées. {_A_COMPLETER}"
    ),
    SireneStatus.DESACTIVE: (
        "La vérification auprès du répertoire Sirene de l'INSEE n'est pas active : complétez les informations "
        "de l'établissement, elles seront vérifiées par votre conseiller AKTO."
    ),
}

# Sirene 4 codes of typeVoieEtablissement, written out in capitals without accents like libelleVoie.
# Zones (ZA, ZAC, ZAD, ZI) keep their usual postal abbreviation; unknown codes are kept as they are.
TYPES_VOIE = {
    "AIRE": "AIRE",
    "ALL": "ALLEE",
    "AV": "AVENUE",
    "BASE": "BASE",
    "BD": "BOULEVARD",
    "CAMI": "CAMI",
    "CAR": "CARREFOUR",
    "CHE": "CHEMIN",
    "CHEM": "CHEMINEMENT",
    "CHS": "CHAUSSEE",
    "CITE": "CITE",
    "CLOS": "CLOS",
    "COIN": "COIN",
    "COR": "CORNICHE",
    "COTE": "COTE",
    "COUR": "COUR",
    "CRS": "COURS",
    "DOM": "DOMAINE",
    "DSC": "DESCENTE",
    "ECA": "ECART",
    "ESP": "ESPLANADE",
    "FG": "FAUBOURG",
    "GARE": "GARE",
    "GR": "GRANDE RUE",
    "HAM": "HAMEAU",
    "HLE": "HALLE",
    "ILOT": "ILOT",
    "IMP": "IMPASSE",
    "LD": "LIEU DIT",
    "LOT": "LOTISSEMENT",
    "MAR": "MARCHE",
    "MTE": "MONTEE",
    "PARC": "PARC",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "PLAN": "PLAN",
    "PLN": "PLAINE",
    "PLT": "PLATEAU",
    "PONT": "PONT",
    "PORT": "PORT",
    "PRO": "PROMENADE",
    "PRV": "PARVIS",
    "QUA": "QUARTIER",
    "QUAI": "QUAI",
    "RES": "RESIDENCE",
    "RLE": "RUELLE",
    "ROC": "ROCADE",
    "RPT": "ROND POINT",
    "RTE": "ROUTE",
    "RUE": "RUE",
    "SEN": "SENTIER",
    "SQ": "SQUARE",
    "TOUR": "TOUR",
    "TPL": "TERRE PLEIN",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "VLGE": "VILLAGE",
    "VOIE": "VOIE",
}
INDICES_REPETITION = {"B": "BIS", "T": "TER", "Q": "QUATER"}

# Etablissement fields filled from Sirene, and those the model requires (never blanked by an update).
CHAMPS_INSEE = ("enseigne", "numero_voie", "complement_adresse", "code_postal", "commune", "naf")
_CHAMPS_REQUIS = {"numero_voie", "code_postal", "commune", "naf"}
_SEPARATORS = re.compile(r"[\s.\-/]")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)


# (url, headers, timeout in seconds) -> response; raises OSError (URLError, TimeoutError…) when unreachable.
Transport = Callable[[str, Mapping[str, str], float], HttpResponse]


@dataclass(frozen=True)
class SireneEtablissement:
    """An établissement as Sirene knows it today; unknown values are ``""`` and named in ``champs_masques``."""

    siret: str
    siren: str
    raison_sociale: str
    enseigne: str
    categorie_juridique: str
    naf: str  # NAF rév. 2, compact: "5610A"
    numero_voie: str  # "12 BIS RUE SAINT JEAN"
    complement_adresse: str
    code_postal: str
    commune: str
    code_commune: str
    actif: bool
    date_fermeture: date | None
    tranche_effectifs_etablissement: str  # INSEE code ("03" = 6 à 9 salariés, "NN" = non employeur)
    tranche_effectifs_unite_legale: str
    non_diffusible: bool
    # Masked ([ND]) by INSEE, or empty although the portal needs it: the user has to complete them.
    champs_masques: tuple[str, ...] = ()


@dataclass(frozen=True)
class SireneResult:
    status: SireneStatus
    etablissement: SireneEtablissement | None = None
    message: str = ""
    retry_after: int | None = None  # seconds, after a 429


class _SansRedirection(urllib.request.HTTPRedirectHandler):
    """A redirect is never followed: urllib would resend every header, the API key included, to the host the
    ``Location`` names. The 3xx then reaches the caller as an HTTP error (``_interpret``: *indisponible*)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# The standard opener (proxies, HTTPS…) without the following of redirects.
OUVREUR = urllib.request.build_opener(_SansRedirection)


def urllib_transport(url: str, headers: Mapping[str, str], timeout: float) -> HttpResponse:
    """Default transport (standard library): HTTP errors (a redirect included) become responses, network errors
    propagate."""
    request = urllib.request.Request(url, headers=dict(headers), method="GET")
    try:
        with OUVREUR.open(request, timeout=timeout) as response:
            return HttpResponse(response.status, response.read(MAX_BODY), dict(response.headers.items()))
    except urllib.error.HTTPError as error:
        with error:
            body = error.read(MAX_BODY) if error.fp else b""
        return HttpResponse(error.code, body, dict(error.headers.items()) if error.headers else {})


def fetch_etablissement(siret: str, *, transport: Transport | None = None) -> SireneResult:
    """Look a SIRET up in Sirene. Raises ``ValidationError`` for a malformed SIRET (no request made)."""
    siret = _SEPARATORS.sub("", str(siret or ""))
    validate_siret(siret)
    result = _fetch(siret, transport or urllib_transport)
    logger.info("Sirene %s : %s", siret, result.status.value)
    return result


def apply_to_etablissement(result: SireneResult, etablissement: Etablissement) -> list[str]:
    """Copy Sirene's values onto ``etablissement`` (not saved); return the names of the changed fields.

    Accepts ``ok`` and ``non_diffusible`` results. Masked fields are left alone, and a required field
    (address, NAF) is never blanked by an empty Sirene value.
    """
    sirene = _utilisable(result)
    if etablissement.siret and etablissement.siret != sirene.siret:
        raise ValueError(f"Le résultat Sirene concerne le SIRET {sirene.siret}, pas {etablissement.siret}.")
    changed = []
    for name in CHAMPS_INSEE:
        value = getattr(sirene, name)
        if name in sirene.champs_masques or (not value and name in _CHAMPS_REQUIS):
            continue
        value = value[: Etablissement._meta.get_field(name).max_length]
        if getattr(etablissement, name) != value:
            setattr(etablissement, name, value)
            changed.append(name)
    return changed


def etablissement_from_result(result: SireneResult, entreprise: Entreprise) -> Etablissement:
    """An unsaved ``Etablissement`` of ``entreprise`` filled from Sirene (IDCC and effectif left to the caller)."""
    sirene = _utilisable(result)
    if sirene.siren != entreprise.siren:
        raise ValueError(f"Le SIRET {sirene.siret} n'appartient pas à l'entreprise {entreprise.siren}.")
    etablissement = Etablissement(entreprise=entreprise, siret=sirene.siret)
    apply_to_etablissement(result, etablissement)
    return etablissement


# --- request -------------------------------------------------------------------------------------------


def _fetch(siret: str, transport: Transport) -> SireneResult:
    api_key = getattr(settings, "SIRENE_API_KEY", "") or ""
    if not api_key:
        return _result(SireneStatus.DESACTIVE)

    cached = lire_cache(CACHE_PREFIX + siret)
    if cached is not None:
        try:
            return _result(SireneStatus.OK, _parse(cached, siret))
        except _Malformed:
            pass

    pause_until = lire_cache(PAUSE_KEY)
    if isinstance(pause_until, int | float) and pause_until > time.time():
        return _quota_result(math.ceil(pause_until - time.time()))

    base_url = (getattr(settings, "SIRENE_API_URL", "") or DEFAULT_API_URL).rstrip("/")
    timeout = float(getattr(settings, "SIRENE_TIMEOUT", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)
    headers = {API_KEY_HEADER: api_key, "Accept": "application/json"}
    try:
        response = transport(f"{base_url}/siret/{siret}", headers, timeout)
    except (OSError, http.client.HTTPException) as error:  # URLError, TimeoutError, ConnectionError, SSLError…
        logger.warning("Sirene %s : pas de réponse (%s)", siret, type(error).__name__)
        return _result(SireneStatus.INDISPONIBLE)
    return _interpret(siret, response)


def _interpret(siret: str, response: HttpResponse) -> SireneResult:
    status = response.status
    if status == 200:
        try:
            payload = json.loads(response.body)
            data = payload["etablissement"]
            sirene = _parse(data, siret)
        except (ValueError, KeyError, TypeError) as error:
            logger.warning("Sirene %s : réponse illisible (%s)", siret, type(error).__name__)
            return _result(SireneStatus.INDISPONIBLE)
        if not sirene.actif:
            return _result(SireneStatus.FERME, sirene)
        if sirene.non_diffusible:
            return _result(SireneStatus.NON_DIFFUSIBLE, sirene)
        ecrire_cache(CACHE_PREFIX + siret, data, CACHE_TIMEOUT)
        return _result(SireneStatus.OK, sirene)
    if status == 404:
        return _result(SireneStatus.INTROUVABLE)
    if status == 403 and "diffus" in _error_message(response.body).lower():
        return _result(SireneStatus.NON_DIFFUSIBLE)
    if status == 429:
        retry_after = _retry_after(response.header("Retry-After"))
        pause = retry_after or DEFAULT_PAUSE
        ecrire_cache(PAUSE_KEY, time.time() + pause, pause)
        logger.warning("Sirene %s : quota de l'API atteint (HTTP 429), pause de %s s", siret, pause)
        return _quota_result(retry_after)
    if 300 <= status < 400:
        logger.warning("Sirene %s : redirection HTTP %s non suivie (la clé n'est envoyée qu'à l'API)", siret, status)
        return _result(SireneStatus.INDISPONIBLE)
    if status in (401, 403):
        logger.error("Sirene %s : accès refusé (HTTP %s), vérifiez le réglage SIRENE_API_KEY", siret, status)
    else:
        logger.warning("Sirene %s : réponse HTTP %s", siret, status)
    return _result(SireneStatus.INDISPONIBLE)


def _result(status: SireneStatus, etablissement: SireneEtablissement | None = None) -> SireneResult:
    return SireneResult(status=status, etablissement=etablissement, message=MESSAGES[status])


def _quota_result(retry_after: int | None) -> SireneResult:
    delai = f" (nouvel essai possible dans {_duree(retry_after)})" if retry_after else ""
    message = (
        f"Le service de l'INSEE est momentanément saturé{delai} : les données connues de l'établissement "
        f"sont utilisées. {_A_COMPLETER}"
    )
    return SireneResult(status=SireneStatus.INDISPONIBLE, message=message, retry_after=retry_after)


def _duree(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _retry_after(value: str | None) -> int | None:
    """``Retry-After`` in seconds (delta or HTTP date), bounded to one hour; ``None`` if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        seconds = math.ceil((moment - datetime.now(timezone.utc)).total_seconds())
    return min(max(seconds, 1), 3600)


def _error_message(body: bytes) -> str:
    try:
        payload = json.loads(body)
    except ValueError:
        return body[:500].decode("utf-8", "replace")
    header = payload.get("header") if isinstance(payload, dict) else None
    message = header.get("message") if isinstance(header, dict) else None
    if message is None and isinstance(payload, dict):
        message = payload.get("message")
    return str(message or "")


def _utilisable(result: SireneResult) -> SireneEtablissement:
    if result.status not in (SireneStatus.OK, SireneStatus.NON_DIFFUSIBLE) or result.etablissement is None:
        raise ValueError(f"Un résultat Sirene « {result.status} » ne peut pas renseigner un établissement.")
    return result.etablissement


# --- mapping of the 3.11 JSON --------------------------------------------------------------------------


class _Malformed(ValueError):
    pass


def _masque(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == ND


def _texte(value: Any) -> str:
    """Clean text of a Sirene value; ``""`` for null and for ``[ND]``."""
    if value is None or isinstance(value, dict | list) or _masque(value):
        return ""
    return " ".join(str(value).split())


class _Lecteur:
    """Reads values and keeps track of the fields that are masked or missing."""

    def __init__(self) -> None:
        self.masques: list[str] = []

    def champ(self, name: str, *values: Any, requis: bool = False) -> str:
        """First non-empty value; ``name`` is noted as unknown if nothing is found and a value was masked
        (or the field is required)."""
        for value in values:
            text = _texte(value)
            if text:
                return text
        if requis or any(_masque(value) for value in values):
            self.masques.append(name)
        return ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _parse(data: Any, siret: str) -> SireneEtablissement:
    if not isinstance(data, dict) or data.get("siret") != siret:
        raise _Malformed("établissement absent ou d'un autre SIRET")
    unite = _dict(data.get("uniteLegale"))
    adresse = _dict(data.get("adresseEtablissement"))
    periodes = [p for p in data.get("periodesEtablissement") or [] if isinstance(p, dict)]
    if not periodes:
        raise _Malformed("aucune période")
    courante = next((p for p in periodes if p.get("dateFin") is None), periodes[0])
    etat = courante.get("etatAdministratifEtablissement")
    if etat not in ("A", "F"):
        raise _Malformed("état administratif inconnu")

    lecteur = _Lecteur()
    raison_sociale = _raison_sociale(unite, lecteur)
    enseignes = [courante.get(f"enseigne{n}Etablissement") for n in (1, 2, 3)]
    enseigne = " ".join(filter(None, map(_texte, enseignes)))
    if not enseigne:
        enseigne = lecteur.champ("enseigne", *enseignes, courante.get("denominationUsuelleEtablissement"))
    numero_voie = _numero_voie(adresse, lecteur)
    complement = lecteur.champ("complement_adresse", adresse.get("complementAdresseEtablissement"))
    code_postal = lecteur.champ("code_postal", adresse.get("codePostalEtablissement"), requis=True)
    if code_postal and not re.fullmatch(r"\d{5}", code_postal):
        code_postal = ""
        lecteur.masques.append("code_postal")
    commune = lecteur.champ("commune", adresse.get("libelleCommuneEtablissement"), requis=True)
    naf = _naf(courante, lecteur)
    categorie = _texte(unite.get("categorieJuridiqueUniteLegale"))

    return SireneEtablissement(
        siret=siret,
        siren=siret[:9],
        raison_sociale=raison_sociale,
        enseigne=enseigne,
        categorie_juridique=categorie if re.fullmatch(r"\d{4}", categorie) else "",
        naf=naf,
        numero_voie=numero_voie,
        complement_adresse=complement,
        code_postal=code_postal,
        commune=commune,
        code_commune=_texte(adresse.get("codeCommuneEtablissement")),
        actif=etat == "A",
        date_fermeture=_date(courante.get("dateDebut")) if etat == "F" else None,
        tranche_effectifs_etablissement=_texte(data.get("trancheEffectifsEtablissement")),
        tranche_effectifs_unite_legale=_texte(unite.get("trancheEffectifsUniteLegale")),
        non_diffusible=any(
            value in ("P", "N")
            for value in (data.get("statutDiffusionEtablissement"), unite.get("statutDiffusionUniteLegale"))
        ),
        champs_masques=tuple(lecteur.masques),
    )


def _raison_sociale(unite: dict, lecteur: _Lecteur) -> str:
    """Dénomination of a personne morale, else "NOM Prénom" of an entrepreneur individuel."""
    denomination = _texte(unite.get("denominationUniteLegale"))
    if denomination:
        return denomination
    nom = _texte(unite.get("nomUsageUniteLegale")) or _texte(unite.get("nomUniteLegale"))
    prenom = _texte(unite.get("prenomUsuelUniteLegale")) or _texte(unite.get("prenom1UniteLegale"))
    if nom:
        return f"{nom} {prenom}".strip()
    return lecteur.champ(
        "raison_sociale",
        unite.get("denominationUniteLegale"),
        unite.get("nomUniteLegale"),
        unite.get("denominationUsuelle1UniteLegale"),
        requis=True,
    )


def _numero_voie(adresse: dict, lecteur: _Lecteur) -> str:
    """numéro + indice (B → BIS…) + type de voie written out + libellé: "12 BIS RUE SAINT JEAN"."""
    parts = [
        adresse.get(key)
        for key in (
            "numeroVoieEtablissement",
            "indiceRepetitionEtablissement",
            "typeVoieEtablissement",
            "libelleVoieEtablissement",
        )
    ]
    if any(_masque(part) for part in parts):
        lecteur.masques.append("numero_voie")
        return ""
    numero, indice, type_voie, libelle = map(_texte, parts)
    if not libelle:  # a number alone is no address: the user completes it
        lecteur.masques.append("numero_voie")
        return ""
    indice = INDICES_REPETITION.get(indice.upper(), indice)
    type_voie = TYPES_VOIE.get(type_voie.upper(), type_voie)
    return " ".join(filter(None, (numero, indice, type_voie, libelle)))


def _naf(periode: dict, lecteur: _Lecteur) -> str:
    """Current APE code in NAF rév. 2, compact (``56.10A`` → ``5610A``); older nomenclatures are unknown."""
    value = periode.get("activitePrincipaleEtablissement")
    naf = _texte(value).replace(".", "").replace(" ", "").upper()
    nomenclature = _texte(periode.get("nomenclatureActivitePrincipaleEtablissement"))
    if re.fullmatch(r"\d{4}[A-Z]", naf) and nomenclature in ("", "NAFRev2"):
        return naf
    lecteur.masques.append("naf")
    return ""


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
