"""Search keys for the lookups: one normalisation for every referential (accents, case, punctuation)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’ʼ‘`´]")


def normalize(text: str) -> str:
    """``"Saint-Étienne-du-Rouvray"`` → ``"saint etienne du rouvray"``; store it in a ``*_recherche`` column."""
    # Apostrophes separate words: « d’affaires » → « d affaires », not « daffaires ».
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub(" ", str(text or "")))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()
