"""End-to-end journeys of the adhérent, clicked by the labels a user reads on screen.

Login → *Créer un nouveau dossier* → wizard → Introduction → Employeur → Brouillons, for each
demo adhérent (mono-SIRET, multi-entreprises, travail temporaire), plus the field checks, the
unsaved-changes guard and the *Transmettre* dialog once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from portal.management.commands.load_demo import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Q_ENTREPRISE = "Quel établissement ou entreprise réalise cette demande?"
Q_ETABLISSEMENT = "Quel établissement effectuant la demande?"
Q_PUBLIC = "Quel est le type de public concerné ?"
Q_DISPOSITIF = "Quel dispositif ?"
Q_SOUS_DISPOSITIF = "Quel sous-dispositif ?"
Q_TYPE_CONTRAT = "Pour quel type de contrat ou d'avenant ?"
COMMON_STEPS = [
    (Q_DISPOSITIF, "Contrat de professionnalisation"),
    (Q_SOUS_DISPOSITIF, "Contrat de Professionnalisation"),
    (Q_TYPE_CONTRAT, "11 - Contrat Initial"),
]
EXACT_CHOICES = {
    "Contrat de professionnalisation",
    "Contrat de Professionnalisation",
    "11 - Contrat Initial",
    "Intérimaire",
}
SAVED = "Enregistrement effectué."
NUMERO = re.compile(r"^CP\d{10}$")
INVALID_VARIABLE = re.compile(r"INVALID_TEMPLATE_VARIABLE\([^)]*\)")


@dataclass(frozen=True)
class Account:
    email: str
    raison_sociale: str
    first_steps: list[tuple[str, str]] = field(default_factory=list)
    type_public: str = ""

    @property
    def steps(self) -> list[tuple[str, str]]:
        return [*self.first_steps, *COMMON_STEPS]


MONO = Account("adherent.mono@demo.test", "BRASSERIE DES CELESTINS")
MULTI = Account(
    "adherent.multi@demo.test",
    "PROVENCE DISTRIBUTION ALIMENTAIRE",
    first_steps=[(Q_ENTREPRISE, "PROVENCE DISTRIBUTION ALIMENTAIRE"), (Q_ETABLISSEMENT, "83000 TOULON")],
)
INTERIM = Account(
    "adherent.interim@demo.test",
    "RHONE INTERIM EMPLOI",
    first_steps=[(Q_PUBLIC, "Intérimaire")],
    type_public="Intérimaire",
)


# --------------------------------------------------------------------------------------------
# Helpers: what a user does
# --------------------------------------------------------------------------------------------


def expect_no_template_error(page: Page) -> None:
    """The test settings render an undefined template variable as INVALID_TEMPLATE_VARIABLE(name)."""
    found = sorted(set(INVALID_VARIABLE.findall(page.content())))
    assert not found, f"undefined template variable(s) rendered on {page.url}: {', '.join(found)}"


def login(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", name="Bienvenue sur Mon Espace")).to_be_visible()


def wizard_question(page: Page):
    """The current step's question (the fieldset's legend)."""
    return page.get_by_role("group").first.locator("legend")


def answer(page: Page, question: str, choice: str) -> None:
    expect(page.get_by_role("group", name=question)).to_be_visible()
    # Exact where other options start alike (… ProDiat, … Hope; 12 - Contrat initial …); the company
    # and establishment options are matched on part of their label (SIREN/SIRET and address follow).
    page.get_by_label(choice, exact=choice in EXACT_CHOICES).check()
    page.get_by_role("button", name="Continuer").click()


def walk_wizard(page: Page, account: Account, on_step=None) -> list[str]:
    """Click *Créer un nouveau dossier* and answer every step; return the questions seen."""
    page.get_by_role("link", name="Créer un nouveau dossier").click()
    seen = []
    for question, choice in account.steps:
        expect(wizard_question(page)).to_have_text(question)
        expect_no_template_error(page)
        seen.append(question)
        if on_step:
            on_step(question)
        answer(page, question, choice)
    expect(page.get_by_role("heading", name="Nouveau contrat de professionnalisation", level=1)).to_be_visible()
    return seen


def tab(page: Page, label: str):
    return page.get_by_role("tab", name=label)


def expect_tab_shown(page: Page, label: str, *, check_template=True) -> None:
    expect(tab(page, label)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_role("heading", name=label, level=2)).to_be_visible()
    if check_template:
        expect_no_template_error(page)


def save(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_text(SAVED)


def dossier_numero(page: Page) -> str:
    return page.get_by_text(NUMERO).inner_text().strip()


def open_employeur(page: Page, *, check_template=True) -> None:
    tab(page, "Employeur").click()
    expect_tab_shown(page, "Employeur", check_template=check_template)


# --------------------------------------------------------------------------------------------
# The journey, for each demo adhérent
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [MONO, MULTI, INTERIM], ids=["mono", "multi", "interim"])
def test_parcours_creation_brouillon(page: Page, demo_data, screens_dir, account: Account):
    from dossiers.models import Dossier

    base_url = demo_data.url
    login(page, base_url, account.email)

    def on_step(question):
        if question == Q_ENTREPRISE:
            # The filter box hides the other company as the user types (client-side).
            search = page.get_by_role("searchbox", name="Siren, siret ou dénomination...")
            other = page.get_by_label("ATLANTIQUE PROPRETE SERVICES")
            chosen = page.get_by_label("PROVENCE DISTRIBUTION ALIMENTAIRE")
            expect(other).to_be_visible()
            expect(chosen).to_be_visible()
            page.screenshot(path=str(screens_dir / "wizard-entreprise.png"), full_page=True)
            search.fill("provence")
            expect(other).to_be_hidden()
            expect(chosen).to_be_visible()
            page.screenshot(path=str(screens_dir / "wizard-entreprise-filtre.png"), full_page=True)
        elif question == Q_ETABLISSEMENT:
            # Only the chosen company's establishments are offered.
            expect(page.get_by_label(re.compile("MARSEILLE"))).to_be_visible()
            expect(page.get_by_label(re.compile("SAINT-NAZAIRE|ANGERS|NANTES"))).to_have_count(0)
            page.screenshot(path=str(screens_dir / "wizard-etablissement.png"), full_page=True)
        elif question == Q_TYPE_CONTRAT and account is MONO:
            page.screenshot(path=str(screens_dir / "wizard-type-contrat.png"), full_page=True)

    seen = walk_wizard(page, account, on_step=on_step)
    if account is MONO:
        # One establishment: neither the company nor the establishment is asked.
        assert seen[0] == Q_DISPOSITIF
        assert Q_ENTREPRISE not in seen and Q_ETABLISSEMENT not in seen
    assert seen == [q for q, _ in account.steps]

    # The draft exists and its Introduction tab is open.
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/introduction/$"))
    expect_tab_shown(page, "Introduction")
    numero = dossier_numero(page)
    dossier = Dossier.objects.select_related("employeur").get(numero=numero)
    assert dossier.created_by.email == account.email
    assert dossier.employeur.raison_sociale == account.raison_sociale

    page.get_by_label("J'ai pris connaissance de la notice").check()
    save(page)
    expect(page.get_by_label("J'ai pris connaissance de la notice")).to_be_checked()
    expect(tab(page, "Introduction").locator(".tab-bullet")).to_have_attribute("data-status", "valid")

    # Employeur: greyed INSEE data, e-mail pre-filled, four fields to enter.
    open_employeur(page)
    raison_sociale = page.get_by_label("Raison Sociale")
    expect(raison_sociale).to_have_value(account.raison_sociale)
    expect(raison_sociale).not_to_be_editable()
    expect(page.get_by_label("Email")).to_have_value(account.email)
    if account.type_public:
        expect(page.get_by_label("Type de public")).to_have_value(account.type_public)
        expect(page.get_by_label("Type de public")).not_to_be_editable()
    expect(tab(page, "Employeur").locator(".tab-bullet")).to_have_attribute("data-status", "invalid")

    values = {
        "Téléphone": "0472000000",
        "Effectif total de l'entreprise": "25",
        "Caisse de retraite complémentaire": "AG2R",
        "Organisme de prévoyance": "APICIL",
    }
    for label, value in values.items():
        page.get_by_label(label).fill(value)
    save(page)
    expect(tab(page, "Employeur").locator(".tab-bullet")).to_have_attribute("data-status", "valid")
    expect(page.get_by_label("Téléphone")).to_have_value("04 72 00 00 00")  # normalised on save
    page.screenshot(path=str(screens_dir / f"employeur-{account.email.split('@')[0]}.png"), full_page=True)

    # A reload shows what is stored.
    page.reload()
    expect_tab_shown(page, "Employeur")
    expected = {**values, "Téléphone": "04 72 00 00 00", "Email": account.email}
    for label, value in expected.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(tab(page, "Employeur").locator(".tab-bullet")).to_have_attribute("data-status", "valid")
    if account.type_public:
        expect(page.get_by_label("Type de public")).to_have_value(account.type_public)

    # The draft is listed in Brouillons.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Brouillons").click()
    expect(page.get_by_role("heading", name="Brouillons", level=1)).to_be_visible()
    expect_no_template_error(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=numero, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(account.raison_sociale)
    expect(row).to_contain_text("Brouillon")


# --------------------------------------------------------------------------------------------
# Once, with the mono-SIRET account
# --------------------------------------------------------------------------------------------


@pytest.fixture
def employeur_page(page: Page, demo_data) -> Page:
    """The mono account's new draft, on its Employeur tab."""
    login(page, demo_data.url, MONO.email)
    walk_wizard(page, MONO)
    open_employeur(page, check_template=False)  # checked by each test: a failure, not a setup error
    return page


