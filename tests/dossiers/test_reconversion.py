"""The période de reconversion on the shared engine: its tabs, its rules only, its wizard, its documents."""

import datetime as dt

import pytest
from django.utils import timezone

from documents import services as pieces
from dossiers import rules
from dossiers.models import AccordReconversion, Dossier, SousDispositif
from dossiers.saisie import onglets
from tests.conftest import client_for
from tests.dossiers.test_wizard import by_label, choices, walk
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def reconversion(code="REC_EXT", **accord):
    dossier = DossierFactory(sous_dispositif=SousDispositif.objects.get(code=code), type_contrat="")
    AccordReconversion.objects.create(dossier=dossier, **accord)
    return Dossier.objects.select_related("dispositif", "sous_dispositif", "accord").get(pk=dossier.pk)


def codes(dossier) -> set[str]:
    return {a.code for a in rules.check(dossier)}


def test_a_reconversion_has_its_tabs_and_not_contrat():
    slugs = [o.slug for o in onglets.du_dossier(reconversion())]
    assert slugs == ["introduction", "employeur", "salarie", "accord", "formation", "synthese", "documents"]
    contrat_pro = ["introduction", "employeur", "salarie", "contrat", "formation", "financement", "synthese"]
    assert [o.slug for o in onglets.du_dossier(DossierFactory())] == [*contrat_pro, "documents"]


def test_its_contrat_tab_is_a_404_and_a_contrat_pro_has_no_accord_tab(adherent):
    client = client_for(adherent)
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(
        etablissement=etablissement, created_by=adherent, sous_dispositif=SousDispositif.objects.get(code="REC_INT")
    )
    assert client.get(f"/dossiers/{dossier.pk}/contrat/").status_code == 404
    assert client.get(f"/dossiers/{dossier.pk}/accord/").status_code == 200
    cpro = DossierFactory(etablissement=etablissement, created_by=adherent)
    assert client.get(f"/dossiers/{cpro.pk}/accord/").status_code == 404


def test_only_its_rules_run():
    dossier = reconversion()
    regles = {r.code for r in rules.regles_du_dossier(dossier)}
    contrat_pro = {r.code for r in rules.REGISTRY.rules if rules.RECONVERSION[0] not in r.dispositifs}
    assert not codes(dossier) & contrat_pro
    assert "ACCORD_DATE_DEBUT_OBLIGATOIRE" in codes(dossier)
    assert not any(code.startswith("CONTRAT_") for code in regles)
    assert not any(r.onglet == "accord" for r in rules.regles_du_dossier(DossierFactory()))


def test_the_wizard_creates_one_without_the_contract_type(adherent):
    adherent.rattachements.get().etablissement.__class__.objects.update(idcc="3043")  # a branch it is open for
    visited, response = walk(
        client_for(adherent),
        [by_label("Reconversion ou promotion par alternance"), by_label("Période de reconversion externe")],
    )
    assert visited == ["dispositif", "sous_dispositif"]
    dossier = Dossier.objects.get()
    assert dossier.sous_dispositif.code == "REC_EXT" and dossier.dispositif.code == "PROA"
    assert AccordReconversion.objects.filter(dossier=dossier).exists()
    assert response.redirect_chain[-1][0] == f"/dossiers/{dossier.pk}/introduction/"


def test_accord_tab_saves_its_agreement(adherent):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(
        etablissement=etablissement, created_by=adherent, sous_dispositif=SousDispositif.objects.get(code="REC_EXT")
    )
    AccordReconversion.objects.create(dossier=dossier)
    response = client_for(adherent).post(
        f"/dossiers/{dossier.pk}/accord/",
        {"version": dossier.version, "duree_formation_heures": "300", "accueil_nature_contrat": "cdd"},
    )
    assert response.status_code == 200
    accord = AccordReconversion.objects.get(dossier=dossier)
    assert (accord.duree_formation_heures, accord.accueil_nature_contrat) == (300, "cdd")


@pytest.mark.parametrize(
    ("heures", "collectif", "viole"),
    [
        (149, False, True),
        (150, False, False),
        (450, False, False),
        (451, False, True),
        (2100, True, False),
        (2101, True, True),
    ],
)
def test_rec_03_hours(heures, collectif, viole):
    dossier = reconversion(duree_formation_heures=heures, accord_collectif=collectif)
    assert ("ACCORD_DUREE_FORMATION_HEURES" in codes(dossier)) is viole


