"""Build the rencana aksi import test documents from the two reference plans, without cleaning text.

    .venv/bin/python tests/plans/data/make_data.py /path/to/reference

Writes next to this script (the generated files are committed; re-run only when this changes):

- bpvp-kendari-2025.docx: every line of the plain-text copy as a Word paragraph, and its month
  schedule (rows 4.3-4.10) as a Word table with twelve month columns; the months of each row are
  shaded. The plain text lost the shading, so which months are shaded is our assumption.
- bpvp-kendari-2025.xlsx: the same plan laid out in a workbook as such documents are typed into
  Excel: the outline of chapter III one paragraph a row, its numbering in its own column and
  indented one column per level, and the schedule on a second sheet with "√" in the month cells.
- upt-bakuda-2022.docx / .xlsx: the same for the second plan (an outline only).
- komponen-table.docx / .xlsx: a table like the one units keep in Word (NO · KOMPONEN · INDIKATOR
  · LANGKAH AKSI · BUKTI FISIK · TARGET): area headings written in the NO cell, KOMPONEN holding
  the indicator, INDIKATOR the sub-indicator, 26 of 69 times empty, the header repeated where a
  page breaks, and three rows split across a page break. Its text is ours, in the units' wording.
- *.expected.json: for every statement, the change area and indicator it belongs to, read by a
  person from the document (the heading it stands under, or its content where the heading is
  a copy-paste slip, as in UPT Bakuda's second "Penegakan Aturan Disiplin").
"""

import json
import re
import sys
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

# Indicator headings of each document, in order, with the 90/2021 indicator they stand for.
BPVP_INDICATORS = {
    "MP": ["A.I.1.i", "A.I.1.ii", "A.I.1.iii", "A.I.1.iv"],
    "PT": ["A.I.2.i", "A.I.2.ii", "A.I.2.iii"],
    "SDM": ["A.I.3.i", "A.I.3.ii", "A.I.3.iii", "A.I.3.iv", "A.I.3.v", "A.I.3.vi"],
    "AK": ["A.I.4.i", "A.I.4.ii"],
    "PW": ["A.I.5.i", "A.I.5.ii", "A.I.5.iii", "A.I.5.iv", "A.I.5.v"],
    "PP": ["A.I.6.i", "A.I.6.ii", "A.I.6.iii", "A.I.6.iv", "A.I.6.v"],
}
BAKUDA_INDICATORS = {
    "MP": ["A.I.1.i", "A.I.1.ii", "A.I.1.iii", "A.I.1.iv"],
    "PT": ["A.I.2.i", "A.I.2.ii", "A.I.2.iii"],
    # e. and f. are both headed "Penegakan Aturan Disiplin"; f.'s statement is about SIMPEG.
    "SDM": ["A.I.3.i", "A.I.3.ii", "A.I.3.iii", "A.I.3.iv", "A.I.3.v", "A.I.3.vi"],
    "AK": ["A.I.4.i", "A.I.4.ii"],
    "PW": ["A.I.5.i", "A.I.5.ii", "A.I.5.iii", "A.I.5.iv", "A.I.5.v"],
    "PP": ["A.I.6.i", "A.I.6.ii", "A.I.6.iv"],
}
AREA_ORDER = ["MP", "PT", "SDM", "AK", "PW", "PP"]
# Months shaded in the schedule rows 4.3-4.10 (assumed; see the module docstring).
SCHEDULE_MONTHS = [(1, 6), (1, 12), (3, 12), (7, 9), (7, 9), (10, 10), (10, 11), (11, 12)]
# The indicator each schedule row 4.3-4.10 stands for, read from its words (docs/plan-import.md,
# "Outline and schedule in one document"). The rows name no area, but they are about the Zona
# Integritas itself, which PermenPANRB 90/2021 places in Manajemen Perubahan:
# - 4.3-4.5 "Penerapan Zona Integritas <sub-unit / lingkungan kerja / stakeholder>" carry out the
#   ZI plan in a part of the unit (4.4 and 4.5 by spreading information about it, the plan's
#   "media untuk mensosialisasikan pembangunan WBK/WBBM"): Rencana Pembangunan Zona Integritas.
# - 4.6-4.10 "Revisi Penerapan Zona Integritas ..." revise that application after it has been
#   watched, the follow-up of monitoring ("hasil monitoring dan evaluasi telah ditindaklanjuti"):
#   Pemantauan dan Evaluasi Pembangunan WBK/WBBM. In 4.7 "Zona Program dan Evaluasi" is the name
#   of a sub-unit, not the evaluation; the row is a revision like the others.
SCHEDULE_INDICATORS = ["A.I.1.ii", "A.I.1.ii", "A.I.1.ii",
                       "A.I.1.iii", "A.I.1.iii", "A.I.1.iii", "A.I.1.iii", "A.I.1.iii"]


