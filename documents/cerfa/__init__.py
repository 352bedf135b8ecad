"""The CERFA engine: the official cerfa n° 12434*05, values laid over it, every value whole and in its box.

- ``formulaire.py``: the official blank forms shipped in static/docs/ and their fields' rectangles (AcroForm);
- ``champs.py``: each field's RULES code, label and alignment;
- ``mise_en_page.py``: the shipped font's metrics, and where and how big each value is drawn (never cut);
- ``rendu.py``: WeasyPrint, the official page underneath. ADR 0008.

It knows no dossier: ``dossiers/cerfa.py`` gives a dossier's values, watermark and cache.
"""

from documents.cerfa.formulaire import VERSION_COURANTE, VERSIONS, VersionCerfa, formulaire
from documents.cerfa.rendu import (
    PoliceDeSubstitution,
    fond_pdf,
    html,
    prechauffer,
    rendre,
    superposer,
)

__all__ = [
    "VERSIONS",
    "VERSION_COURANTE",
    "PoliceDeSubstitution",
    "VersionCerfa",
    "fond_pdf",
    "formulaire",
    "html",
    "prechauffer",
    "rendre",
    "superposer",
]
