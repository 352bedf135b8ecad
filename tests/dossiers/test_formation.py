"""The Formation tab: saving, the RNCP fiche (inactive, successor, switch), the modules (add, edit, delete), 404s."""

import datetime as dt
import html
import re

import pytest

from dossiers.enums import DossierState
from dossiers.models import Dossier, Formation, ModuleFormation
from referentiels.models import Certification, CertificationRemplacement, OrganismeFormation
from referentiels.validators import siren_with_check_digit, siret_with_check_digit
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

pytestmark = pytest.mark.django_db


def make(adherent, **kwargs):
    etablissement = adherent.rattachements.get().etablissement
    return DossierFactory(etablissement=etablissement, created_by=adherent, **kwargs)


def certification(code, *, actif=True, niveau=5, accessible=True, nsf="312t", intitule=None):
    return Certification.objects.create(
        code=code,
        type="RNCP",
        intitule=intitule or f"Titre {code}",
        niveau=niveau,
        actif=actif,
        accessible_contrat_pro=accessible,
        codes_nsf=nsf,
    )


def organisme(numero=1, **kwargs):
    siret = siret_with_check_digit(siren_with_check_digit(f"{77000000 + numero:08d}"), "0001")
    defaults = {"nda": "11755555575", "raison_sociale": f"Organisme {numero}", "qualiopi": True, "commune": "Paris"}
    return OrganismeFormation.objects.create(siret=siret, **{**defaults, **kwargs})


def complet(**overrides):
    data = {
        "diplome_vise": "31",
        "reference_interne": "REF-1",
        "reference_projet": "",
        "type_qualification": "1",
        "code_rncp": "RNCP100",
        "apprentissage": "False",
        "intitule": "BTS Management commercial opérationnel",
        "specialite_nsf": "312",
        "duree_totale_heures": "400",
        "duree_enseignements_heures": "300",
        "date_debut_cycle": "01/09/2025",
        "date_fin_examens": "30/06/2026",
    }
    data.update(overrides)
    return data


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(
        f"/dossiers/{dossier.pk}/formation/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true"
    )


def text(response):
    return html.unescape(response.content.decode())


def messages(response, name):
    page = text(response)
    start = page.find(f'<div id="messages-{name}"')
    block = page[start:].split("field-messages", 2)[1] if start >= 0 else ""
    return re.findall(r'class="field-message field-message--(\w+)"[^>]*>([^<]*)<', block)


def bullet(response, slug="formation"):
    match = re.search(rf'id="puce-{slug}"[^>]*data-status="(\w+)"', text(response), re.S)
    return match.group(1) if match else None


def module_post(client, dossier, url, data):
    """As the browser does: the module buttons post inside the tab's form, with its current version."""
    version = Dossier.objects.get(pk=dossier.pk).version
    return client.post(
        f"/dossiers/{dossier.pk}/formation/modules/{url}", {"version": version, **data}, HTTP_HX_REQUEST="true"
    )


def add_module(client, dossier, type_module="externe", **data):
    return module_post(client, dossier, "ajouter/", {"type_module": type_module, **data})


def module_externe(org, **overrides):
    data = {
        "module-organisme": org.siret,
        "module-apprentissage_controle": "False",
        "module-date_debut": "01/09/2025",
        "module-date_fin": "30/06/2026",
        "module-heures": "400",
        "module-heures_distance": "100",
        "module-modalite": "mixte",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rncp(db):
    return certification("RNCP100")


# --- The tab ----------------------------------------------------------------------------------------


def test_tab_is_available_with_the_guide_labels(adherent):
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/formation/"))
    for label in [
        "Diplôme ou titre visé par le salarié(e)",
        "Référence interne de l'entreprise (O)",
        "Référence projet (O)",
        "Type de qualification visée",
        "Rechercher votre formation par :",
        "Code RNCP",
        "Apprentissage (OUI/NON)",
        "Intitulé précis",
        "Durée totale de formation",
        "Durée des enseignements théoriques",
        "Liste des module(s) de formation",
        "Ajouter un module de formation",
    ]:
        assert label in page, label


def test_complete_tab_with_a_module_is_saved_and_valid(adherent, rncp):
    dossier = make(adherent)
    client = client_for(adherent)
    add_module(client, dossier, **module_externe(organisme()))
    response = save(client, dossier, complet(code_rncp="rncp 100"))
    assert "Enregistrement effectué." in text(response)
    formation = Formation.objects.get(dossier=dossier)
    assert formation.code_rncp == "RNCP100" and formation.certification == rncp
    assert (formation.duree_totale_heures, formation.date_debut_cycle) == (400, dt.date(2025, 9, 1))
    assert formation.apprentissage is False
    assert bullet(response) == "valid"


def test_missing_fields_are_mandatory_and_the_bullet_is_red(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(intitule="", duree_totale_heures=""))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "intitule")
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "duree_totale_heures")
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "modules")  # no module yet
    assert bullet(response) == "invalid"


