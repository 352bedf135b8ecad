"""The small reference tables held in memory (portal/tables.py): read once, and a change applies at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import tables
from referentiels.models import ParametreRegle, Smic
from referentiels.parametres import parametre, smic_horaire

JOUR = dt.date(2026, 9, 1)


@pytest.fixture
def parametres(db):
    call_command("load_parametres", verbosity=0)
    tables.a_verifier()  # as a new request would


def _requetes(call) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return [q["sql"] for q in ctx.captured_queries]


def test_a_table_is_read_once_then_answered_from_memory(parametres):
    premiere = _requetes(lambda: (smic_horaire(JOUR), smic_horaire(JOUR), smic_horaire(dt.date(2025, 1, 1))))
    assert len(premiere) == 1 and "referentiels_smic" in premiere[0]
    tables.a_verifier()  # the next request: the generation is compared, the rows are kept
    assert _requetes(lambda: smic_horaire(JOUR)) == []


def test_a_change_in_the_admin_applies_at_once(parametres):
    code = "TP04_ESSAI_CDD_COURT_JOURS"
    avant = parametre(code, JOUR)
    ligne = ParametreRegle.objects.filter(code=code).order_by("-date_effet").first()
    ligne.valeur = avant + 7
    ligne.save()  # what the admin does
    assert parametre(code, JOUR) == avant + 7


def test_a_change_made_by_another_process_applies_at_its_next_request(parametres):
    horaire = smic_horaire(JOUR)
    # Another process changed the SMIC: its row in the database and a new generation in the shared cache.
    Smic.objects.filter(territoire="metropole").update(horaire=Decimal("99.99"))
    cache.set(tables.GENERATION, "une-autre-generation", None)
    assert smic_horaire(JOUR) == horaire  # this request keeps what it read
    tables.a_verifier()  # this process's next request
    assert smic_horaire(JOUR) == Decimal("99.99")


def test_the_cache_down_means_reading_again_never_an_error(parametres, monkeypatch):
    horaire = smic_horaire(JOUR)

    def panne(*args, **kwargs):
        raise ConnectionError("Redis injoignable")

    monkeypatch.setattr(cache, "get", panne)
    monkeypatch.setattr(cache, "set", panne)
    tables.a_verifier()
    assert smic_horaire(JOUR) == horaire
