"""``Idempotency-Key`` on every POST of the API, in one place: a retried request creates nothing twice.

Installed on the whole ``NinjaAPI`` (``installer(api)``, ``dossiers/api/v1.py``) as two decorators every operation
gets, whichever router declares it:

- *after* the key's authentication and the parameters' validation (ninja's ``operation`` mode: the organisation is
  ``request.auth``), ``_reserver`` inserts the row (organisation, key, method, path, SHA-256 of the body) « en
  cours ». The unique constraint (organisation, key) serialises twins: the one that finds the row in progress gets
  a 409; the one that finds it answered gets the stored answer again (``Idempotency-Replayed: true``) and the
  endpoint does not run; the same key with another path or body is a 422.
- *around* the whole operation (``view`` mode: the answer as sent), ``_memoriser`` stores the status, body and
  content type. A 5xx (or an exception) is not stored: the row is deleted, a retry runs again.

An answer the endpoint did not reach (no key or a wrong one: 401; over the rate limit: 429; a malformed body:
422) creates no row. Without the header a POST runs normally. The stored bodies are the API's answers, which never
carry the NIR. Rows are kept ``DUREE_CONSERVATION`` (24 h, after which the key may be reused), then purged by
``purger`` (celery beat, ``dossiers.tasks.purger_requetes_idempotentes``); a row left « en cours » by a process
that died is given up after ``DUREE_EN_COURS_MAX``.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja.errors import HttpError

from dossiers.models import RequeteIdempotente

ENTETE = "Idempotency-Key"
ENTETE_REJOUEE = "Idempotency-Replayed"
LONGUEUR_MAX = 255
DUREE_CONSERVATION = timedelta(hours=24)
DUREE_EN_COURS_MAX = timedelta(minutes=10)  # well above a request's longest run (gunicorn's timeout: 120 s)
ATTRIBUT = "_requete_idempotente"

MSG_EN_COURS = (
    "Une requête identique (même Idempotency-Key) est en cours de traitement : réessayez dans quelques instants."
)
MSG_AUTRE_REQUETE = (
    "Cette Idempotency-Key a déjà servi pour une autre requête (autre chemin ou autre contenu) : utilisez une "
    "nouvelle clé pour chaque nouvelle requête."
)
MSG_TROP_LONGUE = f"L'en-tête Idempotency-Key ne doit pas dépasser {LONGUEUR_MAX} caractères."
DESCRIPTION = (
    "Facultatif. Une valeur unique par requête (un UUID par exemple, 255 caractères au plus) : une requête renvoyée "
    "avec la même clé (après une coupure réseau, un délai dépassé) ne crée rien une seconde fois et reçoit la "
    "réponse de la première (en-tête `Idempotency-Replayed: true`). La même clé avec un autre chemin ou un autre "
    "contenu : 422 ; pendant que la première est en cours : 409. Une clé vaut 24 heures ; une réponse 5xx n'est "
    "pas conservée (la requête renvoyée s'exécute à nouveau)."
)


def installer(api) -> None:
    """Put the idempotency keys on every operation of ``api`` (before its URLs are built) and in its schema."""
    api.add_decorator(_reserver, mode="operation")
    api.add_decorator(_memoriser, mode="view")
    schema = api.get_openapi_schema

    @functools.wraps(schema)
    def get_openapi_schema(*args, **kwargs):
        return documenter(schema(*args, **kwargs))

    api.get_openapi_schema = get_openapi_schema


def empreinte(request) -> str:
    """SHA-256 of what the request sends: the raw body, or for a multipart form its fields and files' contents
    (the raw body of an upload is never held in memory). Every part is length-prefixed: no two requests collide."""
    h = hashlib.sha256()

    def ajouter(donnees: bytes) -> None:
        h.update(b"%d:" % len(donnees))
        h.update(donnees)

    ajouter((request.content_type or "").encode())
    if request.content_type == "multipart/form-data":
        for nom, valeurs in sorted(request.POST.lists()):
            for valeur in valeurs:
                ajouter(nom.encode())
                ajouter(valeur.encode())
        for nom, fichiers in sorted(request.FILES.lists()):
            for fichier in fichiers:
                ajouter(nom.encode())
                ajouter((fichier.name or "").encode())
                contenu = hashlib.sha256()
                for morceau in fichier.chunks():
                    contenu.update(morceau)
                fichier.seek(0)
                ajouter(contenu.digest())
    else:
        ajouter(request.body)
    return h.hexdigest()


def _reserver(view_func):
    @functools.wraps(view_func)
    def vue(request, *args, **kwargs):
        cle = request.headers.get(ENTETE, "").strip()
        organisme = getattr(request, "auth", None)
        if request.method != "POST" or not cle or organisme is None:
            return view_func(request, *args, **kwargs)
        if len(cle) > LONGUEUR_MAX:
            raise HttpError(422, MSG_TROP_LONGUE)
        requete, rejouee = reserver(organisme, cle, request.method, request.path, empreinte(request))
        if rejouee is not None:
            return rejouee
        request.__dict__[ATTRIBUT] = requete
        return view_func(request, *args, **kwargs)

    return vue


def reserver(organisme, cle: str, methode: str, chemin: str, empreinte_: str):
    """(the new row « en cours », None), or (None, the stored answer to replay); HttpError 409 / 422."""
    for _ in range(3):  # a row found expired or abandoned is deleted, then the insert is tried again
        try:
            with transaction.atomic():
                requete = RequeteIdempotente.objects.create(
                    organisme=organisme, cle=cle, methode=methode, chemin=chemin, empreinte=empreinte_
                )
            return requete, None
        except IntegrityError:
            pass
        existante = RequeteIdempotente.objects.filter(organisme=organisme, cle=cle).first()
        if existante is None:
            continue  # deleted meanwhile (its request failed, or the purge)
        maintenant = timezone.now()
        perimee = existante.cree_le <= maintenant - DUREE_CONSERVATION
        abandonnee = existante.statut is None and existante.cree_le <= maintenant - DUREE_EN_COURS_MAX
        if perimee or abandonnee:
            RequeteIdempotente.objects.filter(pk=existante.pk, cree_le=existante.cree_le).delete()
            continue
        if (existante.methode, existante.chemin, existante.empreinte) != (methode, chemin, empreinte_):
            raise HttpError(422, MSG_AUTRE_REQUETE)
        if existante.statut is None:
            raise HttpError(409, MSG_EN_COURS)
        return None, rejouer(existante)
    raise HttpError(409, MSG_EN_COURS)


def rejouer(requete: RequeteIdempotente) -> HttpResponse:
    reponse = HttpResponse(requete.corps.encode(), status=requete.statut, content_type=requete.type_contenu or None)
    reponse[ENTETE_REJOUEE] = "true"
    return reponse


def _memoriser(run):
    @functools.wraps(run)
    def executer(request, *args, **kwargs):
        try:
            reponse = run(request, *args, **kwargs)
        except BaseException:
            liberer(request.__dict__.pop(ATTRIBUT, None))
            raise
        memoriser(request.__dict__.pop(ATTRIBUT, None), reponse)
        return reponse

    return executer


def memoriser(requete: RequeteIdempotente | None, reponse) -> None:
    """Store the answer of the request ``requete`` reserved; a 5xx (or a body that is not text) frees the key."""
    if requete is None:
        return
    if reponse.status_code >= 500 or getattr(reponse, "streaming", False):
        liberer(requete)
        return
    try:
        corps = reponse.content.decode()
    except UnicodeDecodeError:
        liberer(requete)
        return
    RequeteIdempotente.objects.filter(pk=requete.pk).update(
        statut=reponse.status_code, corps=corps, type_contenu=reponse.get("Content-Type", "")[:100]
    )


def liberer(requete: RequeteIdempotente | None) -> None:
    """The request failed without an answer worth replaying: its key may be sent again and will run again."""
    if requete is not None:
        RequeteIdempotente.objects.filter(pk=requete.pk, statut__isnull=True).delete()


def purger(maintenant=None) -> int:
    """Delete the keys older than ``DUREE_CONSERVATION`` (celery beat): the number deleted."""
    limite = (maintenant or timezone.now()) - DUREE_CONSERVATION
    return RequeteIdempotente.objects.filter(cree_le__lte=limite).delete()[0]


def documenter(schema: dict) -> dict:
    """The ``Idempotency-Key`` header (optional) and its 409 / 422 answers on every POST of the OpenAPI schema."""
    erreur = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}}
    for operations in schema.get("paths", {}).values():
        post = operations.get("post")
        if post is None:
            continue
        parametres = post.setdefault("parameters", [])
        if not any(p.get("in") == "header" and p.get("name") == ENTETE for p in parametres):
            parametres.append(
                {
                    "in": "header",
                    "name": ENTETE,
                    "required": False,
                    "description": DESCRIPTION,
                    "schema": {"type": "string", "maxLength": LONGUEUR_MAX},
                }
            )
        reponses = post.setdefault("responses", {})
        reponses.setdefault(409, {"description": "Requête identique (même Idempotency-Key) en cours"} | erreur)
        reponses.setdefault(422, {"description": "Idempotency-Key déjà utilisée pour une autre requête"} | erreur)
    return schema
