"""Upload checks, in one place: size, count, name, extension **and** content sniffing by magic bytes.

No dependency: the signatures are read here. A file is accepted only when its extension is one of
``EXTENSIONS`` and its content is of the kind that extension announces. Decision: besides the guide's
``xls`` the OOXML ``xlsx`` is accepted (what Excel saves by default; checked like ``docx``); ``jpeg`` is
accepted as ``jpg``. Macro-enabled Office files, PDFs with JavaScript or launch actions, executables,
scripts, HTML/SVG, archives hidden in another format and truncated files are refused.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings

TAILLE_MAX = 20 * 1024 * 1024
FICHIERS_MAX = 5
FORMATS_AFFICHES = "pdf, jpg, png, xls, doc, docx, csv"

# extension → (kind sniffed, content type served, name shown in messages)
EXTENSIONS = {
    "pdf": ("pdf", "application/pdf", "PDF"),
    "jpg": ("jpeg", "image/jpeg", "JPG"),
    "jpeg": ("jpeg", "image/jpeg", "JPG"),
    "png": ("png", "image/png", "PNG"),
    "xls": ("xls", "application/vnd.ms-excel", "XLS (Excel)"),
    "doc": ("doc", "application/msword", "DOC (Word)"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX (Word)"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX (Excel)"),
    "csv": ("csv", "text/csv", "CSV"),
}
# Never acceptable inside a name either (``cv.pdf.exe`` and ``cv.exe.pdf`` alike).
EXTENSIONS_DANGEREUSES = {
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "dll", "js", "jse", "vbs", "vbe", "wsf", "ps1", "sh",
    "jar", "app", "apk", "html", "htm", "svg", "xhtml", "php", "py", "pl", "hta", "lnk", "reg", "docm", "xlsm",
}  # fmt: skip

MSG_VIDE = "Le fichier « {nom} » est vide."
MSG_TAILLE = "Le fichier « {nom} » dépasse le poids maximum de 20Mo."
MSG_EXTENSION = "Le format du fichier « {nom} » n'est pas accepté. Formats acceptés : " + FORMATS_AFFICHES + "."
MSG_DOUBLE_EXTENSION = "Le nom du fichier « {nom} » comporte une double extension : renommez-le (Ex : programme.pdf)."
MSG_NOM = "Le nom du fichier « {nom} » n'est pas valide : renommez-le (Ex : programme.pdf)."
MSG_EXECUTABLE = "Le fichier « {nom} » est un programme ou un script, pas un document : il est refusé."
MSG_CONTENU = "Le contenu du fichier « {nom} » n'est pas celui d'un fichier {format} : il est refusé."
MSG_ENDOMMAGE = "Le fichier « {nom} » est incomplet ou endommagé : il est refusé."
MSG_PDF_ACTIF = "Le fichier PDF « {nom} » contient du code JavaScript ou une action automatique : il est refusé."
MSG_MACROS = "Le fichier « {nom} » contient des macros : il est refusé."
MSG_CACHE = "Le fichier « {nom} » contient une archive cachée : il est refusé."
MSG_NOMBRE = "{libelle} : 5 fichiers maximum (déjà {deja} chargé(s), {ajout} sélectionné(s))."

SIGNATURES_EXECUTABLES = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O 32/64, both byte orders, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # also Java classes
    b"#!",
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"
ZIP_FIN = b"PK\x05\x06"
PDF_ACTIF = re.compile(rb"/(JavaScript|JS|Launch|OpenAction\s*<<[^>]*/JS)\b")
BALISES = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|\?xml)", re.IGNORECASE)
DECOMPRESSE_MAX = 200 * 1024 * 1024  # an Office document inflating beyond this is a zip bomb


class FichierRefuse(Exception):
    """The file is refused: ``message`` (French) is shown under its type; nothing is stored. ``code`` names the
    reason (the API's anomaly code, ``dossiers/api/pieces.py``)."""

    def __init__(self, message: str, code: str = "DOCUMENTS_FICHIER_REFUSE"):
        super().__init__(message)
        self.message = message
        self.code = code


class Refus(str):
    """A refusal as ``documents.services.verifier_lot`` lists it: its French message (a ``str``, shown as is) and
    its ``code``."""

    code: str

    def __new__(cls, message: str, code: str):
        refus = super().__new__(cls, message)
        refus.code = code
        return refus


@dataclass(frozen=True)
class Verifie:
    nom: str
    extension: str
    kind: str
    content_type: str
    taille: int


def nom_propre(nom: str) -> str:
    """The file name as shown: its last path component, without control characters, 255 characters at most."""
    nom = re.split(r"[\\/]", nom or "")[-1]
    nom = "".join(c for c in nom if c.isprintable()).strip()
    if len(nom) > 255:
        stem, _, ext = nom.rpartition(".")
        nom = f"{stem[: 250 - len(ext)]}.{ext}" if stem else nom[:255]
    return nom


def extension(nom: str) -> str:
    """Check the name and return its (accepted) extension, lower case."""
    parts = nom.lower().split(".")
    if not nom or len(parts) < 2 or not parts[0].strip() or nom.startswith("."):
        modele, code = (
            (MSG_EXTENSION, "DOCUMENTS_FORMAT_NON_ACCEPTE") if "." not in nom else (MSG_NOM, "DOCUMENTS_NOM_INVALIDE")
        )
        raise FichierRefuse(modele.format(nom=nom or "sans nom"), code)
    ext = parts[-1].strip()
    if any(p.strip() in EXTENSIONS_DANGEREUSES for p in parts[1:-1]):
        raise FichierRefuse(MSG_DOUBLE_EXTENSION.format(nom=nom), "DOCUMENTS_DOUBLE_EXTENSION")
    if ext not in EXTENSIONS:
        if any(p.strip() in EXTENSIONS for p in parts[1:-1]):
            raise FichierRefuse(MSG_DOUBLE_EXTENSION.format(nom=nom), "DOCUMENTS_DOUBLE_EXTENSION")
        raise FichierRefuse(MSG_EXTENSION.format(nom=nom), "DOCUMENTS_FORMAT_NON_ACCEPTE")
    return ext


def _lire(fichier, debut: int, longueur: int) -> bytes:
    fichier.seek(debut)
    return fichier.read(longueur)


def _parcourir(fichier, motif: re.Pattern, bloc: int = 1024 * 1024) -> bool:
    """Whether ``motif`` occurs anywhere in the file, read by blocks (with overlap)."""
    fichier.seek(0)
    reste = b""
    while True:
        data = fichier.read(bloc)
        if not data:
            return False
        if motif.search(reste + data):
            return True
        reste = data[-64:]


def verifier(fichier) -> Verifie:
    """Check one uploaded file (``UploadedFile``); raise ``FichierRefuse`` with the French reason."""
    nom = nom_propre(getattr(fichier, "name", ""))
    ext = extension(nom)
    attendu, content_type, libelle_format = EXTENSIONS[ext]
    taille = fichier.size or 0
    if taille <= 0:
        raise FichierRefuse(MSG_VIDE.format(nom=nom), "DOCUMENTS_FICHIER_VIDE")
    if taille > getattr(settings, "DOCUMENTS_TAILLE_MAX", TAILLE_MAX):
        raise FichierRefuse(MSG_TAILLE.format(nom=nom), "DOCUMENTS_FICHIER_TROP_LOURD")
    tete = _lire(fichier, 0, 8192)
    if not tete.strip(b"\x00 \t\r\n"):
        raise FichierRefuse(MSG_VIDE.format(nom=nom), "DOCUMENTS_FICHIER_VIDE")
    fichier.seek(0, io.SEEK_END)
    fin = fichier.tell()  # the bytes really received (``size`` is what was announced)
    if fin > getattr(settings, "DOCUMENTS_TAILLE_MAX", TAILLE_MAX):
        raise FichierRefuse(MSG_TAILLE.format(nom=nom), "DOCUMENTS_FICHIER_TROP_LOURD")
    queue = _lire(fichier, max(0, fin - 4096), 4096)
    if tete.startswith(SIGNATURES_EXECUTABLES):
        raise FichierRefuse(MSG_EXECUTABLE.format(nom=nom), "DOCUMENTS_EXECUTABLE")
    refus_contenu = FichierRefuse(MSG_CONTENU.format(nom=nom, format=libelle_format), "DOCUMENTS_CONTENU_NON_CONFORME")
    check = {
        "pdf": _pdf,
        "jpeg": _jpeg,
        "png": _png,
        "xls": _ole2,
        "doc": _ole2,
        "docx": _ooxml,
        "xlsx": _ooxml,
        "csv": _csv,
    }[attendu]
    check(fichier, nom, attendu, tete, queue, refus_contenu)
    if attendu not in ("docx", "xlsx") and ZIP_FIN in queue:  # a ZIP appended to an image or a PDF (polyglot)
        raise FichierRefuse(MSG_CACHE.format(nom=nom), "DOCUMENTS_ARCHIVE_CACHEE")
    fichier.seek(0)
    return Verifie(nom=nom, extension=ext, kind=attendu, content_type=content_type, taille=taille)


def _pdf(fichier, nom, attendu, tete, queue, refus):
    if not tete.startswith(b"%PDF-") or not re.match(rb"%PDF-[12]\.\d", tete):
        raise refus
    if b"%%EOF" not in queue:
        raise FichierRefuse(MSG_ENDOMMAGE.format(nom=nom), "DOCUMENTS_FICHIER_ENDOMMAGE")
    if _parcourir(fichier, PDF_ACTIF):
        raise FichierRefuse(MSG_PDF_ACTIF.format(nom=nom), "DOCUMENTS_PDF_ACTIF")


def _jpeg(fichier, nom, attendu, tete, queue, refus):
    if not tete.startswith(b"\xff\xd8\xff"):
        raise refus
    if b"\xff\xd9" not in queue:
        raise FichierRefuse(MSG_ENDOMMAGE.format(nom=nom), "DOCUMENTS_FICHIER_ENDOMMAGE")


def _png(fichier, nom, attendu, tete, queue, refus):
    if not tete.startswith(PNG) or tete[12:16] != b"IHDR":
        raise refus
    if b"IEND\xaeB`\x82" not in queue:
        raise FichierRefuse(MSG_ENDOMMAGE.format(nom=nom), "DOCUMENTS_FICHIER_ENDOMMAGE")


def _utf16(*noms: str) -> re.Pattern:
    """Compound-file directory entries are UTF-16LE names."""
    return re.compile(b"|".join(re.escape(nom.encode("utf-16-le")) for nom in noms))


def _ole2(fichier, nom, attendu, tete, queue, refus):
    """Legacy Office: the compound file signature, then the stream names Word or Excel write (UTF-16)."""
    if not tete.startswith(OLE2):
        raise refus
    if len(tete) < 1536:
        raise FichierRefuse(MSG_ENDOMMAGE.format(nom=nom), "DOCUMENTS_FICHIER_ENDOMMAGE")
    flux = {"doc": _utf16("WordDocument"), "xls": _utf16("Workbook", "Book")}[attendu]
    if not _parcourir(fichier, flux):
        raise refus  # another compound file: an installer (.msi), an Outlook item, a .ppt…
    if _parcourir(fichier, _utf16("_VBA_PROJECT", "Macros")):
        raise FichierRefuse(MSG_MACROS.format(nom=nom), "DOCUMENTS_MACROS")


def _ooxml(fichier, nom, attendu, tete, queue, refus):
    """OOXML: a ZIP with ``[Content_Types].xml`` and the ``word/`` (docx) or ``xl/`` (xlsx) part, no macros."""
    if not tete.startswith(ZIP):
        raise refus
    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FichierRefuse(MSG_ENDOMMAGE.format(nom=nom), "DOCUMENTS_FICHIER_ENDOMMAGE") from None
    noms = {i.filename for i in infos}
    dossier = "word/" if attendu == "docx" else "xl/"
    if "[Content_Types].xml" not in noms or not any(n.startswith(dossier) for n in noms):
        raise refus
    if any(n.lower().endswith("vbaproject.bin") for n in noms):
        raise FichierRefuse(MSG_MACROS.format(nom=nom), "DOCUMENTS_MACROS")
    if sum(i.file_size for i in infos) > DECOMPRESSE_MAX or any(".." in n or n.startswith("/") for n in noms):
        raise refus


def _csv(fichier, nom, attendu, tete, queue, refus):
    """Text: no NUL byte, UTF-8 or Windows-1252, no markup or script, a delimiter on the first lines."""
    fichier.seek(0)
    echantillon = fichier.read(64 * 1024)
    if b"\x00" in echantillon:
        raise refus
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            texte = echantillon.decode(encodage)
            break
        except UnicodeDecodeError as erreur:
            if encodage == "utf-8-sig" and erreur.start > len(echantillon) - 4:
                texte = echantillon[: erreur.start].decode(encodage)  # a character cut by the sample's end
                break
    else:
        raise refus
    if BALISES.search(echantillon) or re.search(r"^\s*(function\b|var\b|const\b|let\b|import\b|<)", texte):
        raise refus
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in texte):
        raise refus
    lignes = [ligne for ligne in texte.splitlines() if ligne.strip()][:20]
    if len(lignes) > 1 and lignes[-1] and not texte.endswith(("\n", "\r")) and len(echantillon) == 64 * 1024:
        lignes = lignes[:-1]  # the sample's last line may be cut
    try:
        dialecte = csv.Sniffer().sniff("\n".join(lignes[:20]), delimiters=";,\t|")
    except csv.Error:
        raise refus from None
    colonnes = {len(r) for r in csv.reader(io.StringIO("\n".join(lignes)), dialecte)}
    if max(colonnes, default=0) < 2:
        raise refus