def test_format_errors_are_not_written(adherent):
    dossier = make(adherent)
    response = save(
        client_for(adherent), dossier, complet(code_rncp="ABC", specialite_nsf="31", duree_totale_heures="x")
    )
    assert messages(response, "code_rncp")[0][0] == "format"
    assert messages(response, "specialite_nsf")[0][0] == "format"
    assert messages(response, "duree_totale_heures")[0][0] == "format"
    formation = Formation.objects.get(dossier=dossier)
    assert formation.code_rncp == "" and formation.intitule.startswith("BTS")


def test_closed_qualification_type_is_refused(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(type_qualification="6"))
    assert messages(response, "type_qualification")[0][0] == "regle"


def test_type_1_requires_the_rncp_code(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(code_rncp=""))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "code_rncp")
    response = save(client_for(adherent), dossier, complet(code_rncp="", type_qualification="3"))
    assert messages(response, "code_rncp") == []


# --- The VAE experiment: Numéro du projet (E15), type 8, prefixed title --------------------------------

DISABLED_NUMERO_PROJET = re.compile(r'name="numero_projet_vae"[^>]*disabled')
VAE = {"type_qualification": "8", "code_rncp": "", "intitule": "RNCP Titre professionnel Agent de propreté"}


def test_project_number_opens_on_type_8_on_the_client_too(adherent):
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/formation/", HTTP_HX_REQUEST="true"))
    assert "Numéro du projet" in page
    assert re.search(r'id="field-numero_projet_vae"[^>]*data-condition="type_qualification" data-open-on="8"', page)
    assert DISABLED_NUMERO_PROJET.search(page)  # no type yet: greyed


def test_type_8_makes_the_project_number_mandatory_then_saves_it(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    response = save(client, dossier, complet(**VAE))
    assert not DISABLED_NUMERO_PROJET.search(text(response))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "numero_projet_vae")
    assert "* Numéro du projet" in text(response)
    response = save(client, dossier, complet(**VAE, numero_projet_vae=" VAE-2023-0042 "))
    assert Formation.objects.get(dossier=dossier).numero_projet_vae == "VAE-2023-0042"
    assert messages(response, "numero_projet_vae") == []
    assert 'value="VAE-2023-0042"' in text(response)


def test_another_type_closes_and_clears_the_project_number(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet(**VAE, numero_projet_vae="VAE-2023-0042"))
    # Back to type 1: closed and cleared, even if the browser still sent it.
    response = save(client, dossier, complet(numero_projet_vae="VAE-2023-0042"))
    assert Formation.objects.get(dossier=dossier).numero_projet_vae == ""
    assert DISABLED_NUMERO_PROJET.search(text(response))
    assert messages(response, "numero_projet_vae") == []
    # A forged type keeps the stored one (1): the number stays closed.
    response = save(client, dossier, complet(type_qualification="9", numero_projet_vae="VAE-2023-0042"))
    assert messages(response, "type_qualification")[0][0] == "format"
    assert Formation.objects.get(dossier=dossier).numero_projet_vae == ""


def test_type_8_title_without_its_prefix_is_flagged(adherent):
    dossier = make(adherent)
    response = save(
        client_for(adherent), dossier, complet(**{**VAE, "intitule": "Titre professionnel Agent de propreté"})
    )
    found = messages(response, "intitule")
    assert found and found[0][0] == "regle" and "commence par RNCP, CQP, CCN, Bloc RNCP ou Autre Bloc" in found[0][1]
    assert Formation.objects.get(dossier=dossier).intitule == "Titre professionnel Agent de propreté"  # saved
    assert bullet(response) == "invalid"


