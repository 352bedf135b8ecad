"""The Financement tab (reste à charge of travail temporaire employers) and the Synthèse tab (attestations, comment).

Both parts are created with the dossier (``services._create``); ``du_dossier`` gives an unsaved one for a dossier
made before them, so that the rules and the tabs never fail on a missing row.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxLengthValidator
from django.db import models

from dossiers.models.dossier import Dossier
from portal.historique import HistoriqueSaisie

__all__ = ["COMMENTAIRE_MAX", "Financement", "Synthese", "TypeContribution"]

COMMENTAIRE_MAX = 2000


class TypeContribution(models.Model):
    """*Type de contribution* for the funding of the reste à charge (travail temporaire), editable in the admin."""

    code = models.CharField("Code", max_length=20, unique=True)
    libelle = models.CharField("Libellé", max_length=150)
    ordre = models.PositiveSmallIntegerField("Ordre", default=0)
    actif = models.BooleanField("Proposé à la saisie", default=True)

    class Meta:
        ordering = ["ordre", "libelle"]
        verbose_name = "type de contribution"
        verbose_name_plural = "types de contribution"

    def __str__(self):
        return self.libelle


class _Partie(models.Model):
    class Meta:
        abstract = True

    @classmethod
    def du_dossier(cls, dossier):
        """The dossier's row, or a new unsaved one (dossier created before this part existed)."""
        try:
            return getattr(dossier, cls._meta.get_field("dossier").remote_field.related_name)
        except ObjectDoesNotExist:
            return cls(dossier=dossier)


class Financement(_Partie):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="financement")
    reste_a_charge_demande = models.BooleanField(
        "Souhaitez-vous demander le financement de votre reste à charge ?", null=True, blank=True
    )
    type_contribution = models.ForeignKey(
        TypeContribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Type de contribution pour la prise en charge du reste à charge",
    )
    cout_pedagogique = models.DecimalField(
        "Coût pédagogique prévu (devis de l'organisme de formation, HT)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Facultatif : sert seulement à estimer le reste à charge de l'employeur.",
    )

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    def __str__(self):
        return f"Financement du dossier {self.dossier_id}"


class Synthese(_Partie):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="synthese")
    attestation_exactitude = models.BooleanField(
        "J'atteste l'exactitude des informations saisies dans ce dossier.", default=False
    )
    # FOR-09, FOR-10: two obligations of the contract the OPCO cannot see in the data, attested by the employer.
    attestation_gratuite = models.BooleanField(
        "L'employeur atteste que l'organisme de formation ne demande au salarié aucune contribution financière, "
        "de quelque nature qu'elle soit, au titre de son inscription en formation (article L6325-2-1 du code du "
        "travail).",
        default=False,
    )
    attestation_sans_dedit = models.BooleanField(
        "L'employeur atteste que le contrat ne comporte aucune clause de dédit-formation prévoyant le "
        "remboursement par le salarié des dépenses de formation en cas de rupture du contrat (article L6325-15 "
        "du code du travail).",
        default=False,
    )
    acceptation_cg = models.BooleanField("J'accepte les Conditions Générales.", default=False)
    commentaire = models.TextField(
        "Commentaire",
        blank=True,
        validators=[MaxLengthValidator(COMMENTAIRE_MAX)],
        help_text="Visible par le gestionnaire AKTO lors de l'instruction de la demande.",
    )

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        verbose_name = "synthèse"

    def __str__(self):
        return f"Synthèse du dossier {self.dossier_id}"
