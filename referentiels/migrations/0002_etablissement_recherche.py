from django.db import migrations, models

from referentiels.search import normalize


def fill(apps, schema_editor):
    Etablissement = apps.get_model("referentiels", "Etablissement")
    for e in Etablissement.objects.select_related("entreprise"):
        e.recherche = normalize(f"{e.entreprise.raison_sociale} {e.enseigne} {e.commune}")
        e.save(update_fields=["recherche"])


class Migration(migrations.Migration):
    dependencies = [("referentiels", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="etablissement",
            name="recherche",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
