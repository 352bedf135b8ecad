"""In-app notifications: the bell (one query), the list (no N+1), opening one, marking all read, privacy."""

import html
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.events import Evenement
from notifications.models import Notification
from notifications.services import notifier
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db


def notifier_n(user, n, etablissement=None, evenement=Evenement.DOSSIER_TRANSMIS):
    rows = []
    for _ in range(n):
        dossier = DossierFactory(etablissement=etablissement) if etablissement else DossierFactory()
        with transaction.atomic():
            rows += notifier(evenement, dossier, [user])
    return rows


def text(response):
    return html.unescape(response.content.decode())


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_bell_shows_the_unread_count_with_an_accessible_label(adherent):
    notifier_n(adherent, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(lu_le="2026-01-01T00:00Z")
    page = text(client_for(adherent).get("/"))
    assert '<span class="visually-hidden" data-cloche-libelle>Notifications (2 non lues)</span>' in page
    assert re.search(r"data-notifications-non-lues>2</span>", page)
    assert 'href="/notifications/"' in page


def test_bell_singular_and_zero(adherent):
    client = client_for(adherent)
    page = text(client.get("/"))
    assert '<span class="visually-hidden" data-cloche-libelle>Notifications (0 non lue)</span>' in page
    assert "data-notifications-non-lues" not in page
    notifier_n(adherent, 1)
    assert '<span class="visually-hidden" data-cloche-libelle>Notifications (1 non lue)</span>' in text(client.get("/"))


def test_bell_costs_one_query_whatever_the_count(adherent):
    client = client_for(adherent)
    notifier_n(adherent, 1)
    one = queries(client, "/")
    notifier_n(adherent, 30)
    many = queries(client, "/")
    assert len(one) == len(many)
    assert sum("notifications_notification" in q for q in many) == 1
    assert "data-notifications-non-lues>31<" in text(client.get("/"))


def test_badge_caps_at_99(adherent):
    from notifications.context_processors import Cloche

    cloche = Cloche(adherent)
    cloche.non_lues = 120  # what the count query would answer
    assert (cloche.badge, cloche.libelle) == ("99+", "Notifications (120 non lues)")


def test_no_bell_and_no_query_for_an_anonymous_page():
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        page = text(client.get("/connexion/"))
    assert "Notifications (" not in page
    assert not any("notifications_notification" in q["sql"] for q in captured.captured_queries)


def test_list_newest_first_unread_emphasised_own_only(adherent, etablissement):
    old, new = notifier_n(adherent, 2, etablissement)
    notifier_n(UserFactory(), 1)  # someone else's
    Notification.objects.filter(pk=old.pk).update(lu_le="2026-01-01T00:00Z")
    page = text(client_for(adherent).get("/notifications/"))
    assert page.index(new.dossier.numero) < page.index(old.dossier.numero)
    assert f"Le dossier {new.dossier.numero} ({new.dossier.employeur.raison_sociale}) a été transmis à AKTO." in page
    assert page.count("notification-non-lue") == 1 and page.count(">Non lue<") == 1
    assert page.count('href="/notifications/') == 2 + 1  # two rows + the bell
    assert "Tout marquer comme lu" in page


def test_list_query_count_does_not_grow_and_pages(adherent):
    client = client_for(adherent)
    notifier_n(adherent, 3)
    few = queries(client, "/notifications/")
    notifier_n(adherent, 22)
    many = queries(client, "/notifications/")
    assert len(few) == len(many) <= 6
    page = text(client.get("/notifications/"))
    assert page.count('class="list-group-item') == 20 and "Page 1 sur 2" in page
    assert text(client.get("/notifications/?page=2")).count('class="list-group-item') == 5


def test_comment_shown_in_the_list(adherent):
    dossier = DossierFactory()
    with transaction.atomic():
        notifier(Evenement.A_COMPLETER, dossier, [adherent], commentaire="Merci de joindre le RIB")
    page = text(client_for(adherent).get("/notifications/"))
    assert "AKTO demande des compléments sur le dossier" in page and "Commentaire : Merci de joindre le RIB" in page


def test_opening_marks_read_and_goes_to_the_dossier(adherent):
    (notification,) = notifier_n(adherent, 1)
    client = client_for(adherent)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response.url == f"/dossiers/{notification.dossier_id}/"
    notification.refresh_from_db()
    first_read = notification.lu_le
    assert first_read is not None
    client.post(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.lu_le == first_read
    assert '<span class="visually-hidden" data-cloche-libelle>Notifications (0 non lue)</span>' in text(client.get("/"))


def test_another_users_notification_is_404_and_stays_unread(adherent):
    (notification,) = notifier_n(UserFactory(), 1)
    assert client_for(adherent).get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.lu_le is None


def test_mark_all_read_is_a_post_with_csrf_and_touches_only_mine(adherent):
    notifier_n(adherent, 3)
    (other,) = notifier_n(UserFactory(), 1)
    client = client_for(adherent)
    assert client.get("/notifications/tout-marquer-lu/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(adherent)
    assert strict.post("/notifications/tout-marquer-lu/").status_code == 403
    response = client.post("/notifications/tout-marquer-lu/", follow=True)
    assert "Toutes vos notifications ont été marquées comme lues." in text(response)
    assert not Notification.objects.filter(recipient=adherent, lu_le__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).lu_le is None
    assert "Tout marquer comme lu" not in text(client.get("/notifications/"))


def test_login_required():
    response = Client().get("/notifications/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_admin_lists_notifications_read_only(adherent):
    (notification,) = notifier_n(adherent, 1)
    admin = client_for(UserFactory(gestionnaire=True))
    assert admin.get("/admin/notifications/notification/").status_code == 200
    assert admin.get("/admin/notifications/notification/add/").status_code == 403
    page = admin.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
