"""The CERFA engine: the official blank form, and values (by official field) laid over it by WeasyPrint.

1. ``composer`` (mise_en_page.py) places every value in its official field's rectangle: shrunk, wrapped or
   continued on the annex page « Suite des champs », never cut;
2. WeasyPrint renders those boxes (``templates/documents/cerfa/valeurs.html``) with the font the project ships,
   and nothing else: a PDF that uses any other font is refused (``PoliceDeSubstitution``);
3. each page of that rendering is laid over the same page of the official form (``superposer``): the official
   page's drawing goes in as a Form XObject drawn first, so the frames, labels and legal texts are the official
   file's own. Pages beyond the form (the annex) have no background.

The watermark (*BROUILLON — non transmis*) and the stamp (a transmitted dossier's number and date, in the free
zone under the form's frame on page 2) are options of ``rendre``. This engine knows no dossier: the values of a
dossier, the watermark's condition and the cache are ``dossiers/cerfa.py``'s.

The NIR is printed in full (it is the legal form): never log the values.
"""

from __future__ import annotations

import hashlib
import io
import threading

from django.template.loader import render_to_string

from documents.cerfa.formulaire import VERSION_COURANTE, formulaire
from documents.cerfa.mise_en_page import FAMILLE, MARGE_X, POLICE, composer

TEMPLATE = "documents/cerfa/valeurs.html"
# The transmission stamp: below the frame of page 2 (the official drawing ends 767.6 pt from the top), left-aligned
# with the frame. tests/documents/test_cerfa_geometrie.py checks the zone is blank on the official page.
TAMPON = {"page": 1, "gauche": 18.0, "haut": 785.0, "largeur": 552.0, "hauteur": 14.0, "taille": 8.0}


class PoliceDeSubstitution(RuntimeError):
    """WeasyPrint used a font other than the shipped one: the output would differ from machine to machine."""


def url_fetcher_hors_ligne():
    """No network at render time: only local resources (the shipped font: file:, data:)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def html(
    valeurs_: dict,
    *,
    brouillon: bool = False,
    tampon: dict | None = None,
    titre: str = "",
    version: str = VERSION_COURANTE,
) -> str:
    """The values layer: every box of the composition, the watermark, the stamp, the annex."""
    f = formulaire(version)
    composition = composer(f, valeurs_)
    pages = [{"boites": composition.page(i), "largeur": w, "hauteur": h} for i, (w, h) in enumerate(f.pages)]
    return render_to_string(
        TEMPLATE,
        {
            "titre": titre,
            "version": f.version,
            "pages": pages,
            "suites": composition.suites,
            "brouillon": brouillon,
            "tampon": tampon and {**TAMPON, **tampon},
            "police": POLICE.as_uri(),
            "famille": FAMILLE,
            "marge": MARGE_X,
        },
    )


def _weasyprint(source: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    try:
        data = HTML(string=source, url_fetcher=url_fetcher_hors_ligne()).write_pdf(font_config=FontConfiguration())
    except FatalURLFetchingError as error:  # the only resource is the shipped font
        raise PoliceDeSubstitution(
            f"La police livrée n'a pas pu être chargée ({error}) : police de substitution refusée."
        )
    verifier_polices(data)
    return data


def pdf_de_html(source: str) -> bytes:
    """Any document of the portal rendered as the CERFA is: offline, with the shipped font only (the agreement's
    summary of a période de reconversion)."""
    return _weasyprint(source)


def polices(data: bytes) -> set[str]:
    """The base names of the fonts a PDF uses (subset prefixes removed)."""
    from pypdf import PdfReader

    noms = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            noms.add(str(font.get_object().get("/BaseFont", "")).lstrip("/").split("+", 1)[-1])
    return noms


def verifier_polices(data: bytes) -> None:
    autres = {nom for nom in polices(data) if nom.split("-", 1)[0] != FAMILLE}
    if autres:
        raise PoliceDeSubstitution(
            f"Le CERFA a été rendu avec une police de substitution ({', '.join(sorted(autres))}) : "
            f"seule la police livrée {POLICE.name} (documents/polices/) est admise."
        )


def fond_pdf(version: str = VERSION_COURANTE) -> bytes:
    """The official blank form, read once per process (the WSGI worker reads it as it boots)."""
    return formulaire(version).pdf


_LECTEURS = threading.local()  # one parsed official form per thread (pypdf readers are not thread-safe)


def _officiel(fond: bytes):
    from pypdf import PdfReader

    lecteurs = _LECTEURS.__dict__.setdefault("lecteurs", {})
    cle = hashlib.sha1(fond).hexdigest()
    if cle not in lecteurs:
        lecteurs[cle] = PdfReader(io.BytesIO(fond))
    return lecteurs[cle]


def prechauffer(version: str = VERSION_COURANTE) -> None:
    """What the first render of a process pays once, paid as the worker boots (portal/wsgi.py): the official form
    read, the font's metrics, WeasyPrint loaded (its libraries, fontconfig), the template compiled."""
    from documents.cerfa.mise_en_page import police

    police()
    # Every path of a real render: a value, a tick, one continued on the annex, the watermark and the stamp.
    essai = {"t8_53": "AKTO", "c1_2": True, "t8_14": "5610A", "t8_8": "É" * 80}
    rendre(essai, brouillon=True, tampon={"texte": "Dossier transmis"}, titre="Préchauffage", version=version)


def superposer(fond: bytes, dessus: bytes) -> bytes:
    """Each page of ``dessus`` drawn over the same page of ``fond`` (the official form); extra pages as they are.

    The form's page goes in as a Form XObject (its content stream copied as is, its resources cloned) that the
    values page draws first, inside q/Q: nothing is parsed or renamed, so this costs a few milliseconds.
    """
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=io.BytesIO(dessus))
    officiel = _officiel(fond)
    if len(writer.pages) < len(officiel.pages):
        raise ValueError("Les valeurs ont moins de pages que le formulaire.")
    for numero, (page, dessous) in enumerate(zip(writer.pages, officiel.pages), start=1):
        xobject = DecodedStreamObject()
        xobject.set_data(dessous.get_contents().get_data())
        xobject.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): dessous.mediabox.clone(writer),
                NameObject("/Resources"): dessous["/Resources"].clone(writer),
            }
        )
        # WeasyPrint's pages share one resources dictionary: one name per page.
        nom = f"/CerfaOfficiel{numero}"
        resources = page[NameObject("/Resources")].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[NameObject(nom)] = writer._add_object(xobject)
        contents = DecodedStreamObject()
        contents.set_data(f"q {nom} Do Q\n".encode() + page.get_contents().get_data())
        page[NameObject("/Contents")] = writer._add_object(contents)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rendre(
    valeurs_: dict,
    *,
    brouillon: bool = False,
    tampon: dict | None = None,
    titre: str = "",
    version: str = VERSION_COURANTE,
) -> bytes:
    """The filled form from its values (no dossier, no database): what the bench times."""
    return superposer(
        fond_pdf(version), _weasyprint(html(valeurs_, brouillon=brouillon, tampon=tampon, titre=titre, version=version))
    )
