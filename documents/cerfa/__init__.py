"""*Générer le CERFA*: the official cerfa n° 12434*05, its values laid over it, every value whole and in its box.

- ``formulaire.py``: the official blank forms shipped in static/docs/ and their fields' rectangles (AcroForm);
- ``champs.py``: each field's RULES code, label and alignment;
- ``valeurs.py``: the dossier's values by field;
- ``mise_en_page.py``: the shipped font's metrics, and where and how big each value is drawn (never cut);
- ``rendu.py``: WeasyPrint, the official page underneath, the shared cache. ADR 0008.
"""

from documents.cerfa.formulaire import VERSION_COURANTE, VERSIONS, VersionCerfa, formulaire
from documents.cerfa.rendu import (
    CACHE_TIMEOUT,
    PoliceDeSubstitution,
    cache_key,
    fond_pdf,
    html,
    nom_fichier,
    pdf,
    prechauffer,
    render_pdf,
    rendre,
    superposer,
    transmission,
)
from documents.cerfa.valeurs import BROUILLONS, NOM_OPCO, est_transmis, est_valide, filigrane, valeurs

__all__ = [
    "BROUILLONS",
    "CACHE_TIMEOUT",
    "NOM_OPCO",
    "VERSIONS",
    "VERSION_COURANTE",
    "PoliceDeSubstitution",
    "VersionCerfa",
    "cache_key",
    "est_transmis",
    "est_valide",
    "filigrane",
    "fond_pdf",
    "formulaire",
    "html",
    "nom_fichier",
    "pdf",
    "prechauffer",
    "render_pdf",
    "rendre",
    "superposer",
    "transmission",
    "valeurs",
]
