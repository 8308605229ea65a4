"""Notification e-mail against a real SMTP server (aiosmtpd on 127.0.0.1, started by the tests).

Celery runs eagerly here (no REDIS_URL): the same task code and retry policy as on a worker.
"""

import re
from datetime import timedelta
from urllib.parse import urlparse

import time_machine
from django.urls import reverse
from django.utils import timezone

from evidence import services as evidence_services
from notifications import services
from notifications.models import Delivery, EmailState, Kind, Notification, Preference
from tests.conftest import client_for

from .conftest import text_and_html
from .helpers import give_emails, submitted_evidence


def request_revision(client, cast, evidence, captured, note="Tanggal SK belum terlihat."):
    client_for(client, cast.tpi)
    with captured(execute=True):
        response = client.post(reverse("evidence:revision", args=[evidence.code]), {"note": note})
    assert response.status_code == 302


def test_a_revision_request_reaches_the_uploaders_mailbox_with_a_working_link(
        client, cast, smtp, django_capture_on_commit_callbacks):
    give_emails(cast)
    evidence = submitted_evidence(cast, title="SK Tim Kerja")
    request_revision(client, cast, evidence, django_capture_on_commit_callbacks)

    [message] = smtp.to("timkerja@zi.example.go.id")
    assert message["Subject"] == "[ZI Portal] Bukti perlu perbaikan: SK Tim Kerja"
    text, html = text_and_html(message)
    assert "Catatan TPI: Tanggal SK belum terlihat." in text
    link = re.search(r"http://testserver(/\S+)", text).group(1)
    assert link == reverse("evidence:detail", args=[evidence.code])
    assert f'href="http://testserver{link}"' in html
    # The TPI who asked gets nothing; nobody outside the area's team does either.
    assert smtp.to("tpi@zi.example.go.id") == []
    assert smtp.to("outsider@zi.example.go.id") == []

    client.logout()
    client_for(client, cast.timkerja)
    page = client.get(urlparse(link).path)
    assert page.status_code == 200
    assert "SK Tim Kerja" in page.content.decode()
    assert "Tanggal SK belum terlihat." in page.content.decode()
    notification = Notification.objects.get(recipient=cast.timkerja, kind=Kind.EVIDENCE_REVISION)
    assert notification.email_state == EmailState.SENT


def test_in_app_only_sends_no_mail_but_keeps_the_notification(client, cast, smtp,
                                                              django_capture_on_commit_callbacks):
    give_emails(cast)
    Preference.objects.create(user=cast.timkerja, kind=Kind.EVIDENCE_REVISION, delivery=Delivery.IN_APP)
    evidence = submitted_evidence(cast)
    request_revision(client, cast, evidence, django_capture_on_commit_callbacks)
    assert smtp.to("timkerja@zi.example.go.id") == []
    notification = Notification.objects.get(recipient=cast.timkerja, kind=Kind.EVIDENCE_REVISION)
    assert notification.email_state == EmailState.NONE and notification.read_at is None


def test_a_preference_for_one_kind_leaves_the_others_immediate(client, cast, smtp,
                                                               django_capture_on_commit_callbacks):
    give_emails(cast)
    Preference.objects.create(user=cast.timkerja, kind=Kind.EVIDENCE_ACCEPTED, delivery=Delivery.IN_APP)
    first = submitted_evidence(cast, title="Bukti satu")
    request_revision(client, cast, first, django_capture_on_commit_callbacks)
    assert len(smtp.to("timkerja@zi.example.go.id")) == 1


