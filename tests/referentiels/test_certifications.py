"""RNCP / RS certifications: import of the official export, replacement chains, lookup."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from referentiels.lookups import LIMIT
from referentiels.models import (
    Certification,
    CertificationMot,
    CertificationRemplacement,
    active_successors,
    replacement_chains,
)
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "rncp"
SAMPLE = FIXTURES / "export-fiches-csv-2024-02-22.zip"  # France compétences' sample, as published
CONTINUITY_FIX = FIXTURES / "continuity_fix-export-fiches-csv-2024-02-22.zip"  # one row less, names in NFD
CHAINES = FIXTURES / "export-fiches-csv-chaines.zip"  # cycle, split, 3 hops, broken link
STANDARD_CSV = FIXTURES / "export_fiches_CSV_Standard_echantillon-20.csv"  # plain Standard file
URL = "/referentiels/certifications/"


def import_rncp(path=None) -> str:
    out = io.StringIO()
    call_command("import_rncp", *([str(path)] if path else []), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def links() -> set[tuple[str, str]]:
    return set(CertificationRemplacement.objects.values_list("ancien_code", "nouveau_code"))


def get(code) -> Certification:
    return Certification.objects.get(code=code)


def chain_codes(code) -> list[str]:
    return [c.code for c in get(code).replacement_chain()]


def lookup(client, q) -> list[dict]:
    return client.get(URL, {"q": q, "format": "json"}).json()["results"]


# --- import -----------------------------------------------------------------------------------------


def test_import_reads_the_official_zip():
    import_rncp(SAMPLE)

    assert Certification.objects.count() == 9
    extincteurs = get("RNCP509")
    assert extincteurs.type == "RNCP"
    assert extincteurs.intitule == "Agent vérificateur d'appareils extincteurs"
    assert extincteurs.intitule_recherche == "agent verificateur d appareils extincteurs cap"
    assert (extincteurs.abrege_libelle, extincteurs.niveau) == ("CAP", 3)
    assert extincteurs.actif is False
    assert extincteurs.date_fin_enregistrement == datetime.date(2023, 8, 31)
    assert extincteurs.type_enregistrement == "Enregistrement de droit"
    assert extincteurs.accessible_contrat_pro is True  # "En contrat de professionnalisation" in VoixdAccès
    assert extincteurs.codes_nsf == "251"
    assert extincteurs.certificateurs == "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE"

    blockchain = get("RS5000")
    assert (blockchain.type, blockchain.niveau, blockchain.actif) == ("RS", None, True)
    assert blockchain.accessible_contrat_pro is False  # access routes listed, contrat pro not among them
    assert blockchain.codes_nsf == "326, 114b" and blockchain.nsf == ["326", "114"]
    assert get("RNCP1197").accessible_contrat_pro is None  # no access route listed at all
    assert get("RNCP19468").niveau is None  # "REPRISE": sans niveau
    assert (
        get("RS6117").certificateurs
        == "CONFEDE. NATIONALE BOULANGERS PATISSIERS ; INSTITUT NATIONAL BOULANGERIE PATISSERIE"
    )
    assert links() == {
        ("RNCP509", "RNCP38228"),
        ("RNCP1197", "RNCP4049"),
        ("RNCP4049", "RNCP22094"),
        ("RNCP22094", "RNCP28155"),
        ("RNCP28155", "RNCP30271"),
        ("RNCP19468", "RS6117"),
    }


def test_import_is_idempotent():
    import_rncp(SAMPLE)
    before = list(Certification.objects.order_by("code").values())
    before_links = list(CertificationRemplacement.objects.values())

    with CaptureQueriesContext(connection) as queries:
        output = import_rncp(SAMPLE)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "0 créées, 0 modifiées, 9 inchangées" in output
    assert list(Certification.objects.order_by("code").values()) == before
    assert list(CertificationRemplacement.objects.values()) == before_links


def test_import_updates_changed_fiches_and_replaces_the_links():
    import_rncp(CHAINES)
    Certification.objects.filter(code="RNCP942").update(actif=False, intitule="Ancien intitulé")

    output = import_rncp(CHAINES)

    assert "0 créées, 1 modifiées" in output
    assert (get("RNCP942").actif, get("RNCP942").intitule) == (True, "Boulanger")

    import_rncp(SAMPLE)
    assert Certification.objects.count() == 16 + 9  # fiches absent from a later file are kept
    assert ("RNCP940", "RNCP941") not in links()  # the links are the latest file's
    assert ("RNCP1197", "RNCP4049") in links()


def test_continuity_fix_rebuilds_the_missing_side_of_a_link():
    """continuity_fix lacks RNCP22094's own row: its successor comes from RNCP28155's "Ancienne" column."""
    import_rncp(CONTINUITY_FIX)

    assert ("RNCP22094", "RNCP28155") in links()
    assert chain_codes("RNCP1197") == ["RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271"]
    # Its file names are decomposed UTF-8 ("Acce\u0300s") without the zip's UTF-8 flag: still found.
    assert get("RNCP509").accessible_contrat_pro is True


def test_import_of_a_plain_standard_csv_keeps_the_other_files_fields():
    output = import_rncp(STANDARD_CSV)

    assert "20 lues, 20 créées" in output
    hotellerie = get("RNCP5916")
    assert (
        hotellerie.intitule
        == "Hôtellerie et tourisme Spécialité Tourisme d’affaires, festivalier et environnement urbain"
    )
    assert "tourisme d affaires" in hotellerie.intitule_recherche
    assert get("RNCP181").accessible_contrat_pro is None

    Certification.objects.filter(code="RNCP181").update(accessible_contrat_pro=True, codes_nsf="314")
    assert "0 modifiées, 20 inchangées" in import_rncp(STANDARD_CSV)
    assert (get("RNCP181").accessible_contrat_pro, get("RNCP181").codes_nsf) == (True, "314")
    assert links() == set()


def test_committed_extract_loads_offline():
    output = import_rncp()  # no path: referentiels/data/rncp-export-fiches-extrait.zip

    assert "309 lues, 309 créées" in output
    assert Certification.objects.filter(actif=True).count() == 67
    # The 300-row sample holds the CAP that replaces RNCP509: the link is no longer broken.
    assert get("RNCP509").active_successor == get("RNCP38228")


def test_import_rejects_a_zip_without_standard_file(tmp_path):
    import zipfile

    from django.core.management.base import CommandError

    path = tmp_path / "vide.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export_fiches_CSV_Nsf_2024_02_22.csv", '"Numero_Fiche";"Nsf_Code";"Nsf_Intitule"\r\n')
    with pytest.raises(CommandError, match="Standard"):
        import_rncp(path)

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "export_fiches_CSV_Standard_2024_02_22.csv", '"Id_Fiche";"Numero_Fiche";"Intitule";"Actif"\r\n'
        )
    with pytest.raises(CommandError, match="vide"):
        import_rncp(path)


# --- replacement chains -------------------------------------------------------------------------------


def test_replacement_chain_follows_several_hops():
    import_rncp(CHAINES)

    assert chain_codes("RNCP940") == ["RNCP941", "RNCP942", "RNCP943"]
    assert get("RNCP940").active_successor == get("RNCP942")  # the first active one, not the last
    assert get("RNCP943").replacement_chain() == []
    assert get("RNCP943").active_successor is None


def test_replacement_chain_over_the_sample_without_active_successor():
    import_rncp(SAMPLE)

    assert chain_codes("RNCP1197") == ["RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271"]
    assert get("RNCP1197").active_successor is None  # RNCP30271 is inactive too
    assert get("RNCP19468").active_successor == get("RS6117")  # an RNCP fiche replaced by an RS one


def test_replacement_chain_stops_on_a_cycle():
    import_rncp(CHAINES)

    details = get("RNCP901").replacement_details()

    assert [c.code for c in details.certifications] == ["RNCP902", "RNCP903"]
    assert details.cycle_code == "RNCP901"
    assert details.active_successor is None


def test_replacement_chain_stops_on_a_broken_link():
    """The sample's RNCP509 is replaced by RNCP38228, which the sample does not contain."""
    import_rncp(SAMPLE)

    details = get("RNCP509").replacement_details()

    assert details.certifications == []
    assert details.broken_code == "RNCP38228"
    assert get("RNCP509").active_successor is None
    assert ("RNCP509", "RNCP38228") in links()  # kept, to be resolved by a later import
    assert "dont 1 vers un code absent" in import_rncp(CONTINUITY_FIX)


