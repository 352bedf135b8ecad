"""Autosave of a tab, under the real Content-Security-Policy: the user types, stops, the tab is saved with
« Enregistré à 10 h 42 » beside *Enregistrer*; leaving the tab then asks nothing; two browsers editing different
fields of the same tab both keep their input (the field-level merge, dossiers/saisie/fusion.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_contrat_formation import settled
from tests.e2e.test_journeys import MONO, expect_no_template_error, expect_tab_shown, login, tab

pytestmark = pytest.mark.e2e

EMAIL = re.compile(r"^(\* )?Email$")
ENREGISTRE = re.compile(r"^Enregistré à \d\d h \d\d$")


def statut(page: Page):
    return page.locator("#statut-enregistrement")


def ouvrir_employeur(page: Page, url: str, dossier) -> None:
    page.goto(f"{url}/dossiers/{dossier.pk}/introduction/")
    tab(page, "Employeur").click()
    expect_tab_shown(page, "Employeur")
    settled(page)


def test_la_saisie_est_enregistree_sans_cliquer_et_quitter_l_onglet_ne_demande_rien(page: Page, demo_data):
    from dossiers.models import Employeur
    from portal.models import User
    from tests.complet import dossier_complet

    dossier = dossier_complet(User.objects.get(email=MONO.email))
    login(page, demo_data.url, MONO.email)
    ouvrir_employeur(page, demo_data.url, dossier)
    dialogues = []
    page.on("dialog", lambda d: (dialogues.append(d.message), d.dismiss()))

    page.get_by_label(EMAIL).fill("rh.auto@exemple.test")  # typed, never left, never « Enregistrer »
    expect(statut(page)).to_have_text(ENREGISTRE)
    expect(statut(page)).to_have_attribute("role", "status")
    expect(statut(page)).to_have_attribute("aria-live", "polite")
    assert Employeur.objects.get(dossier=dossier).email == "rh.auto@exemple.test"
    expect(page.get_by_label(EMAIL)).to_be_focused()  # the input was not replaced

    page.get_by_role("link", name="Suivant").click()  # nothing left unsaved: no « modifications non enregistrées »
    expect_tab_shown(page, "Salarié")
    assert dialogues == []
    page.reload()
    tab(page, "Employeur").click()
    expect_tab_shown(page, "Employeur")
    expect(page.get_by_label(EMAIL)).to_have_value("rh.auto@exemple.test")

    # A malformed value is not written: the status says so and the guard still warns for it.
    page.get_by_label("Téléphone", exact=True).fill("12")
    page.get_by_label("Téléphone", exact=True).press("Tab")
    expect(statut(page)).to_have_text(re.compile(r"sauf les champs au format invalide"))
    page.get_by_role("link", name="Suivant").click()
    expect(tab(page, "Employeur")).to_have_attribute("aria-selected", "true")
    assert len(dialogues) == 1  # the confirm, dismissed: the tab stays
    expect_no_template_error(page)


def test_deux_navigateurs_sur_le_meme_onglet_gardent_chacun_leur_saisie(page: Page, browser, demo_data):
    from dossiers.models import Employeur
    from portal.models import User
    from tests.complet import dossier_complet

    dossier = dossier_complet(User.objects.get(email=MONO.email))
    login(page, demo_data.url, MONO.email)
    ouvrir_employeur(page, demo_data.url, dossier)
    context = browser.new_context(locale="fr-FR")
    autre = context.new_page()
    autre.set_default_timeout(10_000)
    login(autre, demo_data.url, MONO.email)
    ouvrir_employeur(autre, demo_data.url, dossier)

    page.get_by_label("Téléphone", exact=True).fill("01 23 45 67 89")
    expect(statut(page)).to_have_text(ENREGISTRE)
    autre.get_by_label("Caisse de retraite", exact=False).fill("KLESIA")  # loaded before the phone was saved
    expect(statut(autre)).to_have_text(ENREGISTRE)
    autre.get_by_role("button", name="Enregistrer", exact=True).click()  # the full save too: merged, not refused
    expect(autre.locator("#onglet > .alert")).to_have_text("Enregistrement effectué.")
    expect(autre.get_by_label("Téléphone", exact=True)).to_have_value("01 23 45 67 89")  # the other's change shown
    context.close()

    employeur = Employeur.objects.get(dossier=dossier)
    assert employeur.telephone == "01 23 45 67 89" and employeur.caisse_retraite == "KLESIA"
