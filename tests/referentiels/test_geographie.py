"""Communes, départements and postal codes: the importer on real records, the lookups."""

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from referentiels.models import CodePostal, Commune, CommuneMot, Departement, TypeCommune
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "decoupage"
COMMUNES = FIXTURES / "communes.json"
DEPARTEMENTS = FIXTURES / "departements.json"
DATA = Path(__file__).resolve().parents[2] / "referentiels" / "data"


def importe(communes=COMMUNES, departements=DEPARTEMENTS) -> str:
    from io import StringIO

    out = StringIO()
    args = [str(communes)] + (["--departements", str(departements)] if departements else [])
    call_command("import_communes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot():
    return (
        sorted(Departement.objects.values_list("code", "nom", "region", "zone")),
        sorted(
            Commune.objects.values_list(
                "code", "type", "nom", "nom_recherche", "departement_id", "actuelle", "population", "commune_parente_id"
            )
        ),
        sorted(CodePostal.objects.values_list("code", "commune__code", "commune__type")),
        sorted(CommuneMot.objects.values_list("mot", "commune_id")),
    )


def commune(code, type_=TypeCommune.ACTUELLE) -> Commune:
    return Commune.objects.get(code=code, type=type_)


def codes_postaux(code, type_=TypeCommune.ACTUELLE) -> list[str]:
    return list(commune(code, type_).codes_postaux.values_list("code", flat=True))


def communes_du_cp(code) -> set[str]:
    return set(CodePostal.objects.filter(code=code, commune__actuelle=True).values_list("commune__nom", flat=True))


@pytest.fixture
def referentiel(db):
    importe()


@pytest.fixture
def client(db):
    return client_for(UserFactory())


# --- Import ---------------------------------------------------------------------------------------


def test_import_counts(referentiel):
    assert Departement.objects.count() == 9
    assert Commune.objects.count() == 18
    assert Commune.objects.filter(actuelle=True).count() == 13
    assert Commune.objects.filter(type=TypeCommune.DELEGUEE).count() == 2
    assert Commune.objects.filter(type=TypeCommune.ASSOCIEE).count() == 1
    assert Commune.objects.filter(type=TypeCommune.ARRONDISSEMENT).count() == 2
    assert CodePostal.objects.count() == 37  # 16 of them for Marseille, 1 for each of its arrondissements


def test_import_is_idempotent(referentiel):
    avant = snapshot()
    sortie = importe()
    assert snapshot() == avant
    assert "Communes : 18 (créés 0, modifiés 0, supprimés 0)" in sortie
    assert "Codes postaux : 37 (créés 0, modifiés 0, supprimés 0)" in sortie


def test_import_accepts_gzip_and_reports(tmp_path):
    chemin = tmp_path / "communes.json.gz"
    chemin.write_bytes(gzip.compress(COMMUNES.read_bytes()))
    sortie = importe(chemin)
    assert "Communes : 18 (créés 18, modifiés 0, supprimés 0)" in sortie
    assert Commune.objects.count() == 18


def test_multi_postal_code_communes(referentiel):
    assert codes_postaux("13055") == [f"130{n:02d}" for n in range(1, 17)]
    assert codes_postaux("42218") == ["42000", "42100", "42230"]
    assert codes_postaux("2A004") == ["20000", "20090", "20167"]


def test_postal_code_shared_by_several_communes(referentiel):
    assert communes_du_cp("01000") == {"Bourg-en-Bresse", "Saint-Denis-lès-Bourg"}
    assert communes_du_cp("20167") == {"Afa", "Ajaccio"}
    # The arrondissement has its own postal code but only the commune is "current".
    assert communes_du_cp("13001") == {"Marseille"}
    assert codes_postaux("13201", TypeCommune.ARRONDISSEMENT) == ["13001"]


def test_delegated_and_associated_communes_have_their_parent(referentiel):
    arboys = commune("01015")
    arbignieu = commune("01015", TypeCommune.DELEGUEE)  # same code INSEE as its commune nouvelle
    assert arboys.nom == "Arboys en Bugey" and arboys.actuelle and arboys.commune_parente is None
    assert arbignieu.nom == "Arbignieu" and not arbignieu.actuelle and arbignieu.commune_parente == arboys
    assert commune("01340", TypeCommune.DELEGUEE).commune_parente == arboys
    assert commune("01120", TypeCommune.ASSOCIEE).commune_parente == commune("01262")
    assert commune("13208", TypeCommune.ARRONDISSEMENT).commune_parente == commune("13055")
    assert not arbignieu.codes_postaux.exists()


def test_corsica_and_overseas(referentiel):
    assert commune("2A004").departement.nom == "Corse-du-Sud"
    assert commune("2B033").departement_id == "2B"
    assert Departement.objects.get(code="971").nom == "Guadeloupe"
    assert Departement.objects.get(code="976").zone == "drom"
    assert commune("97611").departement_id == "976"
    assert codes_postaux("97101") == ["97139", "97142"]


def test_search_columns_are_normalised(referentiel):
    assert commune("42218").nom_recherche == "saint etienne"
    assert commune("01344").nom_recherche == "saint denis les bourg"
    assert set(CommuneMot.objects.filter(commune=commune("76575")).values_list("mot", flat=True)) == {
        "saint",
        "etienne",
        "du",
        "rouvray",
    }


def test_reimport_applies_changes_and_deletions(referentiel, tmp_path):
    records = json.loads(COMMUNES.read_text())
    records = [r for r in records if r["code"] != "80829"]  # Y disappears
    for record in records:
        if record["code"] == "42218":
            record["nom"] = "Saint-Étienne-Métropole"
            record["codesPostaux"] = ["42000"]
        if record["code"] == "01120":  # Cordieux re-attached to Bourg-en-Bresse
            record["chefLieu"] = "01053"
    chemin = tmp_path / "communes.json"
    chemin.write_text(json.dumps(records, ensure_ascii=False))
    sortie = importe(chemin, departements=None)
    assert "Communes : 17 (créés 0, modifiés 1, supprimés 1)" in sortie
    assert not Commune.objects.filter(code="80829").exists()
    saint_etienne = commune("42218")
    assert saint_etienne.nom_recherche == "saint etienne metropole"
    assert codes_postaux("42218") == ["42000"]
    assert CommuneMot.objects.filter(commune=saint_etienne, mot="metropole").exists()
    assert commune("01120", TypeCommune.ASSOCIEE).commune_parente == commune("01053")
    avant = snapshot()
    importe(chemin, departements=None)
    assert snapshot() == avant


def test_unknown_departement_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Départements inconnus : .*--departements"):
        importe(departements=None)
    assert not Commune.objects.exists()


def test_invalid_record_is_an_error(tmp_path):
    chemin = tmp_path / "communes.json"
    chemin.write_text(json.dumps([{"code": "ABCDE", "nom": "Nulle part", "type": "commune-actuelle"}]))
    with pytest.raises(CommandError, match="Commune invalide"):
        importe(chemin)


def test_commune_save_keeps_search_columns():
    Departement.objects.create(code="42", nom="Loire")
    commune = Commune.objects.create(code="42218", nom="Saint-Étienne", departement_id="42")
    assert commune.nom_recherche == "saint etienne" and commune.actuelle
    assert set(CommuneMot.objects.filter(commune=commune).values_list("mot", flat=True)) == {"saint", "etienne"}
    assert Commune.objects.recherche("st etienne") == [commune.pk]


def test_search_ranking_exact_then_first_word_then_population():
    for code, nom in [("95", "Val-d'Oise"), ("82", "Tarn-et-Garonne"), ("76", "Seine-Maritime"), ("52", "Haute-Marne")]:
        Departement.objects.create(code=code, nom=nom)
    for code, nom, population in [
        ("95176", "Cormeilles-en-Parisis", 25_000),
        ("82137", "Parisot", 600),
        ("76255", "Eu", 6_800),
        ("52194", "Eurville-Bienville", 9_000),
        ("76640", "Saint-Saëns", 2_500),
    ]:
        Commune.objects.create(code=code, nom=nom, departement_id=code[:2], population=population)

    def noms(query, **kwargs):
        ids = Commune.objects.recherche(query, **kwargs)
        return [Commune.objects.get(pk=pk).nom for pk in ids]

    assert noms("paris") == ["Parisot", "Cormeilles-en-Parisis"]  # the name starts with the word first
    assert noms("eu") == ["Eu", "Eurville-Bienville"]  # the exact name first
    assert noms("sa") == ["Saint-Saëns"]  # two words match, one row
    assert noms("paris", limit=1) == ["Parisot"]
    assert noms("paris", departement="95") == ["Cormeilles-en-Parisis"]
    commune = Commune.objects.get(code="95176")
    avant = CommuneMot.objects.get(commune=commune, mot="parisis").ordre
    commune.population = 25
    commune.save()  # the index follows
    assert CommuneMot.objects.get(commune=commune, mot="parisis").ordre == avant + 24_975


def test_committed_extract_has_the_same_shape():
    with gzip.open(DATA / "communes.json.gz", "rt", encoding="utf-8") as stream:
        records = json.load(stream)
    assert len(records) > 35_000
    types = {record["type"] for record in records}
    assert types == {value for value in TypeCommune.values}
    marseille = next(r for r in records if r["code"] == "13055" and r["type"] == "commune-actuelle")
    assert marseille["nom"] == "Marseille" and len(marseille["codesPostaux"]) == 16
    with gzip.open(DATA / "departements.json.gz", "rt", encoding="utf-8") as stream:
        assert {"2A", "2B", "971", "976"} <= {record["code"] for record in json.load(stream)}


# --- Lookups --------------------------------------------------------------------------------------


def resultats(client, url, **params):
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()["results"]


def test_lookups_require_login(referentiel, client):
    anonyme = client.__class__()
    for url in [
        reverse("lookup_communes") + "?q=saint",
        reverse("lookup_code_postal_communes", args=["42000"]),
        reverse("lookup_naf") + "?q=restau",
        reverse("lookup_idcc") + "?q=hotel",
    ]:
        response = anonyme.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"] or "connexion" in response["Location"]


def test_search_ignores_accents_and_punctuation(referentiel, client):
    rows = resultats(client, reverse("lookup_communes"), q="saint etienne")
    assert [row["nom"] for row in rows] == ["Saint-Étienne", "Saint-Étienne-du-Rouvray"]
    premier = rows[0]
    assert premier == {
        "value": "42218",
        "label": "Saint-Étienne (42)",
        "code": "42218",
        "nom": "Saint-Étienne",
        "type": "commune-actuelle",
        "actuelle": True,
        "departement": "42",
        "departement_nom": "Loire",
        "codes_postaux": ["42000", "42100", "42230"],
        "commune_parente": None,
    }
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="SAINT-ÉTIENNE")] == [
        "Saint-Étienne",
        "Saint-Étienne-du-Rouvray",
    ]