def test_broken_link_after_some_hops():
    import_rncp(CHAINES)
    CertificationRemplacement.objects.create(ancien_code="RNCP943", nouveau_code="RNCP77777")

    details = get("RNCP941").replacement_details()

    assert [c.code for c in details.certifications] == ["RNCP942", "RNCP943"]
    assert details.broken_code == "RNCP77777"
    assert details.active_successor == get("RNCP942")


def test_split_prefers_the_branch_that_reaches_an_active_fiche():
    import_rncp(CHAINES)

    # RNCP910 → RNCP915 (inactive, dead end, higher number) and RNCP912 (inactive → RNCP913 active).
    assert chain_codes("RNCP910") == ["RNCP912", "RNCP913"]
    # RNCP930 → RNCP931 and RNCP932, both active: the most recent registration.
    assert chain_codes("RNCP930") == ["RNCP932"]


def test_active_successors_in_bulk_with_a_few_queries_per_hop(django_assert_max_num_queries):
    import_rncp(CHAINES)
    certifications = list(Certification.objects.all())

    with django_assert_max_num_queries(2 * 3 + 1):  # two per hop, the longest chain has 3 hops
        successors = active_successors(certifications)

    assert {code: s.code if s else None for code, s in successors.items()} == {
        "RNCP901": None,  # cycle of inactive fiches
        "RNCP902": None,
        "RNCP903": None,
        "RNCP910": "RNCP913",
        "RNCP912": "RNCP913",
        "RNCP913": None,  # active: no successor asked for
        "RNCP915": None,
        "RNCP930": "RNCP932",
        "RNCP931": None,
        "RNCP932": None,
        "RNCP940": "RNCP942",
        "RNCP941": "RNCP942",
        "RNCP942": None,
        "RNCP943": None,
        "RNCP950": None,  # broken link
        "RS960": None,
    }
    assert replacement_chains([]) == {}


