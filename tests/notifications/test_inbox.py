"""The inbox, the bell and the preferences page."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, Kind, Notification, Preference
from notifications.services import notify
from tests.conftest import client_for


def some(user, n=1, url="/"):
    return [notify(recipients=[user], kind=Kind.STAGE_CHANGED, title=f"Pemberitahuan {i}", url=url)[0]
            for i in range(n)]


def test_the_bell_shows_the_unread_count(client, cast):
    some(cast.timkerja, 3)
    client_for(client, cast.timkerja)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="bell-count">3<' in html
    client.post(reverse("notifications:read-all"))
    assert 'data-testid="bell-count"' not in client.get(reverse("home")).content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_the_object(client, cast):
    url = reverse("workspace:overview", args=[cast.assessment.code])
    [note] = some(cast.timkerja, url=url)
    client_for(client, cast.timkerja)
    response = client.get(reverse("notifications:open", args=[note.code]))
    assert response.status_code == 302 and response.url == url
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_notification_link_never_leaves_the_site(client, cast):
    [note] = some(cast.timkerja, url="//evil.example/x")
    client_for(client, cast.timkerja)
    response = client.get(reverse("notifications:open", args=[note.code]))
    assert response.url == reverse("notifications:inbox")


def test_someone_elses_notification_is_404(client, cast):
    [note] = some(cast.timkerja)
    client_for(client, cast.koordinator)
    assert client.get(reverse("notifications:open", args=[note.code])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.code])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_anonymous_users_are_sent_to_login(client, cast):
    for name in ("notifications:inbox", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/akun/masuk/" in response.url


def test_mark_one_read_and_filter_unread(client, cast):
    first, second = some(cast.timkerja, 2)
    client_for(client, cast.timkerja)
    client.post(reverse("notifications:read", args=[first.code]))
    unread = client.get(reverse("notifications:inbox"), {"belum": "1"}).content.decode()
    assert "Pemberitahuan 1" in unread and "Pemberitahuan 0" not in unread


def test_the_inbox_runs_the_same_queries_for_3_and_300_notifications(client, cast, django_assert_num_queries):
    some(cast.timkerja, 3)
    client_for(client, cast.timkerja)
    client.get(reverse("notifications:inbox"))
    # session, user, count, page, the bell's unread count
    with django_assert_num_queries(5):
        client.get(reverse("notifications:inbox"))
    Notification.objects.bulk_create([Notification(recipient=cast.timkerja, kind=Kind.COMMENT, title=f"n{i}")
                                      for i in range(300)])
    with django_assert_num_queries(5):
        assert "Halaman 1 dari 13" in client.get(reverse("notifications:inbox")).content.decode()


def test_preferences_are_saved_per_kind_and_bad_input_changes_nothing(client, cast):
    client_for(client, cast.timkerja)
    data = {kind: Delivery.IMMEDIATE for kind in Kind.values}
    data[Kind.COMMENT] = Delivery.DIGEST
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert Preference.objects.get(user=cast.timkerja, kind=Kind.COMMENT).delivery == Delivery.DIGEST
    data[Kind.COMMENT] = "setiap jam"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 400 and "Pilihan pengiriman tidak dikenal." in response.content.decode()
    assert Preference.objects.get(user=cast.timkerja, kind=Kind.COMMENT).delivery == Delivery.DIGEST


@pytest.mark.parametrize("delivery,state", [(Delivery.IMMEDIATE, "pending"), (Delivery.DIGEST, "digest"),
                                            (Delivery.IN_APP, "none")])
def test_notify_follows_the_preference(cast, delivery, state):
    cast.timkerja.email = "tk@zi.example.go.id"
    cast.timkerja.save()
    Preference.objects.create(user=cast.timkerja, kind=Kind.STAGE_CHANGED, delivery=delivery)
    [note] = some(cast.timkerja)
    assert note.email_state == state


def test_without_an_address_nothing_is_mailed(cast):
    [note] = some(cast.timkerja)
    assert note.email_state == "none"
