"""The whole adhérent journey in Chromium: from the wizard to « Votre demande a été transmise à AKTO ».

Every tab is filled through its labels (Introduction, Employeur, Salarié, Contrat, Formation with an
external module, Financement, Synthèse, Documents with the mandatory pieces), a first *Transmettre* on an
incomplete dossier answers *Saisie invalide*, the last one transmits; the dossier is then read-only.
"""

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_contrat_formation import NDA, fill, group, jj, modules, save_tab, settled
from tests.e2e.test_journeys import MONO, expect_tab_shown, login, tab, walk_wizard

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def donnees(demo_data):
    from django.core.management import call_command

    from referentiels.models import Certification, CodePostal, Commune, Departement, OrganismeFormation
    from referentiels.validators import siren_with_check_digit, siret_with_check_digit

    call_command("load_parametres", stdout=io.StringIO())
    departement, _ = Departement.objects.get_or_create(code="69", defaults={"nom": "Rhône", "region": "84"})
    lyon, _ = Commune.objects.get_or_create(code="69123", defaults={"nom": "Lyon", "departement": departement})
    CodePostal.objects.get_or_create(code="69002", commune=lyon)
    Certification.objects.create(
        code="RNCP300",
        type="RNCP",
        intitule="BTS Management commercial opérationnel",
        niveau=5,
        actif=True,
        accessible_contrat_pro=True,
        codes_nsf="312t",
    )
    siret = siret_with_check_digit(siren_with_check_digit("77000002"), "0001")
    OrganismeFormation.objects.create(
        siret=siret,
        nda=NDA,
        raison_sociale="ECOLE DES METIERS DE LA SALLE",
        adresse="12 rue des Écoles",
        code_postal="69002",
        commune="Lyon",
        qualiopi=True,
    )
    return demo_data, siret


def nir(first_13: str) -> str:
    from referentiels.validators import nir_key

    return f"{first_13}{nir_key(first_13):02d}"


def bullet(page: Page, label: str):
    return tab(page, label).locator(".tab-bullet")


def open_tab(page: Page, label: str) -> None:
    tab(page, label).click()
    expect_tab_shown(page, label)
    settled(page)


def test_parcours_complet_jusqu_a_la_transmission(page: Page, donnees, tmp_path):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier

    live, siret = donnees
    login(page, live.url, MONO.email)
    walk_wizard(page, MONO)
    numero = page.get_by_text(re.compile(r"^CP\d{10}$")).inner_text().strip()
    debut, fin = dates_du_contrat()

    # Transmettre too early: Saisie invalide.
    page.get_by_role("button", name="Transmettre").click()
    dialog = page.get_by_role("dialog", name="Saisie invalide")
    expect(dialog).to_contain_text("Veuillez corriger les erreurs et renouveler l'opération.")
    dialog.get_by_role("button", name="Fermer").click()

    remplir_introduction(page)
    remplir_employeur(page)
    remplir_salarie(page)
    remplir_contrat(page, debut, fin)
    remplir_formation(page, siret, debut, fin)
    remplir_financement(page)
    remplir_documents(page, tmp_path)
    remplir_synthese(page)

    # Transmettre.
    page.get_by_role("button", name="Transmettre").click()
    dialog = page.get_by_role("dialog", name="Votre demande a été transmise à AKTO")
    expect(dialog).to_be_visible()
    assert Dossier.objects.get(numero=numero).state == DossierState.TRANSMIS
    dialog.get_by_role("link", name="Fermer").click()
    expect(page.get_by_text(re.compile(r"lecture seule"))).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(numero))).to_contain_text("Transmis")


# -- each tab as a user fills it (shared with the takeover journey) ------------------------------------------


def dates_du_contrat() -> tuple[dt.date, dt.date]:
    debut = dt.date.today() + dt.timedelta(days=3)
    return debut, debut.replace(year=debut.year + 1) - dt.timedelta(days=1)


def remplir_introduction(page: Page) -> None:
    open_tab(page, "Introduction")
    page.get_by_label(re.compile("J'ai pris connaissance de la")).check()
    save_tab(page)
    expect(bullet(page, "Introduction")).to_have_attribute("data-status", "valid")


def remplir_employeur(page: Page) -> None:
    open_tab(page, "Employeur")
    page.get_by_label("Téléphone").fill("04 78 00 00 00")
    page.get_by_label("Effectif total de l'entreprise").fill("14")
    page.get_by_label("Caisse de retraite complémentaire").fill("AG2R LA MONDIALE")
    page.get_by_label("Organisme de prévoyance").fill("APICIL")
    save_tab(page)
    expect(bullet(page, "Employeur")).to_have_attribute("data-status", "valid")


