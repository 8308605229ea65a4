"""The audit trail as an XLSX report job: requested from the audit page with its filters, rendered
by the worker through the renderer registry, fetched through the private-file response. The file
holds exactly the rows the page listed; recorded text stays text; a koordinator never gets another
unit's rows; the views and the page keep a fixed number of queries."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit import selectors as audit_selectors
from audit import services as audit
from audit.models import AuditAction, AuditEvent
from reports import services
from reports.models import JobStatus, ReportJob, ReportKind
from reports.renderers import documents, get_document
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADER_ROW = 5  # title, filters, exported by, blank, headers
FORMULAS = ['=HYPERLINK("http://x","klik")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "=1+1"]


def seed(cast):
    """Events in both units, by several people, with several actions."""
    for number in range(4):
        audit.record(action=AuditAction.DOWNLOAD, actor=cast.timkerja, unit=cast.unit, object_type="evidence",
                     object_id=f"unduh-{number}", object_label=f"Bukti unduh {number}", ip_address="192.0.2.1")
    for number in range(3):
        audit.record(action=AuditAction.UPLOAD, actor=cast.koordinator, unit=cast.unit, object_type="evidence",
                     object_id=f"unggah-{number}", object_label=f"Bukti unggah {number}")
    for number in range(5):
        audit.record(action=AuditAction.DOWNLOAD, actor=cast.outsider, unit=cast.other_unit, object_type="evidence",
                     object_id=f"lain-{number}", object_label=f"Rahasia unit lain {number}")
    audit.record(action=AuditAction.LOGIN_FAILED, actor=cast.timkerja, actor_label="timkerja", ip_address="192.0.2.9")
    audit.record(action=AuditAction.LOGIN_FAILED, actor=cast.outsider, actor_label="outsider")


def export(cast, user, **filters):
    job, created = services.audit_export_request(user=user, filters=filters)
    assert created
    job = services.report_run(job.pk)
    assert job.status == JobStatus.DONE, job.error
    return job


def sheet_of(job):
    workbook = openpyxl.load_workbook(io.BytesIO(default_storage.open(job.file.name).read()))
    return workbook.worksheets[0]


def data_rows(job):
    """(object code, action label, person) of every data row below the header row."""
    sheet = sheet_of(job)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    return [(row[4] or "", row[2], row[1]) for row in rows]  # an empty cell reads as None


def page_codes(user, **filters):
    """What the audit page lists for these filters (all pages), newest first."""
    from audit.forms import AuditFilterForm

    form = AuditFilterForm(filters, units=audit_selectors.unit_choices(user))
    assert form.is_valid()
    events = audit_selectors.filter_events(audit_selectors.visible_events(user), form.cleaned_data)
    return [event.object_id for event in events]


# --- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("filters", [
    {},
    {"action": AuditAction.DOWNLOAD},
    {"person": "koordinator"},
    {"obj": "unduh 2"},
    {"obj": "unggah-1"},
])
def test_the_export_holds_exactly_the_rows_the_page_lists(cast, filters):
    seed(cast)
    expected = page_codes(cast.koordinator, **filters)
    job = export(cast, cast.koordinator, **filters)
    assert [code for code, _action, _person in data_rows(job)] == expected
    assert expected  # every case lists something


def test_the_admin_exports_every_unit_and_the_unit_filter_narrows_it(cast):
    seed(cast)
    expected = page_codes(cast.admin)
    everything = data_rows(export(cast, cast.admin))
    assert sum(1 for code, *_rest in everything if code.startswith("lain-")) == 5
    assert [code for code, *_rest in everything] == expected
    other = data_rows(export(cast, cast.admin, unit=str(cast.other_unit.pk)))
    assert sorted(code for code, *_rest in other) == [f"lain-{n}" for n in range(5)]


def test_rows_written_after_the_request_and_the_export_itself_are_not_in_the_file(cast):
    seed(cast)
    job, _created = services.audit_export_request(user=cast.koordinator, filters={})
    expected = page_codes(cast.koordinator)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.code)).count() == 1
    audit.record(action=AuditAction.UPLOAD, actor=cast.koordinator, unit=cast.unit, object_id="nanti",
                 object_label="Sesudah permintaan")
    job = services.report_run(job.pk)
    codes = [code for code, *_rest in data_rows(job)]
    assert codes == [code for code in expected if code != str(job.code)]
    assert "nanti" not in codes and str(job.code) not in codes


def test_columns_carry_time_person_action_object_unit_and_address(cast):
    seed(cast)
    sheet = sheet_of(export(cast, cast.koordinator, obj="unduh-3"))
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header == ["Waktu", "Pengguna", "Tindakan", "Jenis objek", "Kode objek", "Objek", "Rincian", "Unit",
                      "Alamat IP"]
    row = [cell for cell in sheet[HEADER_ROW + 1]]
    assert row[0].is_date
    assert [cell.value for cell in row[1:]] == ["timkerja", "Unduh bukti", "evidence", "unduh-3", "Bukti unduh 3",
                                                None, "Balai Uji", "192.0.2.1"]
    assert sheet.max_row == HEADER_ROW + 1
    assert "Objek: unduh-3" in sheet["A2"].value


def test_formula_like_text_is_written_as_text(cast):
    for text in FORMULAS:
        audit.record(action=AuditAction.EDIT, actor_label=text, unit=cast.unit, object_type="evidence",
                     object_id=text, object_label=text, detail=text)
    job = export(cast, cast.admin, action=AuditAction.EDIT)
    sheet = sheet_of(job)
    seen = set()
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in (row[1], row[4], row[5], row[6]):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
            seen.add(cell.value)
    assert seen == set(FORMULAS)
    # Nothing in the file is a formula, wherever it stands.
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)


def test_the_requester_is_told_when_the_file_is_ready_with_a_link_to_the_audit_page(cast):
    from notifications.models import Notification

    job = export(cast, cast.koordinator, action=AuditAction.UPLOAD)
    note = Notification.objects.get(recipient=cast.koordinator)
    assert note.url == f"/audit/#tugas-{job.code}"
    assert note.title == "Laporan siap diunduh: Jejak audit (Tindakan: Unggah berkas)"


# --- who may export what ------------------------------------------------------------------------


def test_a_koordinator_never_gets_another_units_rows(cast):
    seed(cast)
    codes = [code for code, *_rest in data_rows(export(cast, cast.koordinator))]
    assert codes and not any(code.startswith("lain-") for code in codes)
    names = [person for _code, _action, person in data_rows(export(cast, cast.koordinator,
                                                                    action=AuditAction.LOGIN_FAILED))]
    assert names == ["timkerja"]  # a member's failure, never the other unit's koordinator's


def test_a_koordinator_cannot_ask_for_another_units_rows(cast):
    seed(cast)
    with pytest.raises(ValidationError):
        services.audit_export_request(user=cast.koordinator, filters={"unit": str(cast.other_unit.pk)})
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("who", ["timkerja", "tpi", "pimpinan"])
def test_other_roles_cannot_export(cast, who):
    with pytest.raises(PermissionDenied):
        services.audit_export_request(user=getattr(cast, who), filters={})
    assert not ReportJob.objects.exists()


def test_a_koordinator_who_lost_the_role_before_the_render_gets_nothing(cast):
    from accounts.models import Membership, Role

    seed(cast)
    job, _created = services.audit_export_request(user=cast.koordinator, filters={})
    Membership.objects.filter(user=cast.koordinator).update(role=Role.TIM_KERJA)
    job = services.report_run(job.pk)
    assert job.status == JobStatus.FAILED and not job.file
    assert "jejak audit" in job.error


def test_a_unit_filter_no_longer_readable_at_render_time_fails_the_job(cast):
    from accounts.models import Membership, Role

    seed(cast)
    Membership.objects.create(user=cast.koordinator, unit=cast.other_unit, role=Role.KOORDINATOR)
    job, _created = services.audit_export_request(user=cast.koordinator, filters={"unit": str(cast.other_unit.pk)})
    Membership.objects.filter(user=cast.koordinator, unit=cast.other_unit).delete()
    job = services.report_run(job.pk)
    assert job.status == JobStatus.FAILED and not job.file


def test_the_audit_export_is_not_offered_on_an_assessments_laporan_page(client, cast):
    assert all(document.kind != ReportKind.AUDIT_TRAIL for document in documents())
    with pytest.raises(ValidationError):
        services.report_request(user=cast.koordinator, assessment=cast.assessment, kind=ReportKind.AUDIT_TRAIL,
                                fmt="xlsx", parameters={})
    page = client_for(client, cast.koordinator).get(reverse("reports:index", args=[cast.assessment.code]))
    assert "audit_trail" not in page.content.decode()
    assert get_document(ReportKind.AUDIT_TRAIL, "xlsx") is not None


# --- the views ----------------------------------------------------------------------------------


@pytest.fixture
def eager():
    from zi_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def test_the_button_queues_the_export_with_the_page_filters_and_the_page_shows_it(
        client, cast, eager, django_capture_on_commit_callbacks):
    seed(cast)
    client_for(client, cast.koordinator)
    page = client.get(reverse("audit:trail"), {"action": AuditAction.DOWNLOAD, "obj": "unduh"}).content.decode()
    assert "Ekspor XLSX" in page and 'action="/laporan/jejak-audit/ekspor/"' in page
    assert '<input type="hidden" name="action" value="download">' in page
    assert '<input type="hidden" name="obj" value="unduh">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:audit-export"), {"action": AuditAction.DOWNLOAD, "obj": "unduh"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/audit/?obj=unduh&action=download#tugas-{job.code}"
    assert job.status == JobStatus.DONE, job.error
    assert job.assessment is None and job.parameters["action"] == "download" and job.parameters["obj"] == "unduh"
    assert sorted(code for code, *_rest in data_rows(job)) == [f"unduh-{n}" for n in range(4)]
    page = client.get(response["Location"]).content.decode()
    assert f'id="tugas-{job.code}"' in page and reverse("reports:download", args=[job.code]) in page
    download = client.get(reverse("reports:download", args=[job.code]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"].startswith("attachment") and ".xlsx" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert body == default_storage.open(job.file.name).read()
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOAD, object_id=str(job.code)).count() == 1
    mine = client.get(reverse("reports:mine")).content.decode()
    assert f'id="tugas-{job.code}"' in mine


def test_an_invalid_filter_is_refused_with_a_message_and_queues_nothing(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(reverse("reports:audit-export"), {"start": "bukan-tanggal"}, follow=True)
    assert response.status_code == 200
    assert "Saringan jejak audit tidak sah" in response.content.decode()
    assert not ReportJob.objects.exists()
    response = client.post(reverse("reports:audit-export"), {"person": "a\x00b", "action": "upload"}, follow=True)
    assert response.status_code == 200 and not ReportJob.objects.exists()
    assert response.redirect_chain[-1][0] == "/audit/?action=upload"
    assert "Saringan jejak audit tidak sah" in response.content.decode()


@pytest.mark.parametrize("who, status", [
    ("admin", 302), ("koordinator", 302), ("outsider", 302), ("timkerja", 403), ("tpi", 403), ("pimpinan", 403)])
def test_who_may_request_the_export(client, cast, who, status):
    response = client_for(client, getattr(cast, who)).post(reverse("reports:audit-export"))
    assert response.status_code == status
    assert ReportJob.objects.filter(kind=ReportKind.AUDIT_TRAIL).count() == (1 if status == 302 else 0)


def test_anonymous_users_cannot_request_and_get_is_not_allowed(client, cast):
    response = client.post(reverse("reports:audit-export"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client_for(client, cast.admin).get(reverse("reports:audit-export")).status_code == 405
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("who, status", [
    ("koordinator", 200), ("admin", 200), ("outsider", 404), ("timkerja", 404), ("tpi", 404), ("pimpinan", 404),
    (None, 302)])
def test_who_may_fetch_a_koordinators_export(client, cast, who, status):
    seed(cast)
    job = export(cast, cast.koordinator)
    user = getattr(cast, who) if who else None
    for url in (reverse("reports:download", args=[job.code]), reverse("reports:job", args=[job.code])):
        assert client_for(client, user).get(url).status_code == status, url


def test_a_koordinators_export_is_refused_once_they_lose_the_role(client, cast):
    from accounts.models import Membership, Role

    job = export(cast, cast.koordinator)
    Membership.objects.filter(user=cast.koordinator).update(role=Role.TIM_KERJA)
    assert client_for(client, cast.koordinator).get(reverse("reports:download", args=[job.code])).status_code == 404


# --- queries ------------------------------------------------------------------------------------


def test_the_request_view_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    seed(cast)
    client_for(client, cast.koordinator)
    client.post(reverse("reports:audit-export"), {"action": AuditAction.UPLOAD})  # warm up (session)
    # session, user, the koordinator's units (access), the unit choices, the newest event id,
    # the active-job look-up, savepoint + insert of the job, the export's audit row + release,
    # the job's status re-read, the message storage
    with CaptureQueriesContext(connection) as first:
        client.post(reverse("reports:audit-export"), {"action": AuditAction.DOWNLOAD})
    seed(cast)
    with CaptureQueriesContext(connection) as second:
        client.post(reverse("reports:audit-export"), {"action": AuditAction.LOGIN_FAILED})
    assert len(first) == len(second)
    with django_assert_num_queries(len(first)):
        client.post(reverse("reports:audit-export"), {"action": AuditAction.EDIT})


def test_the_render_queries_stay_flat_with_the_number_of_rows(cast):
    seed(cast)
    few_job, _created = services.audit_export_request(user=cast.admin, filters={})
    with CaptureQueriesContext(connection) as few:
        services.report_run(few_job.pk)
    for _round in range(20):
        seed(cast)
    many_job, _created = services.audit_export_request(user=cast.admin, filters={})
    with CaptureQueriesContext(connection) as many:
        services.report_run(many_job.pk)
    few_rows = data_rows(ReportJob.objects.get(pk=few_job.pk))
    assert len(data_rows(ReportJob.objects.get(pk=many_job.pk))) > len(few_rows) + 200
    assert len(many) == len(few)


def test_the_audit_page_queries_stay_flat_with_exports_and_events(client, cast):
    seed(cast)
    client_for(client, cast.koordinator)
    client.get(reverse("audit:trail"))  # warm up
    export(cast, cast.koordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("audit:trail"))
    for number in range(8):
        export(cast, cast.koordinator, obj=f"unduh-{number}")
        seed(cast)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("audit:trail")).content.decode()
    assert len(one) == len(many)
    assert page.count('class="report-job"') == 5  # the latest five exports
