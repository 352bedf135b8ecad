"""The Documents tab's form: the employer's attestation (stored by the documents app, one row per dossier)."""

from __future__ import annotations

from documents.models import DossierDocuments, etat_documents
from dossiers.saisie.onglets.base import OngletForm


class DocumentsForm(OngletForm):
    class Meta:
        model = DossierDocuments
        fields = ["attestation_pieces"]

    def save_valid(self) -> None:
        if self.instance.pk is None:
            if self.valid_field_names():
                self.instance.save()  # the row is created on the first save of the tab
            return
        super().save_valid()


# The tab's (form, instance) for ``dossiers.saisie.onglets.ONGLETS``: the attestation's row, or an unsaved one.
ONGLET_DOCUMENTS = (DocumentsForm, etat_documents)
