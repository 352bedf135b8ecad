"""Dispositifs and sous-dispositifs offered by the wizard (data: AKTO opens or closes them in the admin)."""
from django.db import migrations

DISPOSITIFS = [
    # code, libellé, ordre, ouvert (only the contrat de professionnalisation is implemented)
    ("APP", "Contrat d'apprentissage", 1, False),
    ("CPRO", "Contrat de professionnalisation", 2, True),
    ("AF", "Action de formation", 3, False),
    ("PROA", "Reconversion ou promotion par alternance", 4, False),
    ("FPE", "FPE", 5, False),
]
SOUS_DISPOSITIFS = [
    ("CPRO", "Contrat de Professionnalisation", 1),
    ("CPRO_PRODIAT", "Contrat de Professionnalisation ProDiat", 2),
    ("CPRO_HOPE", "Contrat de Professionnalisation Hope", 3),
]


def load(apps, schema_editor):
    Dispositif = apps.get_model("dossiers", "Dispositif")
    SousDispositif = apps.get_model("dossiers", "SousDispositif")
    for code, libelle, ordre, ouvert in DISPOSITIFS:
        Dispositif.objects.update_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre, "ouvert": ouvert})
    cpro = Dispositif.objects.get(code="CPRO")
    for code, libelle, ordre in SOUS_DISPOSITIFS:
        SousDispositif.objects.update_or_create(
            code=code, defaults={"dispositif": cpro, "libelle": libelle, "ordre": ordre, "ouvert": True}
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
