"""Load the demo accounts and their companies (idempotent: run it as often as you like)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Role, User
from referentiels.models import Entreprise, Etablissement, OrganismeFormation, Rattachement
from referentiels.validators import siren_with_check_digit, siret_with_check_digit

PASSWORD = "demo-portail-2026"

# (SIREN prefix, raison sociale, catégorie juridique, establishments:
#   (NIC prefix, voie, CP, commune, NAF, IDCC, effectif, travail temporaire, GEIQ))
ENTREPRISES = {
    "brasserie": (
        "81234567",
        "BRASSERIE DES CELESTINS",
        "5499",
        [("0001", "8 QUAI DES CELESTINS", "69002", "LYON", "5610A", "1979", 14, False, False)],
    ),
    "proprete": (
        "79345128",
        "ATLANTIQUE PROPRETE SERVICES",
        "5710",
        [
            ("0001", "12 RUE DE LA FOSSE", "44000", "NANTES", "8121Z", "3043", 85, False, False),
            ("0002", "25 AVENUE DE LA REPUBLIQUE", "44600", "SAINT-NAZAIRE", "8121Z", "3043", 32, False, False),
            ("0003", "3 BOULEVARD FOCH", "49000", "ANGERS", "8121Z", "3043", 27, False, False),
        ],
    ),
    "distribution": (
        "52087613",
        "PROVENCE DISTRIBUTION ALIMENTAIRE",
        "5710",
        [
            ("0001", "40 BOULEVARD DE PARIS", "13002", "MARSEILLE", "4639B", "0573", 120, False, False),
            ("0002", "15 AVENUE DE LA RESISTANCE", "83000", "TOULON", "4639B", "0573", 45, False, False),
        ],
    ),
    "interim": (
        "84215739",
        "RHONE INTERIM EMPLOI",
        "5710",
        [("0001", "2 RUE HENRI LEGAY", "69100", "VILLEURBANNE", "7820Z", "1413", 9, True, False)],
    ),
}

USERS = [
    # e-mail, prénom, nom, rôle, attached to: ("entreprise", key), ("etablissement", key, index) or ("organisme",)
    ("adherent.mono@demo.test", "Claire", "Martin", Role.ADHERENT, [("etablissement", "brasserie", 0)]),
    (
        "adherent.multi@demo.test",
        "Karim",
        "Benali",
        Role.ADHERENT,
        [("entreprise", "proprete"), ("entreprise", "distribution")],
    ),
    ("adherent.interim@demo.test", "Sophie", "Garnier", Role.ADHERENT, [("entreprise", "interim")]),
    ("prestataire@demo.test", "Julien", "Roux", Role.PRESTATAIRE, [("organisme",)]),
    ("gestionnaire@demo.test", "Nadia", "Lefèvre", Role.GESTIONNAIRE, []),
]


def load_entreprises() -> dict:
    loaded = {}
    for key, (prefix, raison_sociale, categorie, etablissements) in ENTREPRISES.items():
        siren = siren_with_check_digit(prefix)
        entreprise, _ = Entreprise.objects.update_or_create(
            siren=siren, defaults={"raison_sociale": raison_sociale, "categorie_juridique": categorie}
        )
        rows = []
        for nic, voie, cp, commune, naf, idcc, effectif, tt, geiq in etablissements:
            etablissement, _ = Etablissement.objects.update_or_create(
                siret=siret_with_check_digit(siren, nic),
                defaults={
                    "entreprise": entreprise,
                    "numero_voie": voie,
                    "code_postal": cp,
                    "commune": commune,
                    "naf": naf,
                    "idcc": idcc,
                    "effectif": effectif,
                    "travail_temporaire": tt,
                    "geiq": geiq,
                },
            )
            rows.append(etablissement)
        loaded[key] = (entreprise, rows)
    return loaded


# The demo prestataire's training organisation (fictitious, consistent: Luhn-valid SIRET, 11-digit NDA).
ORGANISME = {
    "siren": "91827364",
    "raison_sociale": "INSTITUT DES METIERS DE LA TABLE",
    "nda": "84691234569",
    "adresse": "20 RUE DE LA REPUBLIQUE",
    "code_postal": "69002",
    "commune": "LYON",
}


def load_organisme() -> OrganismeFormation:
    siret = siret_with_check_digit(siren_with_check_digit(ORGANISME["siren"]), "0001")
    fields = {k: v for k, v in ORGANISME.items() if k != "siren"}
    organisme, _ = OrganismeFormation.objects.update_or_create(
        siret=siret, defaults=fields | {"qualiopi": True, "actif": True, "nature": "responsable_formateur"}
    )
    return organisme


def gestionnaires_group() -> Group:
    from dossiers.acces import groupe_gestionnaires

    return groupe_gestionnaires()  # the permissions are declared in dossiers/acces.py


class Command(BaseCommand):
    help = "Charge les comptes de démonstration (mot de passe : demo-portail-2026)."

    def handle(self, *args, **options):
        if getattr(settings, "HTTPS", False):  # portal.settings.prod served for real
            raise CommandError(
                "Comptes de démonstration refusés : le portail est servi en HTTPS (production). "
                "Leur mot de passe est public."
            )
        with transaction.atomic():
            self.charger()

    def charger(self):
        entreprises = load_entreprises()
        organisme = load_organisme()
        group = gestionnaires_group()
        for email, prenom, nom, role, rattachements in USERS:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={"first_name": prenom, "last_name": nom, "role": role, "is_staff": role == Role.GESTIONNAIRE},
            )
            user.set_password(PASSWORD)
            user.save()
            if role == Role.GESTIONNAIRE:
                user.groups.add(group)
            Rattachement.objects.filter(user=user).delete()
            for target in rattachements:
                if target[0] == "organisme":
                    Rattachement.objects.create(user=user, organisme=organisme)
                    continue
                entreprise, etablissements = entreprises[target[1]]
                if target[0] == "entreprise":
                    Rattachement.objects.create(user=user, entreprise=entreprise)
                else:
                    Rattachement.objects.create(user=user, etablissement=etablissements[target[2]])
            self.stdout.write(f"  {email} ({role.label})")
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration prêts, mot de passe : {PASSWORD}"))
