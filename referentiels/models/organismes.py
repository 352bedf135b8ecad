"""Training organisms (organismes de formation), imported from the "référentiel réseau" files."""

__all__ = ["OrganismeFormation"]

from django.db import models
from django.db.models import Q

from referentiels.search import normalize
from referentiels.validators import validate_nda, validate_siret


class OrganismeFormationQuerySet(models.QuerySet):
    def rattaches_a(self, user):
        """The training organisations a prestataire user acts for."""
        return self.filter(rattachements__user=user)


class OrganismeFormation(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    nda = models.CharField(
        "N° de déclaration d'activité",
        max_length=11,
        blank=True,
        db_index=True,
        validators=[validate_nda],
        help_text="11 chiffres (région, département, numéro d'ordre, département).",
    )
    raison_sociale = models.CharField(
        "Raison sociale",
        max_length=250,
        blank=True,
        help_text="Vide quand le fichier du réseau ne donne que le SIRET (AFPA, Eduservices).",
    )
    enseigne = models.CharField("Enseigne", max_length=250, blank=True)
    adresse = models.CharField(
        "N° et voie", max_length=250, blank=True, help_text="Adresse complète quand elle ne se découpe pas."
    )
    complement_adresse = models.CharField(
        "Complément d'adresse",
        max_length=250,
        blank=True,
        help_text="Lu dans l'adresse du réseau : la partie entre parenthèses (zone, commune déléguée), BP, CS, TSA.",
    )
    quartier = models.CharField(
        "Quartier", max_length=100, blank=True, help_text="Non fourni par les fichiers des réseaux : saisi ici."
    )
    code_postal = models.CharField("Code postal", max_length=5, blank=True)
    commune = models.CharField("Commune", max_length=100, blank=True)
    uai = models.CharField("UAI", max_length=8, blank=True)
    nature = models.CharField(
        "Nature", max_length=30, blank=True, help_text="responsable, formateur, responsable_formateur ou inconnue."
    )
    qualiopi = models.BooleanField("Certifié Qualiopi", null=True, blank=True, help_text="Vide : non renseigné.")
    actif = models.BooleanField("Établissement actif", default=True, help_text="Décoché : établissement fermé.")
    reseaux = models.CharField("Réseaux", max_length=200, blank=True, help_text="Codes séparés par « | ».")
    nom_recherche = models.CharField("Clé de recherche", max_length=700, blank=True, editable=False)

    objects = OrganismeFormationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["-actif", "raison_sociale", "siret"]
        indexes = [
            # The name lookup filters on nom_recherche (LIKE '%mot%') and sorts open ones first: scanning this
            # index in order stops at the 20th match instead of reading and sorting the whole table.
            models.Index(fields=["-actif", "nom_recherche"], name="organisme_recherche_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"),
                name="organisme_siret_14_chiffres",
                violation_error_message="Le SIRET doit comporter 14 chiffres.",
            ),
            models.CheckConstraint(
                condition=Q(nda="") | Q(nda__regex=r"^[0-9]{11}$"),
                name="organisme_nda_11_chiffres",
                violation_error_message="Le numéro de déclaration d'activité doit comporter 11 chiffres.",
            ),
        ]

    def __str__(self):
        return f"{self.denomination} — {self.siret}" + (f" — {self.commune}" if self.commune else "")

    @property
    def denomination(self) -> str:
        if self.enseigne and self.raison_sociale and normalize(self.enseigne) != normalize(self.raison_sociale):
            return f"{self.raison_sociale} ({self.enseigne})"
        if self.raison_sociale or self.enseigne:
            return self.raison_sociale or self.enseigne
        reseaux = ", ".join(r.upper() for r in self.liste_reseaux)
        return f"Établissement du réseau {reseaux}" if reseaux else "Organisme sans dénomination"

    @property
    def liste_reseaux(self) -> list[str]:
        return [r for r in self.reseaux.split("|") if r]

    @property
    def adresse_complete(self) -> str:
        return " ".join(part for part in (self.adresse, self.code_postal, self.commune) if part)

    def build_nom_recherche(self) -> str:
        """Names, place and networks, normalised: what the name lookup matches words against."""
        reseaux = " ".join(self.liste_reseaux).replace("_", " ")
        return normalize(f"{self.raison_sociale} {self.enseigne} {self.code_postal} {self.commune} {reseaux}")

    def save(self, *args, **kwargs):
        self.nom_recherche = self.build_nom_recherche()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nom_recherche" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "nom_recherche"]
        super().save(*args, **kwargs)
