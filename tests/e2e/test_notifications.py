"""A TPI asks for a revision; the tim kerja sees it on the bell and in "Tugas saya", opens it from
the inbox and uploads a new version. Screenshots at desktop and phone width."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import services as evidence_services
from evidence.models import Evidence, EvidenceStatus
from notifications.models import Notification
from tests.e2e.conftest import SCREENSHOTS, login, screenshot
from tests.evidence import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "A.I.1.i.a"


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


@pytest.fixture(autouse=True)
def eager():
    """E-mail tasks run in the live server's process whatever REDIS_URL says (CI sets it)."""
    from zi_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def test_a_revision_request_reaches_the_tim_kerja_through_the_bell(page, browser, live_server, cast, tmp_path):
    for user in (cast.timkerja, cast.tpi, cast.koordinator):
        user.email = f"{user.username}@zi.example.go.id"
        user.save(update_fields=["email"])
    question = cast.assessment.instrument.questions.get(path=QUESTION)
    evidence = evidence_services.evidence_upload(
        assessment=cast.assessment, question=question, user=cast.timkerja, title="SK Tim Kerja ZI",
        upload=SimpleUploadedFile("SK Tim Kerja ZI.pdf", files.pdf("SK Tim Kerja")))
    evidence_services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    revised = tmp_path / "SK Tim Kerja ZI (ditandatangani).pdf"
    revised.write_bytes(files.pdf("SK yang sudah ditandatangani"))

    # The TPI finds the item in the review queue and asks for a revision.
    login(page, live_server, "tpi")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/ringkasan/")
    assert page.locator("[data-testid=tugas-saya] [data-queue=reviu] [data-count]").inner_text() == "1"
    screenshot(page, "notifications-00-overview-tugas-saya-tpi", full_page=False)
    page.locator("[data-queue=reviu]").click()
    page.get_by_role("link", name="SK Tim Kerja ZI").click()
    page.fill("#reviu textarea[name=note] >> nth=1", "SK belum ditandatangani. Unggah versi bertanda tangan.")
    page.click("text=Minta perbaikan")
    page.wait_for_selector("text=Perbaikan diminta")

    # The tim kerja sees the bell count and the queue on the landing page …
    switch_user(page, live_server, "timkerja")
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    assert page.locator("[data-queue=perbaikan] [data-count]").inner_text() == "1"
    screenshot(page, "notifications-01-landing-bell-and-tugas-saya")
    # … opens the inbox and the item from it …
    page.get_by_test_id("bell").click()
    page.wait_for_selector(".notification-list")
    screenshot(page, "notifications-02-inbox")
    page.get_by_role("link", name="Bukti perlu perbaikan: SK Tim Kerja ZI").click()
    page.wait_for_selector("text=SK belum ditandatangani. Unggah versi bertanda tangan.")
    assert f"/bukti/item/{evidence.code}/" in page.url
    # … and uploads a new version. The bell is quiet again.
    page.set_input_files("#berkas-versi", str(revised))
    page.wait_for_selector(".version-table >> text=SK Tim Kerja ZI (ditandatangani).pdf")
    assert page.get_by_test_id("bell-count").count() == 0
    screenshot(page, "notifications-03-new-version", full_page=False)
    evidence.refresh_from_db()
    assert evidence.versions.count() == 2 and evidence.status == EvidenceStatus.PERLU_PERBAIKAN
    assert Notification.objects.get(recipient=cast.timkerja).read_at is not None
    # The e-mail went out after commit (locmem backend here; the real SMTP path is in tests/notifications).
    assert [m.subject for m in mail.outbox] == ["[ZI Portal] Bukti perlu perbaikan: SK Tim Kerja ZI"]

    # The same at phone width.
    evidence_services.evidence_submit(assessment=cast.assessment, questions=[question], user=cast.timkerja)
    evidence_services.evidence_request_revision(evidence=Evidence.objects.get(), user=cast.tpi, note="Masih kurang")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True)
    mobile = phone.new_page()
    login(mobile, live_server, "timkerja")
    assert mobile.get_by_test_id("bell-count").is_visible()  # outside the collapsed menu
    mobile.screenshot(path=str(SCREENSHOTS / "notifications-04-phone-landing.png"), full_page=True)
    mobile.goto(f"{live_server.url}/notifikasi/")
    mobile.screenshot(path=str(SCREENSHOTS / "notifications-05-phone-inbox.png"), full_page=True)
    phone.close()
