"""``manage.py creer_cle_api --organisme <SIRET> --nom <nom> [--auteur <e-mail>]``: an API key printed once.

The administrator's tool beside the portal's « Clés d'API » page (where the organisation's users create theirs):
for an organisation whose users cannot reach the portal yet, a scripted installation, the contract tests
(scripts/essai-api). The key acts as its author (``CleApi.cree_par``), who must be a prestataire user allowed to
manage the organisation's keys (``acces.gere_cles_api``); without ``--auteur``, the organisation's only such user.
The key is the only line on stdout (``cle=$(manage.py creer_cle_api …)``); it is never stored, only its hash.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dossiers import acces
from dossiers.api import cles
from portal.models import User
from referentiels.models import OrganismeFormation


class Command(BaseCommand):
    help = (
        "Crée une clé d'API pour un organisme de formation et l'affiche une seule fois "
        "(seule son empreinte est conservée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisme", required=True, help="SIRET de l'organisme de formation")
        parser.add_argument("--nom", required=True, help="Nom de la clé, par exemple celui du logiciel")
        parser.add_argument(
            "--auteur",
            help="E-mail de l'utilisateur prestataire au nom duquel la clé agit "
            "(par défaut : le seul utilisateur prestataire rattaché à l'organisme)",
        )

    def handle(self, *args, organisme, nom, auteur=None, **options):
        try:
            org = OrganismeFormation.objects.get(siret=organisme)
        except OrganismeFormation.DoesNotExist:
            raise CommandError(f"Aucun organisme de formation de SIRET {organisme}.") from None
        if auteur:
            user = User.objects.filter(email__iexact=auteur).first()
            if user is None or not acces.gere_cles_api(user, org):
                raise CommandError(f"{auteur} n'est pas un utilisateur prestataire actif rattaché à cet organisme.")
        else:
            candidats = [
                u for u in User.objects.filter(rattachements__organisme=org).distinct() if acces.gere_cles_api(u, org)
            ]
            if len(candidats) != 1:
                raise CommandError(
                    f"L'organisme a {len(candidats)} utilisateur(s) prestataire(s) actif(s) : précisez --auteur."
                )
            user = candidats[0]
        nom = nom.strip()
        if not nom or len(nom) > 100:
            raise CommandError("Le nom de la clé est obligatoire (100 caractères au plus).")
        cle, en_clair = cles.creer(org, user, nom)
        self.stderr.write(
            f"Clé « {cle.nom} » créée pour {org.raison_sociale} (préfixe {cle.prefixe}), agit au nom de {user.email}."
        )
        self.stderr.write("Elle ne sera plus affichée : conservez-la maintenant.")
        self.stdout.write(en_clair)
