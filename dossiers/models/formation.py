"""The training (CERFA « La formation », F1–F17) and its modules: the Formation tab's data."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property

from dossiers.enums import Diplome, ModalitePedagogique, TypeModule, TypeQualification
from dossiers.models.dossier import Dossier
from portal.historique import HistoriqueSaisie

__all__ = ["Formation", "ModuleFormation"]

NSF_VALIDATOR = RegexValidator(r"^[0-9]{3}$", "La spécialité de formation (NSF) s'écrit avec 3 chiffres (Ex : 221).")

MSG_ATTESTATION_INTERNE = (
    "L'employeur atteste que le service de formation interne dispose des moyens nécessaires à la réalisation "
    "de la formation du salarié."
)


class Formation(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="formation")
    intitule = models.CharField("Intitulé précis", max_length=255, blank=True)
    reference_interne = models.CharField("Référence interne de l'entreprise (O)", max_length=50, blank=True)
    reference_projet = models.CharField("Référence projet (O)", max_length=50, blank=True)
    type_qualification = models.CharField(
        "Type de qualification visée", max_length=1, choices=TypeQualification.choices, blank=True
    )
    numero_projet_vae = models.CharField(
        "Numéro du projet",
        max_length=30,
        blank=True,
        help_text="CERFA E15 : expérimentation associant des actions de VAE (type de qualification 8), numéro "
        "figurant sur la notification d'acceptation du projet délivrée par la DGEFP.",
    )
    diplome_vise = models.CharField(
        "Diplôme ou titre visé par le salarié(e)", max_length=2, choices=Diplome.choices, blank=True
    )
    certification = models.ForeignKey(
        "referentiels.Certification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="La fiche France compétences du code RNCP saisi, quand le référentiel la connaît.",
    )
    code_rncp = models.CharField("Code RNCP", max_length=20, blank=True)
    specialite_nsf = models.CharField(
        "Spécialité de formation (NSF)", max_length=3, blank=True, validators=[NSF_VALIDATOR]
    )
    duree_totale_heures = models.PositiveIntegerField("Durée totale de formation", null=True, blank=True)
    duree_enseignements_heures = models.PositiveIntegerField(
        "Durée des enseignements théoriques", null=True, blank=True
    )
    date_debut_cycle = models.DateField("Date de début du cycle de formation", null=True, blank=True)
    date_fin_examens = models.DateField("Date prévue de fin des épreuves ou examens", null=True, blank=True)
    apprentissage = models.BooleanField("Apprentissage (OUI/NON)", null=True, blank=True)

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        # The lists' sort by training title (saisie/listes.py TRIS): read from the index, per visible dossier.
        indexes = [models.Index(fields=["dossier", "intitule"], name="formation_tri_idx")]

    def __str__(self):
        return self.intitule or f"Formation du dossier {self.dossier_id}"

    @cached_property
    def liste_modules(self) -> list["ModuleFormation"]:
        """The modules in order, read once per instance (the rules read them many times per check)."""
        if self.pk is None:
            return []
        if "modules" in getattr(self, "_prefetched_objects_cache", {}):  # loaded with the dossier (MODULES)
            return sorted(self.modules.all(), key=lambda m: (m.ordre, m.pk))
        return list(self.modules.select_related("organisme").order_by("ordre", "pk"))

    def module(self, numero: int) -> "ModuleFormation | None":
        modules = self.liste_modules
        return modules[numero - 1] if 0 < numero <= len(modules) else None

    @property
    def module_principal(self) -> "ModuleFormation | None":
        """The first module: its organisme (or the internal service) is the CERFA's *organisme principal*."""
        return self.module(1)

    @property
    def organisme_principal(self):
        principal = self.module_principal
        return principal.organisme if principal and principal.type == TypeModule.EXTERNE else None

    @property
    def nombre_organismes(self) -> int:
        """CERFA F6: the distinct external organismes, plus the internal service when one module is internal."""
        externes = {m.organisme_id for m in self.liste_modules if m.type == TypeModule.EXTERNE and m.organisme_id}
        interne = any(m.type == TypeModule.INTERNE for m in self.liste_modules)
        return len(externes) + (1 if interne else 0)

    @property
    def heures_distance_totales(self) -> int:
        return sum(m.heures_distance or 0 for m in self.liste_modules)


class ModuleFormation(models.Model):
    """A training module: delivered by an external organisme or by the employer's internal service."""

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="modules")
    ordre = models.PositiveSmallIntegerField("Module", default=1)
    type = models.CharField("Type de module", max_length=10, choices=TypeModule.choices)
    organisme = models.ForeignKey(
        "referentiels.OrganismeFormation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Organisme de formation externe",
    )
    apprentissage_controle = models.BooleanField("Apprentissage - Contrôle", null=True, blank=True)
    service_interne = models.CharField("Service de formation interne", max_length=250, blank=True)
    attestation_interne = models.BooleanField(MSG_ATTESTATION_INTERNE, default=False)
    date_debut = models.DateField("Date de début", null=True, blank=True)
    date_fin = models.DateField("Date de fin", null=True, blank=True)
    heures = models.PositiveIntegerField("Durée de formation", null=True, blank=True)
    heures_distance = models.PositiveIntegerField("Durée de la formation à distance", null=True, blank=True)
    modalite = models.CharField(
        "Modalités pédagogiques", max_length=20, choices=ModalitePedagogique.choices, blank=True
    )

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        ordering = ["formation", "ordre", "pk"]
        verbose_name = "module de formation"
        verbose_name_plural = "modules de formation"

    def __str__(self):
        return f"Module {self.ordre} ({self.get_type_display()})"

    @property
    def externe(self) -> bool:
        return self.type == TypeModule.EXTERNE
