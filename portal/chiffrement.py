"""Encryption at rest of personal data (the NIR) and keyed fingerprints to compare it without decrypting.

Keys come from settings: ``PERSONAL_DATA_KEY`` (a Fernet key) and ``PERSONAL_DATA_HASH_KEY``; when
they are not set (embedded run, tests) both are derived from ``SECRET_KEY`` with distinct labels.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode() if key else base64.urlsafe_b64encode(_derive("personal-data-encryption")))


def _hash_key() -> bytes:
    configured = getattr(settings, "PERSONAL_DATA_HASH_KEY", "")
    return configured.encode() if configured else _derive("personal-data-fingerprint")


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(getattr(settings, "PERSONAL_DATA_KEY", "")).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(getattr(settings, "PERSONAL_DATA_KEY", "")).decrypt(token.encode()).decode()
    except InvalidToken as error:  # a key changed without re-encryption: fail loudly, never show garbage
        raise ValueError("Donnée chiffrée illisible avec la clé configurée (PERSONAL_DATA_KEY).") from error


def fingerprint(value: str) -> str:
    """HMAC-SHA256 of a normalised value: equal values have equal fingerprints, nothing else leaks."""
    if not value:
        return ""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()
