"""The Contrat tab: saving, French formats (amounts, weekly hours, dates), the avenant's date d'effet."""

import datetime as dt
import html
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dossiers.enums import TypeContrat
from dossiers.models import Contrat, Dossier
from dossiers.saisie.champs import MSG_MONTANT
from dossiers.saisie.onglets.contrat.formulaire import MSG_DUREE_HEBDO, MSG_TYPE_CONTRAT, minutes_depuis_saisie
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


def make(adherent, **dossier):
    etablissement = adherent.rattachements.get().etablissement
    return DossierFactory(etablissement=etablissement, created_by=adherent, **dossier)


def complet(**overrides):
    data = {
        "nature": "cdd",
        "emploi": "Serveur en salle",
        "classification": "Employé",
        "niveau": "I",
        "coefficient": "120",
        "duree_essai_jours": "14",
        "date_debut": "02/02/2026",
        "date_fin": "01/02/2027",
        "duree_hebdo_minutes": "35h00",
        "salaire_brut": "1 500,00",
        "date_conclusion": "02/02/2026",
    }
    data.update(overrides)
    return data


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(f"/dossiers/{dossier.pk}/contrat/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true")


def text(response):
    return html.unescape(response.content.decode())


def messages(response, name):
    page = text(response)
    start = page.find(f'<div id="messages-{name}"')
    block = page[start:].split('id="field-', 1)[0] if start >= 0 else ""
    return re.findall(r'class="field-message field-message--(\w+)"[^>]*>([^<]*)<', block)


def test_complete_tab_is_saved_and_validated(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet())
    assert "Enregistrement effectué." in text(response)
    contrat = Contrat.objects.get(dossier=dossier)
    assert contrat.salaire_brut == Decimal("1500.00")
    assert contrat.duree_hebdo_minutes == 2100
    assert (contrat.date_debut, contrat.date_fin) == (dt.date(2026, 2, 2), dt.date(2027, 2, 1))
    assert contrat.duree_essai_jours == 14 and contrat.nature == "cdd"
    page = text(response)
    assert re.search(r'id="puce-contrat"[^>]*data-status="valid"', page, re.S)
    assert 'value="35h00"' in page and 'value="1\u202f500,00"' in page  # shown back the French way
    assert "Contrat de Professionnalisation" in page or "Sous Dispositif" in page
    assert "11 - Contrat Initial" in page


@pytest.mark.parametrize(
    "saisie,minutes",
    [("35h00", 2100), ("35", 2100), ("3500", 2100), ("35:30", 2130), ("35h", 2100), ("7h05", 425), ("35,5", 2130)],
)
def test_weekly_hours_formats(saisie, minutes):
    assert minutes_depuis_saisie(saisie) == minutes


@pytest.mark.parametrize("saisie", ["35h60", "abc", "35h000", "3-5"])
def test_weekly_hours_bad_format(saisie):
    with pytest.raises(ValidationError):
        minutes_depuis_saisie(saisie)


@pytest.mark.parametrize(
    "saisie,montant",
    [("1 234,56", "1234.56"), ("1234.5", "1234.50"), ("800", "800.00"), ("1\u202f234,56 €", "1234.56")],
)
def test_french_amounts(adherent, saisie, montant):
    dossier = make(adherent)
    save(client_for(adherent), dossier, complet(salaire_brut=saisie))
    assert Contrat.objects.get(dossier=dossier).salaire_brut == Decimal(montant)


def test_bad_formats_are_not_written_and_keep_their_message(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    response = save(client, dossier, complet(salaire_brut="12,345", duree_hebdo_minutes="35h75", date_fin="31/02/2027"))
    assert ("format", MSG_MONTANT) in messages(response, "salaire_brut")
    assert ("format", MSG_DUREE_HEBDO) in messages(response, "duree_hebdo_minutes")
    assert messages(response, "date_fin")[0][0] == "format"
    contrat = Contrat.objects.get(dossier=dossier)
    assert (contrat.salaire_brut, contrat.duree_hebdo_minutes) == (Decimal("1500.00"), 2100)  # kept
    assert 'value="12,345"' in text(response)


def test_date_d_effet_disabled_and_cleared_unless_avenant(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(date_effet_avenant="01/06/2026"))
    assert re.search(r'name="date_effet_avenant"[^>]*disabled', text(response))
    assert Contrat.objects.get(dossier=dossier).date_effet_avenant is None


def test_date_d_effet_mandatory_for_type_30(adherent):
    dossier = make(adherent, type_contrat=TypeContrat.AVENANT)
    client = client_for(adherent)
    response = save(client, dossier, complet())
    assert not re.search(r'name="date_effet_avenant"[^>]*disabled', text(response))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "date_effet_avenant")
    assert re.search(r'id="puce-contrat"[^>]*data-status="invalid"', text(response), re.S)
    response = save(client, dossier, complet(date_effet_avenant="01/06/2026"))
    assert Contrat.objects.get(dossier=dossier).date_effet_avenant == dt.date(2026, 6, 1)
    assert re.search(r'id="puce-contrat"[^>]*data-status="valid"', text(response), re.S)


