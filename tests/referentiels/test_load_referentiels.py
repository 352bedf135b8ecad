"""`make run` loads the committed extracts offline: every referential, real volumes, idempotent."""

import io

import pytest
from django.core.management import call_command

from referentiels.models import (
    Certification,
    CodeNaf,
    CodePostal,
    Commune,
    ConventionCollective,
    Departement,
    OrganismeFormation,
    Smic,
)
from referentiels.parametres import smic_horaire

pytestmark = pytest.mark.django_db


def test_shipped_extracts_load_and_reload_quietly():
    call_command("load_referentiels", stdout=io.StringIO())
    assert Departement.objects.count() >= 101
    assert Commune.objects.filter(actuelle=True).count() > 34_000
    assert CodePostal.objects.values("code").distinct().count() > 6_000
    assert CodeNaf.objects.filter(code_compact="5610A").exists()
    assert ConventionCollective.objects.get(idcc="1979").active
    assert Certification.objects.count() > 300
    assert OrganismeFormation.objects.count() > 2_000
    assert Smic.objects.exists()
    import datetime as dt

    assert smic_horaire(dt.date(2026, 1, 15)) > 0
    before = Commune.objects.count()
    out = io.StringIO()
    call_command("load_referentiels", stdout=out)
    assert "déjà chargé" in out.getvalue()
    assert Commune.objects.count() == before
