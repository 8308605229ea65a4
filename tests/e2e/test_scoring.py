"""Answering in the browser: the tim kerja moves the score, the TPI disagrees in reviu."""

import pytest

from areas.models import Stage
from areas.services import assessment_set_stage
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def box(page, path):
    """The answer box of one question (paths contain dots, so escape them for CSS)."""
    return page.locator(f"#q-{path.replace('.', chr(92) + '.')} [data-answer-box]")


def total(page, side):
    return page.locator(f"#nilai-total-{side}").inner_text()


def save(page, path):
    box(page, path).get_by_role("button", name="Simpan").click()
    box(page, path).locator(".answer-message", has_text="Jawaban disimpan.").wait_for()


def test_tim_kerja_answers_and_the_tpi_disagrees_in_reviu(page, live_server, cast):
    url = f"{live_server.url}/penilaian/{cast.assessment.code}/?area=mp"
    login(page, live_server, "timkerja")
    page.goto(url)
    assert total(page, "unit") == "0,00"

    box(page, "A.I.1.i.a").get_by_label("Ya —").check()
    assert box(page, "A.I.1.i.a").locator("[data-live-value]").inner_text() == "1,00"
    save(page, "A.I.1.i.a")
    assert total(page, "unit") == "0,50"  # the panel was swapped in with the answer

    box(page, "A.I.1.i.b").get_by_label("B —").check()
    box(page, "A.I.1.i.b").get_by_label("Catatan", exact=True).fill("Sebagian anggota dipilih melalui seleksi terbuka.")
    save(page, "A.I.1.i.b")
    assert total(page, "unit") == "0,38"  # (1 + 0,5) / 2 × 0,5 = 0,375

    counts = box(page, "A.II.1.i.a").locator("input[name=inputs]")
    counts.nth(0).fill("10")
    counts.nth(1).fill("7")
    assert box(page, "A.II.1.i.a").locator("[data-live-value]").inner_text() == "0,70"  # shown while typing
    counts.nth(1).fill("12")
    assert "dibatasi 1" in box(page, "A.II.1.i.a").locator("[data-live-value]").inner_text()
    counts.nth(1).fill("7")
    save(page, "A.II.1.i.a")
    assert total(page, "unit") == "1,78"  # 0,375 + 0,7 × 2
    assert box(page, "A.II.1.i.a").locator(".answer-unit").inner_text().startswith("10; 7")
    screenshot(page, "scoring-tim-kerja", full_page=False)

    assessment_set_stage(assessment=cast.assessment, to_stage=Stage.REVIU, user=cast.admin)
    page.context.clear_cookies()
    login(page, live_server, "tpi")
    page.goto(url)
    assert total(page, "tpi") == "0,00"
    assert "Belum ada jawaban." in page.locator(".predicate-panel").inner_text()

    box(page, "A.I.1.i.a").get_by_role("button", name="Setuju dengan jawaban unit").click()
    box(page, "A.I.1.i.a").locator(".answer-message", has_text="disamakan").wait_for()
    box(page, "A.I.1.i.b").get_by_label("C —").check()
    note = box(page, "A.I.1.i.b").get_by_label("Catatan", exact=True)
    note.fill("Tidak ada bukti seleksi; SK hanya menunjuk langsung.")
    save(page, "A.I.1.i.b")

    disagreed = box(page, "A.I.1.i.b")
    assert "answer-box-differs" in disagreed.get_attribute("class")
    assert disagreed.locator(".answer-tpi .badge").inner_text() == "berbeda -0,50"
    assert "answer-box-differs" not in box(page, "A.I.1.i.a").get_attribute("class")
    assert total(page, "tpi") == "0,25"
    assert "score-differs" in page.locator("#nilai-total-tpi").get_attribute("class")

    box(page, "A.II.1.i.a").get_by_text("Kembalikan ke unit").click()
    box(page, "A.II.1.i.a").get_by_label("Catatan untuk unit (wajib)").fill("Lampirkan daftar agen perubahan.")
    box(page, "A.II.1.i.a").get_by_role("button", name="Kembalikan", exact=True).click()
    box(page, "A.II.1.i.a").locator(".answer-returned", has_text="Lampirkan daftar agen perubahan.").wait_for()

    tpi_wbk = page.locator("[data-predicate='tpi-WBK']")
    assert "belum memenuhi syarat" in tpi_wbk.locator("> summary").inner_text()
    reasons = tpi_wbk.locator(".predicate-reasons").inner_text()
    assert "Total nilai (pengungkit + hasil) 0,25 < 75" in reasons
    assert "Area Manajemen Perubahan (pemenuhan)" in reasons
    page.locator("#score-panel").scroll_into_view_if_needed()
    screenshot(page, "scoring-tpi-reviu", full_page=False)

    page.click("text=Analisis kesenjangan")
    page.wait_for_selector("h1:has-text('Analisis kesenjangan')")
    first = page.locator(".gap-table a").first
    assert first.get_attribute("href").startswith(f"/penilaian/{cast.assessment.code}/?area=mp#q-A.")
    screenshot(page, "scoring-gap", full_page=False)
    page.goto(f"{live_server.url}/nilai/{cast.assessment.code}/jawaban/A.I.1.i.b/riwayat/")
    assert page.locator(".history-table tbody tr").count() == 2
    screenshot(page, "scoring-history")


def test_the_score_panel_fits_a_phone(browser, live_server, cast):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/?area=mp")
    box(page, "A.I.1.i.a").get_by_label("Ya —").check()
    save(page, "A.I.1.i.a")
    table = page.locator("#score-panel .table-responsive")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")  # no sideways scrolling
    assert total(page, "unit") == "0,50"
    screenshot(page, "scoring-phone", full_page=False)
    context.close()
