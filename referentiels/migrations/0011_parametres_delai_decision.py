"""The D6325-2 deadline's parameters (D6325_2_DELAI_JOURS, D6325_2_ALERTE_JOURS) for databases migrated before they
were added to referentiels/data/parametres.json: the file is loaded again (idempotent)."""

from django.db import migrations


def charger(apps, schema_editor):
    from referentiels.management.commands.load_parametres import charger_parametres_regles

    charger_parametres_regles(apps.get_model("referentiels", "ParametreRegle"))


class Migration(migrations.Migration):
    dependencies = [("referentiels", "0010_minima_conventionnels")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
