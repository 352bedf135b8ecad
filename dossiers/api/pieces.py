"""The API's writes of a pre-entry besides its data: its pieces (list, upload, deletion) and *Finaliser*.

A ninja ``Router`` of the API ``dossiers/api/v1.py`` (whose schemas, ``dossier_de`` and ``detail`` it reads), mounted
by ``dossiers/api/urls.py``.

The writes act as the key's author (``request.cle_api.cree_par``, a prestataire user of the organisation) through
what the portal's Documents tab and *Finaliser* button call: ``acces.peut_modifier(user, dossier, "documents")``,
``documents.services.verifier_lot`` / ``enregistrer`` / ``supprimer`` under the optimistic lock
(``dossiers.services.ecrire_sous_verrou``), and ``dossiers.services.dossier_action(FINALISER)`` (its event, the
adhérents' notifications). The same checks, the same French messages; a refused selection stores nothing. The
file's stored path is never answered.
"""

from __future__ import annotations

import datetime as dt
import logging

from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from documents import services as documents
from documents import sniffing, stockage
from documents.models import PieceJointe, TypeDocument
from documents.types import Obligation
from dossiers import acces, services
from dossiers.api.v1 import AnomalieSchema, DossierDetail, Erreur, anomalies, detail, dossier_de
from dossiers.saisie.chargement import MSG_NON_MODIFIABLE
from dossiers.workflow import FINALISER, TransitionError
from portal.tables import lignes

logger = logging.getLogger(__name__)
router = Router(tags=["Pièces et finalisation"])

ONGLET = "documents"
TYPE_REFUS = "saisie_invalide"  # the API contract's kind of a refused entry (issue 21), beside the rules' kinds
MSG_REFUS = "Pièces refusées : aucun fichier n'a été enregistré."
MSG_TYPE_INCONNU = "Le type de pièce « {code} » ne s'applique pas à ce dossier. Types possibles : {codes}."
MSG_PIECE_INTROUVABLE = "Pièce introuvable."
MSG_MODIFIE_AILLEURS = "Le dossier a été modifié pendant la requête (ou la version envoyée n'est plus la sienne) : "
MSG_MODIFIE_AILLEURS += "rien n'a été enregistré ; relisez-le puis réessayez."


# -- schemas ----------------------------------------------------------------------------------------------------


class PieceSchema(Schema):
    id: int
    type: str = Field(description="Code du type de pièce (voir `GET /api/v1/types-pieces`)")
    type_libelle: str
    nom: str = Field(description="Nom du fichier envoyé")
    taille: int = Field(description="Poids en octets")
    deposee_le: dt.datetime


class TypePieceDossier(Schema):
    code: str
    libelle: str
    obligatoire: bool = Field(description="Au moins un fichier de ce type est exigé pour ce dossier")
    nombre: int = Field(description="Fichiers déposés de ce type (5 au plus)")


class PiecesDuDossier(Schema):
    pieces: list[PieceSchema]
    types: list[TypePieceDossier] = Field(description="Les types de pièce qui s'appliquent à ce dossier")


class PiecesDeposees(Schema):
    pieces: list[PieceSchema] = Field(description="Les fichiers enregistrés par cette requête")
    anomalies: list[AnomalieSchema] = Field(description="Les anomalies du dossier après le dépôt")


class RefusPieces(Schema):
    detail: str
    anomalies: list[AnomalieSchema] = Field(
        [], description="Une par fichier refusé (ou par limite dépassée), onglet « documents »"
    )


class TypePiece(Schema):
    code: str
    libelle: str
    obligation: Obligation = Field(
        description="`toujours`, `externe` (formation externe), `interne` (formation interne) ou `jamais`"
    )
    sous_dispositifs: list[str] = Field(description="Codes des sous-dispositifs concernés ; vide : tous")
    types_contrat: list[str] = Field(description="Codes du type de contrat concernés ; vide : tous")


FORMATS = (
    "Formats acceptés : pdf, jpg, png, xls, doc, docx, csv (et xlsx) ; 20 Mo au plus par fichier ; 5 fichiers au "
    "plus par type. Le contenu de chaque fichier est vérifié (un programme renommé en .pdf, un PDF avec du "
    "JavaScript, un document avec macros sont refusés)."
)


# -- helpers ----------------------------------------------------------------------------------------------------


def _piece(piece: PieceJointe) -> dict:
    return {
        "id": piece.pk,
        "type": piece.type.code,
        "type_libelle": piece.type.libelle,
        "nom": piece.nom_original,
        "taille": piece.taille,
        "deposee_le": piece.depose_le,
    }


def _codes(liste: str) -> list[str]:
    return [c.strip() for c in liste.split(",") if c.strip()]


def _auteur(request):
    """Who the key's writes are made by: the prestataire user who created the key."""
    return request.cle_api.cree_par


def _modifiable(request, dossier) -> None:
    if not acces.peut_modifier(_auteur(request), dossier, ONGLET):
        raise HttpError(409, MSG_NON_MODIFIABLE)


def _refus(champ: str, refus: list) -> Status:
    return Status(
        422,
        {
            "detail": MSG_REFUS,
            "anomalies": [
                {
                    "onglet": ONGLET,
                    "champ": champ,
                    "type": TYPE_REFUS,
                    "code": getattr(r, "code", "DOCUMENTS_FICHIER_REFUSE"),
                    "message": str(r),
                    "bloquant": True,
                }
                for r in refus
            ],
        },
    )


# -- endpoints --------------------------------------------------------------------------------------------------


