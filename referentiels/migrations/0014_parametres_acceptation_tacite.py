"""The deadline's parameters per dispositif (D6325_2_DELAI_JOURS__PROA, D6325_2_ACCEPTATION_TACITE and its PROA
variant: R6324-2 gives the période de reconversion 20 days without tacit acceptance) for databases migrated before
they were added to referentiels/data/parametres.json: the file is loaded again (idempotent)."""

from django.db import migrations


def charger(apps, schema_editor):
    from referentiels.management.commands.load_parametres import charger_parametres_regles

    charger_parametres_regles(apps.get_model("referentiels", "ParametreRegle"))


class Migration(migrations.Migration):
    dependencies = [("referentiels", "0013_forfait_public_reconversion")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
