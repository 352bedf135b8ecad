"""The période de reconversion's documents (R6324-1: the written agreement, the training convention, the host
company's contract if external; a Pro-A's avenant), and the contrat pro's types kept to the contrat pro's
sous-dispositifs (they were « every sous-dispositif » when it was the only one). Copied from documents/types.py so
the migration never changes afterwards."""

import importlib

from django.db import migrations

CONTRAT_PRO = "CPRO,CPRO_PRODIAT,CPRO_HOPE"
# code, libellé, ordre, obligation, sous-dispositifs
TYPES = [
    ("ACCORD_RECONVERSION", "Accord écrit de la période de reconversion", 60, "toujours", "REC_INT,REC_EXT"),
    ("AVENANT_PROA", "Avenant au contrat de travail (Pro-A)", 61, "toujours", "PROA_AVT"),
    ("CONVENTION_FORMATION", "Convention de formation", 62, "toujours", "REC_INT,REC_EXT,PROA_AVT"),
    ("CONTRAT_ACCUEIL", "Contrat de travail de l'entreprise d'accueil", 63, "toujours", "REC_EXT"),
]
DU_CONTRAT_PRO = [
    "PROGRAMME",
    "CONVENTION_DEVIS",
    "CONVENTION_TRIPARTITE",
    "ATTESTATION_FORMATEUR_INTERNE",
    "ANNEXE_PEDAGOGIQUE",
    "BILAN_POSITIONNEMENT",
]


def load(apps, schema_editor):
    TypeDocument = apps.get_model("documents", "TypeDocument")
    TypeDocument.objects.filter(code__in=DU_CONTRAT_PRO, sous_dispositifs="").update(sous_dispositifs=CONTRAT_PRO)
    for code, libelle, ordre, obligation, sous_dispositifs in TYPES:
        TypeDocument.objects.update_or_create(
            code=code,
            defaults={
                "libelle": libelle,
                "ordre": ordre,
                "obligation": obligation,
                "sous_dispositifs": sous_dispositifs,
            },
        )


def load_tous(apps, schema_editor):
    """Every type of the data migrations: what the tests load again after a flush."""
    importlib.import_module("documents.migrations.0003_convention_tripartite").load_tous(apps, schema_editor)
    load(apps, schema_editor)


def unload(apps, schema_editor):
    TypeDocument = apps.get_model("documents", "TypeDocument")
    TypeDocument.objects.filter(code__in=[t[0] for t in TYPES]).delete()
    TypeDocument.objects.filter(code__in=DU_CONTRAT_PRO, sous_dispositifs=CONTRAT_PRO).update(sous_dispositifs="")


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_avis_pieces")]
    operations = [migrations.RunPython(load, unload)]