def test_search_matches_word_prefixes_anywhere(referentiel, client):
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="rouv")] == [
        "Saint-Étienne-du-Rouvray"
    ]
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="et sai")] == [
        "Saint-Étienne",
        "Saint-Étienne-du-Rouvray",
    ]
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="st etienne du")] == [
        "Saint-Étienne-du-Rouvray"
    ]
    assert resultats(client, reverse("lookup_communes"), q="etiennes") == []
    assert resultats(client, reverse("lookup_communes"), q="") == []


def test_search_orders_exact_name_then_population(referentiel, client):
    # "Marseille" (the commune) before anything else; arrondissements are not current communes.
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="marseille")] == ["Marseille"]
    # One letter only matches a one-letter name.
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="y")] == ["Y"]
    # Most populated first; Saint-Bois, a delegated commune, only comes with historiques=1.
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="sa")] == [
        "Saint-Étienne",
        "Saint-Étienne-du-Rouvray",
        "Saint-Denis-lès-Bourg",
    ]


def test_search_with_former_communes_for_birthplaces(referentiel, client):
    rows = resultats(client, reverse("lookup_communes"), q="arb", historiques="1")
    assert [(row["nom"], row["actuelle"]) for row in rows] == [("Arboys en Bugey", True), ("Arbignieu", False)]
    assert rows[1]["commune_parente"] == {"code": "01015", "nom": "Arboys en Bugey"}
    assert rows[1]["label"] == "Arbignieu (01) — commune déléguée, rattachée à Arboys en Bugey"
    rows = resultats(client, reverse("lookup_communes"), q="marseille", historiques="1")
    assert [row["nom"] for row in rows] == ["Marseille", "Marseille 8e Arrondissement", "Marseille 1er Arrondissement"]
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="cordieux", historiques="1")] == [
        "Cordieux"
    ]
    assert resultats(client, reverse("lookup_communes"), q="cordieux") == []


