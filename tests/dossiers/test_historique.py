"""The tabs' field-level history and the back office's « Modifications depuis la dernière transmission »: what the
adhérent changed between two transmissions, field by field, with the tab's labels and values, who and when; the
NIR only masked; nothing for a dossier transmitted once; nothing the adhérent can reach."""

from __future__ import annotations

import html
import importlib
import io
import re

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import PieceJointe, TypeDocument
from dossiers.enums import DossierState, ModalitePedagogique
from dossiers.models import Dossier, ModuleFormation, Salarie
from dossiers.saisie import onglets
from dossiers.workflow import DEMANDER_COMPLEMENTS
from referentiels.validators import nir_key
from tests.complet import NIR_13, PDF, dossier_complet
from tests.conftest import client_for
from tests.dossiers.test_formation import add_module

pytestmark = pytest.mark.django_db

TITRE = "Modifications depuis la dernière transmission"
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def types_document():
    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)


def texte(response) -> str:
    """The page's visible text on one line per block (tags removed, entities decoded, spaces collapsed)."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(body))


def donnees(slug: str, dossier: Dossier, **valeurs) -> dict:
    """What the tab's form posts when the user changes only ``valeurs`` (every other field as shown)."""
    onglet = onglets.get(slug)
    form = onglet.form_class(instance=onglet.instance(dossier))
    data = {"version": dossier.version}
    for bf in form:
        if bf.name == "version":
            continue
        value = bf.value()
        if isinstance(bf.field.widget, forms.CheckboxInput):
            if value:
                data[bf.name] = "on"
        elif value is not None:
            data[bf.name] = str(value)
    data.update(valeurs)
    return data


def enregistrer(client, dossier: Dossier, slug: str, **valeurs):
    dossier = Dossier.objects.get(pk=dossier.pk)
    response = client.post(f"/dossiers/{dossier.pk}/{slug}/", donnees(slug, dossier, **valeurs))
    assert "Enregistrement effectué." in html.unescape(response.content.decode()), response.content[:500]


def transmettre(client, dossier):
    assert client.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS


def demander_complements(client, dossier):
    client.post(
        f"/admin/dossiers/dossier/{dossier.pk}/decision/{DEMANDER_COMPLEMENTS}/",
        {"commentaire": "Le salaire ne respecte pas la grille de la branche."},
    )
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_COMPLETER


@pytest.fixture
def aller_retour(adherent, gestionnaire):
    """A complete dossier transmitted by the adhérent, sent back for compléments by the gestionnaire."""
    dossier = dossier_complet(adherent)
    cote_adherent, cote_akto = client_for(adherent), client_for(gestionnaire)
    transmettre(cote_adherent, dossier)
    demander_complements(cote_akto, dossier)
    return dossier, cote_adherent, cote_akto


def page(client, dossier) -> str:
    response = client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/")
    assert response.status_code == 200
    return texte(response)


def section(text: str) -> str:
    assert TITRE in text
    return text.split(TITRE, 1)[1].split("Commentaire de l'adhérent", 1)[0]


def test_the_salary_changed_after_complements_is_shown_old_to_new_by_the_adherent(aller_retour, adherent):
    dossier, cote_adherent, cote_akto = aller_retour
    enregistrer(cote_adherent, dossier, "contrat", salaire_brut="2 000,00")
    transmettre(cote_adherent, dossier)

    modifications = section(page(cote_akto, dossier))
    assert "Contrat" in modifications
    assert f"Salaire brut mensuel à l'embauche : 1{NNBSP}900,00 € → 2{NNBSP}000,00 €" in modifications
    assert f"par {adherent.get_full_name() or adherent.email}, le " in modifications
    # The save posted every field of the tab as shown: only the salary differs, nothing else is listed.
    assert modifications.count("→") == 1, modifications


def test_nothing_is_shown_for_a_dossier_transmitted_once(adherent, gestionnaire):
    dossier = dossier_complet(adherent)
    transmettre(client_for(adherent), dossier)
    cote_akto = client_for(gestionnaire)
    with CaptureQueriesContext(connection) as capture:
        text = page(cote_akto, dossier)
    assert TITRE not in text
    assert [q["sql"] for q in capture.captured_queries if "_historical" in q["sql"]] == []  # not even read


