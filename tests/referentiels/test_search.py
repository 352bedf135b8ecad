"""The one search normalisation (``referentiels.search``) and every referential searched through it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from referentiels.lookups.organismes import rechercher
from referentiels.management.commands.import_rncp import member_key
from referentiels.models import (
    Certification,
    CertificationMot,
    CodeNaf,
    Commune,
    CommuneMot,
    ConventionCollective,
    Departement,
    Etablissement,
    NiveauNaf,
    OrganismeFormation,
)
from referentiels.search import ascii_fold, filtrer, mots, normalize
from tests.conftest import client_for
from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory

migration = importlib.import_module("referentiels.migrations.0007_recherche_translitteration")


def resultats(client, nom_url, q) -> list[dict]:
    response = client.get(reverse(nom_url), {"q": q, "format": "json"})
    assert response.status_code == 200
    return response.json()["results"]


# --- normalize ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texte, cle",
    [
        ("Vandœuvre-lès-Nancy", "vandoeuvre les nancy"),
        ("VANDŒUVRE", "vandoeuvre"),
        ("LEFÈVRE Théo", "lefevre theo"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Saint-Étienne-du-Rouvray", "saint etienne du rouvray"),
        # Ligatures and letters that are not an accented Latin letter (NFKD + ASCII dropped them).
        ("Cæsar Œdipe", "caesar oedipe"),
        ("Straße", "strasse"),
        ("Søren Łukasz", "soren lukasz"),
        ("ﬁlière", "filiere"),
        # Every apostrophe separates words.
        ("d'affaires d’affaires dʼaffaires d‘affaires d`affaires d´affaires", " ".join(["d affaires"] * 6)),
        # Punctuation and symbols separate words; runs of them are one space, none at the ends.
        ("  « Gros œuvre » — (bâtiment) ; n° 2 ! ", "gros oeuvre batiment n 2"),
        ("Marque® 10 €", "marque 10"),
        ("Acce\u0300s", "acces"),  # decomposed (NFD) accents
        ("m²", "m2"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(texte, cle):
    assert normalize(texte) == cle


def test_normalize_is_idempotent():
    for texte in ["Vandœuvre-lès-Nancy", "L'Haÿ-les-Roses", "« Gros œuvre » n° 2", "Straße ß"]:
        assert normalize(normalize(texte)) == normalize(texte)


def test_ascii_fold_keeps_punctuation():
    assert ascii_fold("Vandœuvre-lès-Nancy") == "vandoeuvre-les-nancy"
    assert (
        ascii_fold("export_fiches_CSV_VoixdAcce\u0300s_2024-02-29.csv") == "export_fiches_csv_voixdacces_2024-02-29.csv"
    )


def test_rncp_member_names_are_folded_by_the_same_function():
    import zipfile

    for nom in ["export_fiches_CSV_VoixdAccès_2024.csv", "export_fiches_CSV_VoixdAcce\u0300s_2024.csv"]:
        info = zipfile.ZipInfo(f"dossier/{nom}")
        info.flag_bits |= 0x800
        assert member_key(info) == "export_fiches_csv_voixdacces_2024.csv"


def test_mots_are_the_distinct_normalised_words_in_order():
    assert mots("Vandœuvre lès VANDOEUVRE Nancy") == ["vandoeuvre", "les", "nancy"]
    assert mots(" ,;- ") == []


@pytest.mark.django_db
def test_filtrer_every_word_anywhere_or_at_a_word_start():
    for code, libelle in [("01.11Z", "Culture de céréales"), ("01.12Z", "Culture du riz"), ("01.13Z", "Agriculture")]:
        CodeNaf.objects.create(code=code, libelle=libelle, niveau=NiveauNaf.SOUS_CLASSE)
    codes = CodeNaf.objects.order_by("code")

    def trouve(q, **options):
        return list(filtrer(codes, "libelle_recherche", q, **options).values_list("code", flat=True))

    assert trouve("CULTURE riz") == ["01.12Z"]
    assert trouve("culture") == ["01.11Z", "01.12Z", "01.13Z"]  # « agriculture » contains it
    assert trouve("culture", debut_de_mot=True) == ["01.11Z", "01.12Z"]
    assert trouve(["cereales"], debut_de_mot=True) == ["01.11Z"]  # words already split by mots()
    assert trouve("") == ["01.11Z", "01.12Z", "01.13Z"]  # no word: no restriction


# --- every referential ----------------------------------------------------------------------------------


@pytest.fixture
def client(db):
    return client_for(UserFactory())


@pytest.fixture
def communes(db):
    Departement.objects.create(code="54", nom="Meurthe-et-Moselle")
    Departement.objects.create(code="94", nom="Val-de-Marne")
    return {
        "vandoeuvre": Commune.objects.create(code="54547", nom="Vandœuvre-lès-Nancy", departement_id="54"),
        "nancy": Commune.objects.create(code="54395", nom="Nancy", departement_id="54", population=104_000),
        "hay": Commune.objects.create(code="94038", nom="L'Haÿ-les-Roses", departement_id="94"),
    }


@pytest.mark.parametrize("q", ["vandoeuvre", "Vandœuvre", "VANDOEUVRE les nancy", "vandœuvre-lès-nancy", "vando"])
def test_commune_with_a_ligature_is_found(communes, client, q):
    vandoeuvre = communes["vandoeuvre"]
    assert vandoeuvre.nom_recherche == "vandoeuvre les nancy"
    assert Commune.objects.recherche(q) == [vandoeuvre.pk]
    assert [row["nom"] for row in resultats(client, "lookup_communes", q)] == ["Vandœuvre-lès-Nancy"]


def test_commune_word_index_holds_the_transliterated_words(communes):
    mots_index = CommuneMot.objects.filter(commune=communes["vandoeuvre"]).values_list("mot", flat=True)
    assert set(mots_index) == {"vandoeuvre", "les", "nancy"}
    assert Commune.objects.recherche("nancy") == [communes["nancy"].pk, communes["vandoeuvre"].pk]


def test_commune_with_an_apostrophe_and_a_diaeresis(communes, client):
    assert Commune.objects.recherche("l hay les roses") == [communes["hay"].pk]
    assert [row["nom"] for row in resultats(client, "lookup_communes", "L’Haÿ")] == ["L'Haÿ-les-Roses"]


@pytest.mark.django_db
def test_naf_label_with_a_ligature_is_found(client):
    # Real labels of referentiels/data/naf_rev2.csv.gz.
    gros_oeuvre = CodeNaf.objects.create(
        code="43.99C", libelle="Travaux de maçonnerie générale et gros œuvre de bâtiment", niveau=NiveauNaf.SOUS_CLASSE
    )
    CodeNaf.objects.create(
        code="78.10Z", libelle="Activités des agences de placement de main-d'œuvre", niveau=NiveauNaf.SOUS_CLASSE
    )
    assert gros_oeuvre.libelle_recherche == "travaux de maconnerie generale et gros oeuvre de batiment"
    assert list(CodeNaf.objects.recherche("oeuvre").values_list("code", flat=True)) == ["43.99C", "78.10Z"]
    assert list(CodeNaf.objects.recherche("gros Œuvre").values_list("code", flat=True)) == ["43.99C"]
    assert [row["code"] for row in resultats(client, "lookup_naf", "main d oeuvre")] == ["78.10Z"]


@pytest.mark.django_db
def test_idcc_title_with_a_ligature_is_found(client):
    ConventionCollective.objects.create(idcc="0158", titre="Négoce de bois d'œuvre et produits dérivés")
    assert [row["idcc"] for row in resultats(client, "lookup_idcc", "bois d oeuvre")] == ["0158"]
    assert [row["idcc"] for row in resultats(client, "lookup_idcc", "BOIS D’ŒUVRE")] == ["0158"]


@pytest.mark.django_db
def test_certification_and_its_word_index_with_a_ligature(client):
    certification = Certification.objects.create(
        code="RNCP99001", type="RNCP", intitule="Conducteur de travaux gros œuvre", abrege_libelle="TP", actif=True
    )
    assert certification.intitule_recherche == "conducteur de travaux gros oeuvre tp"
    assert "oeuvre" in set(CertificationMot.objects.filter(certification=certification).values_list("mot", flat=True))
    assert [row["code"] for row in resultats(client, "lookup_certifications", "gros œuvre")] == ["RNCP99001"]
    assert [row["code"] for row in resultats(client, "lookup_certifications", "oeuv")] == ["RNCP99001"]


@pytest.mark.django_db
def test_etablissement_with_an_apostrophe_and_accents():
    entreprise = EntrepriseFactory(raison_sociale="L’Œuf d’Or Pâtisserie")
    etablissement = EtablissementFactory(entreprise=entreprise, enseigne="Crèmerie de l'Haÿ", commune="SCHŒLCHER")
    EtablissementFactory()
    assert etablissement.recherche == "l oeuf d or patisserie cremerie de l hay schoelcher"
    for q in ["oeuf d or", "L'ŒUF", "cremerie l hay", "schoelcher patisserie"]:
        assert list(Etablissement.objects.recherche(q)) == [etablissement], q


@pytest.mark.django_db
def test_organisme_with_an_apostrophe_and_accents():
    organisme = OrganismeFormation.objects.create(
        siret="13000285000019", raison_sociale="Centre d’Œnologie de l'Hérault", commune="Schœlcher", reseaux="cfa_ec"
    )
    OrganismeFormation.objects.create(siret="13000285000092", raison_sociale="Lycée Albert Chassagne")
    assert organisme.nom_recherche == "centre d oenologie de l herault schoelcher cfa ec"
    for q in ["oenologie", "d’Œnologie herault", "SCHOELCHER", "l herault"]:
        assert list(rechercher(q)) == [organisme], q


# --- the re-indexing migration --------------------------------------------------------------------------


def ancienne_normalisation(texte: str) -> str:
    """The normalisation before 0007 (NFKD + ASCII « ignore »: « œ » deleted)."""
    import re
    import unicodedata

    texte = unicodedata.normalize("NFKD", re.sub(r"['’ʼ‘`´]", " ", str(texte or "")))
    return re.sub(r"[^a-z0-9]+", " ", texte.encode("ascii", "ignore").decode("ascii").lower()).strip()


def cles_et_index():
    return (
        sorted(Commune.objects.values_list("pk", "nom_recherche")),
        sorted(CommuneMot.objects.values_list("mot", "commune_id", "ordre")),
        sorted(CodeNaf.objects.values_list("pk", "libelle_recherche")),
        sorted(ConventionCollective.objects.values_list("pk", "titre_recherche")),
        sorted(Certification.objects.values_list("pk", "intitule_recherche")),
        sorted(CertificationMot.objects.values_list("mot", "certification_id")),
        sorted(OrganismeFormation.objects.values_list("pk", "nom_recherche")),
        sorted(Etablissement.objects.values_list("pk", "recherche")),
    )


def vieillir(model, champ, source):
    """Store ``model``'s keys as the old normalisation did (a bulk update: no save())."""
    lignes = [
        model(pk=pk, **{champ: ancienne_normalisation(texte)}) for pk, texte in model.objects.values_list("pk", source)
    ]
    model.objects.bulk_update(lignes, [champ])


