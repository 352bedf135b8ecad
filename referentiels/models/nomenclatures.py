"""Nomenclatures: activities (NAF rév. 2, INSEE) and collective agreements (IDCC, with their Légifrance state).

Loaded by ``manage.py import_naf`` and ``manage.py import_idcc``.
"""

__all__ = ["CodeNaf", "ConventionCollective", "EtatConvention", "NiveauNaf"]

import re

from django.db import models
from django.db.models import Q

from referentiels.search import filtrer, mots, normalize

MAX_MOTS = 6  # words of a query used (each one is a LIKE over the titles)


class NiveauNaf(models.TextChoices):
    SECTION = "section", "Section"
    DIVISION = "division", "Division"
    GROUPE = "groupe", "Groupe"
    CLASSE = "classe", "Classe"
    SOUS_CLASSE = "sous-classe", "Sous-classe"


_NAF_CODE = re.compile(r"^(?:[A-U]|\d{2}(?:\.\d(?:\d[A-Z]?)?)?)$")


class CodeNafQuerySet(models.QuerySet):
    def recherche(self, query: str):
        """Sub-classes (the APE codes) by code (``56.10A``, ``5610a``, ``561``) or by words of the title."""
        texte = str(query or "").strip()[:100]
        compact = re.sub(r"[\s.]", "", texte).upper()
        if not compact:
            return self.none()
        queryset = self.filter(niveau=NiveauNaf.SOUS_CLASSE)
        if re.fullmatch(r"\d{1,4}[A-Z]?", compact):
            return queryset.filter(code_compact__startswith=compact).order_by("code")
        termes = mots(texte)[:MAX_MOTS]
        if not termes:
            return self.none()
        return filtrer(queryset, "libelle_recherche", termes, debut_de_mot=True).order_by("code")


class CodeNaf(models.Model):
    code = models.CharField(
        "Code", max_length=6, unique=True, help_text="Forme officielle : A, 56, 56.1, 56.10, 56.10A."
    )
    code_compact = models.CharField(
        "Code sans point", max_length=5, unique=True, help_text="Forme des données SIRENE : 5610A."
    )
    libelle = models.CharField("Libellé", max_length=255)
    libelle_recherche = models.CharField("Libellé normalisé (recherche)", max_length=255, editable=False)
    niveau = models.CharField("Niveau", max_length=11, choices=NiveauNaf.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="enfants", verbose_name="Niveau parent"
    )

    objects = CodeNafQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "code NAF"
        verbose_name_plural = "codes NAF"

    def __str__(self):
        return f"{self.code} — {self.libelle}"

    def save(self, *args, **kwargs):
        self.code_compact = compact_naf(self.code)
        self.libelle_recherche = normalize(self.libelle)
        super().save(*args, **kwargs)


def compact_naf(code: str) -> str:
    """``56.10A`` → ``5610A`` (sections and divisions are unchanged)."""
    return code.replace(".", "")


def niveau_naf(code: str) -> str:
    """Level of an official NAF rév. 2 code; ``ValueError`` for anything else."""
    if not _NAF_CODE.match(code):
        raise ValueError(f"Code NAF invalide : {code!r}")
    if code.isalpha():
        return NiveauNaf.SECTION
    return {2: NiveauNaf.DIVISION, 4: NiveauNaf.GROUPE, 5: NiveauNaf.CLASSE, 6: NiveauNaf.SOUS_CLASSE}[len(code)]


class EtatConvention(models.TextChoices):
    """Légifrance (KALI) states, from the most to the least alive: a convention's ``statut`` is its best one."""

    VIGUEUR_ETEN = "VIGUEUR_ETEN", "En vigueur, étendue"
    VIGUEUR_NON_ETEN = "VIGUEUR_NON_ETEN", "En vigueur, non étendue"
    VIGUEUR = "VIGUEUR", "En vigueur"
    MODIFIE = "MODIFIE", "Modifiée"
    REMPLACE = "REMPLACE", "Remplacée"
    ABROGE = "ABROGE", "Abrogée"
    DENONCE = "DENONCE", "Dénoncée"
    PERIME = "PERIME", "Périmée"
    INCONNU = "", "Inconnu de Légifrance"


ETATS_EN_VIGUEUR = {EtatConvention.VIGUEUR_ETEN, EtatConvention.VIGUEUR_NON_ETEN, EtatConvention.VIGUEUR}


def statut_convention(etats: list[str]) -> tuple[str, bool]:
    """(best known state, active) for the Légifrance states of one IDCC.

    Active when one of its texts is in force, or when Légifrance knows none (``9999`` « sans convention »,
    public-sector statuses, some regional agreements): an unknown state must not block a choice.
    """
    ordre = list(EtatConvention.values)
    connus = sorted((etat for etat in etats if etat in ordre and etat), key=ordre.index)
    if not connus:
        return EtatConvention.INCONNU, True
    return connus[0], connus[0] in ETATS_EN_VIGUEUR


class ConventionCollectiveQuerySet(models.QuerySet):
    def actives(self):
        return self.filter(active=True)

    def recherche(self, query: str):
        """By IDCC (``1979``, ``19``, ``0016`` or ``16``) or by words of the title; active ones first."""
        texte = str(query or "").strip()[:100]
        if not texte:
            return self.none()
        if texte.isdigit():
            condition = Q(idcc__startswith=texte)
            if len(texte) < 4:
                condition |= Q(idcc=texte.zfill(4))
            queryset = self.filter(condition)
        else:
            termes = mots(texte)[:MAX_MOTS]
            if not termes:
                return self.none()
            queryset = filtrer(self, "titre_recherche", termes, debut_de_mot=True)
        return queryset.order_by("-active", "idcc")


class ConventionCollective(models.Model):
    idcc = models.CharField("IDCC", max_length=4, unique=True)
    titre = models.CharField("Intitulé", max_length=300)
    titre_recherche = models.CharField("Intitulé normalisé (recherche)", max_length=300, editable=False)
    etats_legifrance = models.CharField(
        "États Légifrance",
        max_length=100,
        blank=True,
        help_text="États des textes de base sur Légifrance, séparés par « | » (ex. VIGUEUR_ETEN|ABROGE).",
    )
    statut = models.CharField("Statut", max_length=16, choices=EtatConvention.choices, blank=True)
    active = models.BooleanField("Active", default=True, help_text="En vigueur, ou état inconnu de Légifrance.")

    objects = ConventionCollectiveQuerySet.as_manager()

    class Meta:
        ordering = ["idcc"]
        verbose_name = "convention collective"
        verbose_name_plural = "conventions collectives"
        constraints = [
            models.CheckConstraint(
                condition=Q(idcc__regex=r"^[0-9]{4}$"),
                name="convention_idcc_4_chiffres",
                violation_error_message="L'IDCC comporte 4 chiffres.",
            )
        ]

    def __str__(self):
        return f"{self.idcc} — {self.titre}"

    def save(self, *args, **kwargs):
        self.titre_recherche = normalize(self.titre)
        self.statut, self.active = statut_convention(self.etats_legifrance.split("|"))
        super().save(*args, **kwargs)
