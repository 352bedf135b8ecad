"""A trigram index on the dossiers' search key, on PostgreSQL only: it serves ``recherche LIKE '%mot%'``
(``referentiels.search.filtrer``: ``contains`` on the already normalised, lower-case key). SQLite has no such
index and keeps scanning the column, which stays correct.

``pg_trgm`` is a trusted extension: the database's owner may create it (``CREATE EXTENSION`` needs no superuser).
The index is outside Django's model state (a ``GinIndex`` would be created on SQLite too).
"""

from django.db import migrations

INDEX = "dossier_recherche_trgm_idx"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier USING gin (recherche gin_trgm_ops)")


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_index_listes")]
    operations = [migrations.RunPython(creer, supprimer)]