def test_salary_is_labelled_hourly_for_travail_temporaire(adherent):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(nature="tt", salaire_brut="12,50"))
    assert "Salaire brut horaire à l'embauche (travail temporaire)" in text(response)
    assert "Salaire brut mensuel à l'embauche" not in text(response)


def test_minimum_salary_shown_beside_the_salary(adherent):
    dossier = make(adherent)
    dossier.salarie.date_naissance = dt.date(2005, 6, 15)
    dossier.salarie.diplome_plus_eleve = "41"
    dossier.salarie.save()
    response = save(client_for(adherent), dossier, complet())
    assert "Minimum légal pour ce salarié : 1\u202f184,97 € (65 % du SMIC) — passe à 80 % le 01/07/2026" in text(
        response
    )


def test_rules_speak_after_saving(adherent):
    dossier = make(adherent)
    dossier.salarie.date_naissance = dt.date(2006, 5, 12)
    dossier.salarie.diplome_plus_eleve = "41"
    dossier.salarie.save()
    response = save(client_for(adherent), dossier, complet(salaire_brut="900", duree_essai_jours="40"))
    assert messages(response, "salaire_brut")[0][0] == "regle"
    assert messages(response, "duree_essai_jours")[0][0] == "regle"
    assert re.search(r'id="puce-contrat"[^>]*data-status="invalid"', text(response), re.S)


def test_field_check_on_leaving_it(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    dossier.refresh_from_db()
    response = client.post(
        f"/dossiers/{dossier.pk}/contrat/verifier/",
        {"version": dossier.version, **complet(duree_hebdo_minutes="49h00"), "_field": "duree_hebdo_minutes"},
    )
    assert "48 heures" in text(response)


# --- The VAE experiment: C2 (avenant au contrat de travail initial), T7 (NAF de l'entreprise utilisatrice) -----

LIBELLE_C2 = (
    "Si le présent contrat de professionnalisation vaut avenant au contrat de travail initial cochez la case ci-contre"
)
LIBELLE_T7 = "Code activité de l'entreprise utilisatrice (NAF)"
DISABLED_NATURE = re.compile(r'<select name="nature"[^>]*disabled')


def vae(dossier, **employeur):
    """Type de qualification 8 on the Formation tab; the employer's flags (travail temporaire, GEIQ)."""
    dossier.formation.type_qualification = "8"
    dossier.formation.save()
    for name, value in employeur.items():
        setattr(dossier.employeur, name, value)
    dossier.employeur.save()
    return dossier


def test_vae_fields_have_the_cerfa_labels_and_the_nature_opens_while_c2_is_unticked(adherent):
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/contrat/", HTTP_HX_REQUEST="true"))
    assert LIBELLE_C2 in page and LIBELLE_T7 in page
    assert "Uniquement dans le cadre d'un contrat de professionnalisation associant des actions de validation" in page
    assert re.search(
        r'id="field-nature"[^>]*data-condition="avenant_vae" data-open-on="" data-open-without-answer', page
    )
    assert not DISABLED_NATURE.search(page)


def test_vae_avenant_and_user_company_naf_are_saved(adherent):
    dossier = vae(make(adherent), travail_temporaire=True)
    client = client_for(adherent)
    response = save(client, dossier, complet(avenant_vae="on", naf_entreprise_utilisatrice="78.20z", nature="cdd"))
    contrat = Contrat.objects.get(dossier=dossier)
    assert contrat.avenant_vae is True and contrat.naf_entreprise_utilisatrice == "7820Z"
    # the nature is closed and cleared (even if the browser still sent it), and not mandatory.
    assert contrat.nature == ""
    assert DISABLED_NATURE.search(text(response))
    assert messages(response, "nature") == []
    assert "* Nature de contrat ou d'avenant" not in text(response)
    assert re.search(r'id="puce-contrat"[^>]*data-status="valid"', text(response), re.S)
    # C2 unticked again: the nature opens and is mandatory.
    response = save(client, dossier, complet(naf_entreprise_utilisatrice="78.20Z", nature=""))
    assert Contrat.objects.get(dossier=dossier).avenant_vae is False
    assert not DISABLED_NATURE.search(text(response))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "nature")


