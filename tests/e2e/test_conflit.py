"""A conflicting edit in two browsers: the same field changed in both since they loaded the tab. The second save
is refused for that field only, shows « Modifié par ailleurs : <valeur enregistrée> » under it with the user's input
still in the field, and the user chooses: « Garder ma saisie » writes it, « Reprendre la valeur enregistrée » puts
the stored value back. axe on the page showing the conflict."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_autosave import EMAIL, ENREGISTRE, ouvrir_employeur, statut
from tests.e2e.test_journeys import MONO, expect_no_template_error, login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected in the page


def test_une_modification_concurrente_du_meme_champ_montre_les_deux_valeurs_et_laisse_choisir(
    page: Page, browser, browser_context_args, demo_data, screens_dir
):
    from dossiers.models import Employeur
    from portal.models import User
    from tests.complet import dossier_complet

    dossier = dossier_complet(User.objects.get(email=MONO.email))
    login(page, demo_data.url, MONO.email)
    ouvrir_employeur(page, demo_data.url, dossier)
    context = browser.new_context(**browser_context_args)
    autre = context.new_page()
    autre.set_default_timeout(10_000)
    login(autre, demo_data.url, MONO.email)
    ouvrir_employeur(autre, demo_data.url, dossier)

    page.get_by_label(EMAIL).fill("a@exemple.test")
    expect(statut(page)).to_have_text(ENREGISTRE)

    # The other browser changes the same field: refused for it, both values shown, nothing typed lost.
    autre.get_by_label(EMAIL).fill("b@exemple.test")
    expect(statut(autre)).to_have_text("Non enregistré : Email modifié(s) par ailleurs.")
    conflit = autre.locator("#conflit-email")
    expect(conflit).to_contain_text("Modifié par ailleurs : a@exemple.test")
    expect(autre.get_by_label(EMAIL)).to_have_value("b@exemple.test")
    expect_no_template_error(autre)
    autre.screenshot(path=str(screens_dir / "conflit-champ.png"), full_page=True)
    releve = Releve()
    releve(autre, "onglet Employeur avec un conflit")
    releve.verifier()
    assert Employeur.objects.get(dossier=dossier).email == "a@exemple.test"

    autre.get_by_role("button", name="Garder ma saisie").click()
    expect(conflit.get_by_role("alert")).to_have_count(0)
    expect(statut(autre)).to_have_text(ENREGISTRE)
    assert Employeur.objects.get(dossier=dossier).email == "b@exemple.test"
    context.close()

    # The first browser, still showing its own value, changes it again: the conflict the other way round, and this
    # time the user takes the stored value back.
    page.get_by_label(EMAIL).fill("c@exemple.test")
    expect(page.locator("#conflit-email")).to_contain_text("Modifié par ailleurs : b@exemple.test")
    expect(page.get_by_label(EMAIL)).to_have_value("c@exemple.test")
    page.get_by_role("button", name="Reprendre la valeur enregistrée").click()
    expect(page.get_by_label(EMAIL)).to_have_value("b@exemple.test")
    expect(page.get_by_label(EMAIL)).to_be_focused()
    expect(statut(page)).to_have_text(ENREGISTRE)
    assert Employeur.objects.get(dossier=dossier).email == "b@exemple.test"
