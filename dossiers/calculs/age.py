"""Ages, in full years (« ans révolus »): the rules, the minimum salary and the funding estimate count them here."""

from __future__ import annotations

import datetime as dt


def age_revolu(naissance: dt.date, le: dt.date) -> int:
    """Age in full years on ``le``: a birthday is reached on its day (29 February: on 1 March in common years)."""
    return le.year - naissance.year - ((le.month, le.day) < (naissance.month, naissance.day))