# --- The RNCP fiche ----------------------------------------------------------------------------------


def test_inactive_fiche_is_saved_with_the_relance_alert_and_the_successor_of_the_whole_chain(adherent):
    certification("RNCP100", actif=False)
    certification("RNCP200", actif=False)  # replaced in turn
    certification("RNCP300", actif=True, intitule="Titre actuel")
    CertificationRemplacement.objects.create(ancien_code="RNCP100", nouveau_code="RNCP200")
    CertificationRemplacement.objects.create(ancien_code="RNCP200", nouveau_code="RNCP300")
    dossier = make(adherent)
    client = client_for(adherent)
    response = save(client, dossier, complet())
    assert Formation.objects.get(dossier=dossier).code_rncp == "RNCP100"  # an inactive fiche can be saved
    page = text(response)
    assert "au moment de la conclusion du contrat, une relance sera transmise" in page
    assert (
        "alerte",
        "Ce code RNCP est inactif : au moment de la conclusion du contrat, une relance sera transmise.",
    ) in (messages(response, "code_rncp"))
    assert "remplacé par <strong>RNCP300</strong>" in page and "Remplacer par RNCP300" in page
    assert "RNCP200</strong>" not in page  # the inactive middle of the chain is not proposed
    assert bullet(response) != "invalid" or "Saisie obligatoire" in page  # an alert never turns the bullet red

    # The one-click switch fills the successor's code, title and NSF; saving links it.
    switch = client.get(f"/dossiers/{dossier.pk}/formation/modules/certification/?code=RNCP300", HTTP_HX_REQUEST="true")
    assert 'value="RNCP300"' in text(switch) and 'value="Titre actuel"' in text(switch)
    assert 'value="312"' in text(switch)
    response = save(client, dossier, complet(code_rncp="RNCP300", intitule="Titre actuel"))
    formation = Formation.objects.get(dossier=dossier)
    assert formation.certification.code == "RNCP300"
    assert "une relance sera transmise" not in text(response)


def test_fiche_not_open_to_contrat_pro_is_flagged(adherent):
    certification("RNCP100", accessible=False)
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet())
    assert "n'est pas ouverte en contrat de professionnalisation" in text(response)
    assert messages(response, "code_rncp")[0][0] == "alerte"


def test_unknown_code_is_an_alert(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(code_rncp="RNCP999"))
    assert messages(response, "code_rncp") == [
        ("alerte", "Ce code n'est pas connu du référentiel France compétences : vérifiez-le.")
    ]
    assert Formation.objects.get(dossier=dossier).certification is None


# --- Modules -----------------------------------------------------------------------------------------


