"""The rencana aksi import in a browser: a Word table with its quirks, a changed column meaning,
the preview, the commit, and completing a flagged row in place; desktop and phone widths."""

from pathlib import Path

import pytest

from plans.models import PlanImport, PlanItem
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parents[1] / "plans" / "data"


@pytest.mark.parametrize("width, height, suffix", [(1366, 900, "desktop"), (390, 844, "phone")])
def test_upload_change_a_column_preview_commit_and_complete_a_flagged_row(browser, live_server, cast,
                                                                         width, height, suffix):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/impor/")
    page.set_input_files("input[name=file]", str(DATA / "komponen-table.docx"))
    page.click("button:has-text('Baca dan pratinjau')")
    page.wait_for_selector("text=69 baris akan diimpor")
    # KOMPONEN holds the indicators in this table: guessed from its cells, not its title
    assert page.locator("#m-0-1").input_value() == "indicator"
    assert page.locator("#m-0-2").input_value() == "sub_indicator"
    screenshot(page, f"plan-import-01-preview-{suffix}", full_page=False)

    page.select_option("#m-0-4", "")  # BUKTI FISIK mapped to nothing: kept as the note
    page.click("#apply-mapping")
    page.wait_for_selector("text=Pemetaan kolom diterapkan")
    assert page.locator("#m-0-4").input_value() == ""
    assert "BUKTI FISIK: SK Tim Kerja" in page.content()
    assert "26 di antaranya perlu dilengkapi" in page.content()
    screenshot(page, f"plan-import-02-mapping-changed-{suffix}", full_page=False)

    page.click("#commit-import")
    page.wait_for_selector("text=26 rencana aksi perlu dilengkapi")
    preview = PlanImport.objects.get()
    assert PlanItem.objects.filter(plan_import=preview).count() == 69
    screenshot(page, f"plan-import-03-result-{suffix}", full_page=False)

    item = PlanItem.objects.get(steps="Seleksi anggota tim melalui rapat pimpinan")
    assert item.needs_completion and item.output == ""
    page.locator(f"#item-{item.code} a:has-text('Ubah')").click()
    page.wait_for_selector(f"#item-{item.code} input[name=target_text]")
    page.fill(f"#item-{item.code} input[name=target_text]", "Juni 2026")
    screenshot(page, f"plan-import-04-complete-in-place-{suffix}", full_page=False)
    page.locator(f"#item-{item.code} button:has-text('Simpan')").click()
    page.wait_for_selector(f"tr#item-{item.code}:not(.plan-row-edit)")
    item.refresh_from_db()
    assert item.flags == [] and item.target_end.isoformat() == "2026-06-30"
    page.reload()
    page.wait_for_selector("text=25 rencana aksi perlu dilengkapi")
    context.close()
    assert problems == [], problems


def test_an_outline_with_a_month_schedule_previews_every_statement_and_its_schedule_rows_areas(
        browser, live_server, cast):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/impor/")
    page.set_input_files("input[name=file]", str(DATA / "bpvp-kendari-2025.docx"))
    page.click("button:has-text('Baca dan pratinjau')")
    page.wait_for_selector("text=97 baris akan diimpor")
    # "4.3. Penerapan Zona Integritas Tata Usaha" names no area: the instrument's aliases place it
    # under Manajemen Perubahan, and its shaded months are its time.
    row = page.locator("tr", has_text="Tabel 1 baris 3").first
    row.scroll_into_view_if_needed()
    text = row.inner_text()
    assert "MP · A.I.1.ii Rencana Pembangunan Zona Integritas" in text and "Jan - Jun 2025" in text
    assert "baris jadwal tanpa area" not in page.content()
    revision = page.locator("tr", has_text="Tabel 1 baris 6").first.inner_text()
    assert "MP · A.I.1.iii Pemantauan dan Evaluasi Pembangunan WBK/WBBM" in revision
    screenshot(page, "plan-import-05-outline-and-schedule-desktop", full_page=False)
    context.close()
    assert problems == [], problems
