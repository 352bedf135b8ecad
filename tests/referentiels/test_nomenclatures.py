"""NAF rév. 2 and IDCC: importers on small real extracts, derived fields, lookups."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from referentiels.models import CodeNaf, ConventionCollective, EtatConvention, NiveauNaf
from referentiels.models.nomenclatures import statut_convention
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "nomenclatures"
NAF = FIXTURES / "naf_rev2.csv"
IDCC = FIXTURES / "idcc.csv"
DATA = Path(__file__).resolve().parents[2] / "referentiels" / "data"


def importe(commande, chemin) -> str:
    out = StringIO()
    call_command(commande, str(chemin), stdout=out)
    return out.getvalue()


def naf_snapshot():
    return sorted(CodeNaf.objects.values_list("code", "code_compact", "libelle", "niveau", "parent__code"))


def idcc_snapshot():
    return sorted(ConventionCollective.objects.values_list("idcc", "titre", "etats_legifrance", "statut", "active"))


@pytest.fixture
def nomenclatures(db):
    importe("import_naf", NAF)
    importe("import_idcc", IDCC)


@pytest.fixture
def client(db):
    return client_for(UserFactory())


# --- NAF ------------------------------------------------------------------------------------------


def test_naf_import_levels_and_parents(nomenclatures):
    # 14 rows of the file + the 21 sections (the file has none).
    assert CodeNaf.objects.count() == 14 + 21
    restauration = CodeNaf.objects.get(code="56.10A")
    assert restauration.code_compact == "5610A"
    assert restauration.libelle == "Restauration traditionnelle"
    assert restauration.niveau == NiveauNaf.SOUS_CLASSE
    chaine = []
    noeud = restauration
    while noeud:
        chaine.append((noeud.code, noeud.niveau))
        noeud = noeud.parent
    assert chaine == [
        ("56.10A", "sous-classe"),
        ("56.10", "classe"),
        ("56.1", "groupe"),
        ("56", "division"),
        ("I", "section"),
    ]
    assert CodeNaf.objects.get(code="85").parent.libelle == "Enseignement"
    assert CodeNaf.objects.get(code_compact="8559A").libelle == "Formation continue d'adultes"


def test_naf_import_is_idempotent_and_accepts_gzip(nomenclatures, tmp_path):
    avant = naf_snapshot()
    sortie = importe("import_naf", NAF)
    assert "Codes NAF : 35 (créés 0, modifiés 0, supprimés 0) ; niveaux parents modifiés : 0" in sortie
    chemin = tmp_path / "naf.csv.gz"
    chemin.write_bytes(gzip.compress(NAF.read_bytes()))
    importe("import_naf", chemin)
    assert naf_snapshot() == avant


def test_naf_reimport_applies_changes(nomenclatures, tmp_path):
    lignes = NAF.read_text(encoding="utf-8").splitlines()
    lignes = [ligne for ligne in lignes if not ligne.startswith("56.10C")]
    lignes = [ligne.replace("Restauration traditionnelle", "Restauration dite traditionnelle") for ligne in lignes]
    chemin = tmp_path / "naf.csv"
    chemin.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    sortie = importe("import_naf", chemin)
    assert "Codes NAF : 34 (créés 0, modifiés 1, supprimés 1)" in sortie
    assert CodeNaf.objects.get(code="56.10A").libelle_recherche == "restauration dite traditionnelle"
    assert not CodeNaf.objects.filter(code="56.10C").exists()


def test_naf_invalid_file(tmp_path):
    chemin = tmp_path / "naf.csv"
    chemin.write_text("code,libelle\n56.10,Restaurants\n5610A,Restauration\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 3 : code NAF invalide '5610A'"):
        importe("import_naf", chemin)
    chemin.write_text("code,libelle\n56.10A,Restauration traditionnelle\n", encoding="utf-8")
    with pytest.raises(CommandError, match="sans niveau parent"):
        importe("import_naf", chemin)
    chemin.write_text("naf;libelle\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonnes"):
        importe("import_naf", chemin)


# --- IDCC -----------------------------------------------------------------------------------------


def test_idcc_import(nomenclatures):
    assert ConventionCollective.objects.count() == 12  # 11 rows, the last one grouping 1740 (also alone), 1841, 1843
    hcr = ConventionCollective.objects.get(idcc="1979")
    assert (hcr.titre, hcr.statut, hcr.active) == ("Hôtels, cafés, restaurants", "VIGUEUR_ETEN", True)
    syntec = ConventionCollective.objects.get(idcc="1486")
    assert (syntec.etats_legifrance, syntec.statut, syntec.active) == ("VIGUEUR_ETEN|ABROGE", "VIGUEUR_ETEN", True)
    assert ConventionCollective.objects.get(idcc="0029").statut == EtatConvention.VIGUEUR_NON_ETEN
    assert not ConventionCollective.objects.get(idcc="0023").active  # PERIME
    assert not ConventionCollective.objects.get(idcc="7016").active  # DENONCE
    sans = ConventionCollective.objects.get(idcc="9999")
    assert (sans.titre, sans.statut, sans.active) == ("Sans convention collective", "", True)
    # A row of its own wins over the grouped row.
    assert ConventionCollective.objects.get(idcc="1740").statut == "VIGUEUR_ETEN"
    batiment = ConventionCollective.objects.filter(idcc__in=["1841", "1843"])
    assert {(c.statut, c.active) for c in batiment} == {("ABROGE", False)} and batiment.count() == 2
    assert hcr.titre_recherche == "hotels cafes restaurants"


def test_idcc_import_is_idempotent(nomenclatures, tmp_path):
    avant = idcc_snapshot()
    assert "Conventions collectives : 12 (créés 0, modifiés 0, supprimés 0) ; actives : 7" in importe(
        "import_idcc", IDCC
    )
    assert idcc_snapshot() == avant
    chemin = tmp_path / "idcc.csv"
    chemin.write_text(
        IDCC.read_text(encoding="utf-8").replace('1979,"Hôtels, cafés, restaurants",VIGUEUR_ETEN', "1979,HCR,ABROGE"),
        encoding="utf-8",
    )
    assert "(créés 0, modifiés 1, supprimés 0)" in importe("import_idcc", chemin)
    assert not ConventionCollective.objects.get(idcc="1979").active


def test_idcc_invalid_file(tmp_path):
    chemin = tmp_path / "idcc.csv"
    chemin.write_text("idcc,libelle,etats_legifrance\n19A9,Nulle,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 2"):
        importe("import_idcc", chemin)
    chemin.write_text("idcc,libelle,etats_legifrance\n1979,HCR,\n1979,HCR bis,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="IDCC 1979 en double"):
        importe("import_idcc", chemin)


@pytest.mark.parametrize(
    "etats, attendu",
    [
        ([], ("", True)),
        (["VIGUEUR_ETEN"], ("VIGUEUR_ETEN", True)),
        (["ABROGE", "VIGUEUR_NON_ETEN"], ("VIGUEUR_NON_ETEN", True)),
        (["ABROGE", "REMPLACE"], ("REMPLACE", False)),
        (["PERIME"], ("PERIME", False)),
        (["INCONNU_DEMAIN"], ("", True)),
    ],
)
def test_statut_convention(etats, attendu):
    assert statut_convention(etats) == attendu


def test_model_save_derives_fields():
    convention = ConventionCollective.objects.create(idcc="1979", titre="Hôtels, cafés", etats_legifrance="ABROGE")
    assert (convention.statut, convention.active, convention.titre_recherche) == ("ABROGE", False, "hotels cafes")
    code = CodeNaf.objects.create(code="56.10A", libelle="Restauration traditionnelle", niveau=NiveauNaf.SOUS_CLASSE)
    assert code.code_compact == "5610A"


def test_committed_extracts_import():
    assert "Codes NAF : 1728 (créés 1728" in importe("import_naf", DATA / "naf_rev2.csv.gz")
    assert CodeNaf.objects.filter(niveau=NiveauNaf.SOUS_CLASSE).count() == 732
    assert not CodeNaf.objects.exclude(niveau=NiveauNaf.SECTION).filter(parent=None).exists()
    assert "Conventions collectives : 786 (créés 786" in importe("import_idcc", DATA / "idcc.csv.gz")
    assert ConventionCollective.objects.get(idcc="1843").statut == "VIGUEUR_ETEN"


# --- Lookups --------------------------------------------------------------------------------------


def resultats(client, url, **params):
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()["results"]


def test_naf_lookup(nomenclatures, client):
    url = reverse("lookup_naf")
    assert [row["value"] for row in resultats(client, url, q="56.10")] == ["5610A", "5610B", "5610C"]
    assert [row["value"] for row in resultats(client, url, q="5610a")] == ["5610A"]
    rows = resultats(client, url, q="restauration trad")
    assert rows == [
        {
            "value": "5610A",
            "label": "56.10A — Restauration traditionnelle",
            "code": "56.10A",
            "code_compact": "5610A",
            "libelle": "Restauration traditionnelle",
        }
    ]
    assert [row["value"] for row in resultats(client, url, q="FORMATION adultes")] == ["8559A"]
    assert resultats(client, url, q="") == []
    html = client.get(url, {"q": "traiteurs"}).content.decode()
    assert '<option value="5621Z">56.21Z — Services des traiteurs</option>' in html


def test_idcc_lookup(nomenclatures, client):
    url = reverse("lookup_idcc")
    assert [row["idcc"] for row in resultats(client, url, q="1979")] == ["1979"]
    assert [row["idcc"] for row in resultats(client, url, q="16")] == ["0016"]
    assert [row["idcc"] for row in resultats(client, url, q="hotel")] == ["1979"]
    assert [row["idcc"] for row in resultats(client, url, q="batiment")] == ["1597", "1740"]
    rows = resultats(client, url, q="batiment", historiques="1")
    assert [row["idcc"] for row in rows] == ["1597", "1740", "1841", "1843"]
    assert rows[2]["label"].endswith("(abrogée)") and not rows[1]["label"].endswith(")")
    assert [row["idcc"] for row in resultats(client, url, q="sans convention")] == ["9999"]
    html = client.get(url, {"q": "zzz"}).content.decode()
    assert "Aucune convention collective ne correspond à cette saisie." in html
