"""``manage.py historique_initial``: a first field-history row for each tab's row without one (dossiers/historique.py).

Run once at the deployment that brings the field-level history; running it again writes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dossiers.historique import historique_initial


class Command(BaseCommand):
    help = "Écrit l'historique initial des champs des onglets (une ligne par enregistrement qui n'en a pas)."

    def handle(self, *args, **options):
        for modele, nombre in historique_initial().items():
            self.stdout.write(f"{modele} : {nombre} ligne(s) d'historique initial")