def test_choices_dates_and_yes_no_are_shown_as_the_tab_shows_them(aller_retour):
    dossier, cote_adherent, cote_akto = aller_retour
    enregistrer(cote_adherent, dossier, "contrat", date_fin="30/06/2030", duree_hebdo_minutes="35h30", nature="")
    enregistrer(cote_adherent, dossier, "salarie", rqth="True", equivalence_jeunes="False", extension_boe="False")

    modifications = section(page(cote_akto, dossier))
    fin = Dossier.objects.get(pk=dossier.pk).contrat
    assert "→ 30/06/2030" in modifications and fin.date_fin.isoformat() == "2030-06-30"
    assert "Durée hebdomadaire du travail : 35h00 → 35h30" in modifications
    assert "Nature de contrat ou d'avenant : " in modifications and "→ —" in modifications
    assert "Qualité de travailleur handicapé : Non → Oui" in modifications


def test_a_module_added_and_a_piece_replaced_are_listed(aller_retour, adherent):
    dossier, cote_adherent, cote_akto = aller_retour
    response = add_module(
        cote_adherent,
        dossier,
        "interne",
        **{
            "module-service_interne": "Service formation du siège",
            "module-attestation_interne": "on",
            "module-heures": "35",
            "module-modalite": ModalitePedagogique.PRESENTIEL,
        },
    )
    assert "Le module N°2 a été enregistré." in response.content.decode()
    ancienne = PieceJointe.objects.get(dossier=dossier, type__code="PROGRAMME")
    version = Dossier.objects.get(pk=dossier.pk).version
    supprime = cote_adherent.post(reverse("documents_supprimer", args=[dossier.pk, ancienne.pk]), {"version": version})
    assert supprime.status_code == 200
    version = Dossier.objects.get(pk=dossier.pk).version
    depose = cote_adherent.post(
        reverse("documents_deposer", args=[dossier.pk, "PROGRAMME"]),
        {"fichiers_PROGRAMME": [SimpleUploadedFile("programme-v2.pdf", PDF)], "version": version},
        HTTP_HX_REQUEST="true",
    )
    assert depose.status_code == 200 and PieceJointe.objects.filter(nom_original="programme-v2.pdf").exists()

    modifications = section(page(cote_akto, dossier))
    assert "Module 2 (ajouté) — Service de formation interne : — → Service formation du siège" in modifications
    assert "Module 2 (ajouté) — Durée de formation : — → 35 h" in modifications
    programme = TypeDocument.objects.get(code="PROGRAMME").libelle
    nom = adherent.get_full_name() or adherent.email
    assert f"{programme} : programme.pdf → programme-v2.pdf par {nom}, le " in modifications  # the views' user
    assert f"Durée de formation : — → 35 h par {nom}, le " in modifications


def test_a_module_deleted_is_listed(aller_retour, adherent):
    dossier, _, cote_akto = aller_retour
    module = ModuleFormation.objects.get(formation__dossier=dossier)
    module._history_user = adherent
    module.delete()
    modifications = section(page(cote_akto, dossier))
    assert "Module 1 (supprimé) : Formation Externe — ECOLE DES METIERS DE LA SALLE" in modifications
    assert re.search(r"Module 1 \(supprimé\) : [^→]+ → — par ", modifications)


def test_the_nir_is_shown_masked_and_never_stored_in_clear_in_the_history(aller_retour):
    dossier, cote_adherent, cote_akto = aller_retour
    ancien = f"{NIR_13}{nir_key(NIR_13):02d}"
    premiers = "2990775120005"
    nouveau = f"{premiers}{nir_key(premiers):02d}"
    enregistrer(cote_adherent, dossier, "salarie", nir=nouveau)
    transmettre(cote_adherent, dossier)

    modifications = section(page(cote_akto, dossier))
    assert "Numéro de sécurité sociale (NIR) : 1 04 05 •• ••• ••• •• → 2 99 07 •• ••• ••• ••" in modifications
    assert ancien[5:] not in modifications and nouveau[5:] not in modifications
    # Nothing in any history table gives the NIR back: no column holds it, its ciphertext or its fingerprint.
    historiques = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    with connection.cursor() as cursor:
        for model in historiques:
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')
            for row in cursor.fetchall():
                for value in row:
                    for nir in (ancien, nouveau):
                        assert nir[5:] not in str(value).replace(" ", ""), (model, value)
    colonnes = {f.name for f in Salarie.history.model._meta.fields}
    assert {"nir_chiffre", "nir_empreinte"}.isdisjoint(colonnes) and "nir_masque" in colonnes


