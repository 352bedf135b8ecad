"""Search keys for the lookups: THE normalisation of every referential, and the query-side helpers.

Every stored search column (``nom_recherche``, ``libelle_recherche``, ``titre_recherche``,
``intitule_recherche``, ``recherche``) and the word indexes built from them hold ``normalize(text)``; a
search splits the query with ``mots()`` and filters with ``filtrer()`` (or reads a word index with the words
of ``mots()``), so a query and the stored keys are always normalised the same way.

Changing ``normalize`` changes every stored key: add a migration that re-indexes them
(``0007_recherche_translitteration`` is the model).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Q, QuerySet
from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def _ascii(caractere: str) -> str:
    """One non-ASCII character in ASCII: letters, combining marks and digits transliterated (« œ » → ``oe``,
    « ß » → ``ss``, « ł » → ``l``, a combining accent → nothing, « ² » → ``2``); any other character
    (punctuation, symbols, spaces: « ’ », « ° », « € », « ® », « » ») → a space, so that it separates words
    rather than becoming one (Unidecode alone spells « ° » ``deg`` and « ® » ``(r)``)."""
    if unicodedata.category(caractere)[0] in "LMN":
        return unidecode(caractere)
    return " "


def ascii_fold(text: str) -> str:
    """``"Vandœuvre-lès-Nancy"`` → ``"vandoeuvre-les-nancy"``: lower-case ASCII, punctuation kept.

    The transliteration step of ``normalize``, for the rare key that must keep its punctuation (a file name
    matched by prefix); anything searched goes through ``normalize``.
    """
    text = str(text or "")
    if not text.isascii():
        text = "".join(c if c.isascii() else _ascii(c) for c in text)
    return text.lower()


def normalize(text: str) -> str:
    """The search key of a text: store it in a ``*_recherche`` column, compare queries with it.

    Accents and ligatures transliterated (Unidecode: « œ » → ``oe``, « æ » → ``ae``, « ß » → ``ss``, « ø » →
    ``o``, « ł » → ``l``), lower case, and every run of anything else than ``[a-z0-9]`` — apostrophes
    (' ’ ʼ ‘ ` ´), hyphens, punctuation, symbols, spaces — one space, none at the ends:
    ``"Saint-Étienne-du-Rouvray"`` → ``"saint etienne du rouvray"``, ``"L'Haÿ-les-Roses"`` → ``"l hay les
    roses"``, ``"Chargé d’affaires"`` → ``"charge d affaires"``. Idempotent: ``normalize(normalize(t)) ==
    normalize(t)``.
    """
    return _NON_ALNUM.sub(" ", ascii_fold(text)).strip()


def mots(q: str) -> list[str]:
    """The distinct words of a query, normalised, in their order: ``"Vandœuvre lès VANDOEUVRE"`` →
    ``["vandoeuvre", "les"]``."""
    return list(dict.fromkeys(normalize(q).split()))


def filtrer(queryset: QuerySet, champ: str, q: str | Iterable[str], *, debut_de_mot: bool = False) -> QuerySet:
    """``queryset`` restricted to the rows whose normalised column ``champ`` holds every word of ``q``.

    ``q`` is a query (split by ``mots()``) or its words already split (``mots(q)[:6]``). A word matches
    anywhere in the column (``champ LIKE '%mot%'``) or, with ``debut_de_mot``, only at the start of one of
    its words (``champ LIKE 'mot%' OR champ LIKE '% mot%'``). No word: ``queryset`` unchanged (the caller
    decides whether an empty query finds everything or nothing).
    """
    termes = mots(q) if isinstance(q, str) else list(q)
    condition = Q()
    for mot in termes:
        if debut_de_mot:
            condition &= Q(**{f"{champ}__startswith": mot}) | Q(**{f"{champ}__contains": f" {mot}"})
        else:
            condition &= Q(**{f"{champ}__contains": mot})
    return queryset.filter(condition) if termes else queryset
