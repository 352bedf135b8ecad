"""Training organisms: import of the « référentiel réseau » files, the committed extract, the lookup."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from referentiels.models import OrganismeFormation
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "organismes"
URL = "/referentiels/organismes/"

ADEN = "44492238900036"
ENGEES = "19670189000010"  # agri says « fermé », cci « actif », same import date
MFR_BAIE_MAHAULT = "39041394600042"  # agri and mfr; the mfr file lost the NDA's leading 0
BAD_SIRETS = ["81743928200010", "79026100000000"]


def run_import(*paths, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_organismes", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def import_fixtures(**options) -> tuple[str, str]:
    return run_import(*sorted(FIXTURES.glob("*.csv")), **options)


def snapshot() -> list[tuple]:
    return list(OrganismeFormation.objects.order_by("siret").values_list())


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def test_import_reads_every_fixture_file():
    out, _ = import_fixtures()
    # 15 rows, 2 bad SIRETs, 3 SIRETs present twice (agri+mfr, agri+cci, agri+mfr).
    assert OrganismeFormation.objects.count() == 10
    assert "15 lignes lues dans 7 fichier(s), 10 SIRET distincts ; 10 créés" in out

    aden = OrganismeFormation.objects.get(siret=ADEN)
    assert aden.raison_sociale == "ADEN FORMATIONS ORGANISATION"
    assert aden.nda == "25140183914"
    assert aden.uai == "0142321X"
    assert (aden.adresse, aden.code_postal, aden.commune) == ("100 Avenue Guillaume le Conquérant", "14100", "Lisieux")
    assert aden.qualiopi is True
    assert aden.actif is True
    assert aden.nature == "formateur"
    assert aden.liste_reseaux == ["aden"]
    assert aden.nom_recherche == "aden formations organisation 14100 lisieux aden"


def test_import_is_idempotent():
    import_fixtures()
    first = snapshot()
    out, _ = import_fixtures()
    assert snapshot() == first
    assert "0 créés, 0 modifiés, 10 inchangés" in out


def test_import_updates_a_changed_row_without_duplicating_it():
    import_fixtures()
    OrganismeFormation.objects.filter(siret=ADEN).update(raison_sociale="ANCIEN NOM", nom_recherche="ancien nom")
    out, _ = import_fixtures()
    assert "0 créés, 1 modifiés" in out
    aden = OrganismeFormation.objects.get(siret=ADEN)
    assert aden.raison_sociale == "ADEN FORMATIONS ORGANISATION"
    assert "ancien" not in aden.nom_recherche


def test_same_siret_in_several_networks_is_one_organism_with_merged_networks():
    import_fixtures()
    engees = OrganismeFormation.objects.get(siret=ENGEES)
    assert engees.liste_reseaux == ["agri", "cci"]
    assert engees.actif is False  # tie on the import date: the cautious « fermé » wins

    mfr = OrganismeFormation.objects.get(siret=MFR_BAIE_MAHAULT)
    assert mfr.liste_reseaux == ["agri_unmfreo", "mfr"]
    assert mfr.nda == "01973353997"
    assert mfr.raison_sociale == "MAISON FAMILIALE RURALE D EDUCATION ET D ORIENTATION DE BAIE MAHAULT"  # spaces


def test_networks_of_separate_runs_are_merged():
    run_import(FIXTURES / "referentiel-reseau-agri.csv")
    assert OrganismeFormation.objects.get(siret=ENGEES).liste_reseaux == ["agri"]
    run_import(FIXTURES / "referentiel-reseau-cci.csv")
    assert OrganismeFormation.objects.get(siret=ENGEES).liste_reseaux == ["agri", "cci"]


def test_bad_siret_is_reported_not_imported():
    _, err = import_fixtures()
    assert not OrganismeFormation.objects.filter(siret__in=BAD_SIRETS).exists()
    assert "referentiel-reseau-cci.csv, ligne 3 : « 81743928200010 »" in err
    assert "referentiel-reseau-cci.csv, ligne 4 : « 79026100000000 » GROUPE SUP DE CO MONTPELLIER" in err
    assert "clé de contrôle" in err


def test_quirks_of_the_real_files():
    import_fixtures()
    # cfa-ec: a name exported as a spreadsheet formula, ="…".
    iscb = OrganismeFormation.objects.get(siret="42879133900057")
    assert iscb.raison_sociale == 'INSTITUT SUPERIEUR DE COMMERCE ET DE BUREAUTIQUE PAR ABREVIATION "ISCB"'
    assert iscb.enseigne == "ISCB"
    # afpa: only « UAI validée;Siret;Réseaux à jour », no BOM.
    afpa = OrganismeFormation.objects.get(siret="82409268800012")
    assert (afpa.raison_sociale, afpa.uai, afpa.qualiopi, afpa.actif) == ("", "0932751K", None, True)
    assert afpa.denomination == "Établissement du réseau AFPA"
    # greta: « Réseaux à  jour » (two spaces), no NDA, Qualiopi « Non ».
    lycee = OrganismeFormation.objects.get(siret="19840046700017")
    assert (lycee.nda, lycee.qualiopi, lycee.liste_reseaux) == ("", False, ["greta"])


def test_extract_has_the_same_format_and_gives_the_same_rows(tmp_path):
    extract = tmp_path / "organismes.csv.gz"
    import_fixtures(extract=extract)
    expected = snapshot()
    with gzip.open(extract, "rt", encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("Siret;UAI validée;Raison sociale;Enseigne;numero_declaration_activite;")
    assert len(lines) == 1 + 10

    OrganismeFormation.objects.all().delete()
    out, err = run_import(extract)
    assert "10 créés" in out and err == ""
    assert [row[1:] for row in snapshot()] == [row[1:] for row in expected]  # all but the ids


def test_committed_extract_loads():
    out, err = run_import()  # no file: referentiels/data/organismes.csv.gz
    assert OrganismeFormation.objects.count() == 2414
    assert err == ""
    assert OrganismeFormation.objects.get(siret=ADEN).liste_reseaux == ["aden", "cci"]
    assert OrganismeFormation.objects.filter(actif=False).count() == 45


def test_complement_d_adresse_is_read_from_the_networks_address():
    # Issue 20: the guide's organisme block has a « Complément d'adresse » (the networks give one line).
    from referentiels.management.commands.import_organismes import split_complement

    assert split_complement("Avenue de Rome ( ZI du Brockus )", "Saint-Omer") == ("Avenue de Rome", "ZI du Brockus")
    assert split_complement("LE PLAN BP 54", "ROUSSET") == ("LE PLAN", "BP 54")
    assert split_complement("111 Avenue de Dunkerque (Lille)", "Lille") == ("111 Avenue de Dunkerque", "")
    assert split_complement("16 Rue Claude Bernard", "Paris") == ("16 Rue Claude Bernard", "")
    run_import()
    lycee = OrganismeFormation.objects.get(siret="19620162800050")
    assert (lycee.adresse, lycee.complement_adresse, lycee.code_postal) == ("Avenue de Rome", "ZI du Brockus", "62500")
    eure = OrganismeFormation.objects.get(siret="19271016800019")
    assert (eure.adresse, eure.complement_adresse) == ("Rue de Breteuil", "Condé-sur-Iton")
    assert OrganismeFormation.objects.get(siret="19590258000065").complement_adresse == ""  # « (Lille) », Lille
    # The quartier is not in the networks' files: typed in the referential, a new import keeps it.
    OrganismeFormation.objects.filter(siret="19620162800050").update(quartier="Brockus")
    run_import()
    assert OrganismeFormation.objects.get(siret="19620162800050").quartier == "Brockus"


def test_nom_recherche_follows_the_name_on_save():
    organisme = OrganismeFormation.objects.create(siret=ADEN, raison_sociale="École Supérieure", commune="Évry")
    assert organisme.nom_recherche == "ecole superieure evry"
    organisme.raison_sociale = "Lycée Agricole"
    organisme.save(update_fields=["raison_sociale"])
    organisme.refresh_from_db()
    assert organisme.nom_recherche == "lycee agricole evry"


# --------------------------------------------------------------------------------------------
# Lookup
# --------------------------------------------------------------------------------------------


@pytest.fixture
def client():
    import_fixtures()
    return client_for(UserFactory())


def results(client, q: str) -> list[dict]:
    response = client.get(URL, {"q": q, "format": "json"})
    assert response.status_code == 200
    return response.json()["results"]


def test_lookup_url_name():
    assert reverse("lookup_organismes") == URL


def test_lookup_requires_login():
    response = Client().get(URL, {"q": "aden"})
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_lookup_by_siret(client):
    rows = results(client, "444 922 389 00036")
    assert [r["siret"] for r in rows] == [ADEN]
    assert rows[0]["denomination"] == "ADEN FORMATIONS ORGANISATION"
    assert rows[0]["code_postal"] == "14100"
    assert rows[0]["alertes"] == []


def test_lookup_by_siren_lists_the_establishments(client):
    rows = results(client, "824092688")
    assert [r["siret"] for r in rows] == ["82409268800012", "82409268800228"]
    assert [r["siret"] for r in results(client, "8240926880022")] == ["82409268800228"]


def test_lookup_by_nda(client):
    rows = results(client, "25140183914")
    assert [r["siret"] for r in rows] == [ADEN]
    assert results(client, "01973353997")[0]["siret"] == MFR_BAIE_MAHAULT


def test_lookup_by_name_words_accent_insensitive(client):
    rows = results(client, "École génie STRASBOURG")
    assert [r["siret"] for r in rows] == [ENGEES]
    assert [r["siret"] for r in results(client, "aden formations")] == ["78071407700069", ADEN]  # name order


def test_lookup_open_ones_first_and_closed_ones_flagged(client):
    rows = results(client, "maisons familiales")  # nom_recherche of the closed one only
    assert [(r["siret"], r["actif"]) for r in rows] == [("42940000500030", False)]
    assert rows[0]["alertes"] == ["Fermé", "Non certifié Qualiopi"]
    assert rows[0]["label"].endswith("(Fermé) (Non certifié Qualiopi)")

    rows = results(client, "agri")  # the agri network: open ones, then the two closed ones
    assert [r["actif"] for r in rows] == [True, False, False]


def test_lookup_partial_flags_closed_and_non_qualiopi(client):
    response = client.get(URL, {"q": "mfr"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-siret="42940000500030"' in html
    assert "Fermé" in html
    assert "Non certifié Qualiopi" in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_lookup_partial_no_result_and_too_short(client):
    assert "Aucun organisme de formation ne correspond à « zzzz »" in client.get(URL, {"q": "zzzz"}).content.decode()
    assert "au moins 2 caractères" in client.get(URL, {"q": "a"}).content.decode()
    assert results(client, "") == []
    assert results(client, "123456789012345") == []  # 15 digits: nothing