@pytest.mark.parametrize(
    ("fin", "collectif", "viole"),
    [
        (dt.date(2027, 3, 1), False, False),
        (dt.date(2027, 3, 2), False, True),
        (dt.date(2029, 3, 1), True, False),
        (dt.date(2029, 3, 2), True, True),
        (dt.date(2026, 2, 28), False, True),
    ],
)
def test_rec_03_months(fin, collectif, viole):
    dossier = reconversion(date_debut=dt.date(2026, 3, 1), date_fin=fin, accord_collectif=collectif)
    assert ("ACCORD_DUREE_MOIS" in codes(dossier)) is viole


@pytest.mark.parametrize(("nature", "mois", "viole"), [("cdd", 5, True), ("cdd", 6, False), ("cdi", None, False)])
def test_rec_02_host_company_contract(nature, mois, viole):
    dossier = reconversion(accueil_nature_contrat=nature, accueil_duree_mois=mois)
    assert ("ACCORD_CDD_ACCUEIL_6_MOIS" in codes(dossier)) is viole
    assert ("ACCORD_ACCUEIL_DUREE_MOIS_OBLIGATOIRE" in codes(dossier)) is (nature == "cdd" and mois is None)


@pytest.mark.parametrize(("jours", "viole"), [(31, True), (30, False), (0, False), (-1, True)])
def test_rec_05_sent_within_the_30_days_before_the_start(jours, viole):
    dossier = reconversion(date_debut=timezone.localdate() + dt.timedelta(days=jours))
    assert ("ACCORD_DEPOT_30_JOURS" in codes(dossier)) is viole


def test_host_company_is_asked_of_an_external_reconversion_only():
    assert "ACCORD_ACCUEIL_SIRET_OBLIGATOIRE" in codes(reconversion("REC_EXT"))
    assert "ACCORD_ACCUEIL_SIRET_OBLIGATOIRE" not in codes(reconversion("REC_INT"))


@pytest.mark.parametrize(("jour", "viole"), [(dt.date(2025, 12, 31), False), (dt.date(2026, 1, 1), True)])
def test_pro_a_only_for_an_avenant_concluded_before_2026(jour, viole):
    dossier = reconversion("PROA_AVT", date_avenant=jour)
    assert ("ACCORD_PROA_AVENANT_AVANT_2026" in codes(dossier)) is viole


def test_pro_a_needs_a_cdi_and_below_licence_level():
    dossier = reconversion("PROA_AVT", salarie_en_cdi=False)
    assert "ACCORD_PROA_CDI" in codes(dossier)
    assert "ACCORD_PROA_CDI" not in codes(reconversion("REC_INT", salarie_en_cdi=False))
    dossier.salarie.diplome_plus_eleve = "24"
    assert "ACCORD_PROA_NIVEAU_LICENCE" in codes(dossier)
    dossier.salarie.diplome_plus_eleve = "31"
    assert "ACCORD_PROA_NIVEAU_LICENCE" not in codes(dossier)


@pytest.mark.parametrize(
    ("code", "attendus"),
    [
        ("REC_EXT", {"ACCORD_RECONVERSION", "CONVENTION_FORMATION", "CONTRAT_ACCUEIL"}),
        ("REC_INT", {"ACCORD_RECONVERSION", "CONVENTION_FORMATION"}),
        ("PROA_AVT", {"AVENANT_PROA", "CONVENTION_FORMATION"}),
    ],
)
def test_documents_per_sous_dispositif(code, attendus):
    assert {t.code for t in pieces.types_obligatoires(reconversion(code))} == attendus


