"""Re-index every stored search key with the normalisation of ``referentiels.search.normalize``.

The keys were folded with NFKD + ASCII « ignore », which deleted « œ », « æ », « ß », « ø », « ł »…
(« Vandœuvre-lès-Nancy » was stored ``vanduvre les nancy``); ``normalize`` now transliterates them
(Unidecode: ``vandoeuvre les nancy``). Each key is recomputed from its fields as the models build it
(``save()``, ``search_key()``, ``build_nom_recherche()``) and only the keys that differ are written, with
``bulk_update`` in batches; the word indexes (``CommuneMot``, ``CertificationMot``) are then made to match
the keys: read once, the stale words deleted and the missing ones inserted in batches (the result of a full
rebuild, writing only the differences). Reversing is a no-op: the old keys were the lossy ones.

``reindexer(apps)`` is what the migration runs; it returns, per table, the number of rows written.
"""

from django.db import migrations

from referentiels.search import normalize

BATCH = 1000

# CommuneMot.ordre and its word length, as referentiels.models.geographie computes them.
COMMUNE_MOT_MAX_LENGTH = 40
POPULATION_MAX = 9_999_999
ORDRE_NON_PREMIER = 10_000_000
ORDRE_HISTORIQUE = 20_000_000
CERTIFICATION_MOT_MAX_LENGTH = 30


def cle_etablissement(raison_sociale, enseigne, commune):
    return normalize(f"{raison_sociale} {enseigne} {commune}")


def cle_organisme(raison_sociale, enseigne, code_postal, commune, reseaux):
    reseaux = " ".join(r for r in reseaux.split("|") if r).replace("_", " ")
    return normalize(f"{raison_sociale} {enseigne} {code_postal} {commune} {reseaux}")


def cle_certification(intitule, abrege_libelle):
    return normalize(f"{intitule} {abrege_libelle}")


# model → (search column, fields it is built from, key function)
CLES = {
    "Commune": ("nom_recherche", ("nom",), normalize),
    "CodeNaf": ("libelle_recherche", ("libelle",), normalize),
    "ConventionCollective": ("titre_recherche", ("titre",), normalize),
    "Certification": ("intitule_recherche", ("intitule", "abrege_libelle"), cle_certification),
    "OrganismeFormation": (
        "nom_recherche",
        ("raison_sociale", "enseigne", "code_postal", "commune", "reseaux"),
        cle_organisme,
    ),
    "Etablissement": ("recherche", ("entreprise__raison_sociale", "enseigne", "commune"), cle_etablissement),
}


def reindexer_cles(model, champ, sources, cle) -> int:
    """Write ``champ = cle(*sources)`` where it differs; the number of rows written."""
    # Read everything first, then write: SQLite gives no isolation between a cursor and writes to its table.
    lignes = model.objects.order_by().values_list("pk", champ, *sources).iterator(chunk_size=5 * BATCH)
    changees = [(pk, nouvelle) for pk, ancienne, *valeurs in lignes if (nouvelle := cle(*valeurs)) != ancienne]
    for debut in range(0, len(changees), BATCH):
        lot = [model(pk=pk, **{champ: valeur}) for pk, valeur in changees[debut : debut + BATCH]]
        model.objects.bulk_update(lot, [champ], batch_size=BATCH)
    return len(changees)


def synchroniser_index(model, voulus: dict[tuple[str, int], dict], cle_fk: str, champs_maj=()) -> int:
    """Make the word index ``model`` hold exactly ``voulus`` (``{(mot, fk): other fields}``); rows written."""
    existants = {}
    for pk, mot, fk, *autres in (
        model.objects.order_by().values_list("pk", "mot", cle_fk, *champs_maj).iterator(chunk_size=5 * BATCH)
    ):
        existants[(mot, fk)] = (pk, dict(zip(champs_maj, autres)))
    obsoletes = [pk for cle, (pk, _) in existants.items() if cle not in voulus]
    for debut in range(0, len(obsoletes), BATCH):
        model.objects.filter(pk__in=obsoletes[debut : debut + BATCH]).delete()
    nouveaux = [
        model(mot=mot, **{cle_fk: fk}, **autres) for (mot, fk), autres in voulus.items() if (mot, fk) not in existants
    ]
    model.objects.bulk_create(nouveaux, batch_size=BATCH)
    modifies = [
        model(pk=existants[cle][0], **autres)
        for cle, autres in voulus.items()
        if cle in existants and existants[cle][1] != autres
    ]
    if champs_maj:
        model.objects.bulk_update(modifies, list(champs_maj), batch_size=BATCH)
    return len(obsoletes) + len(nouveaux) + len(modifies)


def mots_commune(nom_recherche, actuelle, population) -> dict[str, int]:
    """word → ordre, as ``CommuneMot.mots``."""
    base = (0 if actuelle else ORDRE_HISTORIQUE) + POPULATION_MAX - min(population or 0, POPULATION_MAX)
    mots = {}
    for position, mot in enumerate(nom_recherche.split()):
        mots.setdefault(mot[:COMMUNE_MOT_MAX_LENGTH], base + (0 if position == 0 else ORDRE_NON_PREMIER))
    return mots


def reindexer(apps, schema_editor=None) -> dict[str, int]:
    ecrits = {}
    for nom, (champ, sources, cle) in CLES.items():
        ecrits[nom] = reindexer_cles(apps.get_model("referentiels", nom), champ, sources, cle)

    Commune = apps.get_model("referentiels", "Commune")
    voulus = {}
    communes = Commune.objects.order_by().values_list("pk", "nom_recherche", "actuelle", "population")
    for pk, nom_recherche, actuelle, population in communes.iterator(chunk_size=5 * BATCH):
        for mot, ordre in mots_commune(nom_recherche, actuelle, population).items():
            voulus[(mot, pk)] = {"ordre": ordre}
    ecrits["CommuneMot"] = synchroniser_index(
        apps.get_model("referentiels", "CommuneMot"), voulus, "commune_id", ("ordre",)
    )

    Certification = apps.get_model("referentiels", "Certification")
    voulus = {}
    certifications = Certification.objects.order_by().values_list("pk", "intitule_recherche")
    for pk, recherche in certifications.iterator(chunk_size=5 * BATCH):
        for mot in dict.fromkeys(m[:CERTIFICATION_MOT_MAX_LENGTH] for m in recherche.split()):
            voulus[(mot, pk)] = {}
    ecrits["CertificationMot"] = synchroniser_index(
        apps.get_model("referentiels", "CertificationMot"), voulus, "certification_id"
    )
    return ecrits


def reindexer_migration(apps, schema_editor):
    reindexer(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("referentiels", "0006_numero_adherent")]

    operations = [migrations.RunPython(reindexer_migration, migrations.RunPython.noop, elidable=True)]
