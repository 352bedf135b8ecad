"""factory_boy factories with traits, shared by every test app."""

import itertools

import factory

from dossiers.enums import DossierState, TypeContrat
from dossiers.models import (
    Contrat,
    Dispositif,
    Dossier,
    Employeur,
    Financement,
    Formation,
    Salarie,
    SousDispositif,
    Synthese,
    Tuteur,
)
from dossiers.services import employeur_snapshot
from portal.models import Role, User
from referentiels.models import Entreprise, Etablissement, OrganismeFormation, Rattachement
from referentiels.validators import siren_with_check_digit, siret_with_check_digit

PASSWORD = "mot-de-passe-de-test"
_siren_counter = itertools.count(10_000_000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    role = Role.ADHERENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        prestataire = factory.Trait(role=Role.PRESTATAIRE)
        gestionnaire = factory.Trait(role=Role.GESTIONNAIRE, is_staff=True, is_superuser=True)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    siren = factory.LazyFunction(lambda: siren_with_check_digit(str(next(_siren_counter))))
    raison_sociale = factory.Sequence(lambda n: f"ENTREPRISE EXEMPLE {n}")
    categorie_juridique = "5710"


class EtablissementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etablissement

    entreprise = factory.SubFactory(EntrepriseFactory)
    siret = factory.LazyAttributeSequence(lambda o, n: siret_with_check_digit(o.entreprise.siren, f"{n % 10000:04d}"))
    numero_voie = "10 RUE DE LA PAIX"
    code_postal = "75002"
    commune = "PARIS"
    naf = "5610A"
    idcc = "1979"
    effectif = 12

    class Params:
        interim = factory.Trait(travail_temporaire=True, naf="7820Z", idcc="1413")


class OrganismeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganismeFormation

    siret = factory.Sequence(lambda n: siret_with_check_digit(siren_with_check_digit(f"{77100000 + n:08d}"), "0001"))
    raison_sociale = factory.Sequence(lambda n: f"ORGANISME DE FORMATION {n}")
    nda = "84691234569"
    code_postal = "69002"
    commune = "LYON"


def attach(user, target):
    """Attach a user to an Entreprise (all its establishments), one Etablissement, or (prestataire) an organisme."""
    if isinstance(target, Entreprise):
        return Rattachement.objects.create(user=user, entreprise=target)
    if isinstance(target, OrganismeFormation):
        return Rattachement.objects.create(user=user, organisme=target)
    return Rattachement.objects.create(user=user, etablissement=target)


def prestataire_user(organisme=None, **kwargs):
    """A prestataire user attached to its training organisation (a new one unless given)."""
    user = UserFactory(prestataire=True, **kwargs)
    attach(user, organisme or OrganismeFactory())
    return user


def sous_dispositif(code="CPRO"):
    return SousDispositif.objects.get(code=code)


class DossierFactory(factory.django.DjangoModelFactory):
    """A draft with its employer snapshot and empty parts, as the wizard leaves it."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    etablissement = factory.SubFactory(EtablissementFactory)
    sous_dispositif = factory.LazyFunction(sous_dispositif)
    dispositif = factory.LazyAttribute(lambda o: o.sous_dispositif.dispositif)
    type_contrat = TypeContrat.INITIAL
    created_by = factory.SubFactory(UserFactory)
    state = DossierState.BROUILLON
    numero = factory.Sequence(lambda n: f"CP2026{n:06d}")

    class Params:
        transmis = factory.Trait(state=DossierState.TRANSMIS)
        a_reprendre = factory.Trait(state=DossierState.A_REPRENDRE)
        brouillon_prestataire = factory.Trait(state=DossierState.BROUILLON_PRESTATAIRE)

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        if not create:
            return
        Employeur.objects.create(dossier=obj, **employeur_snapshot(obj.etablissement, email=obj.created_by.email))
        Salarie.objects.create(dossier=obj, **(extracted or {}).get("salarie", {}))
        Tuteur.objects.bulk_create([Tuteur(dossier=obj, rang=rang) for rang in Tuteur.Rang.values])
        Contrat.objects.create(dossier=obj, **(extracted or {}).get("contrat", {}))
        Formation.objects.create(dossier=obj)
        Financement.objects.create(dossier=obj)
        Synthese.objects.create(dossier=obj)


def dispositif(code="CPRO"):
    return Dispositif.objects.get(code=code)