def test_its_summary_is_the_agreements_pdf_not_the_cerfa(adherent):
    client = client_for(adherent)
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(
        etablissement=etablissement, created_by=adherent, sous_dispositif=SousDispositif.objects.get(code="REC_EXT")
    )
    AccordReconversion.objects.create(dossier=dossier, duree_formation_heures=300)
    page = client.get(f"/dossiers/{dossier.pk}/accord/").content.decode()
    assert "Générer le récapitulatif" in page and "Générer le CERFA" not in page
    assert client.get(f"/dossiers/{dossier.pk}/cerfa.pdf").status_code == 404
    assert client.post(f"/dossiers/{dossier.pk}/cerfa/preparer/").status_code == 404
    response = client.get(f"/dossiers/{dossier.pk}/recapitulatif.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Récapitulatif de l'accord de période de reconversion" in texte
    assert "Période de reconversion externe" in texte and "300" in texte
    cpro = DossierFactory(etablissement=etablissement, created_by=adherent)
    assert client.get(f"/dossiers/{cpro.pk}/recapitulatif.pdf").status_code == 404
    assert "Générer le CERFA" in client.get(f"/dossiers/{cpro.pk}/introduction/").content.decode()


def test_funding_estimate_hours_times_the_dated_forfait_or_the_branchs():
    import io
    from decimal import Decimal

    from django.core.management import call_command

    from dossiers.calculs.reconversion import estimation
    from referentiels.models import ForfaitPriseEnCharge

    dossier = reconversion(duree_formation_heures=300, date_debut=dt.date(2026, 3, 1))
    inconnu = estimation(dossier.accord, dossier.employeur.idcc)  # parameters not loaded: said, no amount
    assert (inconnu.forfait, inconnu.prise_en_charge_texte) == (None, "—") and "conseiller AKTO" in inconnu.origine
    call_command("load_parametres", stdout=io.StringIO())
    defaut = estimation(dossier.accord, dossier.employeur.idcc)
    assert (defaut.forfait, defaut.prise_en_charge) == (Decimal("9.15"), Decimal("2745.00"))
    assert "D6332-89" in defaut.origine
    ForfaitPriseEnCharge.objects.create(
        idcc=dossier.employeur.idcc, public="reconv", date_effet=dt.date(2026, 1, 1), montant_horaire=12
    )
    branche = estimation(dossier.accord, dossier.employeur.idcc)
    assert (branche.forfait, branche.prise_en_charge) == (Decimal("12.00"), Decimal("3600.00"))
    assert f"IDCC {dossier.employeur.idcc}" in branche.origine
    assert estimation(dossier.accord, "9999").forfait == Decimal("9.15")
    # Before the branch's row took effect: the default.
    dossier.accord.date_debut = dt.date(2025, 12, 1)
    assert estimation(dossier.accord, dossier.employeur.idcc).forfait == Decimal("9.15")


def test_the_wizard_offers_it_only_to_the_branches_it_is_open_for(adherent):
    client = client_for(adherent)
    offerts = choices(client.get("/nouvelle-demande/", follow=True)).values()
    assert "Reconversion ou promotion par alternance" not in offerts  # IDCC 1979: not opened (data)
    adherent.rattachements.get().etablissement.__class__.objects.update(idcc="3043")
    offerts = choices(client.get("/nouvelle-demande/", follow=True)).values()
    assert "Reconversion ou promotion par alternance" in offerts


def test_its_rules_are_on_the_rules_page_with_their_requirements(adherent):
    client = client_for(adherent)
    page = client.get("/regles/?exigence=REC-03").content.decode()
    assert "ACCORD_DUREE_FORMATION_HEURES" in page and "ACCORD_DUREE_MOIS" in page
    assert "Reconversion ou promotion par alternance" in page and "L6324-4" in page
    assert "ACCORD_PROA_AVENANT_AVANT_2026" in client.get("/regles/?onglet=accord").content.decode()
    assert "REC-04" in client.get("/regles/?exigence=REC-04").content.decode()  # not applicable, with why


@pytest.mark.parametrize(
    ("fin", "heures", "codes_attendus"),
    [
        # 01/03/2026 → 28/02/2027: 12 months, 1 820 h: 15 % = 273 h, 25 % = 455 h.
        (dt.date(2027, 2, 28), 273, set()),
        (dt.date(2027, 2, 28), 272, {"ACCORD_PROA_FORMATION_150_HEURES_15_POURCENT"}),
        (dt.date(2027, 2, 28), 455, set()),
        (dt.date(2027, 2, 28), 456, {"ACCORD_PROA_FORMATION_25_POURCENT"}),
        (dt.date(2026, 8, 31), 150, set()),  # 6 months: 910 h, 15 % = 136,5 h; 150 h minimum
        (dt.date(2026, 8, 31), 149, {"ACCORD_PROA_FORMATION_150_HEURES_15_POURCENT"}),
        (dt.date(2026, 8, 30), 150, {"ACCORD_PROA_DUREE_MOIS"}),  # a day short of 6 months
        (dt.date(2029, 2, 28), 1000, set()),  # 36 months
        (dt.date(2029, 3, 1), 1000, {"ACCORD_PROA_DUREE_MOIS"}),
    ],
)
def test_pro_a_durations_as_the_contrat_pro(fin, heures, codes_attendus):
    import io

    from django.core.management import call_command

    call_command("load_parametres", stdout=io.StringIO())
    proa = {
        "ACCORD_PROA_DUREE_MOIS",
        "ACCORD_PROA_FORMATION_150_HEURES_15_POURCENT",
        "ACCORD_PROA_FORMATION_25_POURCENT",
    }
    accord = {"date_debut": dt.date(2026, 3, 1), "date_fin": fin, "duree_formation_heures": heures}
    assert codes(reconversion("PROA_AVT", **accord)) & proa == codes_attendus
    assert not codes(reconversion("REC_INT", **accord)) & proa  # the période de reconversion has its own (REC-03)
