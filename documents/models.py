"""Documents of a dossier: the document types, the uploaded pieces, the employer's attestation.

Storage: files go through Django's storage API, never the filesystem directly. By default the
``default`` storage (``FileSystemStorage`` under ``MEDIA_ROOT``; in-memory in tests). For an
S3-compatible bucket (AWS S3, MinIO, Scaleway, OVH…): ``pip install django-storages[s3]`` then set
``DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage`` and
``DOCUMENTS_STORAGE_OPTIONS='{"bucket_name": "pieces", "endpoint_url": "https://s3.example", "default_acl":
"private", "querystring_auth": true}'`` (credentials through ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``
in the environment). Files are always served through the Documents tab's ``telecharger`` view (permission
checked, ``dossiers/saisie/onglets/documents/vues.py``), never from a public URL; the stored name is
random, the user's file name is kept in ``nom_original``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.storage.handler import StorageHandler
from django.db import models

from documents.types import Obligation
from portal.historique import HistoriqueSaisie

MSG_ATTESTATION = "L'employeur atteste disposer de l'ensemble des pièces justificatives nécessaires au dépôt du dossier"


def stockage():
    """The documents' storage: ``DOCUMENTS_STORAGE_BACKEND`` when set, else the default storage."""
    backend = getattr(settings, "DOCUMENTS_STORAGE_BACKEND", "")
    if not backend:
        return default_storage
    options = json.loads(getattr(settings, "DOCUMENTS_STORAGE_OPTIONS", "") or "{}")
    return StorageHandler({"documents": {"BACKEND": backend, "OPTIONS": options}})["documents"]


def chemin(piece: PieceJointe, filename: str) -> str:
    """A random stored name under the dossier's folder: the user's name never reaches the storage."""
    extension = PurePosixPath(filename).suffix.lower()[:6]
    return f"pieces/{piece.dossier_id}/{uuid.uuid4().hex}{extension}"


class TypeDocument(models.Model):
    code = models.CharField(max_length=40, unique=True)
    libelle = models.CharField("Libellé", max_length=200)
    ordre = models.PositiveSmallIntegerField(default=0)
    sous_dispositifs = models.CharField(
        "Sous-dispositifs",
        max_length=200,
        blank=True,
        help_text="Codes séparés par des virgules (Ex : CPRO,CPRO_PRODIAT,CPRO_HOPE) ; vide : tous.",
    )
    types_contrat = models.CharField(
        "Types de contrat",
        max_length=100,
        blank=True,
        help_text="Codes du type de contrat ou d'avenant séparés par des virgules (Ex : 12) ; vide : tous.",
    )
    obligation = models.CharField("Obligatoire", max_length=10, choices=Obligation.choices, default=Obligation.JAMAIS)
    ajout_libre = models.BooleanField(
        "Ajout par « Ajouter un fichier »", default=False, help_text="Type facultatif proposé à la demande (Autre)."
    )
    actif = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "type de document"
        verbose_name_plural = "types de document"

    def __str__(self):
        return self.libelle

    def s_applique_a(self, code_sous_dispositif: str, type_contrat: str = "") -> bool:
        """Does the type apply to that sous-dispositif and that contract type (CERFA C3)? Empty lists: all."""
        return _dans(self.sous_dispositifs, code_sous_dispositif) and _dans(self.types_contrat, type_contrat)


def _dans(liste: str, code: str) -> bool:
    codes = {c.strip() for c in liste.split(",") if c.strip()}
    return not codes or code in codes


class AvisPiece(models.TextChoices):
    """The gestionnaire's review of one piece (back office)."""

    A_VERIFIER = "a_verifier", "À vérifier"
    CONFORME = "conforme", "Conforme"
    NON_CONFORME = "non_conforme", "Non conforme"


class PieceJointe(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="pieces_jointes")
    type = models.ForeignKey(TypeDocument, on_delete=models.PROTECT, related_name="pieces")
    fichier = models.FileField(upload_to=chemin, storage=stockage, max_length=255)
    nom_original = models.CharField("Nom du fichier", max_length=255)
    taille = models.PositiveBigIntegerField("Poids (octets)")
    type_contenu = models.CharField("Type de contenu détecté", max_length=100)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    depose_le = models.DateTimeField("Déposé le", auto_now_add=True)
    # The gestionnaire's review (dossiers/instruction): a non-conforming piece is shown to the adhérent to replace.
    avis = models.CharField("Avis", max_length=20, choices=AvisPiece.choices, default=AvisPiece.A_VERIFIER)
    motif_avis = models.CharField("Motif de non-conformité", max_length=300, blank=True)
    avis_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    avis_le = models.DateTimeField("Avis donné le", null=True, blank=True)

    # The field-level history (portal/historique.py) of what the adhérent deposits; the review is AKTO's, not hers.
    history = HistoriqueSaisie(excluded_fields=["avis", "motif_avis", "avis_par", "avis_le"])

    class Meta:
        ordering = ["type__ordre", "depose_le", "pk"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        indexes = [models.Index(fields=["dossier", "type"])]

    def __str__(self):
        return self.nom_original

    @property
    def non_conforme(self) -> bool:
        return self.avis == AvisPiece.NON_CONFORME


class DossierDocuments(models.Model):
    """What the Documents tab's form writes: the attestation (one row per dossier, created on first save)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="etat_documents")
    attestation_pieces = models.BooleanField(MSG_ATTESTATION, default=False)

    history = HistoriqueSaisie()  # the field-level history (portal/historique.py)

    class Meta:
        verbose_name = "attestation des pièces"
        verbose_name_plural = "attestations des pièces"

    def __str__(self):
        return f"Documents du dossier {self.dossier_id}"


def etat_documents(dossier) -> DossierDocuments:
    """The dossier's row, or an unsaved one cached on the dossier (the tab form and the rules share it)."""
    try:
        return dossier.etat_documents
    except DossierDocuments.DoesNotExist:
        return DossierDocuments(dossier=dossier)  # sets the reverse cache: the next read gets this instance
