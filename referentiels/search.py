"""Search keys for the lookups: one normalisation for every referential (accents, case, punctuation)."""
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """``"Saint-Étienne-du-Rouvray"`` → ``"saint etienne du rouvray"``; store it in a ``*_recherche`` column."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()
