"""The official blank form of each cerfa version, shipped in ``static/docs/``: its pages and its fields' geometry.

The PDF's drawing (Marianne block, frames, labels, legal texts) is the official file's, used as it is: each page
of the output draws the official page first (``rendu.superposer``). The fields' rectangles are the form's own
AcroForm widgets, read from the same file: a value is laid inside the rectangle of its official field.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from documents.cerfa.champs import CHAMPS_12434_05, Champ

DOCS = Path(settings.BASE_DIR) / "static" / "docs"


@dataclass(frozen=True)
class VersionCerfa:
    code: str  # "12434*05"
    notice: str  # "51650#09"
    slug: str  # for file names and cache keys
    fichier: str  # the official blank form in static/docs/
    champs: dict[str, Champ]

    @property
    def chemin(self) -> Path:
        return DOCS / self.fichier


# When the *06 is published: put its blank form in static/docs, describe its fields in champs.py, add it here and
# map its values in ``valeurs.py``; ``VERSION_COURANTE`` picks the one in force.
VERSIONS = {
    "12434*05": VersionCerfa("12434*05", "51650#09", "12434-05", "cerfa_12434-05.pdf", CHAMPS_12434_05),
}
VERSION_COURANTE = "12434*05"


@dataclass(frozen=True)
class Case:
    """A field's rectangle on its page, in PDF points (origin at the bottom left, as the form's widgets)."""

    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def largeur(self) -> float:
        return self.x1 - self.x0

    @property
    def hauteur(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Formulaire:
    version: VersionCerfa
    pdf: bytes  # the official file, as shipped
    pages: tuple[tuple[float, float], ...]  # (width, height) of each page, in points
    cases: dict[str, Case]


def cle(nom: str) -> str:
    """« Zone de texte 8_12 » → ``t8_12``, « Case à cocher 1_2 » → ``c1_2``."""
    prefixe = "t" if nom.startswith("Zone de texte") else "c"
    return prefixe + nom.rsplit(" ", 1)[-1]


@functools.cache
def formulaire(version: str = VERSION_COURANTE) -> Formulaire:
    """The blank form and its fields' rectangles, read once per process."""
    from pypdf import PdfReader

    v = VERSIONS[version]
    data = v.chemin.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    cases: dict[str, Case] = {}
    pages = []
    for numero, page in enumerate(reader.pages):
        pages.append((float(page.mediabox.width), float(page.mediabox.height)))
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            nom = widget.get("/T") or widget["/Parent"].get_object()["/T"]
            x0, y0, x1, y1 = _rect(widget["/Rect"])
            cases[cle(str(nom))] = Case(numero, x0, y0, x1, y1)
    inconnus = set(cases) ^ set(v.champs)
    if inconnus:
        raise ValueError(f"Les champs du cerfa {v.code} et champs.py ne correspondent pas : {sorted(inconnus)}")
    return Formulaire(v, data, tuple(pages), cases)


def _rect(rect) -> tuple[float, float, float, float]:
    xa, ya, xb, yb = map(float, rect)
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)