def remplir_salarie(page: Page, *, employeur: bool = True, cerfa: bool = True) -> None:
    """22 years old, bac pro, not registered at France Travail, one tutor; the employer attests the tutor's load
    and qualification (a prestataire cannot: ``employeur=False`` leaves the attestations, and the tab, to the
    adhérent). ``cerfa=False``: another dispositif's tab, without the CERFA 12434's fields (handicap, France
    Travail, situation avant ce contrat)."""
    open_tab(page, "Salarié")
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label("Prénom", exact=False).first.fill("Lucas")
    page.locator("#id_date_naissance").fill("12/05/2004")
    page.locator("#id_date_naissance").press("Escape")
    page.get_by_label("Sexe").select_option("M")
    page.get_by_label("Département de naissance").fill("78")
    page.get_by_label("Commune de naissance").fill("Versailles")
    group(page, re.compile("Êtes-vous détenteur d'un NIR temporaire")).get_by_label("Non").check()
    page.get_by_label(re.compile(r"Numéro de sécurité sociale \(NIR\)")).fill(nir("1040578006084"))
    if cerfa:
        group(page, re.compile("Qualité de travailleur handicapé")).get_by_label("Non").check()
        group(page, re.compile("Équivalence jeunes")).get_by_label("Non").check()
        group(page, re.compile("Extension BOE")).get_by_label("Non").check()
        group(page, re.compile("Inscrit à France Travail")).get_by_label("Non").check()
        page.get_by_label("Situation avant ce contrat").select_option("9")
    else:
        expect(page.get_by_text("Inscrit à France Travail")).to_have_count(0)
        expect(page.get_by_text("Situation avant ce contrat")).to_have_count(0)
    page.get_by_label("Diplôme ou titre le plus élevé obtenu").select_option("41")
    page.get_by_label("N° et voie").fill("3 rue de la République")
    page.get_by_label("Code postal").fill("69002")
    page.get_by_label("Code postal").press("Tab")
    expect(page.locator("#id_commune option[value='69123']")).to_have_count(1)
    settled(page)
    page.locator("#id_commune").select_option("69123")
    page.locator("#id_tuteur1_nom").fill("Durand")
    page.locator("#id_tuteur1_prenom").fill("Claire")
    page.locator("#id_tuteur1_emploi").fill("Cheffe de rang")
    page.locator("#id_tuteur1_date_naissance").fill("03/02/1980")
    page.locator("#id_tuteur1_date_naissance").press("Escape")
    group(page, re.compile("Le tuteur est-il l'employeur")).get_by_label("Non").check()
    if not employeur:
        expect(page.get_by_label(re.compile("Employeur atteste sur l'honneur"))).to_be_disabled()
        expect(page.get_by_label(re.compile("L'employeur atteste que le tuteur est volontaire"))).to_be_disabled()
        save_tab(page)
        return
    page.get_by_label(re.compile("Employeur atteste sur l'honneur")).check()
    page.get_by_label(re.compile("L'employeur atteste que le tuteur est volontaire")).check()
    save_tab(page)
    expect(bullet(page, "Salarié")).to_have_attribute("data-status", "valid")


def remplir_contrat(page: Page, debut: dt.date, fin: dt.date) -> None:
    """A CDD of 12 months, 35 h, above the minimum salary."""
    open_tab(page, "Contrat")
    page.get_by_label("Nature de contrat ou d'avenant").select_option("cdd")
    page.get_by_label("Emploi occupé pendant le contrat (intitulé précis)").fill("Serveur en salle")
    page.get_by_label("Classification de l'emploi dans la convention collective").fill("Employé")
    page.get_by_label("Niveau").fill("I")
    page.get_by_label("Coefficient hiérarchique").fill("120")
    page.get_by_label("Durée de la période d'essai (en jours calendaires)").fill("14")
    fill(page, "Date de début d'exécution du contrat", jj(debut))
    fill(page, "Date de fin du CDD ou de l'action de professionnalisation si CDI", jj(fin))
    page.get_by_label("Durée hebdomadaire du travail").fill("35h00")
    page.get_by_label("Salaire brut mensuel à l'embauche").fill("1 900,00")
    fill(page, "Date de conclusion (signature du contrat)", jj(debut))
    save_tab(page)
    expect(bullet(page, "Contrat")).to_have_attribute("data-status", "valid")


