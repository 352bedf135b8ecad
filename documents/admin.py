from django.contrib import admin

from .models import DossierDocuments, PieceJointe, TypeDocument


@admin.register(TypeDocument)
class TypeDocumentAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre", "obligation", "sous_dispositifs", "ajout_libre", "actif"]
    list_editable = ["ordre", "obligation", "actif"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # the rules are declared per code: never renamed


@admin.register(PieceJointe)
class PieceJointeAdmin(admin.ModelAdmin):
    list_display = ["nom_original", "dossier", "type", "taille", "type_contenu", "depose_par", "depose_le"]
    list_filter = ["type"]
    search_fields = ["nom_original", "dossier__numero"]
    raw_id_fields = ["dossier", "depose_par"]
    readonly_fields = ["fichier", "nom_original", "taille", "type_contenu", "depose_par", "depose_le"]


@admin.register(DossierDocuments)
class DossierDocumentsAdmin(admin.ModelAdmin):
    list_display = ["dossier", "attestation_pieces"]
    raw_id_fields = ["dossier"]
