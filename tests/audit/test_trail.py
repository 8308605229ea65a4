"""The audit trail: every kind of action leaves a row; koordinator (own unit) and admin (all) read
it with filters; nobody changes or deletes a row, the Django admin included; queries stay flat."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from areas.services import assessment_set_stage
from audit import services as audit
from audit.models import AppendOnlyError, AuditAction, AuditEvent
from evidence import services as evidence_services
from reports import services as report_services
from scoring import services as scoring_services
from scoring.models import Side
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, make_evidence, post_files, upload_url

pytestmark = pytest.mark.django_db


def actions():
    return set(AuditEvent.objects.values_list("action", flat=True))


def test_sign_ins_failures_and_sign_outs_are_recorded(client, cast):
    cast.koordinator.set_password("Benar-sekali-123")
    cast.koordinator.save()
    client.post(reverse("accounts:login"), {"username": "koordinator", "password": "salah"}, REMOTE_ADDR="192.0.2.5")
    client.post(reverse("accounts:login"), {"username": "tidakada", "password": "x"})
    client.post(reverse("accounts:login"), {"username": "koordinator", "password": "Benar-sekali-123"})
    client.post(reverse("accounts:logout"))
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id")
    assert [(e.actor, e.actor_label) for e in failed] == [(cast.koordinator, "koordinator"), (None, "tidakada")]
    assert failed[0].ip_address == "192.0.2.5"
    assert {AuditAction.LOGIN, AuditAction.LOGOUT} <= actions()


def test_a_permission_denial_is_recorded(client, cast):
    client_for(client, cast.pimpinan)
    response = client.post(reverse("plans:carry-over", args=[cast.assessment.code]))
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.actor == cast.pimpinan and "carry" not in event.detail.lower()
    assert event.object_label.startswith("POST /rencana/")


def test_evidence_actions_answers_stages_exports_and_downloads_are_recorded(client, cast):
    client_for(client, cast.koordinator)
    post_files(client, upload_url(cast.assessment), [("sk.pdf", files.pdf())], xhr=True)
    item = cast.assessment.evidence.get()
    version = evidence_services.evidence_add_version(evidence=item, user=cast.koordinator, upload=_upload("v2.pdf"))
    client.get(reverse("evidence:download", args=[version.code]))
    evidence_services.evidence_submit(assessment=cast.assessment, questions=[item.question], user=cast.koordinator)
    item.refresh_from_db()
    evidence_services.evidence_request_revision(evidence=item, user=cast.tpi, note="Tanda tangan belum ada")
    other = make_evidence(cast.assessment, cast.koordinator)
    evidence_services.evidence_withdraw(evidence=other, user=cast.koordinator)
    question = cast.assessment.instrument.questions.get(path=MP_QUESTION)
    scoring_services.answer_set(assessment=cast.assessment, question=question, side=Side.UNIT, user=cast.koordinator,
                                value=question.options.first().key if question.options.exists() else "Ya",
                                note="", expected_version=0)
    assessment_set_stage(assessment=cast.assessment, to_stage="mandiri", user=cast.koordinator)
    job, _created = report_services.report_request(user=cast.koordinator, assessment=cast.assessment,
                                                   kind="rencana_aksi", fmt="xlsx", parameters={})
    expected = {AuditAction.UPLOAD, AuditAction.NEW_VERSION, AuditAction.DOWNLOAD, AuditAction.STATUS,
                AuditAction.WITHDRAW, AuditAction.ANSWER, AuditAction.STAGE, AuditAction.EXPORT}
    # Evaluator-link opens: tests/portal/test_evaluator.py (through the real signed URLs).
    assert expected <= actions()
    assert AuditEvent.objects.filter(unit=cast.unit, action=AuditAction.STATUS).count() == 2  # submit, revision
    stage = AuditEvent.objects.get(action=AuditAction.STAGE)
    assert stage.actor == cast.koordinator and "→" in stage.detail


def test_review_decisions_are_recorded(cast):
    """The TPI's decisions: accepting or returning evidence, agreeing with the unit's answer and
    returning a question to the unit."""
    from areas.models import Stage
    from tests.scoring.conftest import answer, question, set_stage

    accepted = make_evidence(cast.assessment, cast.koordinator)
    returned = make_evidence(cast.assessment, cast.koordinator, name="kedua.pdf")
    evidence_services.evidence_submit(assessment=cast.assessment, questions=[accepted.question], user=cast.koordinator)
    accepted.refresh_from_db()
    returned.refresh_from_db()
    evidence_services.evidence_accept(evidence=accepted, user=cast.tpi)
    evidence_services.evidence_request_revision(evidence=returned, user=cast.tpi, note="Tanda tangan belum ada")
    decisions = AuditEvent.objects.filter(action=AuditAction.STATUS, actor=cast.tpi).order_by("id")
    assert [(e.object_id, e.unit_id) for e in decisions] == [(str(accepted.code), cast.unit.pk),
                                                               (str(returned.code), cast.unit.pk)]
    assert "Diterima" in decisions[0].detail and "Perlu perbaikan" in decisions[1].detail

    set_stage(cast.assessment, Stage.REVIU)
    unit = answer(cast.assessment, "A.II.1.i.a", [10, 7], user=cast.koordinator)
    scoring_services.answer_agree(assessment=cast.assessment, question=question(cast.assessment, "A.II.1.i.a"),
                                  user=cast.tpi, expected_version=0, unit_version=unit.version)
    agreed = AuditEvent.objects.get(action=AuditAction.ANSWER, actor=cast.tpi)
    assert agreed.data["side"] == Side.TPI and agreed.data["question"] == "A.II.1.i.a"
    scoring_services.question_return(assessment=cast.assessment, question=question(cast.assessment, "A.II.1.i.a"),
                                     user=cast.tpi, note="Lampirkan data dukung")
    back = AuditEvent.objects.get(action=AuditAction.RETURN)
    assert (back.actor, back.unit, back.detail, back.data["side"]) == (
        cast.tpi, cast.unit, "Lampirkan data dukung", Side.UNIT)


def test_report_downloads_are_recorded(client, cast):
    from reports.models import ReportJob

    job, _created = report_services.report_request(user=cast.koordinator, assessment=cast.assessment,
                                                   kind="rencana_aksi", fmt="xlsx", parameters={})
    report_services.report_run(job.pk)
    assert ReportJob.objects.get(pk=job.pk).is_downloadable()
    client_for(client, cast.koordinator).get(reverse("reports:download", args=[job.code]))
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOAD, object_id=str(job.code)).count() == 1


def _upload(name):
    from tests.evidence.conftest import FakeUpload

    return FakeUpload(name, files.pdf())


# --- the page ---------------------------------------------------------------------------------


def seed(cast, n, unit=None, actor=None, action=AuditAction.DOWNLOAD):
    for number in range(n):
        audit.record(action=action, actor=actor or cast.timkerja, unit=unit or cast.unit, object_type="evidence",
                     object_id=f"kode-{number}", object_label=f"Bukti nomor {number}")


@pytest.mark.parametrize("who, status", [
    ("admin", 200), ("koordinator", 200), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403), ("outsider", 200)])
def test_who_may_open_the_page(client, cast, who, status):
    assert client_for(client, getattr(cast, who)).get(reverse("audit:trail")).status_code == status


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("audit:trail"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_a_koordinator_sees_their_unit_and_their_members_sign_ins_only(client, cast):
    seed(cast, 2)
    seed(cast, 3, unit=cast.other_unit, actor=cast.outsider)
    audit.record(action=AuditAction.LOGIN_FAILED, actor=cast.tpi, actor_label="tpi")
    audit.record(action=AuditAction.LOGIN_FAILED, actor=cast.outsider, actor_label="outsider")
    page = client_for(client, cast.koordinator).get(reverse("audit:trail")).content.decode()
    assert page.count("Bukti nomor") == 2 and "Gagal masuk" in page
    assert "outsider" not in page
    admin_page = client_for(client, cast.admin).get(reverse("audit:trail")).content.decode()
    assert admin_page.count("Bukti nomor") == 5 and "outsider" in admin_page


def test_filters_by_person_object_action_and_date(client, cast):
    seed(cast, 3)
    seed(cast, 2, actor=cast.koordinator, action=AuditAction.UPLOAD)
    # Rows cannot be back-dated through the ORM; an old one is inserted as such.
    AuditEvent.objects.create(action=AuditAction.DOWNLOAD, actor=cast.timkerja, actor_label="timkerja",
                              unit=cast.unit, object_label="Bukti lama", created_at=timezone.now() - timedelta(days=40))
    client_for(client, cast.koordinator)
    url = reverse("audit:trail")

    def rows(**query):
        page = client.get(url, query).content.decode()
        return page.count("<tr>") - 1  # minus the header row

    # 6 events above and the koordinator's own sign-in.
    assert rows() == 7
    assert rows(person="koordinator") == 3
    assert rows(obj="nomor 1") == 2
    assert rows(obj="kode-2") == 1
    assert rows(action=AuditAction.UPLOAD) == 2
    today = timezone.localdate()
    assert rows(start=str(today - timedelta(days=1))) == 6
    assert rows(end=str(today - timedelta(days=30))) == 1
    assert rows(start="bukan-tanggal") == 7  # an invalid filter is ignored, never an error


def test_pagination_keeps_the_filters(client, cast):
    seed(cast, 60)
    client_for(client, cast.admin)
    page = client.get(reverse("audit:trail"), {"action": AuditAction.DOWNLOAD}).content.decode()
    assert "action=download&amp;page=2" in page
    second = client.get(reverse("audit:trail"), {"action": AuditAction.DOWNLOAD, "page": 2}).content.decode()
    assert second.count("Bukti nomor") == 10


def test_the_page_queries_stay_flat(client, cast):
    from django.test.utils import CaptureQueriesContext

    seed(cast, 5)
    client_for(client, cast.koordinator)
    client.get(reverse("audit:trail"))  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:trail"))
    seed(cast, 200)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:trail"))
    assert len(many) == len(few)
    # session, user, the koordinator's units, the unit choices, count, the page of events (unit
    # joined), the navigation's membership look-up, the notification bell's unread count and the
    # export panel's latest jobs (reports/audit_export.py)
    assert len(few) <= 10


# --- append-only ------------------------------------------------------------------------------


def test_no_code_path_changes_or_deletes_a_row(cast):
    event = audit.record(action=AuditAction.LOGIN, actor=cast.admin)
    event.detail = "diubah"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="diubah")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.parametrize("who", ["admin", "koordinator", "timkerja", "tpi", "pimpinan"])
def test_no_role_can_change_or_delete_a_row_in_the_django_admin(client, cast, who):
    event = audit.record(action=AuditAction.LOGIN, actor=cast.timkerja, unit=cast.unit)
    client_for(client, getattr(cast, who))
    change = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"detail": "x"})
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    bulk = client.post(reverse("admin:audit_auditevent_changelist"),
                       {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert change.status_code in (302, 403) and delete.status_code in (302, 403)
    assert bulk.status_code in (200, 302, 403)
    event.refresh_from_db()
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_the_audit_page_offers_no_way_to_change_anything(client, cast):
    event = audit.record(action=AuditAction.LOGIN, actor=cast.timkerja, unit=cast.unit)
    client_for(client, cast.admin)
    assert client.post(reverse("audit:trail"), {"id": event.pk}).status_code == 405
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.services
def test_postgresql_refuses_changes_even_in_raw_sql(cast):
    from django.db import DatabaseError, transaction

    assert connection.vendor == "postgresql", "the service tests run on PostgreSQL"
    event = audit.record(action=AuditAction.LOGIN, actor=cast.admin)
    for sql in ("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()
