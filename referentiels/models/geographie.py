"""Geography referential: départements, communes (current and former) and their postal codes.

Loaded from the INSEE Code officiel géographique as published by ``@etalab/decoupage-administratif``
(``manage.py import_communes``). A commune code INSEE is *not* unique on its own: the delegated commune
that keeps the chef-lieu of a commune nouvelle shares its code (Arbignieu and Arboys en Bugey are both
``01015``), so a commune is identified by ``(code, type)``.
"""

__all__ = ["CodePostal", "Commune", "CommuneMot", "CommuneQuerySet", "Departement", "TypeCommune"]

import re

from django.db import models
from django.db.models import Q

from referentiels.search import mots, normalize
from referentiels.validators import validate_postal_code

# Longest word stored in the search index (the longest real one is 20 characters).
MOT_MAX_LENGTH = 40
# Abbreviations typed for "Saint" / "Sainte": ``st etienne`` finds Saint-Étienne.
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_CODE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")

# ``CommuneMot.ordre``: current communes, then words that start the name, then the most populated.
_POPULATION_MAX = 9_999_999
ORDRE_NON_PREMIER = 10_000_000
ORDRE_HISTORIQUE = 20_000_000


class Departement(models.Model):
    code = models.CharField("Code", max_length=3, unique=True, help_text="01 à 95, 2A, 2B, 971 à 976, 975 à 989.")
    nom = models.CharField("Nom", max_length=100)
    region = models.CharField("Code région", max_length=3, blank=True)
    zone = models.CharField("Zone", max_length=5, blank=True, help_text="metro, drom ou com.")

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.code} — {self.nom}"


class TypeCommune(models.TextChoices):
    ACTUELLE = "commune-actuelle", "Commune"
    DELEGUEE = "commune-deleguee", "Commune déléguée"
    ASSOCIEE = "commune-associee", "Commune associée"
    ARRONDISSEMENT = "arrondissement-municipal", "Arrondissement municipal"


def word_range(word: str) -> tuple[str, str]:
    """Bounds of the index range holding every search word that starts with ``word``.

    Search words are ``[a-z0-9]+``, so ``word + "z" * MOT_MAX_LENGTH`` is above all of them, in binary
    (SQLite) and in linguistic (PostgreSQL) collations alike; ``BETWEEN`` then uses the B-tree index.
    """
    return word, word + "z" * MOT_MAX_LENGTH


def _condition_mot(mot: str) -> Q:
    condition = Q(mot__range=word_range(mot))
    if mot in ABREVIATIONS:
        condition |= Q(mot=ABREVIATIONS[mot])
    return condition


class CommuneQuerySet(models.QuerySet):
    def actuelles(self):
        return self.filter(actuelle=True)

    def du_code_postal(self, code: str):
        """Current communes served by a postal code, by name."""
        return self.actuelles().filter(codes_postaux__code=code).order_by("nom_recherche", "code")

    def recherche(self, query: str, *, historiques: bool = False, departement: str = "", limit: int = 20) -> list[int]:
        """Primary keys of at most ``limit`` communes matching ``query``, the most relevant first.

        A commune matches when each word of the query starts a word of its name (accents, case and
        punctuation ignored; ``st``/``ste`` also stand for saint/sainte). Order: current communes first
        (the others only with ``historiques``), exact name, first query word starting the name, most
        populated. A one-character query only matches a one-character name (Y, Somme); a code INSEE or a
        postal code finds its communes.

        The candidates come from the ``CommuneMot`` index alone (range scan + top-N on ``ordre``), so
        the cost does not grow with the number of communes matched.
        """
        communes = self if historiques else self.filter(actuelle=True)
        if departement:
            communes = communes.filter(departement_id=departement)
        code = str(query or "").strip().upper()
        if _CODE.match(code):
            ids = set(CodePostal.objects.filter(code=code).values_list("commune_id", flat=True)[:200])
            ids.update(Commune.objects.filter(code=code).values_list("pk", flat=True))
            communes = communes.filter(pk__in=ids).order_by("-actuelle", "nom_recherche", "code")
            return list(communes.values_list("pk", flat=True)[:limit])
        cle = normalize(query)[:100]
        termes = mots(cle)[:6]
        if not termes:
            return []
        cles = {
            pk: (not actuelle, 0, 0, pk)
            for pk, actuelle in communes.filter(nom_recherche=cle).values_list("pk", "actuelle")[:limit]
        }
        if len(cle) >= 2:
            candidats = CommuneMot.objects.filter(_condition_mot(termes[0]))
            for mot in termes[1:]:
                autres = CommuneMot.objects.filter(_condition_mot(mot)).values("commune_id")
                candidats = candidats.filter(commune_id__in=autres)
            if not historiques:
                candidats = candidats.filter(ordre__lt=ORDRE_HISTORIQUE)
            if departement:
                candidats = candidats.filter(
                    commune_id__in=Commune.objects.filter(departement_id=departement).values("pk")
                )
            # The top rows by ``ordre``, without GROUP BY (a commune may match through several words):
            # deduplicated here, reading further only in the rare case the first batch held too many.
            voulus, lu, lot = limit + len(cles), 0, 4 * (limit + len(cles))
            candidats = candidats.order_by("ordre", "commune_id").values_list("commune_id", "ordre")
            while True:
                rows = list(candidats[lu : lu + lot])
                for pk, ordre in rows:
                    if len(cles) >= voulus:
                        break
                    cles.setdefault(pk, (ordre >= ORDRE_HISTORIQUE, 1, ordre, pk))
                lu += len(rows)
                if len(rows) < lot or len(cles) >= voulus:
                    break
        return sorted(cles, key=cles.get)[:limit]


