"""API v1 of the training organisations: its key authentication and its endpoints (read only, this version).

A call carries ``Authorization: Bearer <clé>``; the key authenticates an organisation (``request.auth``), which
sees the dossiers ``acces.visibles_organisme`` gives it, exactly what its prestataire users see in the portal:
another organisation's dossier is a 404. Answers never carry the NIR, the internal notes or who at AKTO decided
(« AKTO »). Errors are French JSON ``{"detail": …}``: 401 (no key, wrong or revoked), 404, 400 (bad cursor),
422 (an invalid parameter, which it names), 429 (over the rate limit).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.db.models import Q
from ninja import Field, NinjaAPI, Query, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import field_validator

from dossiers import acces, rules
from dossiers.api import cles, erreurs, idempotence
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement
from dossiers.saisie.chargement import pour_les_regles

MSG_NON_AUTHENTIFIE = "Clé d'API absente, inconnue ou révoquée."
MSG_LIMITE = "Trop de requêtes : limite de {n} appels par minute atteinte, réessayez dans une minute."
MSG_CURSEUR = "Curseur invalide."
MSG_INTROUVABLE = "Dossier introuvable."
MSG_PARAMETRES = "Paramètres invalides."
MSG_CORPS_ILLISIBLE = "Corps de la requête illisible : un document JSON en UTF-8 est attendu."
TAILLE_PAGE = 50
ETIQUETTE = "Dossiers"  # the operations on the dossiers themselves, in the docs page
TAILLE_PAGE_MAX = 200
INSTANT_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


class LimiteAtteinte(Exception):
    pass


class CleOrganisme(HttpBearer):
    """``Authorization: Bearer ak_<prefixe>.<secret>`` → the key's organisation (``request.auth``)."""

    openapi_description = "Clé d'API de l'organisme de formation, créée dans le portail (page « Clés d'API »)."

    def authenticate(self, request, token):
        cle = cles.verifier(token)
        if cle is None:
            return None
        request.organisme_api_id = cle.organisme_id  # for the call's log line (dossiers/api/journal.py)
        request.cle_api = cle  # the writes act as the key's author (``cle.cree_par``)
        if cles.limite_atteinte(cle):
            raise LimiteAtteinte
        return cle.organisme


