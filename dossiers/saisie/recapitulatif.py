"""The summary PDF of a dossier whose dispositif has no CERFA (the période de reconversion: an agreement, not a
12434 contract, RULES.md §2.12): its tabs as ``lecture`` reads them, rendered offline with the shipped font (the
CERFA engine's ``pdf_de_html``). Drafts not valid yet carry the watermark, as the CERFA does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from documents.cerfa.mise_en_page import FAMILLE, POLICE
from documents.cerfa.rendu import pdf_de_html
from dossiers.cerfa import filigrane
from dossiers.saisie import lecture, onglets
from dossiers.saisie.chargement import charger

TEMPLATE = "dossiers/pdf/recapitulatif.html"


def html(dossier) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "titre": "Récapitulatif de l'accord de période de reconversion",
            "dossier": dossier,
            "onglets": lecture.lecture(dossier),
            "brouillon": filigrane(dossier),
            "police": POLICE.as_uri(),
            "famille": FAMILLE,
        },
    )


def pdf(dossier) -> bytes:
    return pdf_de_html(html(dossier))


def nom_fichier(dossier) -> str:
    return f"recapitulatif_{dossier.numero or dossier.pk}.pdf"


@login_required
@require_GET
def vue(request, pk):
    """*Générer le récapitulatif*: the summary PDF of a dossier whose dispositif has no CERFA, opened inline."""
    dossier = charger(request, pk)
    if onglets.document_de_synthese(dossier).url != "dossier_recapitulatif":
        raise Http404
    response = HttpResponse(pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{nom_fichier(dossier)}"'
    response["Cache-Control"] = "private, no-store"
    return response