class Commune(models.Model):
    code = models.CharField("Code INSEE", max_length=5)
    nom = models.CharField("Nom", max_length=100)
    nom_recherche = models.CharField("Nom normalisé (recherche)", max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, to_field="code", related_name="communes", verbose_name="Département"
    )
    type = models.CharField("Type", max_length=24, choices=TypeCommune.choices, default=TypeCommune.ACTUELLE)
    actuelle = models.BooleanField(
        "Commune actuelle",
        default=True,
        help_text="Commune de plein exercice au dernier Code officiel géographique ; les communes déléguées, "
        "associées et les arrondissements municipaux sont gardés pour les lieux de naissance.",
    )
    commune_parente = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes_rattachees",
        verbose_name="Commune de rattachement",
        help_text="Commune nouvelle ou de rattachement (communes déléguées et associées), "
        "commune des arrondissements municipaux (Paris, Lyon, Marseille).",
    )
    population = models.PositiveIntegerField("Population municipale", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom_recherche", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "type"], name="commune_code_type_unique")]

    def __str__(self):
        return f"{self.nom} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normalize(self.nom)
        self.actuelle = self.type == TypeCommune.ACTUELLE
        super().save(*args, **kwargs)
        CommuneMot.synchronise([self])


class CodePostal(models.Model):
    """One (postal code, commune) pair: a postal code serves several communes, a commune several codes."""

    code = models.CharField("Code postal", max_length=5, db_index=True, validators=[validate_postal_code])
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="codes_postaux")

    class Meta:
        ordering = ["code"]
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="code_postal_commune_unique")]

    def __str__(self):
        return f"{self.code} {self.commune.nom}"


class CommuneMot(models.Model):
    """Search index: one row per distinct word of a commune's normalised name, with the commune's rank.

    ``ordre`` packs the result order so that a prefix search reads this table only: 0 for a current
    commune (+ ``ORDRE_HISTORIQUE`` otherwise), + ``ORDRE_NON_PREMIER`` unless the word starts the name,
    + 9,999,999 minus the population.
    """

    mot = models.CharField(max_length=MOT_MAX_LENGTH)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    ordre = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mot", "commune"], name="commune_mot_unique")]
        indexes = [models.Index(fields=["mot", "ordre", "commune"], name="commune_mot_recherche")]

    def __str__(self):
        return self.mot

    @staticmethod
    def mots(nom_recherche: str, actuelle: bool, population: int | None) -> dict[str, int]:
        """word → ordre for one commune."""
        base = (0 if actuelle else ORDRE_HISTORIQUE) + _POPULATION_MAX - min(population or 0, _POPULATION_MAX)
        mots = {}
        for position, mot in enumerate(nom_recherche.split()):
            mots.setdefault(mot[:MOT_MAX_LENGTH], base + (0 if position == 0 else ORDRE_NON_PREMIER))
        return mots

    @classmethod
    def synchronise(cls, communes, *, toutes: bool = False) -> tuple[int, int, int]:
        """Make the index match the communes; returns (created, updated, deleted).

        ``communes`` are model instances or ``(pk, nom_recherche, actuelle, population)`` tuples;
        ``toutes=True`` says they are every commune of the table, so the whole index is read (and
        cleaned) in one query.
        """
        voulus = {}
        ids = []
        for commune in communes:
            if isinstance(commune, Commune):
                commune = (commune.pk, commune.nom_recherche, commune.actuelle, commune.population)
            pk, nom_recherche, actuelle, population = commune
            ids.append(pk)
            for mot, ordre in cls.mots(nom_recherche, actuelle, population).items():
                voulus[(mot, pk)] = ordre
        if toutes:
            lots = [cls.objects.all()]
        else:
            lots = [cls.objects.filter(commune_id__in=ids[start : start + 500]) for start in range(0, len(ids), 500)]
        existants = {}
        for lot in lots:
            for pk, mot, commune_id, ordre in lot.values_list("pk", "mot", "commune_id", "ordre").iterator(5000):
                existants[(mot, commune_id)] = (pk, ordre)
        obsoletes = [pk for key, (pk, _) in existants.items() if key not in voulus]
        for start in range(0, len(obsoletes), 500):
            cls.objects.filter(pk__in=obsoletes[start : start + 500]).delete()
        nouveaux = [
            cls(mot=mot, commune_id=commune_id, ordre=ordre)
            for (mot, commune_id), ordre in voulus.items()
            if (mot, commune_id) not in existants
        ]
        cls.objects.bulk_create(nouveaux, batch_size=500)
        modifies = [
            cls(pk=existants[key][0], ordre=ordre)
            for key, ordre in voulus.items()
            if key in existants and existants[key][1] != ordre
        ]
        cls.objects.bulk_update(modifies, ["ordre"], batch_size=500)
        return len(nouveaux), len(modifies), len(obsoletes)
