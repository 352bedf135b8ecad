from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        from documents.models import TypeDocument
        from portal import tables

        tables.suivre(TypeDocument)  # read on every check (the mandatory pieces): held in memory
