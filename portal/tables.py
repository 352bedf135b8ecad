"""Small reference tables read on every check of a dossier (the SMIC, the rules' dated parameters, the branches'
salary grids, the funding forfaits, the document types), held in each process's memory and read again as soon as
one of them changes; and small values derived from followed tables (a user's establishments), kept in the shared
cache (``derivee``).

The rules engine runs on every tab view and save: asking the database for the SMIC six times per request (the
salary rules, the estimation…) cost more than the save itself. These tables are a few dozen rows that AKTO
edits in the admin a few times a year; a process keeps them (``lignes(Modele)``, the rows in the model's
ordering) and every reader filters them in Python.

A change must still apply at once, in every process (gunicorn workers, the Celery worker): any save or delete
of a followed model (``suivre``: the admin, the loaders, a test's ``objects.create``) forgets the tables here and
bumps a *generation* in the shared cache (portal/cache.py: Redis in production); each process compares that
generation with the one its tables were read under once per request or task (``a_verifier``, connected to
``request_started`` and Celery's ``task_prerun``). A bulk ``QuerySet.update()`` sends no signal: call
``changement()`` after one. The cache down: every request reads the tables again (correct, slower).
"""

from __future__ import annotations

import threading
import uuid

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.cache import ecrire, lire

GENERATION = "portal:tables:generation"

_verrou = threading.Lock()
_tables: dict[str, tuple] = {}
_etat = {"generation": None, "verifiee": False}
_fil = threading.local()  # ``modifiees``: this thread changed a table in a transaction not yet committed


def lignes(modele) -> tuple:
    """Every row of ``modele`` (its ``Meta.ordering``), from this process's memory when up to date."""
    _verifier()
    cle = modele._meta.label
    rows = _tables.get(cle)
    if rows is None:
        rows = tuple(modele._default_manager.all())
        if not getattr(_fil, "modifiees", False):  # never keep rows a rollback could take back
            _tables[cle] = rows
    return rows


def derivee(cle: str, calcul):
    """A small value computed from followed tables (``calcul()``, picklable), kept in the shared cache under the
    current generation: computed again as soon as one of those tables changes, in any process."""
    _verifier()
    complete = f"portal:tables:{_etat['generation']}:{cle}"
    valeur = lire(complete)
    if valeur is None:
        valeur = calcul()
        if not getattr(_fil, "modifiees", False):  # never keep what a rollback could take back
            ecrire(complete, valeur, 24 * 3600)
    return valeur


def _verifier() -> None:
    if _etat["verifiee"]:
        return
    generation = lire(GENERATION)
    with _verrou:
        if generation is None:  # first process up, evicted key or cache down: a new generation, tables re-read
            generation = uuid.uuid4().hex
            ecrire(GENERATION, generation, None)
        if generation != _etat["generation"]:
            _tables.clear()
            _etat["generation"] = generation
        _etat["verifiee"] = True


def oublier() -> None:
    """Forget the tables held here (they are read again on next use)."""
    with _verrou:
        _tables.clear()
        _etat["generation"] = None
        _etat["verifiee"] = False


def changement(**kwargs) -> None:
    """One of the tables changed: this process forgets them now and the others at their next request or task
    (again once the transaction commits, so that nobody keeps rows read in between)."""

    def nouvelle_generation():
        oublier()
        ecrire(GENERATION, uuid.uuid4().hex, None)

    nouvelle_generation()
    _fil.modifiees = True
    transaction.on_commit(nouvelle_generation)
    transaction.on_commit(lambda: setattr(_fil, "modifiees", False))


def a_verifier(**kwargs) -> None:
    """A request or a task starts: compare the shared generation again at the first table read."""
    _etat["verifiee"] = False
    _fil.modifiees = False


def suivre(*modeles) -> None:
    """Follow these models: any save or delete of one of their rows is a ``changement``."""
    for modele in modeles:
        post_save.connect(changement, sender=modele, dispatch_uid=f"portal.tables.save.{modele._meta.label}")
        post_delete.connect(changement, sender=modele, dispatch_uid=f"portal.tables.delete.{modele._meta.label}")