api = NinjaAPI(
    title="API des organismes de formation — contrats de professionnalisation",
    version="1",
    description=(
        "Pré-saisie des dossiers par votre organisme (création, complément, pièces, *Finaliser*) et leur suivi : "
        "état, anomalies (les mêmes codes et messages que les onglets du portail) et historique ; webhooks signés "
        "à chaque changement d'état. Authentification : en-tête `Authorization: Bearer <clé>`, la clé étant créée "
        "dans le portail (page « Clés d'API ») ; chaque `POST` accepte un en-tête `Idempotency-Key`. Les erreurs "
        'sont du JSON en français : `{"detail": …}`, avec `anomalies` ou `erreurs` pour un refus (422).'
    ),
    auth=CleOrganisme(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Without deep links: their anchor inside each operation's button is an interactive element nested in another
    # (axe: nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)


@api.exception_handler(AuthenticationError)
def _non_authentifie(request, exc):
    return api.create_response(request, {"detail": MSG_NON_AUTHENTIFIE}, status=401)


@api.exception_handler(ValidationError)
def _parametres_invalides(request, exc):
    anomalies = erreurs.du_corps(exc.errors)
    if anomalies:  # a write's JSON document (dossiers/api/saisie.py): anomalies, as the forms' errors
        return api.create_response(request, erreurs.reponse(anomalies), status=422)
    invalides = [
        {
            "parametre": ".".join(str(x) for x in e.get("loc", ())[1:]),
            "message": e.get("msg", "").removeprefix("Value error, "),  # our validators' messages, French
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": MSG_PARAMETRES, "erreurs": invalides}, status=422)


@api.exception_handler(HttpError)
def _erreur_http(request, exc):
    """ninja's own errors in French too: a body it cannot parse (not JSON, not UTF-8) is its 400 « Cannot parse
    request body »; ours carry their French message."""
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = MSG_CORPS_ILLISIBLE
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(LimiteAtteinte)
def _limite(request, exc):
    reponse = api.create_response(request, {"detail": MSG_LIMITE.format(n=settings.API_LIMITE_PAR_MINUTE)}, status=429)
    reponse["Retry-After"] = "60"
    return reponse


# -- schemas ----------------------------------------------------------------------------------------------------


class DossierResume(Schema):
    numero: str
    etat: str = Field(description="Code de l'état (voir `etat_libelle`)")
    etat_libelle: str
    dispositif: str
    cree_le: dt.datetime
    modifie_le: dt.datetime
    transmis_le: dt.datetime | None


class PageDossiers(Schema):
    resultats: list[DossierResume]
    curseur_suivant: str | None = Field(description="À passer en `curseur` pour la page suivante ; null : fin")


class AnomalieSchema(Schema):
    onglet: str
    champ: str
    type: str
    code: str
    message: str
    bloquant: bool


class EvenementSchema(Schema):
    transition: str
    de: str = Field(description="État avant (vide à la création)")
    vers: str
    date: dt.datetime
    auteur: str = Field(description="« AKTO », « Adhérent » ou « Organisme de formation »")


class DossierDetail(DossierResume):
    version: int = Field(description="Version du dossier : à renvoyer dans une modification (verrou optimiste)")
    anomalies: list[AnomalieSchema]
    historique: list[EvenementSchema]


class Erreur(Schema):
    detail: str


class ErreurParametre(Schema):
    parametre: str
    message: str


class ErreurParametres(Erreur):
    erreurs: list[ErreurParametre] = Field(
        [], description="Un par paramètre invalide (vide pour un refus qui ne porte sur aucun : l'Idempotency-Key)"
    )


class FiltresDossiers(Schema):
    etat: DossierState | None = Field(None, description="Code d'un état")
    numero: str | None = Field(None, description="Numéro exact d'un dossier")
    modifie_depuis: dt.datetime | None = Field(None, description="Dossiers modifiés à partir de cet instant")
    curseur: str | None = None
    taille: int = Field(TAILLE_PAGE, ge=1, le=TAILLE_PAGE_MAX)

    @field_validator("modifie_depuis", mode="before")
    @classmethod
    def _instant_utc(cls, valeur):
        # RFC 3339 as the schema says (`date-time`: with its offset; not a number of seconds, which pydantic would
        # take), then in UTC as the database compares it: an offset PostgreSQL refuses, or an instant whose UTC is
        # outside years 1–9999 (valid for the schema: it is clamped), would otherwise be a 500.
        if valeur is None:
            return None
        if not isinstance(valeur, str) or not INSTANT_RFC3339.fullmatch(valeur):
            raise ValueError("Date et heure attendues au format RFC 3339, par exemple 2026-09-01T08:00:00+02:00")
        try:
            instant = dt.datetime.fromisoformat(valeur.upper())
        except ValueError:
            raise ValueError("Date et heure invalides") from None
        try:
            return instant.astimezone(dt.timezone.utc)
        except OverflowError:  # before year 1 or after 9999 once in UTC: since the beginning, or since never
            return (dt.datetime.min if instant.year == 1 else dt.datetime.max).replace(tzinfo=dt.timezone.utc)


# -- endpoints --------------------------------------------------------------------------------------------------


def _resume(dossier: Dossier) -> dict:
    return {
        "numero": dossier.numero,
        "etat": dossier.state,
        "etat_libelle": dossier.get_state_display(),
        "dispositif": dossier.dispositif.code,
        "cree_le": dossier.created_at,
        "modifie_le": dossier.updated_at,
        "transmis_le": dossier.transmis_le,
    }


def _curseur(dossier: Dossier) -> str:
    return signing.dumps([dossier.updated_at.isoformat(), dossier.pk], salt="api.v1.curseur", compress=True)


def _apres(curseur: str) -> Q:
    try:
        quand, pk = signing.loads(curseur, salt="api.v1.curseur")
        quand = dt.datetime.fromisoformat(quand)
        pk = int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise HttpError(400, MSG_CURSEUR) from None
    return Q(updated_at__gt=quand) | Q(updated_at=quand, pk__gt=pk)


@api.get(
    "/dossiers",
    tags=[ETIQUETTE],
    response={200: PageDossiers, 400: Erreur, 401: Erreur, 422: ErreurParametres, 429: Erreur},
    summary="Lister les dossiers de l'organisme",
    description=(
        "Les dossiers pré-saisis par l'organisme, du moins récemment modifié au plus récent (ordre stable : "
        "date de modification puis identifiant), par pages ; `curseur_suivant` donne la page suivante."
    ),
)
def lister_dossiers(request, filtres: Query[FiltresDossiers]):
    dossiers = acces.visibles_organisme(Dossier.objects.all(), request.auth).select_related("dispositif")
    if filtres.etat:
        dossiers = dossiers.filter(state=filtres.etat)
    if filtres.numero:
        dossiers = dossiers.filter(numero=filtres.numero)
    if filtres.modifie_depuis:
        dossiers = dossiers.filter(updated_at__gte=filtres.modifie_depuis)
    if filtres.curseur:
        dossiers = dossiers.filter(_apres(filtres.curseur))
    page = list(dossiers.order_by("updated_at", "pk")[: filtres.taille + 1])
    suivant = _curseur(page[filtres.taille - 1]) if len(page) > filtres.taille else None
    return {"resultats": [_resume(d) for d in page[: filtres.taille]], "curseur_suivant": suivant}


def _auteur(evenement: DossierEvenement) -> str:
    user = evenement.user
    if user.is_prestataire:
        return "Organisme de formation"
    if user.is_adherent:
        return "Adhérent"
    return "AKTO"  # a gestionnaire, the system account (the D6325-2 deadline): never a name


@api.get(
    "/dossiers/{numero}",
    tags=[ETIQUETTE],
    response={200: DossierDetail, 401: Erreur, 404: Erreur, 429: Erreur},
    summary="Lire un dossier : état, anomalies, historique",
    description=(
        "L'état et les dates du dossier, ses anomalies (les mêmes codes et messages que les onglets du portail) "
        "et son historique (chaque changement d'état)."
    ),
)
def lire_dossier(request, numero: str):
    return detail(dossier_de(request, numero))


def dossier_de(request, numero: str) -> Dossier:
    """The dossier ``numero`` of the calling organisation, loaded for the rules; any other is a 404."""
    dossiers = pour_les_regles(acces.visibles_organisme(Dossier.objects.all(), request.auth))
    try:
        dossier = dossiers.get(numero=numero)
    except Dossier.DoesNotExist:
        raise HttpError(404, MSG_INTROUVABLE) from None
    dossier.noter_indices()
    return dossier


def anomalies(dossier: Dossier) -> list[dict]:
    """``rules.check``'s anomalies as the API gives them: the tabs' codes and French messages."""
    return [
        {
            "onglet": a.onglet,
            "champ": a.field,
            "type": a.kind,
            "code": a.code,
            "message": a.message,
            "bloquant": a.bloquant,
        }
        for a in rules.check(dossier)
    ]


def detail(dossier: Dossier) -> dict:
    """A dossier's answer (``DossierDetail``): state, dates, anomalies, history."""
    evenements = DossierEvenement.objects.filter(dossier=dossier).select_related("user").order_by("created_at", "pk")
    return {
        **_resume(dossier),
        "version": dossier.version,
        "anomalies": anomalies(dossier),
        "historique": [
            {
                "transition": e.transition,
                "de": e.from_state,
                "vers": e.to_state,
                "date": e.created_at,
                "auteur": _auteur(e),
            }
            for e in evenements
        ],
    }


# -- the answers every operation may give, in the schema once ---------------------------------------------------


def documenter_erreurs(schema: dict) -> dict:
    """Every operation may answer 401 and 429; one with parameters, 422 (an invalid parameter:
    ``_parametres_invalides``); one with a body, 400 (an unreadable body: ``_erreur_http``). Declared here once."""
    erreur = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}}
    parametres = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErreurParametres"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            reponses = operation.setdefault("responses", {})
            reponses.setdefault(401, {"description": MSG_NON_AUTHENTIFIE} | erreur)
            reponses.setdefault(429, {"description": "Limite d'appels par minute atteinte"} | erreur)
            if operation.get("parameters"):
                reponses.setdefault(422, {"description": MSG_PARAMETRES} | parametres)
            if "requestBody" in operation:
                reponses.setdefault(400, {"description": MSG_CORPS_ILLISIBLE} | erreur)
    return schema  # ErreurParametres is in the components: the list declares it


_schema_sans_erreurs = api.get_openapi_schema


def _schema_avec_erreurs(*args, **kwargs):
    return documenter_erreurs(_schema_sans_erreurs(*args, **kwargs))


api.get_openapi_schema = _schema_avec_erreurs


# -- every POST takes an Idempotency-Key (dossiers/api/idempotence.py) ------------------------------------------

idempotence.installer(api)
