"""The guide's document types (documents/types.py, copied here so the migration never changes afterwards)."""

from django.db import migrations

TYPES = [
    # code, libellé, ordre, obligation, ajout libre
    ("PROGRAMME", "Programme", 10, "externe", False),
    ("CONVENTION_DEVIS", "Convention signée des 2 parties ou Devis", 20, "externe", False),
    ("ATTESTATION_FORMATEUR_INTERNE", "Attestation de capacité du formateur interne", 30, "interne", False),
    ("ANNEXE_PEDAGOGIQUE", "Annexe pédagogique ou budget prévisionnel", 40, "interne", False),
    ("BILAN_POSITIONNEMENT", "Bilan de positionnement", 50, "jamais", False),
    ("AUTRE", "Autre", 90, "jamais", True),
]


def load(apps, schema_editor):
    TypeDocument = apps.get_model("documents", "TypeDocument")
    for code, libelle, ordre, obligation, ajout_libre in TYPES:
        TypeDocument.objects.update_or_create(
            code=code,
            defaults={"libelle": libelle, "ordre": ordre, "obligation": obligation, "ajout_libre": ajout_libre},
        )


def unload(apps, schema_editor):
    apps.get_model("documents", "TypeDocument").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
