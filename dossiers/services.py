"""Writes that touch a dossier: creation from the wizard, saving a tab under optimistic locking."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dossiers.enums import CodeDispositif
from dossiers.models import (
    CHAMPS_INSEE_SAISISSABLES,
    AccordReconversion,
    Contrat,
    Dossier,
    Employeur,
    Financement,
    Formation,
    Salarie,
    Synthese,
    Tuteur,
)
from dossiers.workflow import ACCEPTER_REPRISE, CREATION_TARGET, fire, record_creation
from referentiels.models import Etablissement, OrganismeFormation
from referentiels.sirene import SireneResult, SireneStatus, apply_to_etablissement, fetch_etablissement


class PermissionRefusee(Exception):
    pass


class EtablissementFerme(PermissionRefusee):
    """Sirene says the establishment is closed: no contract can be attached to it."""


def verifier_sirene(etablissement: Etablissement) -> SireneResult:
    """Refresh the establishment from Sirene when the API is on; closed → ``EtablissementFerme``.

    Called outside any transaction: the network is never waited on while holding database locks.
    """
    result = fetch_etablissement(etablissement.siret)
    if result.status == SireneStatus.FERME:
        raise EtablissementFerme(result.message)
    if result.status in (SireneStatus.OK, SireneStatus.NON_DIFFUSIBLE):
        changed = apply_to_etablissement(result, etablissement)
        if changed:
            etablissement.save(update_fields=changed)
    return result


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


def dossier_create(
    *,
    user,
    etablissement: Etablissement,
    sous_dispositif,
    type_contrat: str,
    type_public: str = "",
    organisme: OrganismeFormation | None = None,
    completer: Callable[[Dossier], object] | None = None,
):
    """Create a draft with the employer snapshot of ``etablissement``.

    An adhérent creates it for an establishment it is attached to; a prestataire pre-enters it, for its
    training organisation (``organisme``, one it is attached to; by default its first), for any AKTO member
    establishment. The snapshot comes from Sirene when it answers, else from the local referential; employer data
    still missing then is left for the user to enter by hand, flagged for the gestionnaire. ``completer`` (the API's
    data) runs in the creation's transaction: if it raises, nothing is created.
    """
    prestataire = None
    if user.is_prestataire:
        organismes = OrganismeFormation.objects.rattaches_a(user)
        if organisme is not None:
            organismes = organismes.filter(pk=organisme.pk)
        prestataire = organismes.order_by("pk").first()
        if prestataire is None:
            raise PermissionRefusee("Votre compte n'est rattaché à aucun organisme de formation.")
    if user.role not in CREATION_TARGET or not (
        Etablissement.objects.visible_to(user).filter(pk=etablissement.pk, adherent=True).exists()
    ):
        raise PermissionRefusee("Vous n'êtes pas rattaché(e) à cet établissement.")
    sirene = verifier_sirene(etablissement)
    with transaction.atomic():
        dossier = _create(user, etablissement, sous_dispositif, type_contrat, type_public, sirene.status, prestataire)
        if completer is not None:
            completer(dossier)
        return dossier


def _create(user, etablissement, sous_dispositif, type_contrat, type_public, verification_insee, prestataire=None):
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
        prestataire=prestataire,
    )
    dossier.numero = f"CP{dossier.created_at:%Y}{dossier.pk:06d}"
    dossier.save(update_fields=["numero"])
    # The employer's e-mail is the adhérent's: a pre-entry leaves it for the adhérent who takes it over.
    snapshot = employeur_snapshot(etablissement, email="" if prestataire else user.email)
    Employeur.objects.create(
        dossier=dossier,
        verification_insee=verification_insee,
        saisie_manuelle=[name for name in CHAMPS_INSEE_SAISISSABLES if not snapshot[name]],
        **snapshot,
    )
    Salarie.objects.create(dossier=dossier)
    Tuteur.objects.bulk_create([Tuteur(dossier=dossier, rang=rang) for rang in Tuteur.Rang.values])
    Contrat.objects.create(dossier=dossier)
    Formation.objects.create(dossier=dossier)
    Financement.objects.create(dossier=dossier)
    Synthese.objects.create(dossier=dossier)
    if dossier.dispositif.code == CodeDispositif.RECONVERSION:
        AccordReconversion.objects.create(dossier=dossier)  # the « Accord » tab's row
    record_creation(dossier, user=user)
    return dossier


def ecrire_sous_verrou(dossier: Dossier, version, ecrire: Callable[[], object]) -> bool:
    """The optimistic-lock write, the only one: run ``ecrire`` if ``version`` is still the dossier's, and bump it.

    One transaction: the version's UPDATE (which refuses a stale version), then the write. False, and nothing
    written, when the dossier was saved elsewhere (or transitioned: a transition is a new version) since
    ``version`` was read, or when ``version`` is not a number. Every writer of a draft goes through here: a tab's
    *Enregistrer*, a training module, a piece added or deleted.
    """
    try:
        version = int(version)
    except (TypeError, ValueError):
        return False
    with transaction.atomic():
        updated = Dossier.objects.filter(pk=dossier.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            return False
        ecrire()
    dossier.version = version + 1
    return True


def onglet_save(*, dossier: Dossier, form, version: int) -> bool:
    """Write the well-formed fields of a tab form if ``version`` is still current (False: nothing written)."""
    return ecrire_sous_verrou(dossier, version, form.save_valid)


class SaisieInvalide(Exception):
    """*Transmettre* refused: the tabs still have blocking anomalies (or a tab cannot be entered yet)."""

    def __init__(self, onglets_invalides: list[str]):
        super().__init__("Saisie invalide")
        self.onglets_invalides = onglets_invalides


def dossier_transmettre(*, dossier: Dossier, user) -> None:
    """Check the whole dossier and move it to *Transmis*, as one unit: on any failure nothing changes."""
    from dossiers import rules
    from dossiers.workflow import TRANSMETTRE, fire

    with transaction.atomic():
        fresh = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("employeur", "salarie", "contrat", "formation")
            .get(pk=dossier.pk)
        )
        invalides = rules.onglets_invalides(fresh)
        if invalides:
            raise SaisieInvalide(invalides)
        fire(fresh, TRANSMETTRE, user=user)
    dossier.state, dossier.version = fresh.state, fresh.version


def dossier_action(*, dossier: Dossier, name: str, user, comment: str = ""):
    """Fire transition ``name`` (*Finaliser*, *Accepter*, *Refuser*…) with its event and notifications, as one unit.

    Accepting a pre-entry makes it the adhérent's draft: the employer's e-mail, left empty by the
    prestataire, defaults to the accepting user's, as on a dossier the adhérent creates.
    """
    with transaction.atomic():
        event = fire(dossier, name, user=user, comment=comment)  # a new version of the dossier (workflow.fire)
        if name == ACCEPTER_REPRISE:
            # Saved, not updated in bulk: the field-level history records the change and its author.
            employeur = Employeur.objects.filter(dossier=dossier, email="").first()
            if employeur is not None:
                employeur.email = user.email
                employeur.save(update_fields=["email"])
                Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    return event
