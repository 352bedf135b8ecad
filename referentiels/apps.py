from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "referentiels"
    verbose_name = "Référentiels"

    def ready(self):
        from portal import tables
        from referentiels.models.minima import SalaireMinimumConventionnel, TauxConventionnel
        from referentiels.models.parametres import ForfaitPriseEnCharge, ParametreRegle, Smic

        # Read on every check: held in memory.
        tables.suivre(Smic, ParametreRegle, ForfaitPriseEnCharge, SalaireMinimumConventionnel, TauxConventionnel)
