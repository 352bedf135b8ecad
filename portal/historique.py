"""The field-level history of what users enter (django-simple-history), shared by the apps that record it.

``HistoriqueSaisie`` is simple-history's ``HistoricalRecords`` that writes no row for a save touching none of
the recorded fields (``save(update_fields=[…])`` of a technical field: a state's timestamp, the search key, the
assignment): the history holds what the user changed, not every write of the row. The author of a row is the
request's user (``HistoryRequestMiddleware``); a row written outside a request (a command, a task) has none.
"""

from __future__ import annotations

from simple_history.models import HistoricalRecords


class HistoriqueSaisie(HistoricalRecords):
    def __init__(self, *args, declencheurs: tuple[str, ...] = (), **kwargs):
        """``declencheurs``: excluded fields whose change still writes a row (the encrypted NIR, recorded masked)."""
        super().__init__(*args, **kwargs)
        self.declencheurs = frozenset(declencheurs)

    def enregistres(self, model) -> frozenset[str]:
        """The names (and attnames) of the model's fields whose change writes a row."""
        names = {f.name for f in self.fields_included(model)} | {f.attname for f in self.fields_included(model)}
        return frozenset(names) | self.declencheurs

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None and not (set(update_fields) & self.enregistres(type(instance))):
            return
        super().post_save(instance, created, using=using, **kwargs)


class HistoriqueDesChamps(HistoriqueSaisie):
    """Records only the fields named in ``champs`` (a model most of whose fields are not the user's: the
    ``Dossier``, whose state, timestamps and decision are the workflow's). A field added to the model later is
    not recorded until it is named here."""

    def __init__(self, *args, champs: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.champs = frozenset(champs)

    def finalize(self, sender, **kwargs):
        if sender is self.cls:
            self.excluded_fields = [
                f.name for f in sender._meta.fields if f.name not in self.champs and not f.primary_key
            ]
        super().finalize(sender, **kwargs)
