"""The Accueil's to-do list in the browser: what needs the adhérent, each row a link to its dossier; axe on it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_back_office import GESTIONNAIRE
from tests.e2e.test_journeys import MONO, expect_tab_shown, login

pytestmark = pytest.mark.e2e

COMMENTAIRE = "Merci de joindre le programme de formation signé."


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def a_faire(adherent_email: str) -> dict:
    """MONO's dossiers that need it: a draft starting in 2 days, one sent back by AKTO, a complete draft; and
    another company's draft."""
    from django.utils import timezone

    from dossiers.enums import DossierState
    from dossiers.models import DossierEvenement
    from dossiers.workflow import DEMANDER_COMPLEMENTS
    from portal.models import User
    from tests.complet import dossier_complet
    from tests.factories import DossierFactory

    user = User.objects.get(email=adherent_email)
    etablissement = user.rattachements.get().etablissement
    debut = timezone.localdate() + dt.timedelta(days=2)
    urgent = DossierFactory(
        etablissement=etablissement,
        created_by=user,
        parts={"salarie": {"nom_naissance": "DURAND", "prenom": "Léa"}, "contrat": {"date_debut": debut}},
    )
    renvoye = DossierFactory(etablissement=etablissement, created_by=user, state=DossierState.A_COMPLETER)
    DossierEvenement.objects.create(
        dossier=renvoye,
        transition=DEMANDER_COMPLEMENTS,
        from_state=DossierState.EN_INSTRUCTION,
        to_state=DossierState.A_COMPLETER,
        user=User.objects.get(email=GESTIONNAIRE),
        comment=COMMENTAIRE,
    )
    return {
        "urgent": urgent,
        "limite": (debut + dt.timedelta(days=5)).strftime("%d/%m"),
        "renvoye": renvoye,
        "complet": dossier_complet(user),
        "autre": DossierFactory(),
    }


def test_l_accueil_liste_ce_qui_attend_l_adherent(page: Page, demo_data):
    dossiers = a_faire(MONO.email)
    base = demo_data.url
    login(page, base, MONO.email)

    expect(page.get_by_role("heading", name="A faire", level=2)).to_be_visible()
    a_completer = page.locator('[data-a-faire="a_completer"]')
    expect(a_completer).to_contain_text(dossiers["renvoye"].numero)
    expect(a_completer).to_contain_text(COMMENTAIRE)
    brouillons = page.locator('[data-a-faire="brouillons"]')
    urgent = brouillons.get_by_role("listitem").filter(has_text=dossiers["urgent"].numero)
    expect(urgent).to_contain_text(f"Transmettre au plus tard le {dossiers['limite']}")
    expect(urgent).to_contain_text("Salarié, Contrat, Formation")
    expect(brouillons.get_by_role("listitem").filter(has_text=dossiers["complet"].numero)).to_contain_text(
        "Prêt à être transmis"
    )
    expect(page.get_by_role("heading", name="Dossiers récents")).to_be_visible()
    expect(page.get_by_text(dossiers["autre"].numero)).to_have_count(0)
    releve = Releve()
    releve(page, "accueil avec des dossiers à traiter")
    releve.verifier()

    # The dossier sent back by AKTO: its link opens it, with the gestionnaire's comment above the tabs.
    a_completer.get_by_role("link", name=re.compile(dossiers["renvoye"].numero)).click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{dossiers['renvoye'].pk}/"))
    expect(page.get_by_text("Le gestionnaire AKTO demande des compléments")).to_be_visible()
    expect(page.locator("#avis-gestionnaire-commentaire")).to_have_text(COMMENTAIRE)

    # Back to Accueil, the urgent draft: its link opens it on its first tab.
    page.get_by_role("link", name="Accueil", exact=True).click()
    urgent.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{dossiers['urgent'].pk}/"))
    expect_tab_shown(page, "Introduction")
    expect(page.get_by_text(f"{dossiers['urgent'].numero} · Brouillon")).to_be_visible()
