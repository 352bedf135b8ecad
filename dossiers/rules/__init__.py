"""The rules engine: every check of a dossier, declared once with a stable code.

``check(dossier)`` is a pure function of the dossier (saved or held in memory with unsaved
values) returning ``Anomalie`` rows. Tab bullets, messages under fields, *Transmettre* and the
CERFA all read this one result. Rule modules (one per tab) register their rules on import.

Each rule says which dispositifs it applies to (``dispositifs=``, the codes of ``enums.CodeDispositif``; by default
the contrat de professionnalisation's); ``check`` runs only those of the dossier's dispositif.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dossiers.enums import AnomalieKind, CodeDispositif, OngletDossier, OngletReconversion

MESSAGE_OBLIGATOIRE = "Saisie obligatoire"

CONTRAT_PRO = (CodeDispositif.CONTRAT_PRO.value,)  # the default: the ~150 rules of the contrat de professionnalisation
RECONVERSION = (CodeDispositif.RECONVERSION.value,)
PARTAGEE = (*CONTRAT_PRO, *RECONVERSION)  # a rule both dispositifs share (Employeur, identity, Documents, Synthèse)


def code_dispositif(dossier) -> str:
    """The code of the dossier's dispositif (loaded with it: ``chargement.PARTIES``); a dossier without one yet is a
    contrat de professionnalisation."""
    dispositif = getattr(dossier, "dispositif", None) if getattr(dossier, "dispositif_id", None) else None
    return dispositif.code if dispositif is not None else CodeDispositif.CONTRAT_PRO.value


def code_champ(onglet: str, name: str, suffixe: str) -> str:
    """A field-level code: ``SALARIE_NIR_OBLIGATOIRE`` (a mandatory field), ``SALARIE_NIR_INVALIDE`` (its format)."""
    return f"{onglet.upper()}_{name.upper()}_{suffixe}"


@dataclass(frozen=True)
class Anomalie:
    onglet: str
    field: str
    kind: str
    code: str
    message: str
    bloquant: bool = True  # False: an alert (WARN), shown but never blocking the tab or the transmission


@dataclass(frozen=True)
class Rule:
    """A check speaking of ``fields`` of tab ``onglet``.

    ``violated(dossier)`` returns True when the rule is broken. A business rule is evaluated
    only when every field in ``reads`` is filled (``filled(dossier, name)``): the guide shows
    cross-field messages only once all their fields are entered; a missing field has its own
    *Saisie obligatoire* rule.
    """

    code: str
    onglet: str
    fields: tuple[str, ...]
    kind: str
    message: str
    violated: Callable[[object], bool]
    reads: tuple[str, ...] = ()
    description: str = ""
    conditional: bool = False
    condition: Callable[[object], bool] | None = None
    bloquant: bool = True
    source: str = ""  # the legal basis, e.g. "Code du travail, art. L6325-1"
    exigences: tuple[str, ...] = ()  # the RULES.md ids this rule implements, e.g. ("DUR-03",)
    # The message for this dossier, when it says more than ``message``.
    message_de: Callable[[object], str] | None = None
    dispositifs: tuple[str, ...] = CONTRAT_PRO  # the codes of the dispositifs it applies to

    @property
    def severite(self) -> str:
        return "Bloquant" if self.bloquant else "Alerte"

    def anomalies(self, dossier) -> list[Anomalie]:
        if self.reads and not all(_filled(value_of(dossier, self.onglet, name)) for name in self.reads):
            return []
        if not self.violated(dossier):
            return []
        message = self.message_de(dossier) if self.message_de else self.message
        return [Anomalie(self.onglet, name, self.kind, self.code, message, self.bloquant) for name in self.fields]


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)
    getters: dict[str, Callable[[object], object]] = field(default_factory=dict)

    def register(self, rule: Rule) -> Rule:
        if any(r.code == rule.code for r in self.rules):
            raise ValueError(f"Règle déclarée deux fois : {rule.code}")
        self.rules.append(rule)
        return rule


REGISTRY = Registry()


def source(onglet: str, getter: Callable[[object], object]) -> None:
    """Declare where a tab's fields live: ``getter(dossier)`` returns the object holding them."""
    REGISTRY.getters[onglet] = getter


def value_of(dossier, onglet: str, name: str):
    return getattr(REGISTRY.getters[onglet](dossier), name)


