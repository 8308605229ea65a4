
import openpyxl
import pytest

from evidence.services import evidence_add_link
from plans.models import MonevEntry, PlanItem
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def plan_table(path):
    """A rencana aksi as units export it from Word: title rows, numbered names, merged KOMPONEN."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS"])
    sheet.append([])
    sheet.append(["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET", "PIC"])
    sheet.append([1, "1. Manajemen Perubahan", "a. Penyusunan Tim Kerja", "Menyusun SK Tim Kerja ZI",
                  "SK Kepala Unit", "Januari", "Budi"])
    sheet.append([2, None, "b. Rencana Pembangunan Zona Integritas", "Menyusun rencana kerja ZI\nRapat tim",
                  "Dokumen rencana kerja", "Februari - Maret", ""])
    sheet.merge_cells("B4:B5")
    sheet.append([3, "2. Penataan Tata Laksana", "E-Office", "Menerapkan persuratan elektronik",
                  "Tangkapan layar aplikasi", "Triwulan II", ""])
    book.save(path)


def test_koordinator_imports_tim_kerja_records_monev_koordinator_closes(new_context, live_server, cast, tmp_path):
    table = tmp_path / "rencana-aksi.xlsx"
    plan_table(table)
    context = new_context()
    page = context.new_page()

    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/")
    page.click("text=Impor dari Word/Excel")
    page.set_input_files("input[name=file]", str(table))
    page.click("button:has-text('Baca dan pratinjau')")
    page.wait_for_selector("text=3 baris akan diimpor")
    assert "A.I.2.ii" in page.content()  # "E-Office" understood as the SPBE indicator
    screenshot(page, "plans-01-import-preview")
    page.click("button:has-text('Impor semua baris')")
    page.wait_for_selector("text=3 rencana aksi diimpor")
    assert PlanItem.objects.filter(assessment=cast.assessment).count() == 3
    page.click("text=Ke rencana aksi")
    page.wait_for_url(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/")
    screenshot(page, "plans-02-rencana-aksi", full_page=False)
    # edit one row in place: the table stays, only the row turns into a form and back
    row = PlanItem.objects.get(steps="Menerapkan persuratan elektronik")
    page.locator(f"#item-{row.code} a:has-text('Ubah')").click()
    page.wait_for_selector(f"#item-{row.code} textarea[name=steps]")
    page.fill(f"#item-{row.code} textarea[name=steps]", "Menerapkan persuratan elektronik (TTE)")
    page.fill(f"#item-{row.code} input[name=target_text]", "Juli - Des")
    screenshot(page, "plans-02b-edit-in-place", full_page=False)
    page.locator(f"#item-{row.code} button:has-text('Simpan')").click()
    page.wait_for_selector(f"#item-{row.code} a:has-text('(TTE)')")
    assert page.url.endswith(f"/rencana/penilaian/{cast.assessment.code}/")
    row.refresh_from_db()
    assert row.steps.endswith("(TTE)") and row.target_start.month == 7
    page.click("a.nav-link:has-text('Monev')")
    page.select_option("select[name=kind]", "triwulan")
    page.click("button:has-text('Buka periode')")
    page.wait_for_selector("text=periode dibuat")
    # Only the running period and the next one (within the year) are opened, never past ones.
    periods = list(cast.assessment.monev_periods.order_by("start"))
    assert 1 <= len(periods) <= 2
    context.clear_cookies()

    item = PlanItem.objects.get(steps="Menyusun SK Tim Kerja ZI")
    question = cast.assessment.instrument.questions.get(path="A.I.1.i.a")
    evidence = evidence_add_link(assessment=cast.assessment, question=question, user=cast.timkerja,
                                 url="https://contoh.go.id/sk-tim-zi", title="SK Tim ZI 2026")
    login(page, live_server, "timkerja")
    page.goto(f"{live_server.url}/rencana/penilaian/{cast.assessment.code}/monev/")
    page.click(f"text={periods[0].label}")
    card = page.locator(f"#item-{item.code}")
    card.locator("textarea[name$=realisasi]").fill("SK Tim Kerja ZI telah ditetapkan")
    card.locator("input[name$=progress]").fill("100")
    card.locator("textarea[name$=kendala]").fill("Tidak ada")
    card.locator(f"input[value='{evidence.code}']").check()
    page.click("button:has-text('Simpan semua catatan')")  # one save for the whole table
    page.wait_for_selector("text=1 catatan monev disimpan")
    entry = MonevEntry.objects.get(plan_item=item)
    assert entry.progress == 100 and list(entry.evidence.all()) == [evidence]
    screenshot(page, "plans-03-monev-entry", full_page=False)
    context.clear_cookies()

    login(page, live_server, "koordinator")
    page.goto(f"{live_server.url}/rencana/monev/{entry.period.code}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Tutup periode')")
    page.wait_for_selector("text=ditutup")
    entry.period.refresh_from_db()
    assert entry.period.is_closed
    assert page.locator("textarea").count() == 1  # only the reopen reason remains editable
    screenshot(page, "plans-04-period-closed")
