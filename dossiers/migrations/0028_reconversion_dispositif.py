"""The période de reconversion opened on the engine: the dispositif « Reconversion ou promotion par alternance »
(code PROA, created closed by 0003) opened for the demo branches, with its three sous-dispositifs (data: AKTO opens or
closes them in the admin; copied here so the migration never changes afterwards)."""

import importlib

from django.db import migrations

# IDCC 3043 (entreprises de propreté): the demo's ATLANTIQUE PROPRETE SERVICES (adherent.multi@demo.test).
IDCC_OUVERTS = ["3043"]
SOUS_DISPOSITIFS = [
    ("REC_INT", "Période de reconversion interne", 1),
    ("REC_EXT", "Période de reconversion externe", 2),
    ("PROA_AVT", "Pro-A (avenant conclu avant le 01/01/2026)", 3),
]


def load(apps, schema_editor):
    Dispositif = apps.get_model("dossiers", "Dispositif")
    SousDispositif = apps.get_model("dossiers", "SousDispositif")
    proa, _ = Dispositif.objects.update_or_create(
        code="PROA",
        defaults={
            "libelle": "Reconversion ou promotion par alternance",
            "ordre": 4,
            "ouvert": True,
            "idcc_ouverts": IDCC_OUVERTS,
        },
    )
    for code, libelle, ordre in SOUS_DISPOSITIFS:
        SousDispositif.objects.update_or_create(
            code=code, defaults={"dispositif": proa, "libelle": libelle, "ordre": ordre, "ouvert": True}
        )


def load_tous(apps, schema_editor):
    """0003's dispositifs, then this one's: what the tests load again after a flush."""
    importlib.import_module("dossiers.migrations.0003_dispositifs").load(apps, schema_editor)
    load(apps, schema_editor)


def unload(apps, schema_editor):
    apps.get_model("dossiers", "SousDispositif").objects.filter(code__in=[s[0] for s in SOUS_DISPOSITIFS]).delete()
    apps.get_model("dossiers", "Dispositif").objects.filter(code="PROA").update(ouvert=False, idcc_ouverts=[])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0027_accord_reconversion")]
    operations = [migrations.RunPython(load, unload)]
