"""The shared cache, read and written so that an outage is a miss: the page is computed again, never a 500.

``CACHES`` (portal/settings/base.py) is Redis when ``REDIS_URL`` is set, each process's memory otherwise. The
CERFA (documents/cerfa/rendu.py) and the Sirene client (referentiels/sirene.py) go through these two functions.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def lire(key: str) -> Any:
    """The cached value, or None when absent or when the cache does not answer."""
    try:
        return cache.get(key)
    except Exception as error:  # Redis down or slow: computing again is the fallback
        logger.warning("Cache indisponible en lecture (%s).", type(error).__name__)
        return None


def ecrire(key: str, value: Any, timeout: float | None) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        logger.warning("Cache indisponible en écriture (%s).", type(error).__name__)
