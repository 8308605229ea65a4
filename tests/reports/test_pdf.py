"""PDF documents: their text (pypdf), page numbering, signature, escaping, and the restricted
URL fetcher (only the project's own static files)."""

import http.server
import io
import threading

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from plans import services as plan_services
from plans.models import PlanItem
from reports import services
from reports.models import JobStatus
from reports.renderers import pdf
from tests.reports.conftest import KNOWN_STEPS, PIMPINAN_NAME, PIMPINAN_NIP, job_for

pytestmark = pytest.mark.django_db


def rendered_text(cast, kind, parameters=None) -> tuple[str, PdfReader]:
    job = services.report_run(job_for(cast, kind, "pdf", parameters).pk)
    assert job.status == JobStatus.DONE, job.error
    reader = PdfReader(io.BytesIO(default_storage.open(job.file.name).read()))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_rencana_aksi_pdf_has_header_table_numbering_and_signature(realistic):
    text, reader = rendered_text(realistic, "rencana_aksi")
    words = flat(text)
    assert "RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS" in words
    assert "KEMENTERIAN UJI" in words and "BALAI UJI" in words and "Tahun 2026" in words
    assert KNOWN_STEPS in words
    for header in ("NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK/OUTPUT", "TARGET", "PIC", "STATUS"):
        assert header in words
    assert "Manajemen Perubahan" in words and "Hasil" in words
    assert f"Halaman 1 dari {len(reader.pages)}" in words
    assert "Jakarta, 21 November 2026" in words
    assert PIMPINAN_NAME in words and f"NIP. {PIMPINAN_NIP}" in words
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # A4 landscape
    assert round(float(reader.pages[0].mediabox.width)) == 842


def test_user_text_is_printed_literally(realistic):
    PlanItem.objects.filter(pk=realistic.plans.items[0].pk).update(
        steps='<b>tebal</b> <img src="file:///etc/passwd"> & "kutip"')
    packed = "".join(rendered_text(realistic, "rencana_aksi")[0].split())  # line breaks may fall anywhere
    assert '<b>tebal</b><imgsrc="file:///etc/passwd">&"kutip"' in packed


def test_table_headers_repeat_on_every_page(realistic):
    nodes = {n.path: n for n in realistic.assessment.instrument.nodes.all()}
    for number in range(60):
        plan_services.plan_item_create(assessment=realistic.assessment, indicator=nodes["A.I.1.iv"],
                                       steps=f"Langkah tambahan nomor {number}\nuraian kegiatan", output="Laporan",
                                       target_text="Desember 2026", user=realistic.koordinator)
    text, reader = rendered_text(realistic, "rencana_aksi")
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages[:-1], start=1):
        page_text = flat(page.extract_text())
        assert "LANGKAH AKSI" in page_text and "BUKTI FISIK/OUTPUT" in page_text
        assert f"Halaman {number} dari {len(reader.pages)}" in page_text


def test_the_signature_leaves_blanks_when_the_unit_has_no_pimpinan(cast):
    cast.pimpinan.memberships.all().delete()
    words = flat(rendered_text(cast, "rencana_aksi")[0])
    assert "(.......................................)" in words and "Belum ada rencana aksi." in words


def test_the_monev_pdf_summarises_per_area_and_marks_late_items(realistic):
    october = str(realistic.plans.october.code)
    words = flat(rendered_text(realistic, "monev", {"period": october})[0])
    assert "LAPORAN MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS" in words
    assert "Periode Oktober 2026" in words and "Ringkasan per area" in words
    assert "Penguatan Pengawasan" in words and "September 2026" in words  # compared with the previous period
    assert "Realisasi Oktober butir 1" in words and "Koordinasi dengan bagian keuangan" in words
    assert "-1+1" in words and "belum diisi" in words and "terlambat" in words
    assert "Halaman 1 dari" in words and PIMPINAN_NAME in words


def test_the_lke_summary_pdf_shows_scores_predicates_and_gaps(realistic):
    words = flat(rendered_text(realistic, "lke")[0])
    assert "RINGKASAN HASIL PENILAIAN ZONA INTEGRITAS" in words and "BALAI UJI" in words
    assert "Pengungkit" in words and "Manajemen Perubahan" in words and "Total" in words
    assert "Jawaban unit" in words and "Jawaban TPI" in words
    assert "WBK: belum memenuhi" in words and "Total nilai (pengungkit + hasil)" in words
    assert "Analisis kesenjangan" in words and "TAMBAHAN NILAI" in words
    assert "Halaman 1 dari" in words


# --- the URL fetcher -------------------------------------------------------------------------


def test_the_fetcher_serves_the_projects_static_files():
    response = pdf.StaticFilesOnlyFetcher().fetch(pdf.STATIC_ORIGIN + "/static/css/reports-pdf.css")
    assert b"@page" in response.read() and response.content_type == "text/css"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///work/main/static/css/reports-pdf.css",  # a file:// URL even inside static
    "http://127.0.0.1:8000/static/css/reports-pdf.css",
    "https://example.com/gambar.png",
    "data:text/css,body{color:red}",
    pdf.STATIC_ORIGIN + "/static/../zi_portal/settings.py",
    pdf.STATIC_ORIGIN + "/static/%2e%2e/zi_portal/settings.py",
    pdf.STATIC_ORIGIN + "/static/css/tidak-ada.css",
    pdf.STATIC_ORIGIN + "/media/evidence/rahasia.pdf",
])
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(URLFetchingError):
        pdf.StaticFilesOnlyFetcher().fetch(url)


def test_a_symlink_out_of_static_is_refused(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "rahasia.txt").write_text("rahasia")
    (static / "tautan.css").symlink_to(tmp_path / "rahasia.txt")
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = None
    with pytest.raises(URLFetchingError):
        pdf.StaticFilesOnlyFetcher().fetch(pdf.STATIC_ORIGIN + "/static/tautan.css")


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_rendered_document_reaches_neither_the_network_nor_local_files(tmp_path, settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    url = f"http://127.0.0.1:{server.server_port}/gambar.png"
    (tmp_path / "uji.html").write_text(
        f'<link rel="stylesheet" href="/static/css/reports-pdf.css"><img src="{url}">'
        f'<img src="file:///etc/hostname"><link rel="stylesheet" href="file:///etc/passwd"><p>isi</p>'
        # The footer takes its words from this paragraph through the stylesheet's string-set.
        '<p class="pdf-words"><span class="page">Halaman</span><span class="of">dari</span></p>')
    out = tmp_path / "uji.pdf"
    try:
        pdf.write_pdf("uji.html", {}, out)
    finally:
        server.shutdown()
    assert CountingHandler.hits == []
    text = flat(PdfReader(out).pages[0].extract_text())
    assert "isi" in text and "Halaman 1 dari 1" in text  # the static stylesheet did load