def shade(cell, color="A6A6A6"):
    properties = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    properties.append(shd)


def schedule_rows(lines):
    """The schedule lines of the plain text: the first cell's text without its HTML tags."""
    rows = []
    for line in lines:
        if line.startswith("<p>"):
            # Inline tags (<i>banner</i>) were runs inside a paragraph; block tags (<p>, <ul>) break it.
            text = re.sub(r"</?(?:i|b|em|strong|u)>", "", line.split("\t")[0])
            text = re.sub(r"<[^>]+>", "\n", text)
            text = "\n".join(part.strip() for part in text.split("\n") if part.strip())
            rows.append(text)
    return rows


def expected_outline(lines, indicators, *, statements_re, indicator_re, inline_after=None):
    """Statements with their area and indicator, by walking the outline as a person reads it."""
    expected, area, indicator_index, in_area = [], None, -1, False
    area_heading = re.compile(r"^(I|II|III|IV|V|VI)\.\s")
    for raw in lines:
        line = raw.strip().lstrip("-").strip()
        match = area_heading.match(line)
        if match:
            area = AREA_ORDER[["I", "II", "III", "IV", "V", "VI"].index(match[1])]
            indicator_index, in_area, mode = -1, True, "normal"
            continue
        if not in_area:
            continue
        if re.match(r"^(Target|Bukti pendukung)\s*[:;]", line):
            mode = "skip"
            continue
        if mode == "skip" and line.endswith(":") and not statements_re.match(line):
            mode = "normal"  # "Indikator ... sebagai berikut :" after an indicator's "Target :"
            continue
        if indicator_re.match(line):
            indicator_index += 1
            mode = "normal"
            if inline_after and indicator_index in inline_after.get(area, ()):
                expected.append({"area": area, "indicator": indicators[area][indicator_index],
                                 "text": inline_after[area][indicator_index]})
            continue
        if mode == "normal" and statements_re.match(line) and not line.rstrip().endswith(":"):
            expected.append({"area": area, "indicator": indicators[area][indicator_index],
                             "text": statements_re.sub("", line)[:60]})
        if line.startswith("BAB") or line.startswith("KEPALA"):
            in_area = False
    return expected


def outline_sheet(sheet, lines):
    """One paragraph a row: numbering in its own column, one column deeper per outline level."""
    depth = 0
    for line in lines:
        text = line.strip()
        bare = text.lstrip("-").strip()
        roman = re.match(r"^(I|II|III|IV|V|VI)\.\s+(.*)$", bare)
        numbered = re.match(r"^(\d{1,2}[.)]|[a-z][.)])\s*(.*)$", bare)
        if roman:
            depth = 0
            sheet.append([roman[1] + ".", roman[2]])
        elif numbered:
            level = 1 if (numbered[1][0].isdigit()) == outline_sheet.indicator_digits else 2
            depth = level
            sheet.append([None] * level + [numbered[1], numbered[2]])
        else:
            sheet.append([None] * (depth + 1) + [text])