@router.get(
    "/types-pieces",
    response={200: list[TypePiece], 401: Erreur, 429: Erreur},
    summary="Lister les types de pièce",
    description="Le catalogue des types de pièce (leur `code` est le `type` d'un dépôt). " + FORMATS,
)
def types_pieces(request):
    return [
        {
            "code": t.code,
            "libelle": t.libelle,
            "obligation": t.obligation,
            "sous_dispositifs": _codes(t.sous_dispositifs),
            "types_contrat": _codes(t.types_contrat),
        }
        for t in lignes(TypeDocument)
        if t.actif
    ]


@router.get(
    "/dossiers/{numero}/pieces",
    response={200: PiecesDuDossier, 401: Erreur, 404: Erreur, 429: Erreur},
    summary="Lister les pièces d'un dossier",
    description="Les fichiers déposés (sans leur contenu) et les types de pièce qui s'appliquent au dossier.",
)
def lister_pieces(request, numero: str):
    dossier = dossier_de(request, numero)
    nombres = documents.nombre_par_code(dossier)
    obligatoires = {t.pk for t in documents.types_obligatoires(dossier)}
    return {
        "pieces": [_piece(p) for p in documents.pieces(dossier)],
        "types": [
            {
                "code": t.code,
                "libelle": t.libelle,
                "obligatoire": t.pk in obligatoires,
                "nombre": nombres.get(t.code, 0),
            }
            for t in documents.types_du_dossier(dossier)
        ],
    }


@router.post(
    "/dossiers/{numero}/pieces",
    response={
        201: PiecesDeposees,
        401: Erreur,
        404: Erreur,
        409: Erreur,
        422: RefusPieces,
        429: Erreur,
        503: Erreur,
    },
    summary="Déposer des pièces",
    description=(
        "Formulaire multipart : `type` (le code d'un type de pièce du dossier, voir `GET "
        "/api/v1/dossiers/{numero}/pieces`) et un ou plusieurs `fichiers`. Les mêmes contrôles que l'onglet "
        "Documents du portail : " + FORMATS + " Un fichier refusé : aucun fichier de l'envoi n'est enregistré (422, "
        "une anomalie par refus). Seulement tant que le dossier est à l'organisme (*Brouillon prestataire*), "
        "sinon 409. `version` (facultatif) : la version du dossier lue, refusée (409) s'il a changé depuis."
    ),
)
def deposer_pieces(
    request,
    numero: str,
    type: Form[str],
    fichiers: File[list[UploadedFile]] = None,
    version: Form[int | None] = None,
):
    dossier = dossier_de(request, numero)
    _modifiable(request, dossier)
    types = documents.types_du_dossier(dossier)
    type_document = next((t for t in types if t.code == type), None)
    if type_document is None:
        message = MSG_TYPE_INCONNU.format(code=type, codes=", ".join(t.code for t in types))
        return _refus("type", [sniffing.Refus(message, "DOCUMENTS_TYPE_INCONNU")])
    fichiers = list(fichiers or [])
    verifies, erreurs = documents.verifier_lot(dossier, type_document, fichiers)
    champ = f"type_{type_document.code.lower()}"  # the rules' field of this type (dossiers/rules/documents.py)
    if erreurs:
        return _refus(champ, erreurs)
    crees: list[PieceJointe] = []

    def ecrire():
        crees.extend(documents.enregistrer(dossier, type_document, fichiers, verifies, _auteur(request)))

    try:
        ecrit = services.ecrire_sous_verrou(dossier, dossier.version if version is None else version, ecrire)
    except OSError as erreur:  # a full or read-only disk: nothing stored, the request may be sent again
        documents.effacer_fichiers(crees)
        logger.exception("Dépôt par l'API refusé par le stockage (dossier %s, %s)", dossier.pk, type_document.code)
        raise HttpError(503, stockage.message(erreur)) from None
    except Exception:
        documents.effacer_fichiers(crees)  # the transaction failed after the files were written
        raise
    if not ecrit:
        raise HttpError(409, MSG_MODIFIE_AILLEURS)
    return Status(201, {"pieces": [_piece(p) for p in crees], "anomalies": anomalies(dossier_de(request, numero))})


@router.delete(
    "/dossiers/{numero}/pieces/{piece_id}",
    response={204: None, 401: Erreur, 404: Erreur, 409: Erreur, 429: Erreur},
    summary="Supprimer une pièce",
    description="Seulement tant que le dossier est à l'organisme (*Brouillon prestataire*), sinon 409.",
)
def supprimer_piece(request, numero: str, piece_id: int):
    dossier = dossier_de(request, numero)
    piece = PieceJointe.objects.select_related("type").filter(pk=piece_id, dossier=dossier).first()
    if piece is None:
        raise HttpError(404, MSG_PIECE_INTROUVABLE)
    _modifiable(request, dossier)
    if not services.ecrire_sous_verrou(dossier, dossier.version, lambda: documents.supprimer(piece)):
        raise HttpError(409, MSG_MODIFIE_AILLEURS)
    return Status(204, None)


@router.post(
    "/dossiers/{numero}/finaliser",
    response={200: DossierDetail, 401: Erreur, 404: Erreur, 409: Erreur, 429: Erreur},
    summary="Finaliser la pré-saisie",
    description=(
        "Comme le bouton *Finaliser* du portail : le dossier passe à *A reprendre par l'adhérent* (l'organisme ne "
        "peut plus le modifier) et les adhérents de l'établissement en sont avertis, pour l'accepter et le "
        "compléter ou le refuser. Ses anomalies ne l'empêchent pas : l'adhérent complète le dossier avant de le "
        "transmettre. Impossible dans un autre état que *Brouillon prestataire* : 409."
    ),
)
def finaliser(request, numero: str):
    dossier = dossier_de(request, numero)
    try:
        services.dossier_action(dossier=dossier, name=FINALISER, user=_auteur(request))
    except TransitionError as erreur:
        raise HttpError(409, str(erreur)) from None
    return detail(dossier_de(request, numero))
