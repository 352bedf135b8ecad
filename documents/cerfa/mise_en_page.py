"""Every value whole, in its box: the layout of the values over the official form, computed before rendering.

One font, shipped with the project (``documents/polices/``), whose metrics are read here with fontTools, so
that the layout is known exactly: WeasyPrint draws each line where this module says, at the size it says,
without kerning nor ligatures (the advances summed here are the advances drawn). For each value:

1. on one line at the normal size (10 pt), else shrunk step by step down to a legible minimum (6 pt);
2. else wrapped on as many lines as the box holds, from the normal size down to the minimum;
3. else the box says « voir suite n° k » and the whole value goes to the annex page « Suite des champs ».

Nothing is ever cut: what is drawn is what the text layer holds. Characters the font lacks are replaced first
(``imprimable``): a letter by its base letter, anything else by its transliteration, or « ? ».
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from documents.cerfa.champs import CENTRE, DROITE, GAUCHE, Champ
from documents.cerfa.formulaire import Case, Formulaire

POLICES = Path(__file__).resolve().parent.parent / "polices"
POLICE = POLICES / "DejaVuSansCondensed.ttf"
# The @font-face name. WeasyPrint names the fonts it embeds after it (« ABCDEF+CerfaPolice-Semi-Condensed »): a
# font named otherwise in the PDF is a fallback to a font of the machine.
FAMILLE = "CerfaPolice"

TAILLE, TAILLE_MIN, PAS = 10.0, 6.0, 0.25  # points
MARGE_X, MARGE_Y = 1.5, 0.6  # inside the box, points
COCHE = "X"
TAILLE_COCHE = 6.5


@dataclass(frozen=True)
class Police:
    unites: int
    ascendante: float  # in em
    descendante: float  # in em, positive
    avances: dict[int, int]  # code point → advance, in font units

    @property
    def interligne(self) -> float:
        """The height of a line, in em: WeasyPrint's line box with ``line-height: normal`` for this font."""
        return self.ascendante + self.descendante

    def couvre(self, caractere: str) -> bool:
        return ord(caractere) in self.avances

    def largeur(self, texte: str, taille: float) -> float:
        return sum(self.avances[ord(c)] for c in texte) * taille / self.unites


@functools.cache
def police() -> Police:
    from fontTools.ttLib import TTFont

    font = TTFont(POLICE, lazy=True)
    metrics = font["hmtx"].metrics
    avances = {code: metrics[nom][0] for code, nom in font.getBestCmap().items()}
    unites = font["head"].unitsPerEm
    hhea = font["hhea"]
    return Police(unites, hhea.ascent / unites, -hhea.descent / unites, avances)


def imprimable(texte: str) -> str:
    """The value as the shipped font can print it: one line, no character drawn as an empty box."""
    p = police()
    texte = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(texte))).strip()
    if all(p.couvre(c) for c in texte):
        return texte
    sortie: list[str] = []
    absents: list[str] = []  # a run of characters neither the font nor their base letters cover

    def translitterer():
        if absents:
            from unidecode import unidecode

            t = " ".join(unidecode("".join(absents)).split())
            sortie.append(t if t and all(p.couvre(b) for b in t) else "?")
            absents.clear()

    for c in texte:
        if p.couvre(c):
            translitterer()
            sortie.append(c)
            continue
        base = "".join(b for b in unicodedata.normalize("NFKD", c) if not unicodedata.combining(b))
        if base and all(p.couvre(b) for b in base):
            translitterer()
            sortie.append(base)
            continue
        absents.append(c)
    translitterer()
    return "".join(sortie)


@dataclass(frozen=True)
class Boite:
    """A value placed on a page: its box (CSS points from the top left of the page), size and lines."""

    cle: str
    page: int
    gauche: float
    haut: float
    largeur: float
    hauteur: float
    taille: float
    lignes: tuple[str, ...]
    alignement: str = GAUCHE
    suite: int | None = None  # the annex entry it refers to

    @property
    def interligne(self) -> float:
        return round(self.taille * police().interligne, 3)

    @property
    def marge_haut(self) -> float:
        """Vertical centring of the lines in the box."""
        return round((self.hauteur - len(self.lignes) * self.interligne) / 2, 3)


