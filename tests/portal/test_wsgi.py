"""The WSGI entry point warms the process up as gunicorn's arbiter imports it (preload_app): the official blank
CERFA form read, the templates compiled, no query; gunicorn closes any connection before forking a worker."""

import importlib

from documents import cerfa


def test_the_worker_boots_with_the_official_cerfa_form_read(settings):
    cerfa.formulaire.cache_clear()
    import portal.wsgi

    importlib.reload(portal.wsgi)
    assert cerfa.formulaire.cache_info().currsize == 1
    assert cerfa.fond_pdf().startswith(b"%PDF")


def test_a_failing_warm_up_does_not_stop_the_worker(monkeypatch, caplog):
    import portal.wsgi

    def panne(*args, **kwargs):
        raise OSError("police absente")

    monkeypatch.setattr(cerfa, "prechauffer", panne)
    portal.wsgi.prechauffer()
    assert "Préchauffage du CERFA impossible (OSError)" in caplog.text


def test_the_warm_up_compiles_the_templates_and_runs_no_query(monkeypatch):
    """gunicorn runs it in its arbiter (preload_app): no database access (this test has none: pytest-django
    refuses any), and afterwards a page's templates, crispy-forms' and the widgets' come from the cache."""
    from django.forms.renderers import get_default_renderer
    from django.template import base, engines

    import portal.wsgi

    assert portal.wsgi.prechauffer_django() > 100

    def compilation(*args, **kwargs):
        raise AssertionError("gabarit compilé après le préchauffage")

    monkeypatch.setattr(base.Template, "__init__", compilation)
    for nom in ("dossiers/dossier.html", "registration/login.html", "bootstrap5/field.html", "admin/base.html"):
        engines["django"].get_template(nom)
    get_default_renderer().get_template("django/forms/widgets/input.html")


def test_gunicorn_closes_the_arbiters_connections_before_each_fork(transactional_db, monkeypatch):
    """Should anything open one in the arbiter, no worker inherits it (pre_fork, gunicorn.conf.py)."""
    import runpy
    import types
    from pathlib import Path

    from django.db import connection, connections

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    connection.ensure_connection()
    assert connection.connection is not None
    fermetures = []
    fermer = connections.close_all
    monkeypatch.setattr(connections, "close_all", lambda: (fermetures.append(True), fermer()))
    conf["pre_fork"](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True)), None)
    assert fermetures == [True]
    # Django keeps an in-memory SQLite open (closing it would lose the database).
    if not getattr(connection, "is_in_memory_db", lambda: False)():
        assert connection.connection is None
