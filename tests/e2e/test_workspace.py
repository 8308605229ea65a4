"""The LKE workspace in a real browser: a tim kerja lands on an assigned area, opens a question's
panel, uploads, answers and submits; the TPI filters "Unit ≠ TPI" and answers."""

import pytest

from areas.models import Stage
from areas.services import assessment_set_stage
from evidence.models import Evidence, EvidenceStatus
from scoring import services as scoring_services
from scoring.models import Answer, Side
from tests.e2e.conftest import login, screenshot
from tests.evidence import files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "A.I.1.i.a"
ROW = "#q-A\\.I\\.1\\.i\\.a"


def test_tim_kerja_works_in_a_panel_and_the_tpi_answers_the_differences(page, live_server, cast, tmp_path):
    sk = tmp_path / "SK Tim Kerja ZI.pdf"
    sk.write_bytes(files.pdf("SK Kepala Balai Uji tentang Tim Kerja Pembangunan ZI"))

    # The tim kerja opens the assessment and lands on the first of their areas.
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/")
    page.wait_for_url(f"**/penilaian/{cast.assessment.code}/area/mp/")
    assert "area Anda" in page.locator("#judul-area").inner_text()
    screenshot(page, "workspace-01-area-page", full_page=False)

    # The question's panel loads in place (htmx), with the answer form, drop zone and comments.
    page.locator(f"{ROW} .ws-open").click()
    panel = page.locator(f"{ROW} [data-panel]")
    panel.wait_for()
    assert panel.locator("[data-answer-form]").count() == 1
    assert page.url.endswith("/area/mp/")  # still on the area page

    # Upload through the panel's drop zone; the panel reloads with the new item.
    page.set_input_files(f"{ROW} #cepat-A\\.I\\.1\\.i\\.a", str(sk))
    page.wait_for_selector(f"{ROW} .evidence-items a:has-text('SK Tim Kerja ZI')", timeout=30000)

    # Answer in the panel …
    box = page.locator(f"{ROW} [data-answer-box]")
    box.get_by_label("Ya —").check()
    box.get_by_label("Catatan", exact=True).fill("SK sudah ditandatangani.")
    box.get_by_role("button", name="Simpan").click()
    box.locator(".answer-message", has_text="Jawaban disimpan.").wait_for()
    assert Answer.objects.get(question__path=QUESTION, side=Side.UNIT).option == "Ya"
    # The row above the panel shows the new answer and the uploaded item without a reload.
    page.locator(f"{ROW} .ws-facts [data-side='unit'] strong", has_text="Ya").wait_for()
    assert page.locator(f"{ROW} .ws-facts .ws-evidence").get_attribute("data-evidence") == "1"

    # … and submit the evidence for review.
    page.locator(f"{ROW} .ws-submit button").click()
    page.locator(f"{ROW} [data-panel]", has_text="1 bukti diajukan ke TPI.").wait_for()
    assert list(Evidence.objects.values_list("status", flat=True)) == [EvidenceStatus.DIAJUKAN]
    page.locator(ROW).scroll_into_view_if_needed()
    screenshot(page, "workspace-02-panel-after-submit", full_page=False)

    # Reviu: the TPI disagrees on one question already; the filter finds the differences.
    assessment_set_stage(assessment=cast.assessment, to_stage=Stage.REVIU, user=cast.admin)
    mp = cast.assessment.instrument.questions.get(path="A.I.1.i.b")
    scoring_services.answer_set(assessment=cast.assessment, question=mp, side=Side.UNIT, user=cast.koordinator,
                                value="A", note="", expected_version=0)
    scoring_services.answer_set(assessment=cast.assessment, question=mp, side=Side.TPI, user=cast.tpi,
                                value="C", note="", expected_version=0)
    page.context.clear_cookies()
    login(page, live_server, "tpi")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/")
    page.wait_for_url("**/ringkasan/")
    screenshot(page, "workspace-03-overview-tpi", full_page=False)
    page.locator(".progress-table [data-area='mp'] th a").click()
    page.locator("[data-filter='beda']").click()
    page.wait_for_url("**/area/mp/?saring=beda")
    assert page.locator("li.ws-question").count() == 1
    row = page.locator("#q-A\\.I\\.1\\.i\\.b")
    row.locator(".ws-open").click()
    box = row.locator("[data-answer-box]")
    box.wait_for()
    box.get_by_label("A —").check()
    box.get_by_label("Catatan", exact=True).fill("Setelah melihat SK, TPI setuju.")
    box.get_by_role("button", name="Simpan").click()
    box.locator(".answer-message", has_text="Jawaban disimpan.").wait_for()
    assert Answer.objects.get(question=mp, side=Side.TPI).option == "A"
    # The row no longer says "berbeda" once both sides agree.
    row.locator(".ws-facts [data-side='tpi'] strong", has_text="A").wait_for()
    assert row.locator(".ws-facts .badge", has_text="berbeda").count() == 0
    assert "is-differs" not in (row.get_attribute("class") or "")
    screenshot(page, "workspace-04-tpi-answers-a-difference", full_page=False)
    page.reload()
    assert page.locator("li.ws-question").count() == 0
    assert "Tidak ada pertanyaan yang cocok" in page.locator(".area-page").inner_text()


def test_the_area_page_and_panel_on_a_phone(browser, live_server, cast):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True)
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/area/mp/")
    screenshot(page, "workspace-05-area-phone", full_page=False)
    page.locator(f"{ROW} .ws-open").click()
    page.locator(f"{ROW} [data-panel]").wait_for()
    page.locator(f"{ROW} [data-answer-box]").scroll_into_view_if_needed()
    screenshot(page, "workspace-06-panel-phone", full_page=False)
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/ringkasan/")
    screenshot(page, "workspace-07-overview-phone", full_page=False)
    context.close()
    assert problems == []


def test_without_javascript_the_question_page_answers(browser, live_server, cast):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/area/mp/")
    page.locator(f"{ROW} .ws-open").click()  # a plain link: the question's own page
    page.wait_for_url(f"**/penilaian/{cast.assessment.code}/pertanyaan/{QUESTION}/")
    page.get_by_label("Ya —").check()
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Jawaban disimpan.")
    assert page.url.endswith(f"/pertanyaan/{QUESTION}/")
    assert Answer.objects.get(question__path=QUESTION, side=Side.UNIT).option == "Ya"
    screenshot(page, "workspace-08-question-page-no-js", full_page=False)
    context.close()
