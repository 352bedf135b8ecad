"""The Documents tab's pieces: list, upload (htmx, multipart), delete, download.

Every view reads the dossier through ``Dossier.objects.visible_to(request.user)`` (else 404) and a piece
only within that dossier. Writes are refused (409) when the dossier is no longer editable, and run under
the dossier's optimistic lock: the upload / delete posts with the tab form, which carries ``version``;
the answer refreshes ``#id_version`` and the tab bar out of band.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from documents import services, sniffing, stockage
from documents.models import PieceJointe
from documents.types import Obligation
from dossiers import rules
from dossiers import services as dossiers_services
from dossiers.saisie import onglets
from dossiers.saisie.chargement import MSG_NON_MODIFIABLE, MSG_VERSION_PERIMEE
from dossiers.saisie.chargement import charger as _dossier

logger = logging.getLogger(__name__)


def contexte_bloc(dossier, *, afficher=(), erreurs=None, choix=False, alert=None, ecrit=False) -> dict:
    afficher = set(afficher)
    sections = services.sections(dossier, afficher=afficher, erreurs=erreurs)
    montres = {s.type.code for s in sections}
    charges, total = services.compteur(dossier)
    return {
        "dossier": dossier,
        "sections": sections,
        "charges": charges,
        "total": total,
        # Before any training module the pieces that depend on it are unknown: no « ✓ 0/0 » (issue 20). A dossier
        # whose types do not depend on the training (a période de reconversion's) has its counter at once.
        "sans_module": not services.types_formation(dossier)
        and any(t.obligation in (Obligation.EXTERNE, Obligation.INTERNE) for t in services.types_du_dossier(dossier)),
        "ajoutables": [t for t in services.types_du_dossier(dossier) if t.ajout_libre and t.code not in montres],
        "afficher": ",".join(sorted(afficher)),
        "en_ajout": bool(afficher) or choix,
        "choix": choix,
        "alert": alert,
        "ecrit": ecrit,
        "editable": dossier.est_modifiable,
        "formats": sniffing.FORMATS_AFFICHES,
        "accept": ",".join(f".{e}" for e in sniffing.EXTENSIONS),
        "messages_champs": {},  # the tab's field messages belong to the tab's own answers
    }


def _bloc(request, dossier, *, status=200, ecrit=False, **kwargs):
    context = contexte_bloc(dossier, ecrit=ecrit, **kwargs)
    if ecrit:
        context.update(
            {"puces": onglets.puces_du_dossier(dossier, rules.check(dossier)), "onglet": onglets.get("documents")}
        )
    return render(request, "documents/bloc.html", context, status=status)


def _afficher(request) -> set[str]:
    valeur = request.POST.get("afficher", "") if request.method == "POST" else request.GET.get("afficher", "")
    return {code for code in valeur.split(",") if code}


@login_required
@require_GET
def bloc(request, pk):
    """The list; ``?choix=1``: *Ajouter un fichier* (the optional types); ``?afficher=AUTRE``: that type shown."""
    dossier = _dossier(request, pk)
    return _bloc(request, dossier, afficher=_afficher(request), choix=request.GET.get("choix") == "1")


@login_required
@require_POST
def deposer(request, pk, code):
    dossier = _dossier(request, pk)
    type_document = next((t for t in services.types_du_dossier(dossier) if t.code == code), None)
    if type_document is None:
        raise Http404
    afficher = _afficher(request)
    if not dossier.est_modifiable:
        return _bloc(
            request, dossier, afficher=afficher, alert={"kind": "danger", "text": MSG_NON_MODIFIABLE}, status=409
        )
    fichiers = request.FILES.getlist(f"fichiers_{code}")
    verifies, erreurs = services.verifier_lot(dossier, type_document, fichiers)
    if erreurs:
        return _bloc(request, dossier, afficher=afficher, erreurs={code: erreurs}, status=400)
    crees = []

    def write():
        crees.extend(services.enregistrer(dossier, type_document, fichiers, verifies, request.user))

    try:
        ecrit = dossiers_services.ecrire_sous_verrou(dossier, request.POST.get("version"), write)
    except OSError as erreur:  # full or read-only disk: nothing stored, said under the field
        services.effacer_fichiers(crees)
        logger.exception("Dépôt refusé par le stockage (dossier %s, %s)", dossier.pk, code)
        services.invalider(dossier)
        return _bloc(request, dossier, afficher=afficher, erreurs={code: [stockage.message(erreur)]}, status=400)
    except Exception:
        services.effacer_fichiers(crees)  # the transaction failed after the files were written
        raise
    if not ecrit:
        alert = {"kind": "danger", "text": MSG_VERSION_PERIMEE}
        return _bloc(request, dossier, afficher=afficher, alert=alert, status=409)
    dossier = _dossier(request, pk)
    noms = ", ".join(f"« {p.nom_original} »" for p in crees)
    texte = f"{type_document.libelle} : {noms} {'chargé' if len(crees) == 1 else 'chargés'}."
    return _bloc(request, dossier, afficher=afficher, alert={"kind": "success", "text": texte}, ecrit=True)


def _piece(dossier, piece_pk) -> PieceJointe:
    return get_object_or_404(PieceJointe.objects.select_related("type"), pk=piece_pk, dossier=dossier)


@login_required
@require_POST
def supprimer(request, pk, piece_pk):
    dossier = _dossier(request, pk)
    piece = _piece(dossier, piece_pk)
    afficher = _afficher(request)
    if not dossier.est_modifiable:
        return _bloc(
            request, dossier, afficher=afficher, alert={"kind": "danger", "text": MSG_NON_MODIFIABLE}, status=409
        )
    if not dossiers_services.ecrire_sous_verrou(
        dossier, request.POST.get("version"), lambda: services.supprimer(piece)
    ):
        alert = {"kind": "danger", "text": MSG_VERSION_PERIMEE}
        return _bloc(request, dossier, afficher=afficher, alert=alert, status=409)
    dossier = _dossier(request, pk)
    texte = f"{piece.type.libelle} : « {piece.nom_original} » supprimé."
    return _bloc(request, dossier, afficher=afficher, alert={"kind": "success", "text": texte}, ecrit=True)


@login_required
@require_GET
def telecharger(request, pk, piece_pk):
    """The file as an attachment, with its sniffed content type; the browser must neither sniff nor render it."""
    dossier = _dossier(request, pk)
    piece = _piece(dossier, piece_pk)
    try:
        contenu = piece.fichier.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(contenu, as_attachment=True, filename=piece.nom_original, content_type=piece.type_contenu)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def cerfa_preparer(request, pk):
    """*Générer le CERFA* from a tab: render (the button shows its progress meanwhile), then offer the PDF.

    The render fills the cache keyed by the dossier's version, so opening the PDF right after is immediate.
    """
    from dossiers import cerfa as cerfa_pdf

    dossier = _du_cerfa(_dossier(request, pk))
    cerfa_pdf.pdf(dossier)
    return render(request, "documents/cerfa_pret.html", {"dossier": dossier, "brouillon": cerfa_pdf.filigrane(dossier)})


@login_required
@require_GET
def cerfa(request, pk):
    """The filled cerfa n° 12434*05 as a PDF, opened inline (cached while unchanged)."""
    from django.http import HttpResponse

    from dossiers import cerfa as cerfa_pdf

    dossier = _du_cerfa(_dossier(request, pk))
    response = HttpResponse(cerfa_pdf.pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cerfa_pdf.nom_fichier(dossier)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _du_cerfa(dossier):
    """The CERFA is the contrat pro's summary document: another dispositif's dossier has none (404)."""
    if onglets.document_de_synthese(dossier).url != "dossier_cerfa":
        raise Http404
    return dossier