def test_the_changes_are_since_the_last_transmission_while_the_adherent_completes(aller_retour, adherent):
    dossier, cote_adherent, cote_akto = aller_retour
    enregistrer(cote_adherent, dossier, "employeur", telephone="04 78 11 22 33")
    modifications = section(page(cote_akto, dossier))  # still A compléter: what the adhérent changed so far
    assert "Téléphone : 0478000000 → 04 78 11 22 33" in modifications


def test_a_technical_save_writes_no_history_row(adherent, gestionnaire):
    dossier = dossier_complet(adherent)
    historique = Dossier.history.filter(id=dossier.pk)
    avant = historique.count()
    dossier.instruit_par = gestionnaire
    dossier.save(update_fields=["instruit_par"])
    assert historique.count() == avant  # the assignment is not a tab's field
    dossier.notice_lue = False
    dossier.save(update_fields=["notice_lue"])
    assert historique.count() == avant + 1
    colonnes = {f.name for f in Dossier.history.model._meta.fields if not f.name.startswith("history_")}
    assert colonnes == {"id", "type_contrat", "type_public", "notice_lue"}


def test_the_adherent_never_reaches_the_back_office_page(aller_retour):
    dossier, cote_adherent, _ = aller_retour
    enregistrer(cote_adherent, dossier, "contrat", salaire_brut="2 000,00")
    transmettre(cote_adherent, dossier)
    response = cote_adherent.get(f"/admin/dossiers/dossier/{dossier.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert TITRE not in texte(cote_adherent.get(f"/dossiers/{dossier.pk}/contrat/"))


def test_the_history_is_read_only_for_a_retransmitted_dossier_once_per_part(aller_retour):
    dossier, cote_adherent, cote_akto = aller_retour
    with CaptureQueriesContext(connection) as une_fois:
        page(cote_akto, dossier)
    # A compléter: compared with the last transmission, one query per recorded part (eleven tables).
    lues = [q["sql"] for q in une_fois.captured_queries if "_historical" in q["sql"]]
    assert len(lues) == 11, "\n".join(q[:60] + " ... " + q[-150:] for q in lues)


def test_the_initial_history_gives_rows_without_one_a_first_row_with_the_masked_nir(adherent):
    from django.core.management import call_command

    from dossiers.historique import MODELES_HISTORISES, RAISON_INITIALE

    dossier = dossier_complet(adherent)
    for model in MODELES_HISTORISES:  # as in a database older than the history
        model.history.all().delete()
    call_command("historique_initial", stdout=io.StringIO())
    salarie = Salarie.history.get(dossier_id=dossier.pk)
    assert (salarie.history_change_reason, salarie.nir_masque) == (RAISON_INITIALE, "1 04 05 •• ••• ••• ••")
    assert ModuleFormation.history.filter(formation__dossier_id=dossier.pk).count() == 1
    assert PieceJointe.history.filter(dossier_id=dossier.pk).count() == 2
    avant = {model: model.history.count() for model in MODELES_HISTORISES}
    call_command("historique_initial", stdout=io.StringIO())
    assert {model: model.history.count() for model in MODELES_HISTORISES} == avant  # once only


def test_a_history_begun_after_the_transmission_says_it_cannot_compare(aller_retour):
    from django.core.management import call_command

    from dossiers.historique import MODELES_HISTORISES

    dossier, cote_adherent, cote_akto = aller_retour
    for model in MODELES_HISTORISES:  # the history deployed while the dossier was with the adhérent
        model.history.all().delete()
    call_command("historique_initial", stdout=io.StringIO())
    enregistrer(cote_adherent, dossier, "contrat", salaire_brut="2 000,00")
    modifications = section(page(cote_akto, dossier))
    assert "L'historique des champs a commencé après cette transmission" in modifications
    assert "→" not in modifications
