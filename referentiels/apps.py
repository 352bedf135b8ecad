from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "referentiels"
    verbose_name = "Référentiels"

    def ready(self):
        from portal import tables
        from referentiels.models.parametres import ForfaitPriseEnCharge, ParametreRegle, Smic

        tables.suivre(Smic, ParametreRegle, ForfaitPriseEnCharge)  # read on every check: held in memory