@pytest.mark.django_db
def test_migration_reindexes_keys_stored_with_the_old_normalisation(communes):
    CodeNaf.objects.create(code="46.33Z", libelle="Commerce de gros de produits laitiers, œufs", niveau="sous-classe")
    CodeNaf.objects.create(code="56.10A", libelle="Restauration traditionnelle", niveau="sous-classe")
    ConventionCollective.objects.create(idcc="0158", titre="Négoce de bois d'œuvre et produits dérivés")
    certification = Certification.objects.create(
        code="RNCP99001", type="RNCP", intitule="Conducteur de travaux gros œuvre", abrege_libelle="TP"
    )
    Certification.objects.create(code="RS5063", type="RS", intitule="Habilitation électrique")
    OrganismeFormation.objects.create(siret="13000285000019", raison_sociale="Lycée de Paimbœuf", reseaux="cfa_ec")
    EtablissementFactory(entreprise=EntrepriseFactory(raison_sociale="Cœur de Bœuf"), enseigne="L’Œillet")
    EtablissementFactory()
    attendu = cles_et_index()  # the keys and indexes the models build with the new normalisation

    # The database as before the migration: keys folded the old way, word indexes built from them.
    vieillir(Commune, "nom_recherche", "nom")
    vieillir(CodeNaf, "libelle_recherche", "libelle")
    vieillir(ConventionCollective, "titre_recherche", "titre")
    Certification.objects.filter(pk=certification.pk).update(intitule_recherche="conducteur de travaux gros uvre tp")
    OrganismeFormation.objects.update(nom_recherche="lycee de paimbuf cfa ec")
    etablissement = Etablissement.objects.get(entreprise__raison_sociale="Cœur de Bœuf")
    Etablissement.objects.filter(pk=etablissement.pk).update(recherche="cur de buf l illet paris")
    CommuneMot.objects.all().delete()
    CommuneMot.synchronise(Commune.objects.all())
    CertificationMot.synchronise()
    assert Commune.objects.get(code="54547").nom_recherche == "vanduvre les nancy"
    assert not Commune.objects.recherche("vandoeuvre")
    assert cles_et_index() != attendu

    ecrits = migration.reindexer(apps)

    assert cles_et_index() == attendu
    assert ecrits == {
        "Commune": 1,  # Vandœuvre; L'Haÿ and Nancy were already right
        "CodeNaf": 1,
        "ConventionCollective": 1,
        "Certification": 1,
        "OrganismeFormation": 1,
        "Etablissement": 1,
        "CommuneMot": 2,  # « vanduvre » deleted, « vandoeuvre » added
        "CertificationMot": 2,
    }
    assert Commune.objects.recherche("vandoeuvre") == [communes["vandoeuvre"].pk]
    assert migration.reindexer(apps) == dict.fromkeys(ecrits, 0)  # a second run writes nothing


