from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers"

    def ready(self):
        from dossiers import permissions

        # The gestionnaires' group follows the code after every migrate (``dossiers/permissions.py``).
        post_migrate.connect(permissions.apres_migrate, sender=self, dispatch_uid="dossiers.groupe_gestionnaires")
