"""The CERFA as a gestionnaire prints it: where each glyph lands, what the page looks like.

On the reference filling (``cerfa_reference.py``: every field, long values, accents), read back from the PDF with
pdfplumber (glyph boxes) and pdftoppm (pixels):

- every value's glyphs are inside its official field's rectangle, none overlaps a glyph of the form, and what
  the box shows is the whole value (or its reference to the annex, where the whole value is);
- every glyph we add is in a box, the stamp or the annex: the text layer is what is visible;
- the form's own drawing is the official file's, glyph for glyph, rule for rule (legal texts whole);
- the transmission stamp sits where the official page is blank;
- the pages look like the committed golden images (a layout change is seen). After a deliberate change:
  ``CERFA_GOLDEN=ecrire pytest tests/documents/test_cerfa_geometrie.py -k golden``, then look at the images.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops

from documents.cerfa import rendu
from documents.cerfa.mise_en_page import FAMILLE, composer, imprimable, renvois
from dossiers import cerfa

from .cerfa_reference import TAMPON, TITRE, VALEURS, toutes_les_cases_cochees

GOLDEN = Path(__file__).parent / "golden"
TOLERANCE = 0.05  # points: rounding of positions in the PDF


@pytest.fixture(scope="module")
def formulaire():
    return cerfa.formulaire()


@pytest.fixture(scope="module")
def reference() -> bytes:
    return cerfa.rendre(VALEURS, tampon=TAMPON, titre=TITRE)


@pytest.fixture(scope="module")
def officiel(formulaire):
    return pdfplumber.open(io.BytesIO(formulaire.pdf))


def ajoutes(page) -> list[dict]:
    return [c for c in page.chars if FAMILLE in c["fontname"] and c["text"].strip()]


def du_formulaire(page) -> list[dict]:
    return [c for c in page.chars if FAMILLE not in c["fontname"]]


def dedans(c: dict, x0: float, top: float, x1: float, bottom: float) -> bool:
    t = TOLERANCE
    return c["x0"] >= x0 - t and c["x1"] <= x1 + t and c["top"] >= top - t and c["bottom"] <= bottom + t


def chevauche(a: dict, b: dict) -> bool:
    t = TOLERANCE
    return a["x0"] < b["x1"] - t and b["x0"] < a["x1"] - t and a["top"] < b["bottom"] - t and b["top"] < a["bottom"] - t


def cadre(formulaire, cle):
    """The field's rectangle in pdfplumber's coordinates (top-left origin)."""
    case = formulaire.cases[cle]
    hauteur = formulaire.pages[case.page][1]
    return case.x0, hauteur - case.y1, case.x1, hauteur - case.y0


def sans_espaces(texte: str) -> str:
    return "".join(texte.split())


def test_every_field_of_the_official_form_is_known(formulaire):
    assert len(formulaire.cases) == 114
    assert set(VALEURS) | {
        "c1",
        "c1_3",
        "c1_5",
        "c1_6",
        "c1_10",
        "c1_11",
        "c1_13",
        "c1_15",
        "c1_16",
        "c1_18",
        "c1_19",
    } >= set(formulaire.cases)


def verifier_geometrie(formulaire, officiel, data: bytes, valeurs: dict, tampon: str | None = None):
    """Every value of ``valeurs`` whole in its field's rectangle, over no glyph of the form; nothing else added."""
    composition = composer(formulaire, valeurs)
    suites = {s.cle: s for s in composition.suites}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(formulaire.pages) + bool(composition.suites)
        for numero in range(len(formulaire.pages)):
            page, blanc = pdf.pages[numero], officiel.pages[numero]
            glyphes = ajoutes(page)
            etiquettes = du_formulaire(blanc)
            places = set()
            for boite in composition.page(numero):
                x0, top, x1, bottom = cadre(formulaire, boite.cle)
                dans_la_case = [c for c in glyphes if chevauche(c, {"x0": x0, "x1": x1, "top": top, "bottom": bottom})]
                assert dans_la_case, f"{boite.cle} : rien d'imprimé"
                for c in dans_la_case:
                    assert dedans(c, x0, top, x1, bottom), f"{boite.cle} : « {c['text']} » déborde de sa case"
                    sur = [e["text"] for e in etiquettes if chevauche(c, e)]
                    assert not sur, f"{boite.cle} : « {c['text']} » sur « {''.join(sur)} » du formulaire"
                lus = sorted(dans_la_case, key=lambda c: (round(c["top"]), c["x0"]))
                imprime = sans_espaces("".join(c["text"] for c in lus))
                if boite.cle in suites:
                    assert imprime in {sans_espaces(r) for r in renvois(suites[boite.cle].numero)}
                elif valeurs[boite.cle] is True:
                    assert imprime == "X"
                else:
                    assert imprime == sans_espaces(imprimable(valeurs[boite.cle])), boite.cle
                places.update(id(c) for c in dans_la_case)
            # Nothing we print is outside a box, but the stamp on page 2: what is visible is the text layer.
            hors_cases = [c for c in glyphes if id(c) not in places]
            if tampon and numero == rendu.TAMPON["page"]:
                assert sans_espaces("".join(c["text"] for c in hors_cases)) == sans_espaces(tampon)
            else:
                assert hors_cases == []
        if composition.suites:
            page_annexe = pdf.pages[len(formulaire.pages)]
            colonne = min(w["x0"] for w in page_annexe.extract_words() if w["text"] == "Valeur")
            annexe = sans_espaces(
                page_annexe.crop((colonne - 1, 0, page_annexe.width, page_annexe.height)).extract_text()
            )
            for suite in composition.suites:
                assert sans_espaces(suite.valeur) in annexe
    return composition