def test_search_by_code_and_departement(referentiel, client):
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="2A004")] == ["Ajaccio"]
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="20167")] == ["Afa", "Ajaccio"]
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="a", departement="2a")] == []
    assert [row["nom"] for row in resultats(client, reverse("lookup_communes"), q="aj", departement="2A")] == [
        "Ajaccio"
    ]
    assert resultats(client, reverse("lookup_communes"), q="aj", departement="2B") == []


def test_search_is_bounded(referentiel, client, monkeypatch):
    monkeypatch.setattr("referentiels.lookups.geographie.LIMIT", 2)
    assert len(resultats(client, reverse("lookup_communes"), q="s")) <= 2
    assert len(resultats(client, reverse("lookup_communes"), q="saint", historiques="1")) == 2


def test_search_htmx_partial(referentiel, client):
    response = client.get(reverse("lookup_communes"), {"q": "saint etienne"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert (
        '<option value="42218" data-nom="Saint-Étienne" data-departement="42" data-codes-postaux="42000 42100 42230">'
        in html
    )
    assert "Saint-Étienne (42)</option>" in html
    response = client.get(reverse("lookup_communes"), {"q": "zzz"})
    assert "Aucune commune ne correspond à cette saisie." in response.content.decode()


def test_postal_code_lookup(referentiel, client):
    url = reverse("lookup_code_postal_communes", args=["01000"])
    assert [row["nom"] for row in resultats(client, url)] == ["Bourg-en-Bresse", "Saint-Denis-lès-Bourg"]
    rows = resultats(client, reverse("lookup_code_postal_communes", args=["13008"]))
    assert [(row["code"], row["nom"]) for row in rows] == [("13055", "Marseille")]
    assert resultats(client, reverse("lookup_code_postal_communes", args=["99999"])) == []
    assert resultats(client, reverse("lookup_code_postal_communes", args=["130"])) == []


def test_postal_code_lookup_partial(referentiel, client):
    html = client.get(reverse("lookup_code_postal_communes", args=["20167"])).content.decode()
    assert "Choisissez la commune (2 pour le code postal 20167)" in html
    assert '<option value="2A001" data-nom="Afa" data-departement="2A">Afa</option>' in html
    html = client.get(reverse("lookup_code_postal_communes", args=["42100"])).content.decode()
    assert (
        '<option value="42218" data-nom="Saint-Étienne" data-departement="42" selected>Saint-Étienne</option>' in html
    )
    assert "Choisissez" not in html
    html = client.get(reverse("lookup_code_postal_communes", args=["00000"])).content.decode()
    assert "Aucune commune pour le code postal 00000" in html


def test_lookups_make_a_bounded_number_of_queries(referentiel, client, django_assert_max_num_queries):
    client.get(reverse("lookup_communes"), {"q": "s", "format": "json"})  # warm the session
    # session, user, exact name, index candidates, communes, postal codes: whatever the number of rows.
    with django_assert_max_num_queries(6):
        rows = resultats(client, reverse("lookup_communes"), q="sa", historiques="1")
    assert len(rows) == 4 and rows[-1]["commune_parente"]["nom"] == "Arboys en Bugey"
    with django_assert_max_num_queries(5):  # session, user, communes of the code, their details, postal codes
        resultats(client, reverse("lookup_code_postal_communes", args=["51300"]))