def test_user_company_naf_bad_format_is_not_written_and_stays_on_screen(adherent):
    dossier = vae(make(adherent), travail_temporaire=True)
    response = save(client_for(adherent), dossier, complet(naf_entreprise_utilisatrice="7820"))
    assert ("format", "Le code NAF comporte 4 chiffres et une lettre (Ex : 56.10A).") in messages(
        response, "naf_entreprise_utilisatrice"
    )
    assert 'value="7820"' in text(response)
    contrat = Contrat.objects.get(dossier=dossier)
    assert contrat.naf_entreprise_utilisatrice == "" and contrat.emploi == "Serveur en salle"  # the rest is saved


@pytest.mark.parametrize(
    "employeur,mandatory", [({"travail_temporaire": True}, True), ({"geiq": True}, True), ({}, False)]
)
def test_user_company_naf_mandatory_for_ett_and_ge_in_the_vae_experiment(adherent, employeur, mandatory):
    dossier = vae(make(adherent), **employeur)
    response = save(client_for(adherent), dossier, complet(nature="cdd" if not employeur else "tt"))
    found = messages(response, "naf_entreprise_utilisatrice")
    assert (("obligatoire", "Saisie obligatoire") in found) is mandatory
    assert (f"* {LIBELLE_T7}" in text(response)) is mandatory


def test_vae_box_without_type_8_is_flagged(adherent):
    dossier = make(adherent)
    dossier.formation.type_qualification = "1"
    dossier.formation.save()
    response = save(client_for(adherent), dossier, complet(avenant_vae="on", naf_entreprise_utilisatrice="7820Z"))
    assert messages(response, "avenant_vae")[0][0] == "regle"
    assert "choisissez le type de qualification 8 (onglet Formation)" in messages(response, "avenant_vae")[0][1]
    assert messages(response, "naf_entreprise_utilisatrice")[0][0] == "regle"
    assert re.search(r'id="puce-contrat"[^>]*data-status="invalid"', text(response), re.S)


def test_vae_contract_concluded_after_the_experiment_is_flagged(adherent):
    dossier = vae(make(adherent))
    response = save(client_for(adherent), dossier, complet())  # concluded 02/02/2026: within the experiment
    assert messages(response, "date_conclusion") == []
    response = save(
        client_for(adherent),
        dossier,
        complet(date_debut="02/03/2026", date_fin="01/03/2027", date_conclusion="02/03/2026"),
    )
    assert (
        "regle",
        "L'expérimentation associant des actions de VAE (type de qualification 8) n'est ouverte qu'aux "
        "contrats conclus du 28/05/2023 au 28/02/2026 : vérifiez la date de conclusion, ou le type de "
        "qualification (onglet Formation).",
    ) in messages(response, "date_conclusion")


def test_field_check_refreshes_the_nature_when_c2_is_ticked(adherent):
    dossier = vae(make(adherent))
    client = client_for(adherent)
    save(client, dossier, complet())
    dossier.refresh_from_db()
    response = client.post(
        f"/dossiers/{dossier.pk}/contrat/verifier/",
        {"version": dossier.version, **complet(avenant_vae="on", nature=""), "_field": "avenant_vae"},
    )
    assert response.status_code == 200
    assert 'id="messages-nature"' in text(response)  # X-04 shares the nature: its messages are refreshed


# --- Type de contrat ou d'avenant: editable among the allowed codes -------------------------------------

DISABLED_DATE_EFFET = re.compile(r'name="date_effet_avenant"[^>]*disabled')


def type_contrat(dossier):
    return Dossier.objects.values_list("type_contrat", flat=True).get(pk=dossier.pk)