def test_verification_des_champs_en_quittant_le_champ(employeur_page: Page, screens_dir):
    from dossiers.models import Dossier

    page = employeur_page
    expect_no_template_error(page)
    numero = dossier_numero(page)
    version = Dossier.objects.get(numero=numero).version

    effectif = page.get_by_label("Effectif total de l'entreprise")
    effectif.fill("abc")
    effectif.press("Tab")
    expect(page.locator("#messages-effectif_total")).to_have_text("Saisissez un nombre entier positif ou nul.")
    expect(effectif).to_have_value("abc")  # the input stays for the user to correct

    caisse = page.get_by_label("Caisse de retraite complémentaire")
    caisse.fill("AG2R")
    caisse.press("Tab")
    expect(page.locator("#messages-caisse_retraite")).to_be_empty()
    caisse.fill("")
    caisse.press("Tab")
    expect(page.locator("#messages-caisse_retraite")).to_have_text("Saisie obligatoire")
    page.screenshot(path=str(screens_dir / "employeur-messages.png"), full_page=True)

    # Leaving a field autosaves its well-formed value only (ADR 0019): the malformed number is not written.
    expect(page.locator("#onglet-form")).to_have_attribute("data-autosave-etat", "fait")
    expect(page.locator("#statut-enregistrement")).to_contain_text("sauf les champs au format invalide")
    dossier = Dossier.objects.select_related("employeur").get(numero=numero)
    assert dossier.version > version
    assert dossier.employeur.effectif_total is None
    assert dossier.employeur.caisse_retraite == ""