def test_each_value_is_whole_inside_its_field_and_over_no_label(formulaire, reference, officiel):
    composition = verifier_geometrie(formulaire, officiel, reference, VALEURS, TAMPON["texte"])
    assert [s.cle for s in composition.suites] == ["t8"]  # the reference's one value too long for any size


def test_every_checkbox_is_ticked_inside_its_square(formulaire):
    valeurs = toutes_les_cases_cochees(formulaire)
    with pdfplumber.open(io.BytesIO(cerfa.rendre(valeurs))) as pdf:
        for cle in valeurs:
            x0, top, x1, bottom = cadre(formulaire, cle)
            page = pdf.pages[formulaire.cases[cle].page]
            croix = [c for c in ajoutes(page) if chevauche(c, {"x0": x0, "x1": x1, "top": top, "bottom": bottom})]
            assert [c["text"] for c in croix] == ["X"], cle
            assert dedans(croix[0], x0, top, x1, bottom), cle


def test_the_drawing_is_the_official_one_glyph_for_glyph(reference, officiel):
    with pdfplumber.open(io.BytesIO(reference)) as pdf:
        for numero, blanc in enumerate(officiel.pages):
            page = pdf.pages[numero]
            texte = [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in du_formulaire(page)]
            assert texte == [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in blanc.chars]
            for genre in ("rects", "lines", "curves", "images"):
                assert len(getattr(page, genre)) >= len(getattr(blanc, genre)), genre
        page2 = pdf.pages[1].extract_text()
    # The L.6325-3 engagement, whole (it was cut at « …une forma » by the redrawn form).
    engagement = (
        "En application de l’article L.6325-3 du code du travail, l’employeur s’engage à assurer au titulaire du "
        "contrat une formation lui permettant d’acquérir une qualification professionnelle et à lui fournir un "
        "emploi en relation avec cet objectif pendant la durée du CDD ou de l’action de professionnalisation du CDI. "
        "Le titulaire du contrat s’engage à travailler pour le compte de son employeur et à suivre la formation prévue "
        "au contrat."
    )
    assert engagement in " ".join(page2.split())


def test_the_transmission_stamp_is_in_a_blank_zone_of_the_official_page(formulaire):
    t = rendu.TAMPON
    image = _pages(formulaire.pdf, dpi=72)[t["page"]].convert("L")
    zone = image.crop(
        (
            int(t["gauche"]) - 2,
            int(t["haut"]) - 2,
            int(t["gauche"] + t["largeur"]) + 2,
            int(t["haut"] + t["hauteur"]) + 2,
        )
    )
    assert zone.getextrema() == (255, 255), "le tampon serait sur le dessin du formulaire"


def test_a_character_the_font_lacks_is_replaced_not_drawn_as_a_box():
    assert imprimable("ℊ") == "g"  # a letter: its base letter
    assert imprimable("東京") == "Dong Jing"
    assert imprimable("Café 🍷") == "Café ?"
    assert imprimable("NGUYỄN Thị Ánh") == "NGUYỄN Thị Ánh"  # covered by the font: kept


def test_rendering_refuses_a_substitute_font(monkeypatch):
    monkeypatch.setattr(rendu, "POLICE", Path("/nonexistent/police.ttf"))
    with pytest.raises(rendu.PoliceDeSubstitution, match="police de substitution"):
        cerfa.rendre({"t8": "BRASSERIE DU PORT"})


def test_no_network_at_render_time():
    fetcher = rendu.url_fetcher_hors_ligne()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://exemple.fr/logo.png")


