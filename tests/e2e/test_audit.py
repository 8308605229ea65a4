"""The koordinator filters the audit trail, exports it as XLSX, watches the job and downloads the
file; on a phone the page stays readable.

The test plays the render worker itself (the same service calls a Celery worker makes), so the
browser's polling is seen moving from waiting to running to done.
"""

import openpyxl
import pytest

from audit import services as audit
from audit.models import AuditAction
from reports import services
from reports.models import JobStatus, ReportJob
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLL = 10_000  # ms; the row polls every 2 s


def seed(cast):
    for number in range(6):
        audit.record(action=AuditAction.UPLOAD, actor=cast.timkerja, unit=cast.unit, object_type="evidence",
                     object_id=f"kode-{number}", object_label=f"SK Tim Kerja {number}", detail=f"sk-{number}.pdf")
    audit.record(action=AuditAction.UPLOAD, actor=cast.timkerja, unit=cast.unit, object_type="evidence",
                 object_id="rumus", object_label='=HYPERLINK("http://x","klik")', detail="rumus.pdf")
    for number in range(4):
        audit.record(action=AuditAction.UPLOAD, actor=cast.outsider, unit=cast.other_unit, object_type="evidence",
                     object_id=f"lain-{number}", object_label=f"Unit lain {number}")


def test_koordinator_exports_the_filtered_trail_sees_progress_and_downloads_it(page, live_server, cast, queued_jobs,
                                                                                tmp_path):
    seed(cast)
    sent = queued_jobs  # the queue's stand-in; this test is the worker

    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Tindakan").select_option(label="Unggah berkas")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**/audit/?**action=upload**")
    assert page.locator(".audit-table tbody tr").count() == 7
    page.get_by_role("button", name="Ekspor XLSX").click()

    page.get_by_text("Laporan sedang disiapkan").wait_for()
    job = ReportJob.objects.get()
    assert sent == [job.pk] and job.kind == "audit_trail" and job.assessment is None
    assert "action=upload" in page.url and page.locator(".audit-table tbody tr").count() == 7  # filters kept
    row = page.locator(f"#tugas-{job.code}")
    assert "Menunggu" in row.inner_text() and "Tindakan: Unggah berkas" in row.inner_text()

    claimed = services.report_claim(job.pk, task_id="uji-e2e")  # a worker picks it up ...
    services.ProgressWriter(claimed)(40)
    row.get_by_text("40%").wait_for(timeout=POLL)
    assert "Diproses" in row.inner_text()
    screenshot(page, "audit-export-01-progress", full_page=False)

    assert services.report_render(claimed).status == JobStatus.DONE  # ... and finishes it
    download_button = row.get_by_role("link", name="Unduh")
    download_button.wait_for(timeout=POLL)
    assert "Selesai" in row.inner_text()
    screenshot(page, "audit-export-02-done", full_page=False)

    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.startswith("Jejak audit") and download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "jejak.xlsx"
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert sorted(r[4] for r in rows) == sorted(["rumus", *[f"kode-{n}" for n in range(6)]])
    formula = next(cell for row in sheet.iter_rows(min_row=6) for cell in row if cell.value and
                   str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/audit/?action=upload")
    screenshot(page, "audit-export-03-phone", full_page=False)
    # The export list fits the phone; the trail itself scrolls sideways in its box, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("link", name="Unduh").first.is_visible()
