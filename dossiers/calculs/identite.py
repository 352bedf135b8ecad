"""Identity check of the salarié: does this NIR go with this birth name? (RULES.md X-26, NIR vs nom).

A port with adapters. The rule ``SALARIE_NIR_NOM_NAISSANCE`` (``dossiers/rules/salarie.py``) asks
``get_identity_verifier().verify(...)`` and shows one fixed message on ``DISCORDANT``; it never learns
anything else. The adapter is chosen by the setting ``IDENTITY_VERIFIER`` (dotted path to a class, or
to a zero-argument factory, returning an ``IdentityVerifier``); the default is the embedded
``PortalIdentityVerifier``. An external service (e.g. a national identity registry) is added as
another adapter, without touching the rule.

Confidentiality: the NIR travels only as its keyed fingerprint (``portal.chiffrement.fingerprint`` of
the normalised NIR), and the answer is a bare verdict: nothing about the other dossier — its name,
company, number or even whether there are several — is returned.
"""

from __future__ import annotations

import enum
import re
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from portal.chiffrement import fingerprint
from referentiels.search import normalize
from referentiels.validators import normalize_nir

DEFAULT_IDENTITY_VERIFIER = "dossiers.calculs.identite.PortalIdentityVerifier"


class Verdict(enum.Enum):
    CONCORDANT = "concordant"  # the NIR is known under this birth name
    DISCORDANT = "discordant"  # the NIR is known, under another birth name only
    INCONNU = "inconnu"  # nothing to compare with (or the source could not answer)


@runtime_checkable
class IdentityVerifier(Protocol):
    """Compares a NIR (as its fingerprint) with a birth name.

    ``exclude_dossier_id``: the dossier being checked, whose own stored values must not answer for it.
    An adapter that cannot answer (service down, timeout…) returns ``Verdict.INCONNU``: it never raises
    for an unavailable source, and never returns anything but the verdict.
    """

    def verify(self, nir_fingerprint: str, nom_naissance: str, *, exclude_dossier_id: int | None) -> Verdict: ...


_SEPARATORS = re.compile(r"\s+")


def cle_nom(nom: str) -> str:
    """Comparison key of a name: accents, case, spaces, hyphens and apostrophes ignored.

    ``"Le Gall"``, ``"LEGALL"`` and ``"le-gall"`` give ``"legall"``; ``"N'Diaye"`` and ``"NDIAYE"`` agree.
    """
    return _SEPARATORS.sub("", normalize(nom))


def empreinte_nir(nir: str) -> str:
    """Keyed fingerprint of a NIR as typed (the same value ``Salarie.nir_empreinte`` stores)."""
    return fingerprint(normalize_nir(nir))


class PortalIdentityVerifier:
    """Embedded adapter: the birth names already recorded in the portal for the same NIR.

    Every dossier counts, whatever its company or state, except the one being checked. The current
    name agrees with at least one recorded name → ``CONCORDANT``; only other names → ``DISCORDANT``;
    the NIR is recorded nowhere else (or only without a birth name) → ``INCONNU``. One query.
    """

    def verify(self, nir_fingerprint: str, nom_naissance: str, *, exclude_dossier_id: int | None) -> Verdict:
        from dossiers.models import Salarie

        cle = cle_nom(nom_naissance)
        if not nir_fingerprint or not cle:
            return Verdict.INCONNU
        recorded = Salarie.objects.filter(nir_empreinte=nir_fingerprint).exclude(nom_naissance="")
        if exclude_dossier_id is not None:
            recorded = recorded.exclude(dossier_id=exclude_dossier_id)
        cles = {cle_nom(nom) for nom in recorded.order_by().values_list("nom_naissance", flat=True)}
        cles.discard("")
        if not cles:
            return Verdict.INCONNU
        return Verdict.CONCORDANT if cle in cles else Verdict.DISCORDANT


def get_identity_verifier() -> IdentityVerifier:
    """The adapter named by ``settings.IDENTITY_VERIFIER`` (default: ``PortalIdentityVerifier``).

    Resolved at each call, so that ``override_settings`` and a configuration change are honoured.
    """
    path = getattr(settings, "IDENTITY_VERIFIER", "") or DEFAULT_IDENTITY_VERIFIER
    return import_string(path)()