def _pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    """The PDF's pages as pdftoppm draws them (grey levels)."""
    import tempfile

    with tempfile.TemporaryDirectory() as dossier:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-", f"{dossier}/p"], input=pdf, check=True)
        images = []
        for fichier in sorted(Path(dossier).glob("p-*.png")):
            with Image.open(fichier) as image:
                images.append(image.convert("L"))
        return images


@pytest.mark.parametrize("numero", [1, 2, 3])
def test_golden_images_of_the_reference_filling(reference, numero):
    """Page by page, at 50 dpi: at most 0.2 % of the pixels differ by more than a quarter of the grey scale."""
    page = _pages(reference, dpi=50)[numero - 1].convert("L")
    attendu = GOLDEN / f"cerfa_12434-05_reference-{numero}.png"
    if os.environ.get("CERFA_GOLDEN") == "ecrire":
        GOLDEN.mkdir(exist_ok=True)
        page.save(attendu, optimize=True)
    golden = Image.open(attendu).convert("L")
    assert page.size == golden.size
    ecarts = ImageChops.difference(page, golden).point(lambda v: 255 if v > 64 else 0)
    differents = ecarts.histogram()[255]
    assert differents <= 0.002 * page.size[0] * page.size[1], f"{differents} pixels diffèrent de {attendu.name}"


def test_a_pdf_drawn_with_a_font_of_the_machine_is_refused():
    from weasyprint import HTML

    machine = HTML(string="<p style='font-family: sans-serif'>BRASSERIE DU PORT</p>").write_pdf()
    with pytest.raises(rendu.PoliceDeSubstitution, match="police de substitution"):
        rendu.verifier_polices(machine)


# Fields a dossier of this portal never fills, and why (the closing note of issue 14 lists them).
JAMAIS_REMPLIS = {
    "c1": "Particulier-employeur : oui — le portail ne connaît que des entreprises (E2 = non, toujours coché)",
    "t8_12": "N° URSSAF du particulier-employeur — même raison",
}


@pytest.mark.django_db
def test_a_complete_dossier_fills_every_applicable_field_whole_in_its_box(adherent, formulaire, officiel):
    import datetime as dt

    from dossiers.models import Dossier
    from tests.documents.test_cerfa import remplir
    from tests.factories import DossierFactory

    etablissement = adherent.rattachements.get().etablissement
    etablissement.numero_adherent = "AKTO-0012345678"
    etablissement.save()
    dossier, _ = remplir(DossierFactory(etablissement=etablissement, created_by=adherent))
    e = dossier.employeur
    e.raison_sociale = "SOCIÉTÉ COOPÉRATIVE D'INTÉRÊT COLLECTIF DES MÉTIERS DE LA RESTAURATION DU GRAND LYON"
    e.save()
    s = dossier.salarie
    s.nom_usage, s.minimum_social, s.complement_adresse = "LEFÈVRE-D'ARGENCÉ", "1", "RÉSIDENCE LES GLYCINES"
    s.save()
    t = dossier.tuteur(2)
    t.nom, t.prenom, t.emploi, t.date_naissance = "NGUYỄN", "Thị Ánh", "Maître d'hôtel", dt.date(1975, 11, 21)
    t.save()
    c = dossier.contrat
    c.naf_entreprise_utilisatrice, c.date_effet_avenant = "7820Z", dt.date(2026, 10, 15)
    c.save()
    f = dossier.formation
    f.type_qualification, f.numero_projet_vae = "8", "VAE-2024-AURA-000137"
    f.intitule = "RNCP Titre professionnel Serveur en restauration — blocs de compétences 1 et 2, service en salle"
    f.save()
    dossier = Dossier.objects.get(pk=dossier.pk)

    valeurs = cerfa.valeurs(dossier)
    textes = {cle for cle in formulaire.cases if cle.startswith("t")}
    assert textes - set(valeurs) == {cle for cle in JAMAIS_REMPLIS if cle.startswith("t")}
    assert valeurs["c1_2"] is True and "c1" not in valeurs
    verifier_geometrie(formulaire, officiel, cerfa.rendre(valeurs), valeurs)

    # C2 (avenant, VAE experiment): ticked, and then no nature of contract.
    c.avenant_vae, c.nature = True, ""
    c.save()
    valeurs = cerfa.valeurs(Dossier.objects.get(pk=dossier.pk))
    assert valeurs["c1_19"] is True and not {"c1_13", "c1_14", "c1_15"} & set(valeurs)
    verifier_geometrie(formulaire, officiel, cerfa.rendre(valeurs), valeurs)
