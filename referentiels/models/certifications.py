"""France compétences certifications (RNCP and Répertoire spécifique) and their replacement links.

Filled by ``manage.py import_rncp`` from the official export (see that command). A replacement link is
stored as a pair of codes, not foreign keys: the export often names a *nouvelle certification* that is
not in the table (not yet published, or outside a partial import), and such a broken link must be kept
and detected rather than dropped.

Replacement chain semantics (``Certification.replacement_chain()``), old → new:

* each hop follows one link ``ancien_code → nouveau_code``; the chain excludes the starting fiche;
* it stops at a fiche without successor, at a code absent from the table (``broken_code``), at a fiche
  already visited (``cycle_code``) or after ``MAX_HOPS`` hops;
* when a fiche has several *nouvelles certifications* (a split), the hop takes, in this order: a
  successor present and active; then one whose own chain reaches an active fiche; then any present
  one; absent (broken) codes last; ties go to the most recent registration (highest number), then to
  the code. The choice is therefore deterministic and does not depend on the database row order;
* the active successor is the first active fiche of that chain (``None`` when there is none).

Chains are computed in bulk (``replacement_chains()``, ``active_successors()``): two queries per hop for
any number of starting fiches, never one per fiche.
"""

__all__ = [
    "Certification",
    "CertificationMot",
    "CertificationRemplacement",
    "ReplacementChain",
    "TypeCertification",
    "active_successors",
    "replacement_chains",
]

import re
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property

from referentiels.search import mots, normalize
from referentiels.validators import regex_code_certification

MAX_HOPS = 20
_CODE_NUMBER = re.compile(r"[0-9]+")


class TypeCertification(models.TextChoices):
    RNCP = "RNCP", "Répertoire national des certifications professionnelles (RNCP)"
    RS = "RS", "Répertoire spécifique (RS)"