def test_garde_modifications_non_enregistrees(employeur_page: Page):
    page = employeur_page
    expect_no_template_error(page)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    url = page.url
    page.get_by_label("Caisse de retraite complémentaire").fill("AG2R")
    tab(page, "Salarié").click()

    # confirm() blocks the click until the handler answers: the list is filled when click() returns.
    page.wait_for_timeout(300)  # give a (wrong) tab swap the time to happen
    assert len(dialogs) == 1
    kind, message = dialogs[0]
    assert kind == "confirm"
    assert "modifications non enregistrées" in message
    expect_tab_shown(page, "Employeur")
    expect(tab(page, "Salarié")).to_have_attribute("aria-selected", "false")
    expect(page.get_by_label("Caisse de retraite complémentaire")).to_have_value("AG2R")
    assert page.url == url

    # Accepting leaves the tab, and what was typed is saved all the same (autosave, ADR 0019).
    page.remove_listener("dialog", on_dialog)
    page.once("dialog", lambda dialog: dialog.accept())
    tab(page, "Salarié").click()
    expect_tab_shown(page, "Salarié")
    expect(page.get_by_role("tabpanel")).to_contain_text("Informations salarié(e)")
    tab(page, "Employeur").click()
    expect_tab_shown(page, "Employeur")
    expect(page.get_by_label("Caisse de retraite complémentaire")).to_have_value("AG2R")


def test_transmettre_un_dossier_incomplet(employeur_page: Page):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    page = employeur_page
    expect_no_template_error(page)
    numero = dossier_numero(page)
    page.get_by_role("button", name="Transmettre").click()

    dialog = page.get_by_role("dialog", name="Saisie invalide")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Veuillez corriger les erreurs et renouveler l'opération.")
    expect(dialog).to_contain_text("Salarié")
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()

    assert Dossier.objects.get(numero=numero).state == DossierState.BROUILLON
    page.reload()
    expect(page.get_by_text(re.compile(r"CP\d{10} · Brouillon"))).to_be_visible()


