"""Generates a CERFA version's two templates from its official blank form (static/docs/cerfa_<slug>.pdf).

    manage.py gabarit_cerfa 12434*05

It reads the blank PDF's content streams (filled rectangles, stroked boxes, rules), its text runs (font,
size, position) and its AcroForm fields' rectangles, and writes, under templates/documents/cerfa/<slug>/:

- ``fond.html``: the form itself, every label, box and rule absolutely positioned in mm on A4. It does not
  depend on the dossier: ``documents.cerfa`` renders it once per process and version;
- ``valeurs.html``: ``{{ f.<field> }}`` at each text field's rectangle, an X in each checked box, the
  *BROUILLON* watermark and the OPCO box. Rendered for every dossier and laid over the form.

Run it once when a new version is published, add the version to ``documents.cerfa.VERSIONS``, look at a
rendered page, and commit the two files. The header (ministry block and logo) is the hand-written include
``documents/cerfa/_entete.html``; the transmission line is ``documents/cerfa/_opco.html``.
"""

from __future__ import annotations

import html
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PT_TO_MM = 25.4 / 72
ASCENT = 0.8465  # Liberation Sans' ascent, in em: the top of a text run from its baseline

CSS_PAGE = """@page { size: A4; margin: 0 }
html, body { margin: 0; padding: 0 }
body { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; color: #000 }
.page { position: relative; width: 210mm; height: 296.5mm; overflow: hidden }
.page + .page { page-break-before: always }
.page > * { position: absolute; display: block; margin: 0; padding: 0 }"""

CSS_FOND = """.b { border: 0.28mm solid #000; box-sizing: border-box }
.l { white-space: pre; line-height: 1 }
.bo { font-weight: bold }
.it { font-style: italic }
.ministere { left: 6.5mm; top: 4mm; width: 48mm; font: bold 7.5pt "Liberation Sans", sans-serif; line-height: 1.1 }
.ministere .drapeau { display: block; width: 9mm; height: 3.3mm; margin-bottom: 1mm;
  background: linear-gradient(to right, #000091 33%, #fff 33%, #fff 66%, #e1000f 66%) }
.ministere .devise { display: block; font: italic 4pt "Liberation Serif", serif; margin-top: 0.6mm }
.logo { left: 172mm; top: 9mm; width: 19mm; height: 9mm; border: 0.4mm solid #000; border-radius: 50%;
  font: italic bold 12pt "Liberation Serif", serif; text-align: center; line-height: 9mm }"""

CSS_VALEURS = """.v { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; line-height: 4.9mm;
  white-space: nowrap; overflow: hidden; color: #00205b }
.v.n { font-size: 7pt; letter-spacing: -0.3pt }
.v.ml { white-space: normal; line-height: 1.2; font-size: 8pt }
.x { width: 2.86mm; height: 2.86mm; font: bold 8pt "DejaVu Sans", sans-serif; line-height: 2.86mm; text-align: center;
  color: #00205b }
.wm { left: 10mm; top: 128mm; width: 190mm; text-align: center; font: bold 40pt "DejaVu Sans", sans-serif;
  color: rgba(200, 0, 0, 0.22); transform: rotate(-40deg); white-space: nowrap }
.opco-suivi { left: 8.2mm; top: 263.5mm; width: 190mm; font: 8pt "DejaVu Sans", sans-serif; color: #00205b }"""


def mm(points: float) -> str:
    return f"{points * PT_TO_MM:.2f}mm"


def rgb(color) -> str:
    return "rgb(%d,%d,%d)" % tuple(round(c * 255) for c in color)


