"""The summary PDF of a dossier whose dispositif has no CERFA (the période de reconversion: an agreement, not a
12434 contract, RULES.md §2.12): its tabs as ``lecture`` reads them, rendered offline with the shipped font (the
CERFA engine's ``pdf_de_html``). Drafts not valid yet carry the watermark, as the CERFA does."""

from __future__ import annotations

from django.template.loader import render_to_string

from documents.cerfa.mise_en_page import FAMILLE, POLICE
from documents.cerfa.rendu import pdf_de_html
from dossiers.cerfa import filigrane
from dossiers.saisie import lecture

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
