"""Reference data about employers: companies (SIREN), establishments (SIRET) and who may act for them."""

__all__ = ["Entreprise", "Etablissement", "EtablissementQuerySet", "Rattachement"]

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from referentiels.search import filtrer, normalize
from referentiels.validators import validate_postal_code, validate_siren, validate_siret


class Entreprise(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[validate_siren])
    raison_sociale = models.CharField("Raison sociale", max_length=200)
    categorie_juridique = models.CharField(
        "Catégorie juridique (INSEE)",
        max_length=4,
        blank=True,
        help_text="Code à 4 chiffres de la nomenclature INSEE ; 7xxx = personne morale de droit public.",
    )

    class Meta:
        ordering = ["raison_sociale"]

    def __str__(self):
        return f"{self.raison_sociale} ({self.siren})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        for etablissement in self.etablissements.all():
            if etablissement.recherche != etablissement.search_key():
                etablissement.save(update_fields=["recherche"])


class EtablissementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may look up: an adhérent its attachments, a prestataire AKTO members, AKTO all."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_gestionnaire:
            return self.all()
        if user.is_prestataire:
            return self.filter(adherent=True)
        return self.rattaches_a(user)

    def recherche(self, q: str):
        """Search by SIREN or SIRET (digits: the SIRET's start) or by words of the name, address or commune."""
        digits = re.sub(r"[\s.]", "", q)
        if digits.isdigit():
            return self.filter(siret__startswith=digits)  # a SIREN is the SIRET's first 9 digits
        # Every word in the search key; ordered by the indexed key, which starts with the name.
        return filtrer(self, "recherche", q).order_by("recherche", "siret")

    def rattaches_a(self, user):
        """Establishments a user may act for: attached directly or through their company."""
        rattachements = Rattachement.objects.filter(user=user)
        return self.filter(
            Q(pk__in=rattachements.exclude(etablissement=None).values("etablissement"))
            | Q(entreprise__in=rattachements.exclude(entreprise=None).values("entreprise"))
        )


class Etablissement(models.Model):
    entreprise = models.ForeignKey(Entreprise, on_delete=models.PROTECT, related_name="etablissements")
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    enseigne = models.CharField("Enseigne", max_length=200, blank=True)
    numero_voie = models.CharField("N° et voie", max_length=200)
    complement_adresse = models.CharField("Complément d'adresse", max_length=200, blank=True)
    code_postal = models.CharField("Code postal", max_length=5, validators=[validate_postal_code])
    commune = models.CharField("Commune", max_length=100)
    naf = models.CharField("Code NAF", max_length=5)
    idcc = models.CharField("IDCC", max_length=4)
    effectif = models.PositiveIntegerField("Effectif de l'établissement", null=True, blank=True)
    adherent = models.BooleanField("Adhérent AKTO", default=True)
    numero_adherent = models.CharField(
        "N° adhérent AKTO",
        max_length=30,
        blank=True,
        help_text="Le numéro d'adhérent de l'employeur à l'OPCO, s'il existe (cadre réservé à l'OPCO du CERFA).",
    )
    travail_temporaire = models.BooleanField("Entreprise de travail temporaire", default=False)
    geiq = models.BooleanField("Groupement d'employeurs / GEIQ", default=False)
    recherche = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    objects = EtablissementQuerySet.as_manager()

    class Meta:
        ordering = ["entreprise__raison_sociale", "siret"]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"),
                name="etablissement_siret_14_chiffres",
                violation_error_message="Le SIRET doit comporter 14 chiffres.",
            )
        ]

    def __str__(self):
        return f"{self.denomination} — {self.siret} — {self.commune}"

    @property
    def denomination(self) -> str:
        return self.enseigne or self.entreprise.raison_sociale

    def save(self, *args, **kwargs):
        if self.siret[:9] != self.entreprise.siren:
            raise ValueError("Le SIRET d'un établissement commence par le SIREN de son entreprise.")
        self.recherche = self.search_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    def search_key(self) -> str:
        return normalize(f"{self.entreprise.raison_sociale} {self.enseigne} {self.commune}")


class Rattachement(models.Model):
    """Who a user acts for: an adhérent a whole company (every establishment) or one establishment,
    a prestataire its training organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rattachements")
    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, null=True, blank=True)
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, null=True, blank=True)
    organisme = models.ForeignKey(
        "referentiels.OrganismeFormation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name="organisme de formation",
        related_name="rattachements",
    )
    # Who attached whom, when: any save or delete (admin, command, shell), ``history_user`` from the request
    # (``HistoryRequestMiddleware``). Read by the admin's history of an attachment.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(entreprise__isnull=False, etablissement__isnull=True, organisme__isnull=True)
                | Q(entreprise__isnull=True, etablissement__isnull=False, organisme__isnull=True)
                | Q(entreprise__isnull=True, etablissement__isnull=True, organisme__isnull=False),
                name="rattachement_une_seule_cible",
                violation_error_message=(
                    "Un rattachement vise soit une entreprise, soit un établissement, soit un organisme de formation."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.entreprise or self.etablissement or self.organisme}"