def test_add_choose_type_then_continue_then_form(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    response = client.get(f"/dossiers/{dossier.pk}/formation/modules/ajouter/", HTTP_HX_REQUEST="true")
    assert "Formation Interne" in text(response) and "Formation Externe" in text(response)
    assert "Continuer" in text(response)
    response = module_post(client, dossier, "ajouter/", {"etape": "choix"})
    assert "Veuillez sélectionner un élément." in text(response)
    response = module_post(client, dossier, "ajouter/", {"etape": "choix", "module-type": "externe"})
    page = text(response)
    assert "N°1 Organisme de formation Externe" in page and "Rechercher un organisme de formation externe" in page
    assert "Informations Module" in page and "Apprentissage - Contrôle" in page
    response = module_post(client, dossier, "ajouter/", {"etape": "choix", "module-type": "interne"})
    assert "L'employeur atteste que le service de formation interne dispose des moyens" in text(response)
    assert not ModuleFormation.objects.exists()


def test_add_edit_delete_modules(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    org = organisme()
    response = add_module(client, dossier, **module_externe(org))
    assert response.status_code == 200 and "Le module N°1 a été enregistré." in text(response)
    assert 'hx-swap-oob="true"' in text(response)  # the tab bar follows
    response = add_module(
        client,
        dossier,
        "interne",
        **{
            "module-service_interne": "Service formation",
            "module-attestation_interne": "on",
            "module-date_debut": "01/10/2025",
            "module-date_fin": "31/05/2026",
            "module-heures": "50",
            "module-heures_distance": "0",
            "module-modalite": "presentiel",
        },
    )
    modules = list(ModuleFormation.objects.filter(formation__dossier=dossier).order_by("ordre"))
    assert [(m.ordre, m.type) for m in modules] == [(1, "externe"), (2, "interne")]
    assert modules[0].organisme == org and modules[1].attestation_interne is True
    formation = Formation.objects.get(dossier=dossier)
    assert formation.organisme_principal == org and formation.nombre_organismes == 2

    # The organisme chosen in the search is shown read-only.
    card = client.get(f"/dossiers/{dossier.pk}/formation/modules/organisme/?siret={org.siret}", HTTP_HX_REQUEST="true")
    assert org.siret in text(card) and "11755555575" in text(card) and "Certifié Qualiopi" in text(card)

    # Edit.
    response = client.get(f"/dossiers/{dossier.pk}/formation/modules/{modules[0].pk}/modifier/")
    assert 'value="400"' in text(response)
    module_post(client, dossier, f"{modules[0].pk}/modifier/", module_externe(org, **{"module-heures": "420"}))
    assert ModuleFormation.objects.get(pk=modules[0].pk).heures == 420

    # Delete: a confirmation first, then the following module is renumbered.
    response = client.get(f"/dossiers/{dossier.pk}/formation/modules/{modules[0].pk}/supprimer/")
    assert "Confirmer la suppression" in text(response)
    assert ModuleFormation.objects.count() == 2
    response = module_post(client, dossier, f"{modules[0].pk}/supprimer/", {})
    assert "Le module N°1 a été supprimé." in text(response)
    assert list(ModuleFormation.objects.values_list("ordre", "type")) == [(1, "interne")]


def test_module_format_errors_are_not_saved(adherent):
    dossier = make(adherent)
    response = add_module(
        client_for(adherent), dossier, **module_externe(organisme(), **{"module-date_debut": "1/9/25"})
    )
    assert response.status_code == 400
    assert "Saisissez une valeur de date au format JJ/MM/AAAA" in text(response)
    assert not ModuleFormation.objects.exists()


def test_module_messages_distance_and_mandatory(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    response = add_module(client, dossier, **module_externe(organisme(), **{"module-heures_distance": "401"}))
    page = text(response)
    prefixe = "Module 1 — Durée de la formation à distance : "
    assert prefixe + "La durée de la formation à distance doit être inférieure à la durée de formation" in page
    response = add_module(client, dossier, "interne", **{"module-heures": "10"})
    page = text(response)
    # Each message names its field (issue 20): never twice « Module 2 : Saisie obligatoire » without saying which.
    assert "Module 2 — Date de début : Saisie obligatoire" in page
    assert "Module 2 — Date de fin : Saisie obligatoire" in page
    assert "Module 2 : Saisie obligatoire" not in page
    assert bullet(response) == "invalid"


def test_modules_of_another_company_answer_404(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    add_module(client, dossier, **module_externe(organisme()))
    module = ModuleFormation.objects.get()
    other = UserFactory()
    attach(other, EtablissementFactory())
    intrus = client_for(other)
    base = f"/dossiers/{dossier.pk}/formation/modules/"
    for url in ["", "ajouter/", f"{module.pk}/modifier/", f"{module.pk}/supprimer/", "organisme/", "certification/"]:
        assert intrus.get(base + url).status_code == 404, url
    assert intrus.post(base + f"{module.pk}/supprimer/").status_code == 404
    assert intrus.post(base + f"{module.pk}/modifier/", module_externe(organisme(2))).status_code == 404
    assert intrus.post(base + "ajouter/", {"type_module": "interne"}).status_code == 404
    # A module id of another dossier through one's own dossier: 404 too.
    own = make(other)
    assert intrus.get(f"/dossiers/{own.pk}/formation/modules/{module.pk}/modifier/").status_code == 404
    assert ModuleFormation.objects.get().heures == 400


def test_writes_refused_when_not_editable(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    add_module(client, dossier, **module_externe(organisme()))
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.TRANSMIS)
    module = ModuleFormation.objects.get()
    assert module_post(client, dossier, f"{module.pk}/supprimer/", {}).status_code == 409
    assert add_module(client, dossier, "interne").status_code == 409
    assert ModuleFormation.objects.count() == 1


def test_module_partials_have_no_template_error(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    add_module(client, dossier, **module_externe(organisme()))
    module = ModuleFormation.objects.get()
    base = f"/dossiers/{dossier.pk}/formation/modules/"
    for url in ["", "ajouter/", f"{module.pk}/modifier/", f"{module.pk}/supprimer/", "organisme/", "certification/"]:
        assert "INVALID" not in text(client.get(base + url, HTTP_HX_REQUEST="true")), url
    assert "INVALID" not in text(client.get(f"/dossiers/{dossier.pk}/formation/"))


def test_rules_page_lists_the_formation_rules(adherent):
    page = text(client_for(adherent).get("/regles/"))
    assert "INVALID" not in page
    assert "FORMATION_FOR02_MINIMUM_150_HEURES" in page and "FORMATION_FOR03_PLUS_DE_25_POURCENT" in page


def test_module_write_on_a_stale_version_writes_nothing(adherent):
    dossier = make(adherent)
    org = organisme()
    response = client_for(adherent).post(
        f"/dossiers/{dossier.pk}/formation/modules/ajouter/",
        {"version": dossier.version - 1, "type_module": "externe", **module_externe(org)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "modifié ailleurs" in html.unescape(response.content.decode())
    assert not ModuleFormation.objects.filter(formation__dossier=dossier).exists()


def test_module_write_bumps_the_version_and_refreshes_the_tab_form(adherent):
    dossier = make(adherent)
    before = Dossier.objects.get(pk=dossier.pk).version
    response = add_module(client_for(adherent), dossier, "externe", **module_externe(organisme()))
    assert response.status_code == 200
    after = Dossier.objects.get(pk=dossier.pk).version
    assert after == before + 1
    assert f'value="{after}" id="id_version" hx-swap-oob="true"' in response.content.decode()


@pytest.fixture
def extrait_rncp():
    """The real France compétences extract committed in referentiels/data (its Nsf file: 9 fiches)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("import_rncp", stdout=StringIO())


@pytest.mark.parametrize(("code", "nsf"), [("RS6117", "221"), ("RS5000", "326"), ("RNCP1197", "221")])
def test_picking_a_fiche_of_the_real_extract_fills_its_nsf(adherent, extrait_rncp, code, nsf):
    # Issue 20: « Spécialité de formation (NSF) » is filled from the export's Nsf file (« 221w » → 221).
    dossier = make(adherent)
    client = client_for(adherent)
    response = client.get(
        f"/dossiers/{dossier.pk}/formation/modules/certification/?code={code}", HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert re.search(rf'name="specialite_nsf" value="{nsf}"', page)
    assert "ne précise pas de spécialité" not in page
    response = save(client, dossier, complet(code_rncp=code, specialite_nsf=nsf))
    assert Formation.objects.get(dossier=dossier).specialite_nsf == nsf


def test_a_fiche_without_nsf_says_so(adherent, extrait_rncp):
    # Most fiches of the export carry no NSF: the help does not pretend it is filled, the field stays open.
    assert Certification.objects.get(code="RNCP38228").nsf == []
    dossier = make(adherent)
    url = f"/dossiers/{dossier.pk}/formation/modules/certification/?code=RNCP38228"
    page = text(client_for(adherent).get(url, HTTP_HX_REQUEST="true"))
    assert "La fiche RNCP38228 ne précise pas de spécialité de formation (NSF)" in page
    assert not re.search(r'name="specialite_nsf"[^>]*disabled', page)


def test_chosen_organisme_shows_the_guides_address_fields(adherent):
    # Issue 20: « * SIRET · N° d'activité · Quartier · … · N° et voie · Complément d'adresse · Code postal · Commune ».
    dossier = make(adherent)
    choisi = organisme(
        adresse="Avenue de Rome", complement_adresse="ZI du Brockus", quartier="Brockus", code_postal="62500"
    )
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/formation/modules/organisme/?siret={choisi.siret}"))
    assert re.search(
        r'<label class="form-label" for="ro-organisme_quartier">Quartier</label>\s*<input[^>]*value="Brockus"', page
    )
    assert re.search(
        r'for="ro-organisme_complement_adresse">Complément d\'adresse</label>\s*<input[^>]*value="ZI du Brockus"', page
    )
