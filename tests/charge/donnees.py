"""The load test's accounts: one adhérent per simulated user, each with its own establishment and dossiers.

Run by tests/charge/lancer on the throw-away database, after the volume (``generer_volume``) is made:
``python -m tests.charge.donnees --comptes 20 --dossiers 40 --sortie comptes.json``. Each account has its own
establishment, so that two simulated users never save the same dossier (no version conflict by construction):
drafts (the tabs opened and saved), transmitted dossiers (the *Dossiers* list) and notifications. The JSON lists
each account's e-mail, its drafts (pk, version) and the password, which the load test types in the login form.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

MOT_DE_PASSE = "charge-portail-2026"
DOMAINE = "charge.test"
SIREN_DEPART = 98_000_000  # far from the factories' and the volume's numbers


def creer_comptes(comptes: int, dossiers: int) -> list[dict]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dossiers.enums import DossierState
    from dossiers.models import Dossier
    from dossiers.recherche import indexer
    from notifications.models import Notification
    from portal.models import Role, User
    from referentiels.validators import siren_with_check_digit
    from tests.bench import create_brouillons
    from tests.factories import EntrepriseFactory, EtablissementFactory, attach

    empreinte = make_password(MOT_DE_PASSE)  # hashed once: the same password for every account
    resultat = []
    with transaction.atomic():
        for i in range(comptes):
            email = f"adherent{i:03d}@{DOMAINE}"
            user = User.objects.create(
                email=email, password=empreinte, role=Role.ADHERENT, first_name="Charge", last_name=f"Adhérent {i}"
            )
            entreprise = EntrepriseFactory(
                siren=siren_with_check_digit(f"{SIREN_DEPART + i}"), raison_sociale=f"CHARGE ENTREPRISE {i}"
            )
            etablissement = EtablissementFactory(entreprise=entreprise)
            attach(user, etablissement)
            create_brouillons(user, etablissement, dossiers, start=9_000_000 + i * 1_000)  # BENCH9xxxxxx
            pks = list(Dossier.objects.filter(etablissement=etablissement).order_by("pk").values_list("pk", flat=True))
            for pk in pks:
                indexer(pk)  # the search key, as a save would have written it
            # A third transmitted (the *Dossiers* list), each with its notification; the rest stay drafts.
            transmis = pks[: len(pks) // 3]
            maintenant = timezone.now()
            Dossier.objects.filter(pk__in=transmis).update(state=DossierState.TRANSMIS, transmis_le=maintenant)
            Notification.objects.bulk_create(
                Notification(
                    recipient=user,
                    evenement="dossier_transmis",
                    dossier_id=pk,
                    email_statut="envoye",
                    email_envoye_le=maintenant,
                )
                for pk in transmis
            )
            brouillons = Dossier.objects.filter(pk__in=pks[len(transmis) :]).order_by("pk")
            resultat.append(
                {
                    "email": email,
                    "dossiers": [{"pk": d.pk, "version": d.version} for d in brouillons],
                }
            )
    return resultat


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comptes", type=int, default=20)
    parser.add_argument("--dossiers", type=int, default=40, help="dossiers par compte (un tiers transmis, ≤ 1000)")
    parser.add_argument("--sortie", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.banc")
    import django

    django.setup()
    comptes = creer_comptes(args.comptes, args.dossiers)
    with open(args.sortie, "w") as f:
        json.dump({"mot_de_passe": MOT_DE_PASSE, "comptes": comptes}, f)
    print(f"{len(comptes)} comptes adhérents, {args.dossiers} dossiers chacun.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
