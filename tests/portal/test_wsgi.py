"""The WSGI entry point reads the official blank CERFA form as the worker boots."""

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