def _filled(value) -> bool:
    """None and blank text are empty; False is an answer (« Non »), an unticked box is handled by ``coche``."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def obligatoire(
    onglet: str,
    name: str,
    *,
    when: Callable[[object], bool] | None = None,
    code: str | None = None,
    coche: bool = False,
    exigences: Iterable[str] = (),
    source: str = "",
    dispositifs: tuple[str, ...] = CONTRAT_PRO,
):
    """A mandatory field; with ``when``, mandatory only under that condition; ``coche``: a box to tick.

    ``exigences``: the RULES.md ids the obligation implements (TUT-01, X-10…); ``source``: its legal basis;
    ``dispositifs``: the codes of the dispositifs it applies to.
    """

    def missing(d):
        value = value_of(d, onglet, name)
        return value is not True if coche else not _filled(value)

    return REGISTRY.register(
        Rule(
            code=code or code_champ(onglet, name, "OBLIGATOIRE"),
            onglet=onglet,
            fields=(name,),
            kind=AnomalieKind.OBLIGATOIRE,
            message=MESSAGE_OBLIGATOIRE,
            violated=lambda d: (when is None or when(d)) and missing(d),
            conditional=when is not None,
            condition=when,
            exigences=tuple(exigences),
            source=source,
            dispositifs=tuple(dispositifs),
        )
    )


def regle(
    code: str,
    onglet: str,
    fields: Iterable[str],
    message: str,
    *,
    reads: Iterable[str] = (),
    description: str = "",
    alerte: bool = False,
    source: str = "",
    exigences: Iterable[str] = (),
    message_de: Callable[[object], str] | None = None,
    dispositifs: tuple[str, ...] = CONTRAT_PRO,
):
    """Decorator declaring a business rule: the function returns True when the rule is broken.

    ``alerte=True`` declares a WARN rule: its message is shown, visibly distinct from errors, but it
    neither turns the tab's bullet red nor blocks the transmission. ``source`` names the legal basis,
    ``exigences`` the RULES.md ids it implements (shown on ``/regles/``). ``message_de(dossier)``, when given,
    words the message for this dossier (e.g. which other dossiers are counted); ``message`` stays the
    general wording listed on ``/regles/``.
    """

    def decorator(violated):
        REGISTRY.register(
            Rule(
                code=code,
                onglet=onglet,
                fields=tuple(fields),
                kind=AnomalieKind.REGLE,
                message=message,
                violated=violated,
                reads=tuple(reads),
                description=description or (violated.__doc__ or "").strip(),
                bloquant=not alerte,
                source=source,
                exigences=tuple(exigences),
                message_de=message_de,
                dispositifs=tuple(dispositifs),
            )
        )
        return violated

    return decorator


def lu_une_fois(dossier, nom: str, cle: tuple, lire: Callable[[], object], *, relire: bool = False):
    """What a rule reads from other dossiers, kept on the dossier instance under ``nom`` with ``cle`` (the in-memory
    values the reading depends on): the rule reads afresh (``relire=True``: other dossiers may have changed since the
    last check), its message (``message_de``) then reuses that reading while ``cle`` is unchanged: one query."""
    lu = dossier.__dict__.get(nom)
    if relire or lu is None or lu[0] != cle:
        lu = dossier.__dict__[nom] = (cle, lire())
    return lu[1]


def regles_du_dossier(dossier) -> list[Rule]:
    """The rules of the dossier's dispositif, in declaration order."""
    code = code_dispositif(dossier)
    return [rule for rule in REGISTRY.rules if code in rule.dispositifs]


def check(dossier) -> list[Anomalie]:
    """Every anomaly of the dossier, in declaration order."""
    return [a for rule in regles_du_dossier(dossier) for a in rule.anomalies(dossier)]


def check_onglet(dossier, onglet: str) -> list[Anomalie]:
    return [a for rule in regles_du_dossier(dossier) if rule.onglet == onglet for a in rule.anomalies(dossier)]


def mandatory_fields(onglet: str, dossier=None) -> set[str]:
    """Fields mandatory on a tab (shown with a leading *): always, or, given the dossier, right now."""
    return {
        rule.fields[0]
        for rule in (REGISTRY.rules if dossier is None else regles_du_dossier(dossier))
        if rule.onglet == onglet
        and rule.kind == AnomalieKind.OBLIGATOIRE
        and (not rule.conditional or (dossier is not None and rule.condition(dossier)))
    }


def related_fields(onglet: str, name: str) -> set[str]:
    """Fields that share a business rule with ``name`` (their messages change when it changes)."""
    return {
        field
        for rule in REGISTRY.rules
        if rule.onglet == onglet and rule.kind == AnomalieKind.REGLE and (name in rule.fields or name in rule.reads)
        for field in rule.fields
    }


def onglets_en_anomalie(anomalies: Iterable[Anomalie]) -> set[str]:
    """Tabs with a blocking anomaly (alerts never turn a bullet red)."""
    return {a.onglet for a in anomalies if a.bloquant}


def onglets_invalides(dossier, anomalies: Iterable[Anomalie] | None = None) -> list[str]:
    """The labels of the tabs that still have a blocking anomaly, in the tabs' order: what *Transmettre* refuses
    and what keeps the CERFA's draft watermark. Empty: the dossier is valid."""
    en_anomalie = onglets_en_anomalie(check(dossier) if anomalies is None else anomalies)
    return [o.label for o in (*OngletDossier, *OngletReconversion) if o.value in en_anomalie]


# Rule modules register on import, in the tabs' order.
from dossiers.rules import (  # noqa: E402, F401
    accord,
    contrat,
    documents,
    employeur,
    financement,
    formation,
    introduction,
    salarie,
    synthese,
)
