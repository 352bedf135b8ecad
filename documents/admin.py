"""Documents in the admin: the document types are a referential AKTO edits; the pieces are the adhérent's."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from documents.models import DossierDocuments, PieceJointe, TypeDocument


@admin.register(TypeDocument)
class TypeDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "libelle",
        "code",
        "ordre",
        "obligation",
        "sous_dispositifs",
        "types_contrat",
        "ajout_libre",
        "actif",
    ]
    list_editable = ["ordre", "obligation", "actif"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # the rules are declared per code: never renamed

    def has_delete_permission(self, request, obj=None):
        return False  # pieces refer to their type: a type is closed with « actif »


class LectureSeuleMixin:
    """What the adhérent deposited or attested: consulted, never changed in the back office."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PieceJointe)
class PieceJointeAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ["nom_original", "dossier", "type", "taille", "type_contenu", "depose_le", "telecharger"]
    list_filter = ["type"]
    list_select_related = ["dossier", "type"]
    search_fields = ["nom_original", "dossier__numero"]
    fields = ["dossier", "type", "nom_original", "taille", "type_contenu", "depose_par", "depose_le", "telecharger"]
    readonly_fields = fields

    @admin.display(description="Fichier")
    def telecharger(self, obj):
        url = reverse("documents_telecharger", args=[obj.dossier_id, obj.pk])
        return format_html('<a href="{}">Télécharger</a>', url)


@admin.register(DossierDocuments)
class DossierDocumentsAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ["dossier", "attestation_pieces"]
    list_select_related = ["dossier"]
