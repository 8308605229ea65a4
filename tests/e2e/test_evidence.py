"""The evidence round trip in a real browser: the tim kerja uploads and submits, the TPI previews
and asks for a revision, the tim kerja replaces the file and resubmits, the TPI accepts."""

import pytest

from evidence.models import Evidence, EvidenceStatus
from tests.e2e.conftest import SCREENSHOTS, login, screenshot
from tests.evidence import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "A.I.1.i.a"
SELECTOR = "A\\.I\\.1\\.i\\.a"


def settle(page):
    """Give the PDF viewer in the preview frame time to draw before a screenshot."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1200)


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_evidence_is_uploaded_reviewed_revised_and_accepted(page, live_server, cast, tmp_path):
    sk = tmp_path / "SK Tim Kerja ZI.pdf"
    sk.write_bytes(files.pdf("SK Kepala Balai Uji tentang Tim Kerja Pembangunan ZI"))
    photo = tmp_path / "foto rapat pembentukan.png"
    photo.write_bytes(files.image("PNG", size=(640, 360)))
    revised = tmp_path / "SK Tim Kerja ZI (ditandatangani).pdf"
    revised.write_bytes(files.pdf("SK yang sudah ditandatangani Kepala Balai"))

    # The tim kerja goes from the question's panel to its evidence page and uploads two files.
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/")
    page.locator(".evidence-summary").get_by_text("Kelola bukti").click()
    page.wait_for_selector("#unggah")
    page.select_option("select[name=expected_item]", index=1)
    page.set_input_files(f"#berkas-{SELECTOR}", [str(sk), str(photo)])
    page.wait_for_selector(".upload-list li.is-done >> nth=1")
    assert page.locator(".upload-list progress").count() == 2
    screenshot(page, "evidence-01-upload-progress")
    page.wait_for_selector(".evidence-table >> text=foto rapat pembentukan")
    assert page.locator(".evidence-table tbody tr").count() == 2

    # … adds a link, and submits the question.
    page.fill("input[name=url]", "https://ppid.example.go.id/sk-tim-zi")
    page.fill("#tautan input[name=title]", "SK di laman PPID")
    page.click("text=Simpan tautan")
    page.wait_for_selector("text=Tautan ditambahkan sebagai bukti draf.")
    assert page.locator(".evidence-table tbody tr").count() == 3
    screenshot(page, "evidence-02-two-files-and-a-link")
    page.click("text=Ajukan 3 bukti pertanyaan ini")
    page.wait_for_selector("text=3 bukti diajukan ke TPI.")
    screenshot(page, "evidence-03-submitted")
    assert set(Evidence.objects.values_list("status", flat=True)) == {EvidenceStatus.DIAJUKAN}

    # The TPI opens the PDF, previews it on the page, and asks for a revision with a note.
    switch_user(page, live_server, "tpi")
    page.goto(f"{live_server.url}/bukti/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/")
    with page.expect_response(lambda r: "/pratinjau/" in r.url) as preview:
        page.click(".evidence-table >> text=SK Tim Kerja ZI")
    response = preview.value
    assert page.locator("iframe.evidence-preview").count() == 1
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    settle(page)
    screenshot(page, "evidence-04-tpi-previews-the-pdf")
    page.fill("#reviu textarea[name=note] >> nth=1",
              "SK belum ditandatangani Kepala Balai. Unggah versi yang sudah ditandatangani.")
    page.click("text=Minta perbaikan")
    page.wait_for_selector("text=Perbaikan diminta")
    settle(page)
    screenshot(page, "evidence-05-revision-requested")

    # The tim kerja sees the note, uploads a new version and resubmits.
    switch_user(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/")
    page.locator(".evidence-summary").get_by_text("SK Tim Kerja ZI").click()
    page.wait_for_selector("text=SK belum ditandatangani Kepala Balai.")
    page.set_input_files("#berkas-versi", str(revised))
    page.wait_for_selector(".version-table >> text=SK Tim Kerja ZI (ditandatangani).pdf")
    settle(page)
    screenshot(page, "evidence-06-new-version")
    page.click("text=Ajukan kembali ke TPI")
    page.wait_for_selector("text=1 bukti diajukan ke TPI.")

    # The TPI accepts.
    switch_user(page, live_server, "tpi")
    item = Evidence.objects.get(title="SK Tim Kerja ZI")
    page.goto(f"{live_server.url}/bukti/item/{item.code}/")
    assert page.locator(".version-table tbody tr").count() == 2
    page.click("text=Terima bukti")
    page.wait_for_selector("text=Bukti diterima.")
    settle(page)
    screenshot(page, "evidence-07-accepted")
    item.refresh_from_db()
    assert item.status == EvidenceStatus.DITERIMA
    assert [e.to_status for e in item.review_events.all()] == ["diajukan", "perlu_perbaikan", "diajukan", "diterima"]

    # The koordinator sees the audit trail (uploads, versions, downloads with addresses) on the item …
    switch_user(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/bukti/item/{item.code}/")
    assert page.locator(".timeline-audit").filter(has_text="Versi baru").count() == 1
    assert page.locator(".timeline-audit").filter(has_text="Pratinjau").count() >= 1
    settle(page)
    screenshot(page, "evidence-08-koordinator-sees-the-audit")
    # … and the question's panel on the area page shows its evidence and completeness.
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/area/mp/")
    page.locator(f"#q-{SELECTOR} .ws-open").click()
    summary = page.locator(f"#q-{SELECTOR} .evidence-summary")
    summary.wait_for()
    assert "1/3 ada · 1 diterima" in summary.inner_text()
    assert "1/3 yang diharapkan" in page.locator(f"#q-{SELECTOR} .ws-facts").inner_text()
    page.locator(f"#q-{SELECTOR}").screenshot(path=str(SCREENSHOTS / "evidence-09-assessment-page-question.png"))


def test_the_upload_card_offers_the_camera_on_a_phone(new_context, live_server, cast):
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/bukti/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/#unggah")
    camera = page.locator(f"#kamera-{SELECTOR}")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"
    assert page.get_by_text("Ambil foto", exact=True).is_visible()
    # A touch screen is not told to drag files; it is told to pick them or use the camera.
    assert not page.locator("#unggah .drag-hint").is_visible()
    assert page.locator("#unggah .touch-hint").is_visible()
    page.locator("#unggah").screenshot(path=str(SCREENSHOTS / "evidence-10-phone-upload.png"))


def test_the_tim_kerja_uploads_straight_from_the_question_panel(page, live_server, cast, tmp_path):
    pdf = tmp_path / "notulen-rapat.pdf"
    pdf.write_bytes(files.pdf())
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/area/mp/")
    # A file chosen the moment the panel appears counts: htmx sets a panel up (htmx:load) only after
    # its settle delay, stretched here far beyond the wait below, so this fails if the upload form
    # only listens once it has been set up.
    page.evaluate("htmx.config.defaultSettleDelay = 60000")
    page.locator("#q-A\\.I\\.1\\.i\\.a .ws-open").click()
    page.set_input_files("#cepat-A\\.I\\.1\\.i\\.a", str(pdf))
    page.wait_for_selector("#q-A\\.I\\.1\\.i\\.a .evidence-items a:has-text('notulen-rapat')", timeout=30000)
    item = Evidence.objects.get(question__path="A.I.1.i.a", assessment=cast.assessment)
    assert item.versions.get().size == pdf.stat().st_size
    page.evaluate("document.getElementById('q-A.I.1.i.a').scrollIntoView({behavior: 'instant'})")
    screenshot(page, "evidence-11-from-the-assessment-page", full_page=False)
