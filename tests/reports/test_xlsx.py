"""XLSX documents reopened with openpyxl and checked cell by cell, formula injection included."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage

from reports import services
from reports.models import JobStatus
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument, score_sides
from tests.reports.conftest import INJECTIONS, KNOWN_STEPS, job_for

pytestmark = pytest.mark.django_db


def workbook_for(cast, kind, parameters=None):
    job = services.report_run(job_for(cast, kind, "xlsx", parameters).pk)
    assert job.status == JobStatus.DONE, job.error
    return openpyxl.load_workbook(io.BytesIO(default_storage.open(job.file.name).read()))


def rows_of(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def find_row(sheet, column: int, value):
    """The first row (as cells) whose column (1-based) holds value."""
    for row in sheet.iter_rows():
        if len(row) >= column and row[column - 1].value == value:
            return row
    raise AssertionError(f"{value!r} not in column {column} of {sheet.title}")


def assert_literal(cell, text):
    assert cell.value == text and cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)


def test_the_rencana_aksi_xlsx_has_the_familiar_table(realistic):
    sheet = workbook_for(realistic, "rencana_aksi")["Rencana Aksi"]
    assert sheet["A1"].value == "RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS"
    assert sheet["A2"].value == "Kementerian Uji — Balai Uji" and sheet["A3"].value == "Tahun 2026"
    assert [c.value for c in sheet[5]] == ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK/OUTPUT",
                                          "TARGET", "PIC", "STATUS"]
    assert sheet.print_title_rows == "$5:$5" and sheet.freeze_panes == "A6"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    first = [c.value for c in sheet[6]]
    assert first == [1, "1. Manajemen Perubahan", "A.I.1.i Penyusunan Tim Kerja", KNOWN_STEPS, "SK Tim Kerja ZI",
                     "Januari 2026", "Tim 1", "Selesai (100%)"]
    assert sheet["B7"].value is None and sheet["C7"].value is None  # same area and indicator: written once
    assert sheet.max_row == 5 + len(realistic.plans.items)
    hasil = find_row(sheet, 2, "Hasil")
    assert hasil[3].value == "Survei persepsi antikorupsi internal" and "terlambat" in hasil[7].value


def test_formula_injection_stays_literal_text(realistic):
    sheet = workbook_for(realistic, "rencana_aksi")["Rencana Aksi"]
    row = find_row(sheet, 4, INJECTIONS[0])
    assert_literal(row[3], '=HYPERLINK("http://x","y")')
    assert_literal(row[4], "+cmd|' /C calc'!A0")
    assert_literal(row[6], "@SUM(1)")
    assert row[3].quotePrefix and row[4].quotePrefix and row[6].quotePrefix
    assert row[3].fill.fgColor.rgb.endswith("FDE2E1")  # late: highlighted
    monev = workbook_for(realistic, "monev", {"period": str(realistic.plans.october.code)})["Rincian"]
    assert_literal(find_row(monev, 4, "Menyusun rencana kerja pembangunan ZI")[7], "-1+1")


def test_the_monev_xlsx_has_a_summary_and_every_item(realistic):
    workbook = workbook_for(realistic, "monev", {"period": str(realistic.plans.october.code)})
    assert workbook.sheetnames == ["Ringkasan", "Rincian"]
    summary = workbook["Ringkasan"]
    assert summary["A4"].value == "Periode Oktober 2026 (1 Oktober 2026 – 31 Oktober 2026)"
    assert [c.value for c in summary[6]][:5] == ["AREA", "RENCANA AKSI", "SELESAI", "TERLAMBAT", "SESUAI JADWAL"]
    mp = find_row(summary, 1, "Manajemen Perubahan")
    assert [c.value for c in mp][:5] == ["Manajemen Perubahan", 3, 2, 1, 0]
    detail = workbook["Rincian"]
    assert [c.value for c in detail[6]] == ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "TARGET", "REALISASI",
                                           "PROGRES (%)", "KENDALA", "TINDAK LANJUT", "JUMLAH BUKTI", "KETERANGAN"]
    first = [c.value for c in find_row(detail, 4, KNOWN_STEPS)]
    assert first[5:10] == ["Realisasi Oktober butir 1", 100, "Anggaran terbatas", "Koordinasi dengan bagian keuangan",
                           2]  # two active evidence items on A.I.1.i.a (a file and a link); the withdrawn one not
    no_entry = find_row(detail, 4, "Pimpinan memimpin rapat evaluasi kinerja")
    assert no_entry[5].value is None and no_entry[6].value == "belum diisi"
    late = find_row(detail, 4, "Menyusun rencana kerja pembangunan ZI")
    assert late[10].value == "terlambat" and late[0].fill.fgColor.rgb.endswith("FDE2E1")
    assert detail.max_row == 6 + len(realistic.plans.items)


def test_the_lke_xlsx_follows_the_official_layout_with_both_sides(realistic, settings):
    settings.REPORT_SITE_URL = "https://zi.example.go.id"
    workbook = workbook_for(realistic, "lke")
    assert workbook.sheetnames == ["Rekapitulasi", "LKE"]
    sheet = workbook["LKE"]
    assert [c.value for c in sheet[5]] == [
        "NO", "KOMPONEN / INDIKATOR / PERTANYAAN", "BOBOT", "PENJELASAN", "PILIHAN JAWABAN", "JAWABAN UNIT", "NILAI",
        "%", "CATATAN", "JAWABAN TPI", "NILAI TPI", "CATATAN TPI", "BUKTI"]
    question_count = realistic.assessment.instrument.questions.count()
    node_count = realistic.assessment.instrument.nodes.count()
    assert sheet.max_row == 5 + question_count + node_count

    row = find_row(sheet, 1, "A.I.1.i.a")
    assert row[1].value.startswith("Unit kerja telah membentuk tim")
    assert row[2].value is None and row[3].value == "Ya, jika Tim telah dibentuk di dalam unit kerja."
    assert row[4].value == "Ya. Ya, jika Tim telah dibentuk di dalam unit kerja.\nTidak. Tidak"
    assert row[5].value == "Tidak" and row[6].value == 0 and row[9].value == "Tidak"
    assert_literal(row[8], INJECTIONS[0])  # the unit's note
    evidence = realistic.evidence[0]
    link = f"https://zi.example.go.id/bukti/berkas/{evidence.versions.last().code}/unduh/"
    assert f"SK Tim Kerja Pembangunan ZI [Diterima] {link}" in row[12].value
    assert "Berita di situs unit [Diterima] https://unit.example.go.id/berita/zi" in row[12].value
    assert "Draf ditarik" not in row[12].value

    ratio = find_row(sheet, 1, "A.II.1.i.a")
    answer = Answer.objects.get(assessment=realistic.assessment, question__path="A.II.1.i.a", side=Side.UNIT)
    assert ratio[5].value == (f"Jumlah Agen Perubahan: {answer.counts[0]}\n"
                              f"Jumlah Perubahan yang dibuat: {answer.counts[1]}")

    sides = score_sides(assessment=realistic.assessment, ins=engine_instrument(realistic.assessment.instrument))
    pengungkit = find_row(sheet, 1, "A")
    assert pengungkit[2].value == 60
    assert pengungkit[6].value == pytest.approx(sides[Side.UNIT].score.nodes["A"])
    assert pengungkit[10].value == pytest.approx(sides[Side.TPI].score.nodes["A"])
    assert pengungkit[6].value != pengungkit[10].value

    summary = workbook["Rekapitulasi"]
    assert [c.value for c in summary[5]][:7] == ["NO", "KOMPONEN / SUB-KOMPONEN / AREA", "BOBOT", "NILAI UNIT",
                                                "% UNIT", "NILAI TPI", "% TPI"]
    total = find_row(summary, 2, "Total")
    assert total[3].value == pytest.approx(sides[Side.UNIT].score.total)
    assert total[5].value == pytest.approx(sides[Side.TPI].score.total)
    area = find_row(summary, 1, "A.I.1")
    assert area[1].value.strip() == "Manajemen Perubahan" and area[2].value == 4
    assert area[4].value == pytest.approx(sides[Side.UNIT].score.nodes["A.I.1"] / 4 * 100)
    values = [c.value for row in summary.iter_rows() for c in row]
    assert "WBK: belum memenuhi" in values and "Jawaban TPI" in values


def test_the_portalrb_template_puts_each_soal_on_its_row(realistic, settings):
    settings.REPORT_SITE_URL = "https://zi.example.go.id"
    workbook = workbook_for(realistic, "portalrb")
    assert workbook.sheetnames == ["Jawaban"]
    sheet = workbook["Jawaban"]
    assert (sheet["K5"].value, sheet["L5"].value, sheet["M5"].value, sheet["N5"].value, sheet["Q5"].value) == (
        "JAWABAN UNIT", "CATATAN UNIT", "BUKTI UNIT", "JAWABAN TPI", "CATATAN TPI")
    answers = {(a.question.path, a.side): a for a in Answer.objects.filter(assessment=realistic.assessment)
               .select_related("question")}

    # Row 6: soal 1, A.I.1.i.a (Ya/Tidak), with evidence and the unit's formula-like note.
    assert (sheet["A6"].value, sheet["B6"].value) == (1, "A.I.1.i.a")
    assert sheet["K6"].value == answers[("A.I.1.i.a", Side.UNIT)].option == "Tidak"
    assert sheet["N6"].value == answers[("A.I.1.i.a", Side.TPI)].option
    assert_literal(sheet["L6"], INJECTIONS[0])
    assert sheet["M6"].value == (f"https://zi.example.go.id/bukti/penilaian/{realistic.assessment.code}"
                                 "/pertanyaan/A.I.1.i.a/")

    # Row 127: soal 89, the second counted input of A.II.1.i.a.
    unit, tpi = answers[("A.II.1.i.a", Side.UNIT)], answers[("A.II.1.i.a", Side.TPI)]
    assert (sheet["A127"].value, sheet["B127"].value, sheet["C127"].value) == (89, "A.II.1.i.a",
                                                                               "Jumlah Perubahan yang dibuat")
    assert sheet["K127"].value == unit.counts[1] and sheet["N127"].value == tpi.counts[1]
    assert sheet["M127"].value is None  # no evidence on that question

    # Row 199: soal 125, the IPAK survey index.
    assert (sheet["A199"].value, sheet["B199"].value) == (125, "B.I.a.a")
    assert sheet["K199"].value == float(answers[("B.I.a.a", Side.UNIT)].index)
    assert sheet["N199"].value == float(answers[("B.I.a.a", Side.TPI)].index)

    assert sheet["A8"].value is None and sheet["K8"].value is None  # rows without a soal stay empty
    assert sheet.max_row == 202
    filled = [row[0].value for row in sheet.iter_rows(min_row=6) if row[0].value is not None]
    assert len(filled) == 127 and filled == sorted(filled)