def bpvp(reference: Path):
    lines = [line.rstrip("\n") for line in reference.joinpath("rencana-kerja-zi-bpvp-kendari-2025.txt")
             .read_text(encoding="utf-8").splitlines()]
    schedule = schedule_rows(lines)
    document = docx.Document()
    table_done = False
    for line in lines:
        if line.startswith("<p>"):
            if not table_done:
                table = document.add_table(rows=2, cols=13)
                table.style = "Table Grid"
                table.cell(0, 0).text = "Kegiatan"
                merged = table.cell(0, 1).merge(table.cell(0, 12))
                merged.text = "Bulan"
                table.cell(1, 0).merge(table.cell(0, 0))
                for month, name in enumerate(MONTHS, start=1):
                    table.cell(1, month).text = name
                for text, (first, last) in zip(schedule, SCHEDULE_MONTHS, strict=True):
                    cells = table.add_row().cells
                    cells[0].text = text
                    for month in range(first, last + 1):
                        shade(cells[month])
                table_done = True
            continue
        if line.strip():
            document.add_paragraph(line)
    document.save(HERE / "bpvp-kendari-2025.docx")

    start = next(i for i, line in enumerate(lines) if line.startswith("3.1."))
    end = next(i for i, line in enumerate(lines) if line.startswith("<p>"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rencana Aksi"
    sheet.append(["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS BPVP KENDARI TAHUN 2025"])
    outline_sheet.indicator_digits = True
    outline_sheet(sheet, [line for line in lines[start:end] if line.strip()])
    schedule_sheet = workbook.create_sheet("Jadwal")
    schedule_sheet.append(["Kegiatan", "Bulan"] + [None] * 11)
    schedule_sheet.merge_cells(start_row=1, start_column=2, end_row=1, end_column=13)
    schedule_sheet.append([None] + MONTHS)
    schedule_sheet.merge_cells("A1:A2")
    for text, (first, last) in zip(schedule, SCHEDULE_MONTHS, strict=True):
        schedule_sheet.append([text] + ["√" if first <= month <= last else None for month in range(1, 13)])
    workbook.save(HERE / "bpvp-kendari-2025.xlsx")

    expected = expected_outline(lines[start:end], BPVP_INDICATORS, statements_re=re.compile(r"^[a-z]\.\s*"),
                                indicator_re=re.compile(r"^\d{1,2}\.\s"))
    expected += [{"area": "MP", "indicator": indicator, "text": text[:60], "months": list(range(first, last + 1))}
                 for text, (first, last), indicator in zip(schedule, SCHEDULE_MONTHS, SCHEDULE_INDICATORS,
                                                           strict=True)]
    write_expected("bpvp-kendari-2025", expected)


def bakuda(reference: Path):
    lines = reference.joinpath("rencana-kerja-zi-upt-bakuda-bangka-2022.txt").read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in lines:
        if line.strip():
            document.add_paragraph(line)
    document.save(HERE / "upt-bakuda-2022.docx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rencana Kerja ZI"
    start = next(i for i, line in enumerate(lines) if line.startswith("C. RENCANA AKSI"))
    outline_sheet.indicator_digits = False
    outline_sheet(sheet, [line for line in lines[start:] if line.strip()])
    workbook.save(HERE / "upt-bakuda-2022.xlsx")
    inline = {"SDM": {4: "pelaksanaan Aturan disiplin/kode etik/kode perilaku",
                      5: "pelaksanaan sistem informasi kepegawaian"}}
    expected = expected_outline(lines[start:], BAKUDA_INDICATORS,
                                statements_re=re.compile(r"^\d{1,2}\s*[.)]\s*"),
                                indicator_re=re.compile(r"^[a-z]\.\s"), inline_after=inline)
    write_expected("upt-bakuda-2022", expected)


# --- the NO · KOMPONEN · INDIKATOR table --------------------------------------------------------

# (area heading as written, [(KOMPONEN as written, indicator, [(INDIKATOR, LANGKAH AKSI, BUKTI, TARGET)])])
KOMPONEN_TABLE = [
    ("A. MANAJEMEN PERUBAHAN", [
        ("Penyusunan Tim Kerja", "A.I.1.i", [
            ("Tim kerja dibentuk melalui mekanisme yang jelas", "Menyusun SK Tim Kerja Pembangunan ZI",
             "SK Tim Kerja", "Januari 2024"),
            ("Anggota tim dipilih melalui prosedur yang jelas", "Seleksi anggota tim melalui rapat pimpinan",
             "Notulen dan daftar hadir", ""),
            ("Tim kerja dievaluasi", "Evaluasi kinerja tim kerja", "Laporan evaluasi", "Desember"),
        ]),
        ("Rencana Pembangunan ZI", "A.I.1.ii", [
            ("Dokumen rencana kerja disusun", "Menyusun dokumen rencana kerja pembangunan ZI",
             "Dokumen rencana kerja", "Februari"),
            ("Target prioritas relevan", "Menetapkan target prioritas", "Daftar target prioritas", ""),
            ("Media sosialisasi tersedia", "Membuat media sosialisasi pembangunan ZI", "Banner, pamflet", "Maret"),
        ]),
        ("Monitoring dan Evaluasi Pembangunan ZI", "A.I.1.iii", [
            ("Kegiatan dilaksanakan sesuai rencana", "Rapat monitoring bulanan", "Notulen monev", "Setiap bulan"),
            ("Monev dilakukan berkala", "Menyusun laporan monev triwulan", "Laporan monev", "Triwulan II"),
            ("Hasil monev ditindaklanjuti", "Tindak lanjut rekomendasi monev", "Laporan tindak lanjut", ""),
        ]),
        ("Perubahan Pola Pikir dan Budaya Kerja", "A.I.1.iv", [
            ("Pimpinan menjadi role model", "Pimpinan memimpin apel dan briefing integritas",
             "Foto kegiatan", "Jan - Des"),
            ("Agen perubahan ditetapkan", "Menetapkan SK agen perubahan", "SK agen perubahan", "Maret 2024"),
            ("Budaya kerja dibangun", "Internalisasi budaya kerja ASN BerAKHLAK", "Daftar hadir", ""),
        ]),
    ]),
    ("B. PENATAAN TATALAKSANA", [
        ("SOP Kegiatan Utama", "A.I.2.i", [
            ("SOP mengacu peta proses bisnis", "Reviu SOP kegiatan utama", "Dokumen SOP", "April"),
            ("SOP diterapkan", "Penerapan SOP layanan", "Foto penerapan", ""),
            ("SOP dievaluasi", "Evaluasi SOP", "Laporan evaluasi SOP", "Oktober"),
        ]),
        ("E-Office", "A.I.2.ii", [
            ("Pengukuran kinerja memakai TI", "Penerapan aplikasi e-kinerja", "Tangkapan layar aplikasi", ""),
            ("Manajemen SDM memakai TI", "Pemutakhiran aplikasi kepegawaian", "Tangkapan layar", "Mei"),
            ("Pelayanan publik memakai TI", "Layanan daring melalui website", "Alamat website", "Juni"),
        ]),
        ("Keterbukaan Informasi Publik", "A.I.2.iii", [
            ("Kebijakan KIP diterapkan", "Menetapkan SK PPID", "SK PPID", "Februari"),
            ("Monev KIP dilakukan", "Monitoring layanan informasi publik", "Laporan layanan informasi", ""),
            ("Informasi dipublikasikan", "Publikasi informasi berkala di website", "Tangkapan layar", "TW III"),
        ]),
    ]),
    ("C. PENATAAN SISTEM MANAJEMEN SDM", [
        ("Perencanaan Kebutuhan Pegawai", "A.I.3.i", [
            ("Kebutuhan pegawai mengacu ABK", "Menyusun analisis beban kerja", "Dokumen ABK", "Maret"),
            ("Penempatan sesuai kebutuhan", "Penempatan pegawai sesuai formasi", "SK penempatan", ""),
            ("Monev penempatan", "Evaluasi penempatan pegawai", "Laporan evaluasi", "November"),
        ]),
        ("Pola Mutasi Internal", "A.I.3.ii", [
            ("Mutasi antar jabatan dilakukan", "Menyusun kebijakan pola mutasi", "SK pola mutasi", ""),
            ("Mutasi memperhatikan kompetensi", "Pelaksanaan mutasi internal", "SK mutasi", "Juli"),
            ("Monev mutasi", "Evaluasi mutasi internal", "Laporan evaluasi", ""),
        ]),
        ("Pengembangan Pegawai Berbasis Kompetensi", "A.I.3.iii", [
            ("Analisis kebutuhan diklat", "Menyusun Training Need Analysis", "Dokumen TNA", "Februari"),
            ("Kesempatan diklat yang sama", "Mengirim pegawai mengikuti pelatihan", "Sertifikat pelatihan",
             "Semester 2"),
            ("Monev pengembangan kompetensi", "Evaluasi pasca pelatihan", "Laporan evaluasi", ""),
        ]),
        ("Penetapan Kinerja Individu", "A.I.3.iv", [
            ("Kinerja individu selaras organisasi", "Menyusun SKP pegawai", "Dokumen SKP", "Januari"),
            ("Pengukuran berkala", "Penilaian kinerja triwulanan", "Rekap penilaian", "Setiap triwulan"),
            ("Hasil dipakai untuk reward", "Pemberian penghargaan pegawai teladan", "SK penghargaan", ""),
        ]),
        ("Penegakan Disiplin", "A.I.3.v", [
            ("Aturan disiplin diterapkan", "Rekap kehadiran pegawai", "Rekap absensi", "Setiap bulan"),
            ("Kode etik disosialisasikan", "Sosialisasi kode etik pegawai", "Daftar hadir", ""),
            ("Pelanggaran ditindak", "Pemeriksaan pelanggaran disiplin", "Berita acara", "Semester 2"),
        ]),
        ("SIMPEG", "A.I.3.vi", [
            ("Data kepegawaian dimutakhirkan", "Pemutakhiran data SIAPASN", "Tangkapan layar", "Juni"),
            ("Data pegawai mudah diakses", "Pemutakhiran profil pegawai di aplikasi", "Tangkapan layar", ""),
        ]),
    ]),
    ("D. PENGUATAN AKUNTABILITAS", [
        ("Keterlibatan Pimpinan", "A.I.4.i", [
            ("Pimpinan terlibat dalam perencanaan", "Rapat penyusunan rencana kinerja bersama pimpinan",
             "Notulen rapat", "Januari"),
            ("Pimpinan memantau kinerja", "Rapat evaluasi kinerja bulanan", "Notulen", ""),
            ("Pimpinan menetapkan kinerja", "Penandatanganan perjanjian kinerja", "Dokumen PK", "Januari 2024"),
        ]),
        ("Pengelolaan Akuntabilitas Kinerja", "A.I.4.ii", [
            ("Dokumen perencanaan ada", "Menyusun Renstra dan Renja", "Dokumen Renstra", "Februari"),
            ("IKU ditetapkan", "Menetapkan indikator kinerja utama", "SK IKU", ""),
            ("Laporan kinerja tepat waktu", "Menyusun LKj", "Dokumen LKj", "Februari 2024"),
        ]),
    ]),
    ("E. PENGUATAN PENGAWASAN", [
        ("Pengendalian Gratifikasi", "A.I.5.i", [
            ("Public campaign gratifikasi", "Kampanye anti gratifikasi", "Banner dan foto", "Mei"),
            ("Pengendalian gratifikasi diterapkan", "Membentuk UPG", "SK UPG", ""),
        ]),
        ("SPIP", "A.I.5.ii", [
            ("Lingkungan pengendalian dibangun", "Menyusun kebijakan SPIP", "SK SPIP", "Maret"),
            ("Penilaian risiko dilakukan", "Menyusun peta risiko", "Dokumen manajemen risiko", ""),
            ("Kegiatan pengendalian", "Pelaksanaan rencana tindak pengendalian", "Laporan RTP", "Agt"),
        ]),
        ("Pengaduan Masyarakat", "A.I.5.iii", [
            ("Kebijakan pengaduan diterapkan", "Menyediakan kanal pengaduan", "SK dan foto kotak pengaduan", ""),
            ("Pengaduan ditindaklanjuti", "Menindaklanjuti pengaduan", "Rekap pengaduan", "Setiap bulan"),
        ]),
        ("Whistle Blowing System", "A.I.5.iv", [
            ("WBS diterapkan", "Sosialisasi WBS", "Daftar hadir", "April"),
            ("WBS dievaluasi", "Evaluasi penerapan WBS", "Laporan evaluasi", ""),
            ("Hasil evaluasi WBS ditindaklanjuti", "Tindak lanjut evaluasi WBS", "Laporan", "November"),
        ]),
        ("Benturan Kepentingan", "A.I.5.v", [
            ("Benturan kepentingan dipetakan", "Identifikasi benturan kepentingan", "Dokumen pemetaan", "Juni"),
            ("Penanganan disosialisasikan", "Sosialisasi penanganan benturan kepentingan", "Daftar hadir", ""),
        ]),
    ]),
    ("F. PENINGKATAN KUALITAS PELAYANAN PUBLIK", [
        ("Standar Pelayanan", "A.I.6.i", [
            ("Standar pelayanan ditetapkan", "Menetapkan standar pelayanan", "SK standar pelayanan", "Januari"),
            ("Standar dimaklumatkan", "Maklumat pelayanan dipasang", "Foto maklumat", ""),
            ("Standar direviu", "Reviu standar pelayanan", "Laporan reviu", "Oktober"),
        ]),
        ("Budaya Pelayanan Prima", "A.I.6.ii", [
            ("Pelatihan pelayanan prima", "Pelatihan service excellent", "Sertifikat", "Mei"),
            ("Informasi layanan mudah diakses", "Publikasi informasi layanan", "Tangkapan layar", ""),
            ("Inovasi pelayanan", "Membuat inovasi layanan", "Dokumen inovasi", "Juli - Desember"),
        ]),
        ("Pengelolaan Pengaduan", "A.I.6.iii", [
            ("Media pengaduan terintegrasi SP4N-LAPOR", "Integrasi dengan SP4N-LAPOR!", "Tangkapan layar", ""),
            ("Unit pengelola pengaduan", "Menetapkan petugas pengaduan", "SK petugas", "Februari"),
        ]),
        ("Survei Kepuasan Masyarakat", "A.I.6.iv", [
            ("SKM dilakukan", "Pelaksanaan survei kepuasan masyarakat", "Laporan SKM", "Semester 1"),
            ("Hasil SKM dipublikasikan", "Publikasi hasil SKM", "Tangkapan layar", ""),
            ("Tindak lanjut SKM", "Rencana tindak lanjut hasil SKM", "Dokumen RTL", "Desember"),
        ]),
        ("Pemanfaatan Teknologi Informasi", "A.I.6.v", [
            ("TI dalam pelayanan", "Pengembangan aplikasi layanan", "Tangkapan layar", ""),
            ("Database terintegrasi", "Membangun database layanan", "Dokumen database", "September"),
        ]),
    ]),
]
HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET"]
SPLIT_AFTER = {7: " dan publikasi di website", 30: " serta evaluasi hasilnya", 52: " di ruang pelayanan"}
REPEAT_HEADER_AT = {18, 40, 60}


def komponen_rows():
    """(kind, cells) in table order: "header", "area", "row", "continued"."""
    out, expected, number = [("header", HEADER), ("numbers", ["1", "2", "3", "4", "5", "6"])], [], 0
    for area_heading, indicators in KOMPONEN_TABLE:
        out.append(("area", [area_heading, "", "", "", "", ""]))
        area = AREA_ORDER[["A", "B", "C", "D", "E", "F"].index(area_heading[0])]
        for komponen, path, rows in indicators:
            for first, (indikator, steps, output, target) in enumerate(rows):
                number += 1
                if number in REPEAT_HEADER_AT:
                    out.append(("header", HEADER))
                continued = SPLIT_AFTER.get(number)
                out.append(("row", [str(number), komponen if first == 0 else "", indikator, steps, output, target]))
                if continued:
                    out.append(("continued", ["", "", "", continued.strip(), "", ""]))
                expected.append({"area": area, "indicator": path, "text": steps + (continued or ""),
                                 "time": target})
    return out, expected


def komponen():
    rows, expected = komponen_rows()
    assert len(expected) == 69 and sum(1 for e in expected if not e["time"]) == 26, (
        len(expected), sum(1 for e in expected if not e["time"]))
    document = docx.Document()
    document.add_paragraph("RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS TAHUN 2024")
    table = document.add_table(rows=0, cols=6)
    table.style = "Table Grid"
    for kind, cells in rows:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
        if kind == "area" and cells[0].startswith(("B.", "D.")):
            row.cells[0].merge(row.cells[5])  # some headings merged across the row, some not
    document.save(HERE / "komponen-table.docx")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "RENAKSI"
    sheet.append(["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS TAHUN 2024"])
    sheet.append([])
    for kind, cells in rows:
        sheet.append(cells)
        if kind == "area" and cells[0].startswith(("B.", "D.")):
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
    workbook.save(HERE / "komponen-table.xlsx")
    write_expected("komponen-table", expected)


def write_expected(name: str, expected: list) -> None:
    (HERE / f"{name}.expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    print(f"{name}: {len(expected)} statements")


if __name__ == "__main__":
    reference = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "reference")
    bpvp(reference)
    bakuda(reference)
    komponen()
