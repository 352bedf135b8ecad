"""Writes that touch a dossier: creation from the wizard, saving a tab under optimistic locking."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from referentiels.models import Etablissement

from .models import Contrat, Dossier, Employeur, Formation, Salarie
from .workflow import CREATION_TARGET, record_creation


class PermissionRefusee(Exception):
    pass


def employeur_snapshot(etablissement: Etablissement, *, email: str) -> dict:
    """The establishment's INSEE data copied into a dossier's Employeur (fixed for its whole life)."""
    entreprise = etablissement.entreprise
    return {
        "raison_sociale": entreprise.raison_sociale,
        "siret": etablissement.siret,
        "numero_voie": etablissement.numero_voie,
        "complement_adresse": etablissement.complement_adresse,
        "code_postal": etablissement.code_postal,
        "commune": etablissement.commune,
        "naf": etablissement.naf,
        "idcc": etablissement.idcc,
        "categorie_juridique": entreprise.categorie_juridique,
        "travail_temporaire": etablissement.travail_temporaire,
        "geiq": etablissement.geiq,
        "email": email,
    }


@transaction.atomic
def dossier_create(*, user, etablissement: Etablissement, sous_dispositif, type_contrat: str, type_public: str = ""):
    """Create a draft with the employer snapshot of ``etablissement`` (one the user is attached to)."""
    if not Etablissement.objects.rattaches_a(user).filter(pk=etablissement.pk, adherent=True).exists():
        raise PermissionRefusee("Vous n'êtes pas rattaché(e) à cet établissement.")
    if not etablissement.travail_temporaire:
        type_public = ""
    dossier = Dossier.objects.create(
        state=CREATION_TARGET[user.role],
        etablissement=etablissement,
        dispositif=sous_dispositif.dispositif,
        sous_dispositif=sous_dispositif,
        type_contrat=type_contrat,
        type_public=type_public,
        created_by=user,
    )
    dossier.numero = f"CP{dossier.created_at:%Y}{dossier.pk:06d}"
    dossier.save(update_fields=["numero"])
    Employeur.objects.create(dossier=dossier, **employeur_snapshot(etablissement, email=user.email))
    Salarie.objects.create(dossier=dossier)
    Contrat.objects.create(dossier=dossier)
    Formation.objects.create(dossier=dossier)
    record_creation(dossier, user=user)
    return dossier


def onglet_save(*, dossier: Dossier, form, version: int) -> bool:
    """Write the well-formed fields of a tab form if ``version`` is still current.

    Returns False (and writes nothing) when the dossier was saved elsewhere since ``version``.
    """
    with transaction.atomic():
        updated = Dossier.objects.filter(pk=dossier.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            return False
        names = form.valid_field_names()
        if names:
            form.instance.save(update_fields=names)
    dossier.version = version + 1
    return True
