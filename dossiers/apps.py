from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers"

    def ready(self):
        from django.db.models.signals import post_save

        from dossiers import acces, recherche
        from dossiers.models import Dossier, Employeur, Formation, Salarie

        # The dossiers' search key follows their parts (dossiers/recherche.py).
        for modele in (Dossier, Employeur, Salarie, Formation):
            post_save.connect(
                recherche.apres_enregistrement, sender=modele, dispatch_uid=f"recherche.{modele.__name__}"
            )

        # Who sees what: a user's establishments are kept between requests until an attachment or an
        # establishment changes (``acces.etablissements_de``).
        from portal import tables
        from referentiels.models import Etablissement, Rattachement

        tables.suivre(Rattachement, Etablissement)

        # The gestionnaires' group follows the code after every migrate (``dossiers/acces.py``).
        post_migrate.connect(acces.apres_migrate, sender=self, dispatch_uid="dossiers.groupe_gestionnaires")
