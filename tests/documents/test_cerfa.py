"""*Générer le CERFA*: the cerfa n° 12434*05 filled from the dossier, watermarked while a draft, cached."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from dossiers import cerfa, rules
from dossiers.enums import DossierState, NatureContrat, TypeModule
from dossiers.models import Dossier, DossierEvenement
from dossiers.models.formation import ModuleFormation
from dossiers.saisie import onglets
from referentiels.models import OrganismeFormation
from referentiels.validators import siren_with_check_digit, siret_with_check_digit
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory

pytestmark = pytest.mark.django_db

NIR = "185057800608436"


def remplir(dossier):
    """Every CERFA field the dossier holds, as a complete journey leaves it."""
    e = dossier.employeur
    e.raison_sociale, e.numero_voie, e.complement_adresse = "BRASSERIE DU PORT", "12 BIS QUAI DES ETATS", "BAT A"
    e.code_postal, e.commune, e.telephone, e.email = "69002", "LYON", "0472000000", "rh@brasserie.fr"
    e.effectif_total, e.caisse_retraite, e.organisme_prevoyance = 42, "AG2R LA MONDIALE", "APICIL PREVOYANCE"
    e.save()
    s = dossier.salarie
    s.nom_naissance, s.nom_usage, s.prenom = "Martin", "Durand", "Léa"
    s.numero_voie, s.code_postal, s.commune = "5 RUE VERTE", "69003", "LYON"
    s.telephone, s.email = "0611223344", "lea.martin@exemple.fr"
    s.nir = NIR
    s.date_naissance, s.sexe = dt.date(2003, 5, 17), "F"
    s.departement_naissance, s.commune_naissance = "078", "Versailles"
    s.rqth, s.equivalence_jeunes, s.extension_boe = False, False, False
    s.inscrit_france_travail, s.numero_france_travail, s.duree_inscription_mois = True, "1234567A", 14
    s.situation_avant_contrat, s.diplome_plus_eleve, s.attestation_tuteur = "03", "42", True
    s.save()
    t = dossier.tuteur(1)
    t.nom, t.prenom, t.emploi, t.date_naissance = "Bernard", "Paul", "Chef de rang", dt.date(1980, 2, 3)
    t.save()
    c = dossier.contrat
    c.nature, c.emploi, c.classification = NatureContrat.CDD, "Serveur en salle", "Employé niveau II"
    c.niveau, c.coefficient, c.duree_essai_jours = "II", "140", 30
    c.date_debut, c.date_fin, c.date_conclusion = dt.date(2026, 9, 1), dt.date(2027, 8, 31), dt.date(2026, 8, 20)
    c.duree_hebdo_minutes, c.salaire_brut = 35 * 60 + 30, Decimal("1587.45")
    c.save()
    f = dossier.formation
    f.intitule, f.type_qualification, f.diplome_vise = "Titre professionnel Serveur en restauration", "1", "50"
    f.code_rncp, f.specialite_nsf = "RNCP37859", "334"
    f.duree_totale_heures, f.duree_enseignements_heures = 450, 400
    f.date_debut_cycle, f.date_fin_examens = dt.date(2026, 9, 7), dt.date(2027, 6, 30)
    f.save()
    organisme = OrganismeFormation.objects.create(
        siret=siret_with_check_digit(siren_with_check_digit("77000002"), "0001"),
        nda="84691234569",
        raison_sociale="ECOLE DES METIERS DE LA SALLE",
        code_postal="69002",
        commune="Lyon",
    )
    ModuleFormation.objects.create(formation=f, ordre=1, type=TypeModule.EXTERNE, organisme=organisme, heures=450)
    return Dossier.objects.get(pk=dossier.pk), organisme


@pytest.fixture
def dossier(adherent):
    return DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)


@pytest.fixture(autouse=True)
def cache_vide():
    cache.clear()


def texte(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def all_valid(monkeypatch, valid=True):
    status = "valid" if valid else "invalid"
    monkeypatch.setattr(onglets, "puces", lambda anomalies: [onglets.Puce(o, status) for o in onglets.ONGLETS])
    invalides = [] if valid else ["Introduction"]
    monkeypatch.setattr(rules, "onglets_invalides", lambda dossier, anomalies=None: invalides)  # the domain's verdict


def test_full_dossier_prints_every_field_on_two_pages(adherent, dossier):
    dossier, organisme = remplir(dossier)
    response = client_for(adherent).get(f"/dossiers/{dossier.pk}/cerfa.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = texte(response.content)
    assert pages == 2
    e = dossier.employeur
    for value in [
        "N° 12434*05",
        "L’EMPLOYEUR",
        "LE SALARI",
        "LE TUTEUR",
        "LE CONTRAT",
        "LA FORMATION",
        "CADRE RÉSERVÉ À L’OPCO",
        "BRASSERIE DU PORT",
        "12 BIS",
        "QUAI DES ETATS",
        "BAT A",
        e.siret,
        e.naf,
        e.idcc,
        "rh",
        "brasserie.fr",
        "AG2R LA MONDIALE",
        "APICIL PREVOYANCE",
        "MARTIN",
        "DURAND",
        "Léa",
        NIR,
        "2003",
        "17",
        "078",
        "Versailles",
        "1234567A",
        "BERNARD",
        "Chef de rang",
        "1980",
        "Serveur en salle",
        "Employé niveau II",
        "140",
        "1587",
        "45",
        "2026",
        "2027",
        "RNCP37859",
        "Titre professionnel Serveur en restauration",
        "334",
        "450",
        "400",
        organisme.raison_sociale,
        organisme.siret,
        organisme.nda,
        "AKTO",
    ]:
        assert value in text, value


def test_values_go_to_their_official_boxes(dossier):
    dossier, _ = remplir(dossier)
    f = cerfa.valeurs(dossier)
    assert (f["t8_43"], f["t8_44"], f["t8_49"]) == ("17", "05", "2003")  # S8 in three boxes
    assert (f["t8_10"], f["t8_11"]) == ("rh", "brasserie.fr")  # e-mail split at @
    assert (f["t8_81"], f["t8_68"]) == ("1587", "45")  # salary: euros, cents
    assert (f["t8_66"], f["t8_67"]) == ("35", "30")
    assert (f["t8_8"], f["t8_9"]) == ("12 BIS", "QUAI DES ETATS")
    assert f["t8_65"] == dossier.type_contrat and f["t8_25"] == "03" and f["t8_27"] == "42"  # codes only
    assert f["c1_14"] and f["c1_2"] and f["c1_12"] and f["c1_4"] and f["c1_9"] and f["c1_17"] and f["c2"]
    assert "c1_13" not in f and "c1_11" not in f and "c1_16" not in f
    assert f["t8_69"] == "1"


def test_missing_data_stays_blank(dossier):
    f = cerfa.valeurs(dossier)
    for key in ["t8_18", "t8_42", "t8_43", "t8_81", "t8_92", "t8_54", "c1_11", "c1_12", "c1_13", "c2"]:
        assert key not in f


def test_draft_not_valid_has_the_watermark(adherent, dossier):
    _, text = texte(client_for(adherent).get(f"/dossiers/{dossier.pk}/cerfa.pdf").content)
    assert "BROUILLON — non transmis" in text


def test_transmitted_dossier_has_no_watermark_and_its_number_and_date(adherent, dossier, monkeypatch):
    all_valid(monkeypatch)
    from dossiers.services import dossier_transmettre

    dossier_transmettre(dossier=Dossier.objects.get(pk=dossier.pk), user=adherent)
    event = DossierEvenement.objects.get(dossier=dossier, transition="transmettre")
    all_valid(monkeypatch, valid=False)  # whatever the rules say now, a transmitted dossier is not a draft
    _, text = texte(client_for(adherent).get(f"/dossiers/{dossier.pk}/cerfa.pdf").content)
    assert "BROUILLON" not in text
    assert dossier.numero in text
    assert event.created_at.strftime("%d/%m/%Y") in text


def test_valid_draft_has_no_watermark(dossier, monkeypatch):
    all_valid(monkeypatch)
    assert not cerfa.filigrane(dossier)
    all_valid(monkeypatch, valid=False)
    assert cerfa.filigrane(dossier)
    dossier.state = DossierState.TRANSMIS
    assert not cerfa.filigrane(dossier)


def test_another_companys_dossier_is_404(adherent):
    other = DossierFactory(etablissement=EtablissementFactory())
    assert client_for(adherent).get(f"/dossiers/{other.pk}/cerfa.pdf").status_code == 404


def test_cache_hit_when_unchanged_and_miss_after_a_save(dossier, monkeypatch):
    calls = []
    real = cerfa.render_pdf
    monkeypatch.setattr(cerfa, "render_pdf", lambda d, v=cerfa.VERSION_COURANTE: calls.append(1) or real(d, v))
    first = cerfa.pdf(Dossier.objects.get(pk=dossier.pk))
    again = cerfa.pdf(Dossier.objects.get(pk=dossier.pk))
    assert first == again and len(calls) == 1
    fresh = Dossier.objects.get(pk=dossier.pk)
    fresh.version += 1  # what every save does (optimistic lock)
    fresh.save()
    cerfa.pdf(Dossier.objects.get(pk=dossier.pk))
    assert len(calls) == 2


def test_version_is_data():
    assert cerfa.VERSIONS[cerfa.VERSION_COURANTE].notice == "51650#09"
    assert cerfa.VERSIONS["12434*05"].chemin.name == "cerfa_12434-05.pdf"


def test_button_links_to_the_pdf(adherent, dossier):
    page = client_for(adherent).get(f"/dossiers/{dossier.pk}/introduction/").content.decode()
    assert f'href="/dossiers/{dossier.pk}/cerfa.pdf"' in page
    assert 'target="_blank"' in page


def test_missing_values_print_blank_even_with_strict_templates(adherent):
    """The test settings render undefined template variables loudly: an empty box must stay empty."""
    from tests.factories import DossierFactory

    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    page = cerfa.html(cerfa.valeurs(dossier), brouillon=cerfa.filigrane(dossier))
    assert "INVALID_TEMPLATE_VARIABLE" not in page
    assert "BROUILLON" in page


def test_gestionnaire_opens_the_cerfa_from_the_admin():
    from django.test import Client

    from tests.factories import DossierFactory, UserFactory

    dossier = DossierFactory(transmis=True)  # the back office lists what reached AKTO, not drafts
    client = Client()
    client.force_login(UserFactory(gestionnaire=True))
    page = client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert f'href="/dossiers/{dossier.pk}/cerfa.pdf"' in page
    response = client.get(f"/dossiers/{dossier.pk}/cerfa.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_generer_le_cerfa_from_a_tab_renders_then_offers_the_pdf(adherent):
    from django.core.cache import cache

    from tests.factories import DossierFactory

    cache.clear()
    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    client = client_for(adherent)
    response = client.post(f"/dossiers/{dossier.pk}/cerfa/preparer/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Votre CERFA est prêt" in page and f'href="/dossiers/{dossier.pk}/cerfa.pdf"' in page
    assert client.get(f"/dossiers/{dossier.pk}/cerfa.pdf")["Content-Type"] == "application/pdf"
    assert client.get(f"/dossiers/{dossier.pk}/cerfa/preparer/").status_code == 405
    from django.test import Client

    assert Client().get(f"/dossiers/{dossier.pk}/cerfa.pdf").status_code == 302  # login required


def test_each_page_has_its_own_form_under_its_values(dossier):
    """The form is drawn under the values page by page: page 1 is the employer's, page 2 the contract's."""
    dossier, _ = remplir(dossier)
    reader = PdfReader(io.BytesIO(cerfa.render_pdf(dossier)))
    premiere, seconde = (page.extract_text() for page in reader.pages)
    assert "L’EMPLOYEUR" in premiere and "BRASSERIE DU PORT" in premiere and "LE CONTRAT" not in premiere
    assert "LE CONTRAT" in seconde and "Serveur en salle" in seconde and "L’EMPLOYEUR" not in seconde


def test_the_official_form_is_read_once_per_process(dossier):
    """The drawing under the values is the shipped official file, read once (the WSGI worker reads it at boot)."""
    cerfa.formulaire.cache_clear()
    cerfa.render_pdf(dossier)
    cerfa.render_pdf(dossier)
    assert cerfa.formulaire.cache_info().misses == 1
    assert cerfa.fond_pdf() == cerfa.VERSIONS[cerfa.VERSION_COURANTE].chemin.read_bytes()
