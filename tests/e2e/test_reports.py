"""The koordinator requests a monev PDF, watches its progress and downloads it.

The test plays the render worker itself (the same service calls a Celery worker makes), so the
browser's polling is seen moving from waiting to running to done.
"""

import io

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import JobStatus, ReportJob
from tests.e2e.conftest import login, screenshot
from tests.reports.conftest import KNOWN_STEPS, build_plans

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLL = 10_000  # ms; the row polls every 2 s


def test_koordinator_requests_a_monev_pdf_sees_progress_and_downloads_it(page, live_server, cast, queued_jobs,
                                                                           tmp_path):
    build_plans(cast.assessment, cast.koordinator)
    sent = queued_jobs  # the queue's stand-in; this test is the worker

    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/")
    page.get_by_role("link", name="Laporan", exact=True).click()
    monev = page.locator("#dokumen-monev")
    monev.get_by_label("Periode monev").select_option(label="Oktober 2026")
    monev.get_by_role("button", name="Buat PDF").click()

    page.get_by_text("Laporan sedang disiapkan").wait_for()
    job = ReportJob.objects.get()
    assert sent == [job.pk] and job.kind == "monev" and job.format == "pdf"
    row = page.locator(f"#tugas-{job.code}")
    assert "Menunggu" in row.inner_text() and "Monev" in row.inner_text()
    assert "Periode Oktober 2026" in row.inner_text()

    claimed = services.report_claim(job.pk, task_id="uji-e2e")  # a worker picks it up ...
    services.ProgressWriter(claimed)(40)
    row.get_by_text("40%").wait_for(timeout=POLL)
    assert "Diproses" in row.inner_text()
    screenshot(page, "reports-01-progress", full_page=False)

    assert services.report_render(claimed).status == JobStatus.DONE  # ... and finishes it
    download_button = row.get_by_role("link", name="Unduh")
    download_button.wait_for(timeout=POLL)
    assert "Selesai" in row.inner_text() and "tersedia sampai" in row.inner_text()
    screenshot(page, "reports-02-done", full_page=False)

    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename == "Monev - Balai Uji 2026 - Periode Oktober 2026.pdf"
    saved = tmp_path / "monev.pdf"
    download.save_as(saved)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages).split())
    assert "LAPORAN MONITORING DAN EVALUASI" in text and "BALAI UJI" in text and KNOWN_STEPS in text
    assert "Halaman 1 dari" in text

    page.goto(f"{live_server.url}/laporan/saya/")
    assert "Balai Uji 2026" in page.locator(f"#tugas-{job.code}").inner_text()
    screenshot(page, "reports-03-my-reports", full_page=False)