# --- lookup --------------------------------------------------------------------------------------------


@pytest.fixture
def client():
    import_rncp(CHAINES)
    return client_for(UserFactory())


@pytest.mark.parametrize("q", ["RNCP942", "rncp 942", "942", "Rncp0942", "RNCP942BC01"])
def test_lookup_by_code(client, q):
    assert lookup(client, q)[0]["code"] == "RNCP942"


def test_lookup_by_rs_code_and_by_code_beginning(client):
    assert [r["code"] for r in lookup(client, "rs960")] == ["RS960"]
    # While typing: the codes that begin so, active ones first.
    assert [r["code"] for r in lookup(client, "RNCP94")] == ["RNCP942", "RNCP943", "RNCP940", "RNCP941"]


def test_lookup_by_title_words_accent_insensitive(client):
    rows = lookup(client, "Équipements MAINTENANCE")

    assert [r["code"] for r in rows] == ["RNCP913", "RNCP912"]  # active first
    assert rows[0]["niveau"] == 4 and rows[0]["actif"] is True and rows[0]["accessible_contrat_pro"] is True
    assert lookup(client, "maintenance boulanger") == []  # every word must match
    assert [r["code"] for r in lookup(client, "cap boulang")][:2] == ["RNCP942", "RNCP943"]  # abbreviation too


def test_lookup_flags_inactive_ones_with_their_active_successor(client):
    rows = {r["code"]: r for r in lookup(client, "boulanger")}

    assert rows["RNCP940"]["successeur"] == {"code": "RNCP942", "intitule": "Boulanger", "niveau": 3}
    assert rows["RNCP942"]["successeur"] is None
    assert lookup(client, "patissier")[0]["remplacement_inconnu"] == "RNCP99999"

    page = client.get(URL, {"q": "boulanger"}).content.decode()
    assert "Inactif</span> — remplacé par <strong>RNCP942</strong>" in page
    assert "fiche absente du référentiel" in client.get(URL, {"q": "patissier"}).content.decode()


def test_lookup_answers_at_most_limit_rows():
    import_rncp()  # the extract: 60 masters
    rows = lookup(client_for(UserFactory()), "master")

    assert len(rows) == LIMIT
    assert [r["actif"] for r in rows] == sorted((r["actif"] for r in rows), reverse=True)


def test_lookup_queries_do_not_grow_with_the_rows(client):
    def queries(q):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": q}).status_code == 200
        return len(captured.captured_queries)

    one = queries("patissier")  # one inactive fiche
    Certification.objects.bulk_create(
        Certification(
            code=f"RNCP{800 + k}", type="RNCP", intitule=f"Cuisinier {k}", intitule_recherche=f"cuisinier {k}"
        )
        for k in range(25)
    )
    CertificationRemplacement.objects.bulk_create(
        CertificationRemplacement(ancien_code=f"RNCP{800 + k}", nouveau_code="RNCP99999") for k in range(25)
    )
    CertificationMot.synchronise()  # bulk inserts bypass save(), which indexes the words
    assert queries("cuisinier") == one  # 20 inactive fiches, the same queries


def test_lookup_empty_query_and_login(client):
    assert lookup(client, "") == []
    assert "Saisissez un code RNCP" in client.get(URL).content.decode()

    response = Client().get(URL, {"q": "boulanger"})
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_admin_shows_the_replacement_chain():
    from django.contrib import admin

    from referentiels.admin_certifications import CertificationAdmin

    import_rncp(CHAINES)
    model_admin = CertificationAdmin(Certification, admin.site)

    assert model_admin.chaine_de_remplacement(get("RNCP940")) == "RNCP941 (inactive) → RNCP942 → RNCP943"
    assert model_admin.chaine_de_remplacement(get("RNCP950")) == "RNCP99999 (absente du référentiel)"
    assert (
        model_admin.chaine_de_remplacement(get("RNCP901"))
        == "RNCP902 (inactive) → RNCP903 (inactive) → RNCP901 (boucle)"
    )


def test_word_index_follows_saves_and_imports(client):
    certification = Certification.objects.create(
        code="RNCP555", type="RNCP", intitule="Chargé d’affaires en zythologie"
    )
    assert [r["code"] for r in lookup(client, "affaires zytho")] == ["RNCP555"]
    certification.intitule = "Xylographe numérique"
    certification.save()
    assert lookup(client, "zythologie") == []
    assert [r["code"] for r in lookup(client, "numer xylo")] == ["RNCP555"]
