"""The attachments (``Rattachement``: an account → a company, so its dossiers and NIRs) in the back office: read
by every gestionnaire, edited only by the *Administrateurs des rattachements AKTO*, every change kept with who and
when (django-simple-history); the establishments' cache of ``dossiers/acces.py`` still follows them."""

import datetime as dt

import pytest
from django.utils import timezone

from dossiers.acces import GROUPE_RATTACHEMENTS, etablissements_de, groupe_rattachements
from portal.models import Role
from referentiels.models import Rattachement
from tests.conftest import client_for
from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory, attach

pytestmark = pytest.mark.django_db

LISTE = "/admin/referentiels/rattachement/"


@pytest.fixture
def administrateur(db):
    """A staff member explicitly granted the attachments (the group, no superuser)."""
    user = UserFactory(role=Role.GESTIONNAIRE, is_staff=True, first_name="Paul", last_name="Girard")
    user.groups.add(groupe_rattachements())
    return user


@pytest.fixture
def cible(db):
    """An adhérent's account and a company it is not attached to."""
    return UserFactory(), EntrepriseFactory()


def formulaire(user, entreprise) -> dict:
    return {"user": user.pk, "entreprise": entreprise.pk, "etablissement": "", "organisme": ""}


def test_a_gestionnaire_reads_the_attachments_but_never_edits_them(gestionnaire, adherent, cible):
    compte, entreprise = cible
    rattachement = adherent.rattachements.get()
    client = client_for(gestionnaire)

    assert client.get(LISTE).status_code == 200
    assert client.get(f"{LISTE}{rattachement.pk}/change/").status_code == 200  # the read-only view
    assert client.get(f"{LISTE}{rattachement.pk}/history/").status_code == 200
    assert client.get(f"{LISTE}add/").status_code == 403
    assert client.post(f"{LISTE}add/", formulaire(compte, entreprise)).status_code == 403
    assert client.post(f"{LISTE}{rattachement.pk}/change/", formulaire(compte, entreprise)).status_code == 403
    assert client.post(f"{LISTE}{rattachement.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not Rattachement.objects.filter(user=compte).exists()
    assert Rattachement.objects.get(pk=rattachement.pk).user == adherent
    assert not gestionnaire.has_perm("referentiels.add_rattachement")
    assert not gestionnaire.has_perm("referentiels.change_rattachement")
    assert not gestionnaire.has_perm("referentiels.delete_rattachement")


def test_the_administrators_group_edits_and_each_change_names_who_and_when(administrateur, cible):
    compte, entreprise = cible
    client = client_for(administrateur)
    avant = timezone.now()

    reponse = client.post(f"{LISTE}add/", formulaire(compte, entreprise))

    assert reponse.status_code == 302
    rattachement = Rattachement.objects.get(user=compte)
    [ajout] = rattachement.history.all()
    assert (ajout.history_type, ajout.history_user, ajout.entreprise_id) == ("+", administrateur, entreprise.pk)
    assert avant <= ajout.history_date <= timezone.now()

    autre = EntrepriseFactory()
    assert client.post(f"{LISTE}{rattachement.pk}/change/", formulaire(compte, autre)).status_code == 302
    assert client.post(f"{LISTE}{rattachement.pk}/delete/", {"post": "yes"}).status_code == 302
    lignes = Rattachement.history.filter(id=rattachement.pk).order_by("history_date", "history_id")
    assert [(h.history_type, h.entreprise_id, h.history_user) for h in lignes] == [
        ("+", entreprise.pk, administrateur),
        ("~", autre.pk, administrateur),
        ("-", autre.pk, administrateur),
    ]
    historique = client.get(f"{LISTE}{rattachement.pk}/history/")
    assert historique.status_code == 200


def test_the_history_page_shows_the_author(administrateur, gestionnaire, cible):
    compte, entreprise = cible
    client_for(administrateur).post(f"{LISTE}add/", formulaire(compte, entreprise))
    rattachement = Rattachement.objects.get(user=compte)

    page = client_for(gestionnaire).get(f"{LISTE}{rattachement.pk}/history/").content.decode()

    assert "Paul Girard" in page or administrateur.email in page or administrateur.username in page


def test_an_attachment_made_outside_the_admin_is_recorded_too(adherent):
    """A command or the shell (no request): the row is kept, its time too; no author to name."""
    entreprise = EntrepriseFactory()
    rattachement = attach(adherent, entreprise)
    [ligne] = rattachement.history.all()
    assert ligne.history_type == "+" and ligne.history_user is None
    assert timezone.now() - ligne.history_date < dt.timedelta(minutes=1)


def test_the_group_is_declared_once_and_kept_after_migrate(administrateur):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    group = Group.objects.get(name=GROUPE_RATTACHEMENTS)
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "add_rattachement",
        "change_rattachement",
        "delete_rattachement",
        "view_rattachement",
        "view_historicalrattachement",
    }


def test_an_attachment_made_in_the_admin_reaches_the_establishments_cache(administrateur, adherent):
    """``etablissements_de`` is cached until an attachment changes (``portal.tables.suivre``): the admin's add
    is seen at once."""
    etablissement = EtablissementFactory()
    avant = etablissements_de(UserFactory._meta.model.objects.get(pk=adherent.pk))
    assert etablissement.pk not in avant

    client_for(administrateur).post(
        f"{LISTE}add/", {"user": adherent.pk, "entreprise": "", "etablissement": etablissement.pk, "organisme": ""}
    )

    assert etablissement.pk in etablissements_de(UserFactory._meta.model.objects.get(pk=adherent.pk))


def test_a_gestionnaire_cannot_revert_through_the_history(gestionnaire, adherent, cible):
    """simple-history's « revert » form (``<pk>/history/<version>/``) saves on POST: change permission needed."""
    compte, entreprise = cible
    rattachement = adherent.rattachements.get()
    [version] = rattachement.history.all()
    url = f"{LISTE}{rattachement.pk}/history/{version.history_id}/"
    client = client_for(gestionnaire)

    assert client.get(url).status_code == 200
    assert client.post(url, formulaire(compte, entreprise)).status_code == 403
    assert Rattachement.objects.get(pk=rattachement.pk).user == adherent