def test_type_contrat_is_a_select_of_the_allowed_codes(adherent):
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/contrat/", HTTP_HX_REQUEST="true"))
    select = re.search(r'<select name="type_contrat".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == TypeContrat.values  # no empty choice
    assert re.search(r'<option value="11"[^>]*selected', select)
    # The date d'effet opens on type 30, on the client too (static/portal/js/conditions.js).
    assert re.search(r'id="field-date_effet_avenant"[^>]*data-condition="type_contrat" data-open-on="30"', page)
    assert DISABLED_DATE_EFFET.search(page)


def test_type_30_makes_the_date_d_effet_mandatory_and_enabled_then_11_clears_it(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    response = save(client, dossier, complet(type_contrat="30"))
    assert type_contrat(dossier) == TypeContrat.AVENANT
    assert not DISABLED_DATE_EFFET.search(text(response))
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "date_effet_avenant")
    assert "* Si avenant, renseignez la date d'effet" in text(response)
    assert re.search(r'id="puce-contrat"[^>]*data-status="invalid"', text(response), re.S)

    response = save(client, dossier, complet(type_contrat="30", date_effet_avenant="01/06/2026"))
    assert Contrat.objects.get(dossier=dossier).date_effet_avenant == dt.date(2026, 6, 1)
    assert re.search(r'id="puce-contrat"[^>]*data-status="valid"', text(response), re.S)

    # Back to 11: the date d'effet is closed and cleared (even if the browser still sent it), the tab stays valid.
    response = save(client, dossier, complet(type_contrat="11", date_effet_avenant="01/06/2026"))
    assert type_contrat(dossier) == TypeContrat.INITIAL
    assert Contrat.objects.get(dossier=dossier).date_effet_avenant is None
    assert DISABLED_DATE_EFFET.search(text(response))
    assert messages(response, "date_effet_avenant") == []
    assert re.search(r'id="puce-contrat"[^>]*data-status="valid"', text(response), re.S)


def test_forged_type_code_is_refused_in_french(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    response = save(client, dossier, complet(type_contrat="99", date_effet_avenant="01/06/2026"))
    assert ("format", MSG_TYPE_CONTRAT) in messages(response, "type_contrat")
    assert type_contrat(dossier) == TypeContrat.INITIAL  # kept
    contrat = Contrat.objects.get(dossier=dossier)
    assert contrat.emploi == "Serveur en salle"  # the well-formed fields are written
    assert contrat.date_effet_avenant is None  # the stored type (11) keeps the date d'effet closed
    assert DISABLED_DATE_EFFET.search(text(response))


def test_blank_type_keeps_the_current_one(adherent):
    dossier = make(adherent, type_contrat=TypeContrat.AVENANT)
    client = client_for(adherent)
    response = save(client, dossier, complet(type_contrat="", date_effet_avenant="01/06/2026"))
    assert messages(response, "type_contrat") == []
    assert type_contrat(dossier) == TypeContrat.AVENANT
    assert Contrat.objects.get(dossier=dossier).date_effet_avenant == dt.date(2026, 6, 1)


def test_field_check_sees_the_unsaved_type(adherent):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    dossier.refresh_from_db()
    url = f"/dossiers/{dossier.pk}/contrat/verifier/"
    response = client.post(
        url, {"version": dossier.version, **complet(type_contrat="30"), "_field": "date_effet_avenant"}
    )
    assert "Saisie obligatoire" in text(response)
    # A renewal (type 21) is a CDD only (DUR-09): the nature's check reads the type being entered.
    response = client.post(
        url, {"version": dossier.version, **complet(type_contrat="21", nature="cdi"), "_field": "nature"}
    )
    assert "n'est possible qu'en CDD" in text(response)
    response = client.post(
        url, {"version": dossier.version, **complet(type_contrat="11", nature="cdi"), "_field": "nature"}
    )
    assert "n'est possible qu'en CDD" not in text(response)
    assert type_contrat(dossier) == TypeContrat.INITIAL  # a check writes nothing


def test_type_de_contrat_is_marked_mandatory(adherent):
    # Issue 20: the guide marks « Type de contrat ou d'avenant » with its *; it is always set (the wizard).
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/contrat/"))
    assert re.search(r'<label class="form-label" for="id_type_contrat">\* Type de contrat ou d\'avenant', page)
