"""The Laporan pages: who may request, poll and download; the history list and its queries."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import JobStatus, ReportJob
from tests.conftest import client_for
from tests.reports.conftest import job_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SEES_THE_UNIT = ["admin", "koordinator", "timkerja", "tpi", "pimpinan"]


def index_url(cast):
    return reverse("reports:index", args=[cast.assessment.code])


def request_url(cast):
    return reverse("reports:request", args=[cast.assessment.code])


def done_job(cast, user=None, fmt="pdf"):
    return services.report_run(job_for(cast, "rencana_aksi", fmt, user=user).pk)


# --- the Laporan page and requests -----------------------------------------------------------


@pytest.mark.parametrize("who", SEES_THE_UNIT)
def test_everyone_who_sees_the_unit_gets_the_page(client, cast, who):
    response = client_for(client, getattr(cast, who)).get(index_url(cast))
    assert response.status_code == 200
    content = response.content.decode()
    for title in ("Rencana aksi", "Monev per periode", "LKE: jawaban unit dan TPI", "Templat jawaban PortalRB",
                  "Paket bukti"):
        assert title in content
    assert 'value="xlsx"' in content and "Hanya bukti yang diterima TPI" in content


def test_outsiders_get_404_and_anonymous_users_the_login_page(client, cast):
    assert client.get(index_url(cast)).status_code == 302
    response = client.post(request_url(cast), {"kind": "rencana_aksi", "format": "pdf"})
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    client_for(client, cast.outsider)
    assert client.get(index_url(cast)).status_code == 404
    assert client.post(request_url(cast), {"kind": "rencana_aksi", "format": "pdf"}).status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("who", SEES_THE_UNIT)
def test_everyone_who_sees_the_unit_may_request(client, cast, who, eager, django_capture_on_commit_callbacks):
    client_for(client, getattr(cast, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(cast), {"kind": "rencana_aksi", "format": "xlsx"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#tugas-{job.code}")
    assert job.requested_by == getattr(cast, who) and job.status == JobStatus.DONE


def test_a_request_needs_post(client, cast):
    assert client_for(client, cast.koordinator).get(request_url(cast)).status_code == 405


def test_a_monev_request_carries_its_period(client, realistic):
    client_for(client, realistic.koordinator)
    page = client.get(index_url(realistic)).content.decode()
    november = realistic.plans.periods[10]
    assert f'<option value="{november.code}" selected>November 2026</option>' in page  # the latest begun
    period = realistic.plans.october
    client.post(request_url(realistic), {"kind": "monev", "format": "pdf", "period": str(period.code)})
    job = ReportJob.objects.get()
    assert job.parameters == {"period": str(period.code)} and job.detail == "Periode Oktober 2026"
    response = client.post(request_url(realistic), {"kind": "monev", "format": "pdf", "period": "x"}, follow=True)
    assert "Pilih periode monev dari penilaian ini." in response.content.decode()
    assert ReportJob.objects.count() == 1


def test_an_identical_request_is_attached(client, cast):
    client_for(client, cast.koordinator)
    client.post(request_url(cast), {"kind": "rencana_aksi", "format": "pdf"})
    response = client.post(request_url(cast), {"kind": "rencana_aksi", "format": "pdf"}, follow=True)
    assert ReportJob.objects.count() == 1
    assert "permintaan Anda digabungkan" in response.content.decode()


def test_a_request_while_the_queue_is_unreachable_says_so(client, cast, django_capture_on_commit_callbacks):
    from tests.reports.conftest import use_broker
    from tests.reports.workers import free_port
    from zi_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    use_broker(app, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        client_for(client, cast.koordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(request_url(cast), {"kind": "rencana_aksi", "format": "pdf"}, follow=True)
    finally:
        app.conf.task_always_eager = previous[0]
        use_broker(app, previous[1])
    page = response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == JobStatus.PENDING and job.enqueued_at is None
    assert "Antrean laporan sedang tidak dapat dihubungi" in page
    assert "Laporan sedang disiapkan" not in page
    # The job's row (what the page polls) keeps saying it.
    row = client.get(reverse("reports:job", args=[job.code])).content.decode()
    assert "Antrean laporan sedang tidak dapat dihubungi" in row


def test_a_job_that_reached_the_queue_shows_no_queue_warning(client, cast):
    job = job_for(cast, "rencana_aksi", "pdf")
    ReportJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    row = client_for(client, cast.koordinator).get(reverse("reports:job", args=[job.code])).content.decode()
    assert "tidak dapat dihubungi" not in row


def test_unknown_documents_are_refused_with_a_message(client, cast):
    client_for(client, cast.koordinator)
    response = client.post(request_url(cast), {"kind": "dashboard", "format": "xlsx"}, follow=True)
    assert "Jenis laporan tidak dikenal." in response.content.decode() and not ReportJob.objects.exists()


# --- polling ---------------------------------------------------------------------------------


def test_a_waiting_job_row_keeps_polling_and_a_done_one_offers_the_download(client, cast):
    job = job_for(cast, "rencana_aksi", "pdf")
    client_for(client, cast.koordinator)
    url = reverse("reports:job", args=[job.code])
    row = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in row and f'hx-get="{url}"' in row and "Menunggu" in row
    services.report_claim(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(progress=40)
    row = client.get(url).content.decode()
    assert "Diproses" in row and "40%" in row and "w-40" in row and "every 2s" in row
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)
    services.report_run(job.pk)
    row = client.get(url).content.decode()
    assert "hx-trigger" not in row and "Selesai" in row
    assert reverse("reports:download", args=[job.code]) in row


def test_a_failed_job_row_shows_the_reason(client, cast):
    job = services.report_run(job_for(cast, "rencana_aksi", "pdf", user=cast.outsider).pk)
    client_for(client, cast.admin)
    row = client.get(reverse("reports:job", args=[job.code])).content.decode()
    assert "Gagal" in row and "tidak berhak" in row and "hx-trigger" not in row


# --- download --------------------------------------------------------------------------------


def test_the_requester_downloads_the_file_as_an_attachment(client, cast):
    job = done_job(cast)
    response = client_for(client, cast.koordinator).get(reverse("reports:download", args=[job.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="Rencana aksi - Balai Uji 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_behind_nginx_the_download_is_handed_to_the_proxy(client, cast, settings):
    settings.EVIDENCE_X_ACCEL_PREFIX = "/_bukti/"
    job = done_job(cast)
    response = client_for(client, cast.koordinator).get(reverse("reports:download", args=[job.code]))
    assert response["X-Accel-Redirect"] == f"/_bukti/reports/{cast.unit.code}/{job.code}.pdf"
    assert response.content == b"" and response["Content-Disposition"].startswith("attachment;")


def test_a_unit_name_outside_ascii_reaches_the_browser_intact(client, cast):
    cast.unit.name = "Balai Pengujian Mutu Śląsk"
    cast.unit.save()
    job = done_job(cast, fmt="xlsx")
    response = client_for(client, cast.koordinator).get(reverse("reports:download", args=[job.code]))
    disposition = response["Content-Disposition"]
    assert disposition == ("attachment; "
                           "filename*=utf-8''Rencana%20aksi%20-%20Balai%20Pengujian%20Mutu%20%C5%9Al%C4%85sk%202026.xlsx")


def test_nobody_outside_the_unit_polls_or_downloads(client, cast):
    job = done_job(cast)
    for name in ("reports:job", "reports:download"):
        url = reverse(name, args=[job.code])
        assert client.get(url).status_code == 302  # anonymous: login
        client_for(client, cast.outsider)
        assert client.get(url).status_code == 404
        client.logout()


def test_a_colleague_may_not_fetch_someone_elses_job_but_an_admin_may(client, cast):
    job = done_job(cast)
    for name in ("reports:job", "reports:download"):
        url = reverse(name, args=[job.code])
        assert client_for(client, cast.pimpinan).get(url).status_code == 403
        assert client_for(client, cast.admin).get(url).status_code == 200


def test_a_requester_removed_from_the_unit_gets_404(client, cast):
    job = done_job(cast, user=cast.timkerja)
    cast.timkerja.memberships.all().delete()
    assert client_for(client, cast.timkerja).get(reverse("reports:download", args=[job.code])).status_code == 404


def test_an_expired_or_unfinished_job_has_nothing_to_download(client, cast):
    pending = job_for(cast, "rencana_aksi", "pdf")
    done = done_job(cast, fmt="xlsx")
    ReportJob.objects.filter(pk=done.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client_for(client, cast.koordinator)
    for job in (pending, done):
        assert client.get(reverse("reports:download", args=[job.code])).status_code == 404
    assert "kedaluwarsa" in client.get(reverse("reports:job", args=[done.code])).content.decode()


# --- history ---------------------------------------------------------------------------------


def test_my_reports_lists_only_mine_newest_first(client, cast):
    mine_old = done_job(cast)
    mine_new = job_for(cast, "rencana_aksi", "xlsx")
    other = job_for(cast, "rencana_aksi", "pdf", user=cast.pimpinan)
    content = client_for(client, cast.koordinator).get(reverse("reports:mine")).content.decode()
    assert content.index(str(mine_new.code)) < content.index(str(mine_old.code))
    assert str(other.code) not in content
    assert reverse("reports:download", args=[mine_old.code]) in content and "Balai Uji 2026" in content


def test_my_reports_is_paginated(client, cast):
    for number in range(30):
        job_for(cast, "rencana_aksi", "pdf", {"n": number})
    client_for(client, cast.koordinator)
    first = client.get(reverse("reports:mine")).content.decode()
    second = client.get(reverse("reports:mine") + "?page=2").content.decode()
    assert first.count('class="report-job"') == 25 and second.count('class="report-job"') == 5
    assert "Halaman 1 dari 2" in first


def test_my_reports_queries_stay_flat(client, cast, django_assert_num_queries):
    client_for(client, cast.koordinator)
    url = reverse("reports:mine")
    # session, user, count, one page of jobs with their assessment and unit, the bell's unread count
    for count in (1, 20):
        while ReportJob.objects.count() < count:
            job_for(cast, "rencana_aksi", "pdf", {"n": ReportJob.objects.count()})
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


def test_the_assessment_page_queries_stay_flat(client, realistic, django_assert_num_queries):
    client_for(client, realistic.koordinator)
    url = index_url(realistic)
    # session, user, assessment, membership (+ its areas), monev periods, the user's latest jobs,
    # the bell's unread count
    for count in (0, 8):
        for number in range(count):
            job_for(realistic, "rencana_aksi", "pdf", {"n": number})
        with django_assert_num_queries(8):
            assert client.get(url).status_code == 200


def test_the_report_pages_carry_no_inline_script_or_style():
    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=\"|<style")
    pages = [p for p in (ROOT / "templates" / "reports").glob("*.html")]
    assert len(pages) == 4
    assert [p.name for p in pages if pattern.search(p.read_text(encoding="utf-8"))] == []


def test_the_assessment_tabs_link_to_the_report_page(client, cast):
    content = client_for(client, cast.timkerja).get(reverse("plans:list", args=[cast.assessment.code])).content
    assert index_url(cast).encode() in content


def test_web_processes_never_load_weasyprint():
    """Renderers are imported by workers only (their table names them by dotted path)."""
    code = ("import django, sys; django.setup(); import zi_portal.urls, reports.views, reports.services; "
            "print('weasyprint' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**env, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "zi_portal.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