def shapes(page, reader) -> list[dict]:
    """The page's filled and stroked rectangles and its straight strokes, in PDF points."""
    from pypdf.generic import ContentStream

    state = {"rg": (0, 0, 0), "RG": (0, 0, 0), "w": 1.0, "cm": [1, 0, 0, 1, 0, 0]}
    stack, path, found = [], [], []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(dict(state))
        elif op == b"Q":
            state = stack.pop()
        elif op == b"cm":
            state["cm"] = [float(x) for x in operands]
        elif op in (b"rg", b"RG"):
            state[op.decode()] = tuple(float(x) for x in operands)
        elif op in (b"g", b"G"):
            state["rg" if op == b"g" else "RG"] = (float(operands[0]),) * 3
        elif op == b"w":
            state["w"] = float(operands[0])
        elif op == b"re":
            path.append(("re", *(float(v) for v in operands)))
        elif op in (b"m", b"l"):
            path.append((op.decode(), float(operands[0]), float(operands[1])))
        elif op in (b"f", b"f*", b"F", b"S", b"s", b"B", b"B*", b"n"):
            if op != b"n":
                a, _, _, d, e, f = state["cm"]
                filled = op in (b"f", b"f*", b"F")
                for segment in path:
                    if segment[0] == "re":
                        x, y, w, h = segment[1:]
                        found.append(
                            {"k": "fill" if filled else "stroke", "x": a * x + e, "y": d * y + f, "w": a * w}
                            | {"h": d * h, "rg": state["rg"], "lw": state["w"]}
                        )
                points = [s for s in path if s[0] in ("m", "l")]
                if op in (b"S", b"s"):
                    for p1, p2 in zip(points, points[1:]):
                        if p2[0] == "l":
                            found.append(
                                {"k": "line", "x1": a * p1[1] + e, "y1": d * p1[2] + f, "x2": a * p2[1] + e}
                                | {"y2": d * p2[2] + f, "RG": state["RG"], "lw": state["w"]}
                            )
            path = []
    return found


def fond_elements(page, reader, height: float) -> list[str]:
    elements, seen = [], set()
    for s in shapes(page, reader):
        if s["k"] in ("fill", "stroke"):
            x, y, w, h = s["x"], s["y"], s["w"], s["h"]
            if h < 0:
                y, h = y + h, -h
            if w < 0:
                x, w = x + w, -w
            signature = (s["k"], round(x, 1), round(y, 1), round(w, 1), round(h, 1))
            if signature in seen:
                continue
            seen.add(signature)
            box = f"left:{mm(x)};top:{mm(height - y - h)};width:{mm(w)};height:{mm(h)}"
            if s["k"] == "fill":
                if tuple(s["rg"]) != (1.0, 1.0, 1.0):
                    elements.append(f'<i class="r" style="{box};background:{rgb(s["rg"])}"></i>')
            else:
                elements.append(f'<i class="b" style="{box}"></i>')
        elif tuple(s["RG"]) != (1.0, 1.0, 1.0):
            x1, y1, x2, y2, lw = s["x1"], s["y1"], s["x2"], s["y2"], s["lw"]
            if abs(y1 - y2) < 0.5:
                box = f"left:{mm(min(x1, x2))};top:{mm(height - y1 - lw / 2)};width:{mm(abs(x2 - x1))};height:{mm(lw)}"
            elif abs(x1 - x2) < 0.5:
                box = f"left:{mm(x1 - lw / 2)};top:{mm(height - max(y1, y2))};width:{mm(lw)};height:{mm(abs(y2 - y1))}"
            else:
                continue
            elements.append(f'<i class="r" style="{box};background:#000"></i>')

    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((tm[4], tm[5], str(font.get("/BaseFont")) if font else "", size, text))

    page.extract_text(visitor_text=visit)
    for x, y, font, size, text in runs:
        classes = "l" + (" bo" if "Bold" in font else "") + (" it" if "Italic" in font else "")
        text = html.escape(text.rstrip("\n")).replace("{", "&#123;").replace("}", "&#125;")
        top = mm(height - y - ASCENT * size)
        elements.append(f'<span class="{classes}" style="left:{mm(x)};top:{top};font-size:{size:g}pt">{text}</span>')
    return elements


