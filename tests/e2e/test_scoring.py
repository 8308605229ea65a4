"""Answering in the browser: the tim kerja moves the score, the TPI disagrees in reviu.

Answers are given in the question panels of the LKE workspace (each question's own page here);
the totals are read on the overview.
"""

import pytest

from areas.models import Stage
from areas.services import assessment_set_stage
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Workspace:
    def __init__(self, page, live_server, assessment):
        self.page, self.base, self.code = page, live_server.url, assessment.code

    def open(self, path):
        self.page.goto(f"{self.base}/penilaian/{self.code}/pertanyaan/{path}/")
        return self.page.locator("[data-answer-box]")

    def total(self, side):
        self.page.goto(f"{self.base}/penilaian/{self.code}/ringkasan/")
        return self.page.locator(f"#nilai-total-{side}").inner_text()


def save(box):
    box.get_by_role("button", name="Simpan").click()
    box.locator(".answer-message", has_text="Jawaban disimpan.").wait_for()


def test_tim_kerja_answers_and_the_tpi_disagrees_in_reviu(page, live_server, cast):
    ws = Workspace(page, live_server, cast.assessment)
    login(page, live_server, "timkerja")
    assert ws.total("unit") == "0,00"

    box = ws.open("A.I.1.i.a")
    box.get_by_label("Ya —").check()
    assert box.locator("[data-live-value]").inner_text() == "1,00"
    save(box)
    assert ws.total("unit") == "0,50"

    box = ws.open("A.I.1.i.b")
    box.get_by_label("B —").check()
    box.get_by_label("Catatan", exact=True).fill("Sebagian anggota dipilih melalui seleksi terbuka.")
    save(box)
    assert ws.total("unit") == "0,38"  # (1 + 0,5) / 2 × 0,5 = 0,375

    box = ws.open("A.II.1.i.a")
    counts = box.locator("input[name=inputs]")
    counts.nth(0).fill("10")
    counts.nth(1).fill("7")
    assert box.locator("[data-live-value]").inner_text() == "0,70"  # shown while typing
    counts.nth(1).fill("12")
    assert "dibatasi 1" in box.locator("[data-live-value]").inner_text()
    counts.nth(1).fill("7")
    save(box)
    assert box.locator(".answer-unit").inner_text().startswith("10; 7")
    screenshot(page, "scoring-tim-kerja", full_page=False)
    assert ws.total("unit") == "1,78"  # 0,375 + 0,7 × 2

    assessment_set_stage(assessment=cast.assessment, to_stage=Stage.REVIU, user=cast.admin)
    page.context.clear_cookies()
    login(page, live_server, "tpi")
    assert ws.total("tpi") == "0,00"
    assert "Belum ada jawaban." in page.locator(".predicate-panel").inner_text()

    box = ws.open("A.I.1.i.a")
    box.get_by_role("button", name="Setuju dengan jawaban unit").click()
    page.locator("[data-answer-box] .answer-message", has_text="disamakan").wait_for()
    box = ws.open("A.I.1.i.b")
    box.get_by_label("C —").check()
    box.get_by_label("Catatan", exact=True).fill("Tidak ada bukti seleksi; SK hanya menunjuk langsung.")
    save(box)
    assert "answer-box-differs" in box.get_attribute("class")
    assert box.locator(".answer-tpi .badge").inner_text() == "berbeda -0,50"
    assert "answer-box-differs" not in ws.open("A.I.1.i.a").get_attribute("class")

    box = ws.open("A.II.1.i.a")
    box.get_by_text("Kembalikan ke unit").click()
    box.get_by_label("Catatan untuk unit (wajib)").fill("Lampirkan daftar agen perubahan.")
    box.get_by_role("button", name="Kembalikan", exact=True).click()
    page.locator("[data-answer-box] .answer-returned", has_text="Lampirkan daftar agen perubahan.").wait_for()

    assert ws.total("tpi") == "0,25"
    assert "score-differs" in page.locator("#nilai-total-tpi").get_attribute("class")
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
    assert first.get_attribute("href").startswith(f"/penilaian/{cast.assessment.code}/pertanyaan/A.")
    screenshot(page, "scoring-gap", full_page=False)
    page.goto(f"{live_server.url}/nilai/{cast.assessment.code}/jawaban/A.I.1.i.b/riwayat/")
    assert page.locator(".history-table tbody tr").count() == 2
    screenshot(page, "scoring-history")


def test_the_score_panel_fits_a_phone(browser, live_server, cast):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    ws = Workspace(page, live_server, cast.assessment)
    login(page, live_server, "timkerja")
    box = ws.open("A.I.1.i.a")
    box.get_by_label("Ya —").check()
    save(box)
    assert ws.total("unit") == "0,50"
    table = page.locator("#score-panel .table-responsive")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")  # no sideways scrolling
    screenshot(page, "scoring-phone", full_page=False)
    context.close()
