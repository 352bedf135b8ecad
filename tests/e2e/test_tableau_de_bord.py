"""The gestionnaire lands on the dashboard (``/admin/``), clicks the « 15–19 jours » band and sees the list filtered
on it; axe finds no critical or serious violation on the dashboard. A screenshot goes to /tmp/e2e-screens."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_back_office import login_gestionnaire
from tests.e2e.test_journeys import MONO, expect_no_template_error

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected inline (as in test_accessibilite.py)


@pytest.fixture
def deux_transmis(demo_data):
    """Two of the mono-establishment adhérent's dossiers transmitted through the real service: today, and 16 days
    ago (« J+16 »)."""
    from django.utils import timezone

    from dossiers.models import Dossier
    from dossiers.services import dossier_transmettre
    from portal.models import User
    from tests.complet import dossier_complet

    adherent = User.objects.get(email=MONO.email)
    recent, ancien = dossier_complet(adherent), dossier_complet(adherent)
    for dossier in (recent, ancien):
        dossier_transmettre(dossier=dossier, user=adherent)
    Dossier.objects.filter(pk=ancien.pk).update(transmis_le=timezone.now() - dt.timedelta(days=16))
    return demo_data, recent.numero, ancien.numero


def test_le_gestionnaire_arrive_sur_le_tableau_de_bord_et_ouvre_une_bande_de_delai(
    page: Page, deux_transmis, screens_dir
):
    live, recent, ancien = deux_transmis
    login_gestionnaire(page, live.url)  # lands on /admin/
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    delais = page.locator("#par-delai")
    expect(delais.get_by_role("heading", name="En attente de décision, par délai")).to_be_visible()
    expect(delais).to_contain_text("15–19 jours")
    expect_no_template_error(page)
    assert violations(page) == []
    page.screenshot(path=str(screens_dir / "back-office-tableau-de-bord.png"), full_page=True)

    delais.get_by_role("link", name=re.compile("15–19 jours")).click()
    expect(page.get_by_role("heading", name="Dossiers transmis à AKTO")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/dossiers/dossier/\?delai=j15_19$"))
    ligne = page.get_by_role("row", name=re.compile(ancien))
    expect(ligne).to_contain_text("J+16")
    expect(page.get_by_role("row", name=re.compile(recent))).to_have_count(0)