def test_the_digest_groups_a_days_events_into_one_mail(client, cast, smtp, django_capture_on_commit_callbacks):
    give_emails(cast)
    client_for(client, cast.timkerja)
    response = client.post(reverse("notifications:preferences"), {
        kind: (Delivery.DIGEST if kind in (Kind.EVIDENCE_REVISION, Kind.EVIDENCE_ACCEPTED) else Delivery.IMMEDIATE)
        for kind in Kind.values})
    assert response.status_code == 302
    day = timezone.localdate()
    with time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9, 0)), tick=False):
        first = submitted_evidence(cast, title="Bukti pertama")
        second = submitted_evidence(cast, title="Bukti kedua", path="A.I.1.ii.a")
        request_revision(client, cast, first, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            evidence_services.evidence_accept(evidence=second, user=cast.tpi, note="")
    assert smtp.to("timkerja@zi.example.go.id") == []  # nothing immediately

    assert services.notification_send_digests(day=day) == 1
    [digest] = smtp.to("timkerja@zi.example.go.id")
    assert digest["Subject"] == "[ZI Portal] Ringkasan harian: 2 pemberitahuan"
    text, html = text_and_html(digest)
    assert "Bukti perlu perbaikan: Bukti pertama" in text and "Bukti diterima: Bukti kedua" in text
    assert f"http://testserver{reverse('evidence:detail', args=[first.code])}" in text
    assert "Bukti diterima: Bukti kedua" in html
    # Sent once: a second run finds nothing waiting.
    assert services.notification_send_digests(day=day) == 0
    assert len(smtp.to("timkerja@zi.example.go.id")) == 1


def test_the_digest_waits_for_the_end_of_the_day(cast, smtp):
    give_emails(cast)
    Preference.objects.create(user=cast.koordinator, kind=Kind.STAGE_CHANGED, delivery=Delivery.DIGEST)
    services.notify(recipients=[cast.koordinator], kind=Kind.STAGE_CHANGED, title="Tahap berubah", url="/")
    yesterday = timezone.localdate() - timedelta(days=1)
    assert services.notification_send_digests(day=yesterday) == 0
    assert services.notification_send_digests(day=timezone.localdate()) == 1


def test_smtp_down_the_task_retries_and_the_in_app_notification_stays(
        client, cast, smtp_down, django_capture_on_commit_callbacks):
    give_emails(cast)
    evidence = submitted_evidence(cast)
    request_revision(client, cast, evidence, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=cast.timkerja, kind=Kind.EVIDENCE_REVISION)
    # The first try and every retry failed against the closed port; then the e-mail was given up.
    assert notification.email_attempts == services.MAX_EMAIL_RETRIES + 1
    assert notification.email_state == EmailState.FAILED
    assert "ConnectionRefusedError" in notification.email_error
    client.logout()
    client_for(client, cast.timkerja)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Bukti perlu perbaikan" in inbox


def test_a_send_refused_once_by_the_server_succeeds_on_retry(cast, smtp, django_capture_on_commit_callbacks):
    give_emails(cast)
    smtp.refuse_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = services.notify(recipients=[cast.timkerja], kind=Kind.STAGE_CHANGED,
                                         title="Tahap berubah", url="/")
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT and notification.email_attempts == 2
    assert len(smtp.to("timkerja@zi.example.go.id")) == 1


def test_on_a_worker_a_failed_send_is_scheduled_again_with_a_delay(cast, smtp_down, monkeypatch):
    """The worker path (not eager): the task asks Celery to run it again in 60 s, 120 s, …"""
    import pytest
    from celery.canvas import Signature
    from celery.exceptions import Retry

    from notifications.tasks import send_notification_email

    give_emails(cast)
    [notification] = services.notify(recipients=[cast.timkerja], kind=Kind.STAGE_CHANGED, title="Tahap", url="/")
    scheduled = []
    monkeypatch.setattr(Signature, "apply_async", lambda self, *a, **kw: scheduled.append(self.options))
    for retries in (0, 1):
        send_notification_email.push_request(retries=retries, is_eager=False, called_directly=False,
                                             id=f"uji-{retries}")
        try:
            with pytest.raises(Retry):
                send_notification_email.run(notification.pk)
        finally:
            send_notification_email.pop_request()
    assert [options["countdown"] for options in scheduled] == [60, 120]
    notification.refresh_from_db()
    assert notification.email_state == EmailState.PENDING and notification.email_attempts == 2