class Certification(models.Model):
    """One France compétences *fiche*: ``RNCP34567`` or ``RS5063``, active or not."""

    code = models.CharField("Code", max_length=20, unique=True, help_text="RNCP ou RS suivi du numéro de fiche.")
    type = models.CharField("Répertoire", max_length=4, choices=TypeCertification.choices)
    intitule = models.TextField("Intitulé")
    intitule_recherche = models.TextField("Clé de recherche", editable=False, default="")
    abrege_libelle = models.CharField(
        "Abrégé", max_length=50, blank=True, help_text="Type de diplôme ou titre (CAP, BTS, TP, MASTER…)."
    )
    abrege_intitule = models.CharField("Abrégé (intitulé)", max_length=200, blank=True)
    niveau = models.PositiveSmallIntegerField(
        "Niveau (cadre européen)",
        null=True,
        blank=True,
        help_text="1 à 8 ; vide pour le Répertoire spécifique et les fiches « sans niveau ».",
    )
    actif = models.BooleanField("Active", default=False)
    date_fin_enregistrement = models.DateField("Date de fin d'enregistrement", null=True, blank=True)
    type_enregistrement = models.CharField(
        "Type d'enregistrement", max_length=50, blank=True, help_text="De droit ou sur demande."
    )
    accessible_contrat_pro = models.BooleanField(
        "Accessible en contrat de professionnalisation",
        null=True,
        blank=True,
        help_text="Selon les voies d'accès de la fiche ; vide quand la fiche n'en déclare aucune.",
    )
    codes_nsf = models.CharField("Codes NSF", max_length=200, blank=True, help_text="Ex : « 221w, 326 ».")
    certificateurs = models.TextField("Certificateurs", blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            # The word lookup scans this narrow index in its own order (active first, then alphabetical) and
            # stops at the 20th match, instead of scanning and sorting the table (3× faster on SQLite, 30k rows).
            models.Index(fields=["-actif", "intitule_recherche", "code"], name="certification_recherche_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type="RNCP", code__regex=regex_code_certification("RNCP"))
                | Q(type="RS", code__regex=regex_code_certification("RS")),
                name="certification_code_selon_repertoire",
                violation_error_message="Le code s'écrit RNCP ou RS suivi du numéro de fiche, selon le répertoire.",
            ),
            models.CheckConstraint(
                condition=Q(niveau__isnull=True) | Q(niveau__gte=1, niveau__lte=8),
                name="certification_niveau_1_a_8",
                violation_error_message="Le niveau du cadre européen va de 1 à 8.",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.intitule}"

    def save(self, *args, **kwargs):
        self.intitule_recherche = self.search_key()
        super().save(*args, **kwargs)
        CertificationMot.synchronise([self.pk])

    def search_key(self) -> str:
        """The title with its abbreviation, so that « cap boulanger » finds a CAP whose title omits it."""
        return search_key(self.intitule, self.abrege_libelle)

    @property
    def numero(self) -> int:
        return code_number(self.code)

    @property
    def nsf(self) -> list[str]:
        """The 3-digit NSF specialities (the cerfa's F11 box), without the export's letter suffix."""
        return list(dict.fromkeys(code[:3] for code in self.codes_nsf.replace(",", " ").split() if code[:3].isdigit()))

    @property
    def url_france_competences(self) -> str:
        repertoire = "rncp" if self.type == TypeCertification.RNCP else "rs"
        return f"https://www.francecompetences.fr/recherche/{repertoire}/{self.numero}/"

    def replacement_details(self) -> "ReplacementChain":
        return replacement_chains([self])[self.code]

    def replacement_chain(self) -> list["Certification"]:
        """Certifications followed old → new from this one (itself excluded); see the module docstring."""
        return self.replacement_details().certifications

    @cached_property
    def active_successor(self) -> "Certification | None":
        """The first active certification of the replacement chain, or ``None``."""
        return self.replacement_details().active_successor


class CertificationRemplacement(models.Model):
    """« ancienne certification → nouvelle certification », as France compétences publishes it."""

    ancien_code = models.CharField("Ancienne certification", max_length=20)
    nouveau_code = models.CharField("Nouvelle certification", max_length=20, db_index=True)

    class Meta:
        ordering = ["ancien_code", "nouveau_code"]
        verbose_name = "remplacement de certification"
        verbose_name_plural = "remplacements de certifications"
        constraints = [
            models.UniqueConstraint(fields=["ancien_code", "nouveau_code"], name="certification_remplacement_unique"),
            models.CheckConstraint(
                condition=~Q(ancien_code=F("nouveau_code")),
                name="certification_remplacement_pas_elle_meme",
                violation_error_message="Une certification ne se remplace pas elle-même.",
            ),
        ]

    def __str__(self):
        return f"{self.ancien_code} → {self.nouveau_code}"


class CertificationMot(models.Model):
    """Search index: one row per distinct word of a certification's ``intitule_recherche``.

    A word search reads index ranges here (``mot`` starting with each typed word) instead of
    scanning every title: it stays fast on the full RNCP table, on SQLite and PostgreSQL alike.
    """

    MAX_LENGTH = 30

    mot = models.CharField(max_length=MAX_LENGTH)
    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mot", "certification"], name="certification_mot_unique")]

    def __str__(self):
        return self.mot

    @classmethod
    def synchronise(cls, ids=None) -> int:
        """Rebuild the words of the certifications ``ids`` (all when None); returns the rows written."""
        certifications = Certification.objects.order_by()
        if ids is not None:
            certifications = certifications.filter(pk__in=ids)
            cls.objects.filter(certification_id__in=ids).delete()
        else:
            cls.objects.all().delete()
        rows = [
            cls(mot=mot, certification_id=pk)
            for pk, recherche in certifications.values_list("pk", "intitule_recherche").iterator(chunk_size=5000)
            for mot in dict.fromkeys(m[: cls.MAX_LENGTH] for m in recherche.split())
        ]
        cls.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    @classmethod
    def matching(cls, word: str):
        """Ids of certifications having a word that starts with ``word`` (an index range)."""
        # Normalised words are [a-z0-9]: "{" sorts right after "z", so [word, word + "{") is the prefix range.
        word = word[: cls.MAX_LENGTH]
        return cls.objects.filter(mot__gte=word, mot__lt=word + "{").values("certification_id")


def code_number(code: str) -> int:
    match = _CODE_NUMBER.search(code or "")
    return int(match.group()) if match else 0


def search_key(intitule: str, abrege_libelle: str = "") -> str:
    return normalize(f"{intitule} {abrege_libelle}")


def search_words(text: str) -> list[str]:
    """The distinct words of a query, normalised like ``intitule_recherche``: ``referentiels.search.mots``."""
    return mots(text)


@dataclass
class ReplacementChain:
    """Where a certification leads: the certifications followed, and why the walk stopped."""

    start: str
    certifications: list[Certification] = field(default_factory=list)
    broken_code: str | None = None  # a link points to this code, absent from the table
    cycle_code: str | None = None  # the walk came back to this code

    @property
    def active_successor(self) -> Certification | None:
        return next((certification for certification in self.certifications if certification.actif), None)


class _Graph:
    """The part of the replacement graph reachable from some codes, loaded hop by hop (2 queries a hop)."""

    def __init__(self, start: list[Certification]):
        self.successors: dict[str, list[str]] = {}
        self.certifications: dict[str, Certification | None] = {c.code: c for c in start}
        frontier = set(self.certifications)
        for _ in range(MAX_HOPS):
            frontier -= self.successors.keys()
            if not frontier:
                break
            for code in frontier:
                self.successors[code] = []
            links = CertificationRemplacement.objects.filter(ancien_code__in=frontier).values_list(
                "ancien_code", "nouveau_code"
            )
            for ancien, nouveau in links:
                self.successors[ancien].append(nouveau)
            frontier = {code for codes in self.successors.values() for code in codes} - self.certifications.keys()
            found = Certification.objects.in_bulk(frontier, field_name="code") if frontier else {}
            for code in frontier:
                self.certifications[code] = found.get(code)

    def reaches_active(self, code: str) -> bool:
        seen, stack = set(), [code]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            certification = self.certifications.get(current)
            if certification is None:
                continue
            if certification.actif:
                return True
            stack.extend(self.successors.get(current, []))
        return False

    def preference(self, code: str) -> tuple:
        certification = self.certifications.get(code)
        if certification is None:
            rank = 3
        elif certification.actif:
            rank = 0
        elif self.reaches_active(code):
            rank = 1
        else:
            rank = 2
        return rank, -code_number(code), code

    def walk(self, start: str) -> ReplacementChain:
        chain = ReplacementChain(start=start)
        visited = {start}
        current = start
        for _ in range(MAX_HOPS):
            candidates = self.successors.get(current, [])
            if not candidates:
                break
            nxt = candidates[0] if len(candidates) == 1 else min(candidates, key=self.preference)
            if nxt in visited:
                chain.cycle_code = nxt
                break
            certification = self.certifications.get(nxt)
            if certification is None:
                chain.broken_code = nxt
                break
            chain.certifications.append(certification)
            visited.add(nxt)
            current = nxt
        return chain


def replacement_chains(certifications) -> dict[str, ReplacementChain]:
    """``{code: ReplacementChain}`` for each certification, computed together (queries per hop, not per row)."""
    certifications = list(certifications)
    if not certifications:
        return {}
    graph = _Graph(certifications)
    return {c.code: graph.walk(c.code) for c in certifications}


def active_successors(certifications) -> dict[str, Certification | None]:
    """``{code: active successor or None}`` for the *inactive* certifications given (active ones map to None)."""
    certifications = list(certifications)
    inactive = [c for c in certifications if not c.actif]
    chains = replacement_chains(inactive)
    return {c.code: (None if c.actif else chains[c.code].active_successor) for c in certifications}