def test_message_long_s_ouvre_en_entier_au_clic(employeur_page: Page):
    """A business-rule message too long for its line opens in full in a window when clicked."""
    from dossiers.models import Dossier, Employeur

    page = employeur_page
    numero = dossier_numero(page)
    # An employer of public administrative law (catégorie juridique 7xxx) breaks EMPLOYEUR_PERSONNE_PUBLIQUE.
    Employeur.objects.filter(dossier__numero=numero).update(categorie_juridique="7210")
    page.get_by_label("Effectif total de l'entreprise").fill("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_text(SAVED)

    message = page.locator("#messages-siret .field-message")
    expect(message).to_have_count(1)
    assert message.evaluate("el => el.scrollWidth > el.clientWidth"), "the message should be cut on screen"
    message.click()
    dialog = page.locator("dialog#message-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("ne peuvent pas conclure de contrat de professionnalisation")
    expect(dialog).to_contain_text("rapprochez-vous de votre conseiller AKTO")
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()
    assert Dossier.objects.get(numero=numero).employeur.effectif_total == 3


def test_enregistrement_concurrent_fusionne_et_garde_la_saisie(employeur_page: Page):
    """Someone else saved the dossier meanwhile, not this field: the save is merged, not refused (ADR 0019; the
    refused conflict, the same field changed on both sides: tests/e2e/test_conflit.py)."""
    from django.db.models import F

    from dossiers.models import Dossier

    page = employeur_page
    numero = dossier_numero(page)
    Dossier.objects.filter(numero=numero).update(version=F("version") + 1)  # a save made elsewhere
    page.get_by_label("Caisse de retraite complémentaire").fill("HUMANIS")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_text(SAVED)
    expect(page.get_by_label("Caisse de retraite complémentaire")).to_have_value("HUMANIS")
    assert Dossier.objects.get(numero=numero).employeur.caisse_retraite == "HUMANIS"


def test_generer_le_cerfa_depuis_un_onglet(employeur_page: Page):
    """The render shows its progress on the button, then a dialog offers the PDF (watermarked: a draft)."""
    page = employeur_page
    page.get_by_role("link", name="Générer le CERFA").click()
    dialog = page.get_by_role("dialog", name="Votre CERFA est prêt")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("BROUILLON — non transmis")
    link = dialog.get_by_role("link", name="Ouvrir le CERFA (PDF)")
    response = page.request.get(page.url.split("/dossiers/")[0] + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_la_barre_d_onglets_au_clavier(employeur_page: Page):
    """WAI-ARIA tabs: one Tab stop (the active tab), arrows to the neighbours, Home/End, Enter opens."""
    page = employeur_page
    employeur = tab(page, "Employeur")
    expect(employeur).to_have_attribute("tabindex", "0")
    expect(tab(page, "Salarié")).to_have_attribute("tabindex", "-1")
    employeur.focus()
    page.keyboard.press("ArrowRight")
    expect(tab(page, "Salarié")).to_be_focused()
    page.keyboard.press("End")
    expect(tab(page, "Documents")).to_be_focused()
    page.keyboard.press("ArrowRight")  # round the end
    expect(tab(page, "Introduction")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(tab(page, "Documents")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(tab(page, "Salarié")).to_be_focused()
    page.keyboard.press("Enter")
    expect_tab_shown(page, "Salarié")
    expect(tab(page, "Salarié")).to_have_attribute("tabindex", "0")  # the swapped bar: the new active tab


def test_l_anneau_de_focus_se_voit_partout(employeur_page: Page):
    """A solid 3 px outline on whatever the keyboard reaches: white on the dark navbar, dark blue on white."""
    page = employeur_page

    def anneau(locator) -> dict:
        locator.focus()
        return locator.evaluate(
            "e => { const s = getComputedStyle(e); return {style: s.outlineStyle, largeur: s.outlineWidth,"
            " couleur: s.outlineColor}; }"
        )

    page.keyboard.press("Shift+Tab")  # keyboard modality: :focus-visible applies to what .focus() reaches next
    navbar = anneau(page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Dossiers"))
    assert navbar == {"style": "solid", "largeur": "3px", "couleur": "rgb(255, 255, 255)"}, navbar
    deconnexion = anneau(page.get_by_role("button", name="Se déconnecter"))
    assert deconnexion["style"] == "solid" and deconnexion["couleur"] == "rgb(255, 255, 255)", deconnexion
    onglet = anneau(tab(page, "Salarié"))
    assert onglet == {"style": "solid", "largeur": "3px", "couleur": "rgb(11, 61, 145)"}, onglet
    enregistrer = anneau(page.get_by_role("button", name="Enregistrer", exact=True))
    assert enregistrer["style"] == "solid" and enregistrer["largeur"] == "3px", enregistrer