def remplir_formation(page: Page, siret: str, debut: dt.date, fin: dt.date, *, cerfa: bool = True) -> None:
    """An active RNCP fiche, 400 h, one external module. ``cerfa=False``: the CERFA 12434's own fields (diplôme
    and type de qualification visés, apprentissage, enseignements théoriques) left empty, as another dispositif
    may."""
    open_tab(page, "Formation")
    if cerfa:
        page.get_by_label("Diplôme ou titre visé par le salarié(e)").select_option("31")
        page.get_by_label("Type de qualification visée").select_option("1")
    page.get_by_label("Rechercher votre formation par :").fill("RNCP300")
    page.locator("#rncp-resultats [data-value='RNCP300']").click()
    expect(page.locator("#id_code_rncp")).to_have_value("RNCP300")
    settled(page)
    if cerfa:
        group(page, "Apprentissage (OUI/NON)").get_by_label("Non").check()
    fill(page, "Durée totale de formation", "400")
    if cerfa:
        fill(page, "Durée des enseignements théoriques", "300")
    fill(page, "Date de début du cycle de formation", jj(debut))
    fill(page, "Date prévue de fin des épreuves ou examens", jj(fin))
    save_tab(page)
    modules(page).get_by_role("button", name="Ajouter un module de formation").click()
    modules(page).get_by_label("Formation Externe").check()
    modules(page).get_by_role("button", name="Continuer").click()
    settled(page)
    page.get_by_label("Rechercher un organisme de formation externe").fill(siret)
    page.locator(f"#organisme-resultats [data-siret='{siret}']").click()
    expect(page.locator("#ro-organisme_siret")).to_have_value(siret)
    settled(page)
    group(modules(page), "Apprentissage - Contrôle").get_by_label("Non").check()
    fill(modules(page), "* Date de début", jj(debut), exact=True)
    fill(modules(page), "* Date de fin", jj(fin), exact=True)
    fill(modules(page), "* Durée de formation", "400", exact=True)
    fill(modules(page), "Durée de la formation à distance", "0")
    modules(page).get_by_label("* Modalités pédagogiques").select_option("presentiel")
    modules(page).get_by_role("button", name="Enregistrer le module").click()
    expect(modules(page)).to_contain_text("Le module N°1 a été enregistré.")
    settled(page)
    save_tab(page)
    expect(bullet(page, "Formation")).to_have_attribute("data-status", "valid")


def remplir_financement(page: Page) -> None:
    """Nothing to declare for this employer; the estimate is shown."""
    open_tab(page, "Financement")
    expect(page.get_by_role("tabpanel")).to_contain_text("Estimation")
    save_tab(page)
    expect(bullet(page, "Financement")).to_have_attribute("data-status", "valid")


def remplir_synthese(page: Page) -> None:
    """The attestations (the guide's two, FOR-09 and FOR-10), a comment."""
    open_tab(page, "Synthèse")
    page.get_by_label(re.compile("J'atteste l'exactitude")).check()
    page.get_by_label(
        re.compile("L'employeur atteste que l'organisme de formation ne demande au salarié aucune")
    ).check()
    page.get_by_label(re.compile("L'employeur atteste que le contrat ne comporte aucune clause de dédit")).check()
    page.get_by_label(re.compile("J'accepte les")).check()
    page.get_by_label("Commentaire").fill("Premier contrat pro de l'établissement.")
    save_tab(page)
    expect(bullet(page, "Synthèse")).to_have_attribute("data-status", "valid")


def remplir_documents(page: Page, tmp_path) -> None:
    """External training: the Programme and the Convention / Devis are mandatory; then the attestation."""
    open_tab(page, "Documents")
    fichier = tmp_path / "programme.pdf"
    fichier.write_bytes(PDF)
    compteur = page.locator("#documents-compteur")
    expect(compteur).to_contain_text("0/2 types de documents obligatoires à transmettre")
    for code in ["PROGRAMME", "CONVENTION_DEVIS"]:
        page.locator(f"#fichiers-{code}").set_input_files(str(fichier))
        expect(page.locator(f"#type-{code}")).to_contain_text(fichier.name)
        settled(page)
    expect(compteur).to_contain_text("2/2 types de documents obligatoires à transmettre")
    expect(compteur).to_have_attribute("data-complet", "true")
    page.get_by_label(re.compile("L'employeur atteste disposer de l'ensemble des pièces")).check()
    save_tab(page)
    expect(bullet(page, "Documents")).to_have_attribute("data-status", "valid")
