"""Shared fixtures: users attached to companies, logged-in clients."""

import importlib
import os

import pytest
from django.test import Client

from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory, attach


@pytest.fixture
def adherent(db):
    """An adhérent attached to one establishment (mono-SIRET)."""
    user = UserFactory()
    attach(user, EtablissementFactory())
    return user


@pytest.fixture
def adherent_multi(db):
    """An adhérent attached to two companies with two establishments each."""
    user = UserFactory()
    for _ in range(2):
        entreprise = EntrepriseFactory()
        EtablissementFactory.create_batch(2, entreprise=entreprise)
        attach(user, entreprise)
    return user


@pytest.fixture
def adherent_interim(db):
    user = UserFactory()
    attach(user, EtablissementFactory(interim=True))
    return user


@pytest.fixture
def gestionnaire(db):
    """An AKTO gestionnaire as in production: staff, role, member of the *Gestionnaires AKTO* group (no superuser)."""
    from dossiers.acces import groupe_gestionnaires
    from portal.models import Role

    user = UserFactory(role=Role.GESTIONNAIRE, is_staff=True, first_name="Nadia", last_name="Lefèvre")
    user.groups.add(groupe_gestionnaires())
    return user


@pytest.fixture(autouse=True)
def tables_relues():
    """Each test reads the reference tables from its own database (portal/tables.py holds them in memory, and a
    test's rollback sends no signal)."""
    from django.core.cache import cache

    from portal import tables

    cache.clear()  # the tables' generation and what derives from it (ids are reused from one test to the next)
    tables.oublier()
    yield
    tables.oublier()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing tries the network in tests: any outbound HTTP through urllib fails loudly (``urlopen`` and every
    opener go through ``OpenerDirector.open``). Only this machine's loopback answers (a test's own HTTP server), and
    local files."""
    import ipaddress
    import urllib.parse
    import urllib.request

    ouvrir = urllib.request.OpenerDirector.open

    def local(host) -> bool:
        try:
            return host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def refuse(self, fullurl, *args, **kwargs):
        url = urllib.parse.urlsplit(fullurl.full_url if isinstance(fullurl, urllib.request.Request) else fullurl)
        if url.scheme not in ("file", "data") and not local(url.hostname):  # WeasyPrint reads its fonts by file:
            raise AssertionError("Un test a tenté d'accéder au réseau.")
        return ouvrir(self, fullurl, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pytest_collection_modifyitems(config, items):
    """Worker tests need the real Redis, Celery worker and PostgreSQL test database that .ci/run starts (a
    worker process cannot see an in-memory SQLite test database): deselect them elsewhere."""
    from django.conf import settings

    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if os.environ.get("REDIS_URL") and os.environ.get("CELERY_WORKER_RUNNING") and not sqlite:
        return
    worker = [item for item in items if item.get_closest_marker("worker")]
    if worker:
        config.hook.pytest_deselected(items=worker)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The dispositifs come from a data migration: make sure they exist with ``--no-migrations`` too."""
    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("dossiers.migrations.0028_reconversion_dispositif").load_tous(apps, None)


# The data migrations whose rows a flush removes, with their (idempotent) loader and a model telling
# whether the rows are there.
DATA_MIGRATIONS = [
    ("dossiers.migrations.0028_reconversion_dispositif", "load_tous", "dossiers.Dispositif"),
    ("referentiels.migrations.0004_parametre_regle", "charger_parametres_regles", "referentiels.ParametreRegle"),
    ("dossiers.migrations.0009_financement", "charger", "dossiers.TypeContribution"),
    ("documents.migrations.0006_types_reconversion", "load_tous", "documents.TypeDocument"),
]


def ensure_dispositifs() -> None:
    """Re-create the data migrations' rows if a previous transactional test flushed them.

    A transactional test (``transaction=True``, ``live_server``) is followed by a flush of every table.
    """
    from django.apps import apps

    for module, loader, model in DATA_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), loader)(apps, None)