@pytest.mark.django_db
def test_migration_keys_are_the_models_keys():
    """The migration rebuilds each key from its fields like the model does (historical models have no methods)."""
    organisme = OrganismeFormation(
        raison_sociale="Lycée", enseigne="Œnologie", code_postal="97233", commune="Schœlcher", reseaux="agri|cfa_ec"
    )
    assert migration.cle_organisme("Lycée", "Œnologie", "97233", "Schœlcher", "agri|cfa_ec") == (
        organisme.build_nom_recherche()
    )
    etablissement = EtablissementFactory.build(
        entreprise=EntrepriseFactory.build(raison_sociale="L’Œuf"), enseigne="Crème", commune="Nancy"
    )
    assert migration.cle_etablissement("L’Œuf", "Crème", "Nancy") == etablissement.search_key()
    certification = Certification(intitule="Gros œuvre", abrege_libelle="CAP")
    assert migration.cle_certification("Gros œuvre", "CAP") == certification.search_key()
    for actuelle, population in [(True, 1200), (False, None), (True, 12_000_000)]:
        nom = "saint " + "x" * 50 + " saint etienne"
        assert migration.mots_commune(nom, actuelle, population) == CommuneMot.mots(nom, actuelle, population)


def test_no_letter_of_the_committed_extracts_is_lost():
    """Every letter and digit of the shipped names and titles is in their key (NFKD + ASCII dropped « œ » from
    121 communes, 9 NAF and 3 IDCC titles)."""
    import csv
    import gzip
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "referentiels" / "data"
    with gzip.open(data / "communes.json.gz", "rt", encoding="utf-8") as fichier:
        textes = [commune["nom"] for commune in json.load(fichier)]
    for nom, colonne in [("naf_rev2.csv.gz", "libelle"), ("idcc.csv.gz", "libelle")]:
        with gzip.open(data / nom, "rt", encoding="utf-8") as fichier:
            textes += [ligne[colonne] or "" for ligne in csv.DictReader(fichier)]
    assert len(textes) > 37_000
    perdus = [texte for texte in textes if len(normalize(texte).replace(" ", "")) < sum(c.isalnum() for c in texte)]
    assert perdus == []
    assert sum("oe" in normalize(texte) and "œ" in texte.lower() for texte in textes) >= 121 + 9 + 3