@dataclass(frozen=True)
class Suite:
    numero: int
    cle: str
    champ: Champ
    valeur: str


@dataclass
class Composition:
    boites: list[Boite] = field(default_factory=list)
    suites: list[Suite] = field(default_factory=list)

    def page(self, numero: int) -> list[Boite]:
        return [b for b in self.boites if b.page == numero]


def _tailles():
    taille = TAILLE
    while taille >= TAILLE_MIN - 1e-9:
        yield round(taille, 2)
        taille -= PAS


def _lignes(texte: str, largeur: float, taille: float) -> list[str]:
    """Greedy wrapping on spaces; a word longer than the line is split between characters."""
    p = police()
    lignes: list[str] = []
    courante = ""
    for mot in texte.split(" "):
        essai = f"{courante} {mot}" if courante else mot
        if p.largeur(essai, taille) <= largeur:
            courante = essai
            continue
        if courante:
            lignes.append(courante)
            courante = ""
        while p.largeur(mot, taille) > largeur:
            coupe = max((i for i in range(1, len(mot) + 1) if p.largeur(mot[:i], taille) <= largeur), default=1)
            lignes.append(mot[:coupe])
            mot = mot[coupe:]
        courante = mot
    if courante:
        lignes.append(courante)
    return lignes


def ajuster(texte: str, largeur: float, hauteur: float) -> tuple[float, tuple[str, ...]] | None:
    """(size, lines) that fit ``texte`` whole in a box of that size, or None."""
    p = police()
    utile_l, utile_h = largeur - 2 * MARGE_X, hauteur - 2 * MARGE_Y
    for taille in _tailles():
        if p.largeur(texte, taille) <= utile_l and taille * p.interligne <= utile_h:
            return taille, (texte,)
    for taille in _tailles():
        lignes = _lignes(texte, utile_l, taille)
        if len(lignes) * taille * p.interligne <= utile_h:
            return taille, tuple(lignes)
    return None


def _boite(cle: str, case: Case, hauteur_page: float, taille: float, lignes, alignement, suite=None) -> Boite:
    return Boite(
        cle=cle,
        page=case.page,
        gauche=round(case.x0, 3),
        haut=round(hauteur_page - case.y1, 3),
        largeur=round(case.largeur, 3),
        hauteur=round(case.hauteur, 3),
        taille=taille,
        lignes=tuple(lignes),
        alignement=alignement,
        suite=suite,
    )


def renvois(numero: int) -> list[str]:
    """What a box says of a value continued in the annex, longest first."""
    return [f"voir suite n° {numero}", f"suite n° {numero}", f"(suite {numero})", f"({numero})"]


def composer(formulaire: Formulaire, valeurs: dict) -> Composition:
    """The boxes of every value (``True`` ticks a box), in the form's field order, and the annex."""
    composition = Composition()
    champs = formulaire.version.champs
    for cle, case in formulaire.cases.items():
        valeur = valeurs.get(cle)
        if valeur in (None, "", False):
            continue
        hauteur_page = formulaire.pages[case.page][1]
        if valeur is True:
            composition.boites.append(_boite(cle, case, hauteur_page, TAILLE_COCHE, [COCHE], CENTRE))
            continue
        texte = imprimable(valeur)
        if not texte:
            continue
        alignement = champs[cle].alignement
        place = ajuster(texte, case.largeur, case.hauteur)
        if place is not None:
            composition.boites.append(_boite(cle, case, hauteur_page, *place, alignement))
            continue
        numero = len(composition.suites) + 1
        composition.suites.append(Suite(numero, cle, champs[cle], texte))
        for renvoi in renvois(numero):
            place = ajuster(renvoi, case.largeur, case.hauteur)
            if place is not None:
                break
        else:  # a box too small even for « (n) »: the smallest size, whatever its width
            place = (TAILLE_MIN, (renvois(numero)[-1],))
        composition.boites.append(
            _boite(cle, case, hauteur_page, *place, GAUCHE if alignement == DROITE else alignement)
        )
    return composition