def valeurs_elements(page, height: float) -> list[str]:
    elements = []
    for annotation in page.get("/Annots", []):
        field = annotation.get_object()
        if field.get("/FT") not in ("/Tx", "/Btn") or "/T" not in field:
            continue
        texte = field["/FT"] == "/Tx"
        key = ("t" if texte else "c") + str(field["/T"]).rsplit(" ", 1)[-1]
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        if texte:
            kind = " ml" if (y2 - y1) > 20 else (" n" if (x2 - x1) < 42 else "")
            box = f"left:{mm(x1 + 1.2)};top:{mm(height - y2)};width:{mm(x2 - x1 - 2.4)};height:{mm(y2 - y1)}"
            elements.append(f'<span class="v{kind}" style="{box}">{{{{ f.{key} }}}}</span>')
        else:
            box = f"left:{mm(x1)};top:{mm(height - y2)}"
            elements.append(f'{{% if f.{key} %}}<span class="x" style="{box}">X</span>{{% endif %}}')
    return elements


def document(version, couche: str, title: str, css: str, pages: list[list[str]]) -> str:
    head = (
        f"{{% comment %}} Cerfa n° {version.code} (notice {version.notice}), {couche}. GENERATED by "
        f"`manage.py gabarit_cerfa {version.code}` from static/docs/cerfa_{version.slug}.pdf: review, don't edit "
        "by hand. {% endcomment %}"
    )
    body = "".join('<div class="page">\n' + "\n".join(elements) + "\n</div>\n" for elements in pages)
    return (
        f'{head}<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>\n'
        f"<style>\n{CSS_PAGE}\n{css}\n</style></head><body>\n{body}</body></html>\n"
    )


class Command(BaseCommand):
    help = "Génère les gabarits HTML (fond et valeurs) d'une version du CERFA à partir du formulaire vierge officiel."

    def add_arguments(self, parser):
        parser.add_argument("version", help="ex. 12434*05")
        parser.add_argument("--dest", help="dossier de sortie (défaut : templates/documents/cerfa/<slug>/)")

    def handle(self, version, dest=None, **options):
        from pypdf import PdfReader

        from documents.cerfa import VERSIONS

        if version not in VERSIONS:
            raise CommandError(f"Version inconnue : {version}. Ajoutez-la d'abord à documents.cerfa.VERSIONS.")
        v = VERSIONS[version]
        source = Path(settings.BASE_DIR) / "static" / "docs" / f"cerfa_{v.slug}.pdf"
        if not source.exists():
            raise CommandError(f"Formulaire vierge introuvable : {source}")
        reader = PdfReader(source)
        fond, valeurs = [], []
        last = len(reader.pages) - 1
        for number, page in enumerate(reader.pages):
            height = float(page.mediabox.height)
            fond.append(fond_elements(page, reader, height))
            valeurs.append(
                ['{% if brouillon %}<div class="wm">BROUILLON — non transmis</div>{% endif %}']
                + valeurs_elements(page, height)
            )
            if number == 0:
                fond[-1].append('{% include "documents/cerfa/_entete.html" %}')
            if number == last:
                valeurs[-1].append('{% include "documents/cerfa/_opco.html" %}')
        out = Path(dest) if dest else Path(settings.BASE_DIR) / "templates" / "documents" / "cerfa" / v.slug
        out.mkdir(parents=True, exist_ok=True)
        title = f"Cerfa {v.code}"
        (out / "fond.html").write_text(document(v, "formulaire", title, CSS_FOND, fond), encoding="utf-8")
        (out / "valeurs.html").write_text(
            document(v, "valeurs", title + " — {{ dossier.numero }}", CSS_VALEURS, valeurs), encoding="utf-8"
        )
        counts = ", ".join(f"page {i + 1} : {len(a)} + {len(b)}" for i, (a, b) in enumerate(zip(fond, valeurs)))
        self.stdout.write(f"{out}/fond.html et valeurs.html écrits ({counts} éléments).")
