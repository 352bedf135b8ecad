"""The *Nouvelle demande* wizard: which steps apply to a user, and what each step offers.

The choices are always computed from what the user is attached to, so a forged POST of
another company's id is simply not a valid choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from dossiers.enums import CodeDispositif, TypeContrat, TypePublic
from dossiers.models import Dispositif, SousDispositif
from referentiels.models import Entreprise, Etablissement

SESSION_KEY = "nouvelle_demande"


@dataclass(frozen=True)
class Step:
    slug: str
    question: str
    legend: str = ""
    searchable: bool = False


STEPS = [
    Step(
        "entreprise",
        "Quel établissement ou entreprise réalise cette demande?",
        "Entreprise ou établissement rattaché",
        True,
    ),
    Step("etablissement", "Quel établissement effectuant la demande?", "Etablissement effectuant demande", True),
    Step("public", "Quel est le type de public concerné ?"),
    Step("dispositif", "Quel dispositif ?"),
    Step("sous_dispositif", "Quel sous-dispositif ?"),
    Step("type_contrat", "Pour quel type de contrat ou d'avenant ?"),
]
BY_SLUG = {s.slug: s for s in STEPS}
# The steps of some dispositifs only, by code: a période de reconversion is an agreement, not a CERFA contract type
# (its sous-dispositif says internal, external or Pro-A).
ETAPES_DU_DISPOSITIF = {"type_contrat": {CodeDispositif.CONTRAT_PRO}}


RECHERCHE_MAX = 20  # a prestataire searches among every AKTO member: the first matches only


def _etablissements(user):
    """An adhérent's own establishments; for a prestataire, every AKTO member establishment (it searches)."""
    return Etablissement.objects.visible_to(user).filter(adherent=True).select_related("entreprise")


def _entreprises(user):
    return Entreprise.objects.filter(etablissements__in=_etablissements(user)).distinct().order_by("raison_sociale")


def _etablissements_for(user, data):
    qs = _etablissements(user)
    if data.get("entreprise"):
        qs = qs.filter(entreprise_id=data["entreprise"])
    return qs


def etablissement_choisi(user, data) -> Etablissement | None:
    """The chosen establishment, or the only one possible when the step was skipped."""
    qs = _etablissements_for(user, data)
    if data.get("etablissement"):
        return qs.filter(pk=data["etablissement"]).first()
    only = list(qs[:2])
    return only[0] if len(only) == 1 else None


def applies(step: str, user, data) -> bool:
    if step == "entreprise":
        return not user.is_prestataire and _entreprises(user).count() > 1
    if step == "etablissement":
        return user.is_prestataire or _etablissements_for(user, data).count() > 1
    if step == "public":
        etablissement = etablissement_choisi(user, data)
        return bool(etablissement and etablissement.travail_temporaire)
    if step in ETAPES_DU_DISPOSITIF:
        code = Dispositif.objects.filter(pk=data.get("dispositif") or None).values_list("code", flat=True).first()
        return code is None or code in ETAPES_DU_DISPOSITIF[step]
    return True


def _libelle_etablissement(e) -> str:
    return f"{e.denomination} — SIRET {e.siret} — {e.numero_voie} {e.code_postal} {e.commune}"


def choices(step: str, user, data, q: str = "", choix: str | None = None) -> list[tuple[str, str]]:
    """What a step offers. A prestataire's establishment step offers the matches of its search (``q``), and
    on submission only the submitted establishment, if it is an AKTO member (``choix``)."""
    if step == "etablissement" and user.is_prestataire:
        qs = _etablissements(user)
        if choix is not None:
            qs = qs.filter(pk=choix) if str(choix).isdigit() else qs.none()
        elif q:
            qs = qs.recherche(q)[:RECHERCHE_MAX]
        else:
            qs = qs.none()
        return [(str(e.pk), _libelle_etablissement(e)) for e in qs]
    if step == "entreprise":
        qs = _entreprises(user)
        if q:
            qs = qs.filter(
                Q(raison_sociale__icontains=q)
                | Q(siren__contains=q.replace(" ", ""))
                | Q(etablissements__siret__contains=q.replace(" ", ""))
            ).distinct()
        return [(str(e.pk), f"{e.raison_sociale} — SIREN {e.siren}") for e in qs]
    if step == "etablissement":
        qs = _etablissements_for(user, data)
        if q:
            qs = qs.filter(
                Q(entreprise__raison_sociale__icontains=q)
                | Q(enseigne__icontains=q)
                | Q(siret__contains=q.replace(" ", ""))
                | Q(commune__icontains=q)
            )
        return [(str(e.pk), _libelle_etablissement(e)) for e in qs]
    if step == "public":
        return list(TypePublic.choices)
    if step == "dispositif":
        etablissement = etablissement_choisi(user, data)
        return [
            (str(d.pk), d.libelle)
            for d in Dispositif.objects.filter(ouvert=True)
            if etablissement and d.ouvert_pour(etablissement)
        ]
    if step == "sous_dispositif":
        return [
            (str(s.pk), s.libelle)
            for s in SousDispositif.objects.filter(dispositif_id=data.get("dispositif"), ouvert=True)
        ]
    if step == "type_contrat":
        return list(TypeContrat.choices)
    raise KeyError(step)


def applicable_steps(user, data) -> list[str]:
    return [s.slug for s in STEPS if applies(s.slug, user, data)]


def first_missing(user, data) -> str | None:
    for slug in applicable_steps(user, data):
        if slug not in data:
            return slug
    return None


def store(data: dict, step: str, value: str) -> dict:
    """Record a step's answer and forget every later answer (they may no longer fit)."""
    order = [s.slug for s in STEPS]
    kept = {k: v for k, v in data.items() if k in order and order.index(k) < order.index(step)}
    kept[step] = value
    return kept
