"""plans.importing: target phrases, area/indicator names, and XLSX plan tables (no database)."""

import dataclasses
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.importing import (
    AREA_NAMES,
    TEMPLATE_HEADERS,
    RawRow,
    TableError,
    Target,
    TargetError,
    indicator_refs_from_instrument,
    match_area,
    match_indicator,
    normalise_name,
    parse_target,
    read_plan_table,
    write_template,
)

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "fixtures" / "instruments"
CODE_90 = "permenpanrb-90-2021"
CODE_10 = "permenpanrb-10-2019"
HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET", "PIC"]
ALL_MONTHS = tuple(range(1, 13))


def load_refs(code):
    data = json.loads((INSTRUMENTS / f"{code}.json").read_text(encoding="utf-8"))
    return indicator_refs_from_instrument(data)


REFS = {CODE_90: load_refs(CODE_90), CODE_10: load_refs(CODE_10)}


def match(text, area=None, code=CODE_90):
    ref = match_indicator(text, area=area, indicators=REFS[code], instrument_code=code)
    return ref.path if ref else None


def make_xlsx(path, rows, *, merges=(), sheet_title=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "start", "end", "months", "label"), [
    ("Juni 2020", "month", date(2020, 6, 1), date(2020, 6, 30), (6,), "Juni 2020"),
    ("juni", "month", date(2021, 6, 1), date(2021, 6, 30), (6,), "Juni 2021"),
    ("Jun 2021", "month", date(2021, 6, 1), date(2021, 6, 30), (6,), "Juni 2021"),
    ("Bulan Juni", "month", date(2021, 6, 1), date(2021, 6, 30), (6,), "Juni 2021"),
    ("Agustus 2025", "month", date(2025, 8, 1), date(2025, 8, 31), (8,), "Agustus 2025"),
    ("Agt", "month", date(2021, 8, 1), date(2021, 8, 31), (8,), "Agustus 2021"),
    ("Pebruari 2024", "month", date(2024, 2, 1), date(2024, 2, 29), (2,), "Februari 2024"),
    ("Nopember", "month", date(2021, 11, 1), date(2021, 11, 30), (11,), "November 2021"),
    ("Des. 2021", "month", date(2021, 12, 1), date(2021, 12, 31), (12,), "Desember 2021"),
    ("June 2020", "month", date(2020, 6, 1), date(2020, 6, 30), (6,), "Juni 2020"),
    ("Juni\n2020", "month", date(2020, 6, 1), date(2020, 6, 30), (6,), "Juni 2020"),
    ("31 Maret 2022", "month", date(2022, 3, 1), date(2022, 3, 31), (3,), "Maret 2022"),
    ("31/03/2022", "month", date(2022, 3, 1), date(2022, 3, 31), (3,), "Maret 2022"),
    ("06/2021", "month", date(2021, 6, 1), date(2021, 6, 30), (6,), "Juni 2021"),
    ("Juli - Des", "range", date(2021, 7, 1), date(2021, 12, 31), (7, 8, 9, 10, 11, 12), "Juli–Desember 2021"),
    ("Juli – Desember 2021", "range", date(2021, 7, 1), date(2021, 12, 31), (7, 8, 9, 10, 11, 12),
     "Juli–Desember 2021"),
    ("Januari s/d Desember 2021", "range", date(2021, 1, 1), date(2021, 12, 31), ALL_MONTHS,
     "Januari–Desember 2021"),
    ("Januari s.d. Desember", "range", date(2021, 1, 1), date(2021, 12, 31), ALL_MONTHS, "Januari–Desember 2021"),
    ("Maret sampai dengan Mei 2023", "range", date(2023, 3, 1), date(2023, 5, 31), (3, 4, 5), "Maret–Mei 2023"),
    ("Jan-Mar 2022", "range", date(2022, 1, 1), date(2022, 3, 31), (1, 2, 3), "Januari–Maret 2022"),
    ("January to March 2021", "range", date(2021, 1, 1), date(2021, 3, 31), (1, 2, 3), "Januari–Maret 2021"),
    ("Desember 2021 - Februari 2022", "range", date(2021, 12, 1), date(2022, 2, 28), (12, 1, 2),
     "Desember 2021–Februari 2022"),
    ("November - Februari 2022", "range", date(2021, 11, 1), date(2022, 2, 28), (11, 12, 1, 2),
     "November 2021–Februari 2022"),
    ("Triwulan II", "quarter", date(2021, 4, 1), date(2021, 6, 30), (4, 5, 6), "Triwulan II 2021"),
    ("Triwulan 2 2021", "quarter", date(2021, 4, 1), date(2021, 6, 30), (4, 5, 6), "Triwulan II 2021"),
    ("TW III", "quarter", date(2021, 7, 1), date(2021, 9, 30), (7, 8, 9), "Triwulan III 2021"),
    ("Trw IV", "quarter", date(2021, 10, 1), date(2021, 12, 31), (10, 11, 12), "Triwulan IV 2021"),
    ("Q1 2023", "quarter", date(2023, 1, 1), date(2023, 3, 31), (1, 2, 3), "Triwulan I 2023"),
    ("TW I - III", "range", date(2021, 1, 1), date(2021, 9, 30), tuple(range(1, 10)), "Januari–September 2021"),
    ("Semester I", "range", date(2021, 1, 1), date(2021, 6, 30), (1, 2, 3, 4, 5, 6), "Semester I 2021"),
    ("Semester 2 2022", "range", date(2022, 7, 1), date(2022, 12, 31), (7, 8, 9, 10, 11, 12), "Semester II 2022"),
    ("Setiap bulan", "recurring", date(2021, 1, 1), date(2021, 12, 31), ALL_MONTHS, "Setiap bulan 2021"),
    ("Tiap Bulan", "recurring", date(2021, 1, 1), date(2021, 12, 31), ALL_MONTHS, "Setiap bulan 2021"),
    ("setiap triwulan", "recurring", date(2021, 1, 1), date(2021, 12, 31), (3, 6, 9, 12), "Setiap triwulan 2021"),
    ("Setiap semester 2024", "recurring", date(2024, 1, 1), date(2024, 12, 31), (6, 12), "Setiap semester 2024"),
    ("Juni, September, Desember 2020", "list", date(2020, 6, 1), date(2020, 12, 31), (6, 9, 12),
     "Juni, September, Desember 2020"),
    ("Maret dan Juni", "list", date(2021, 3, 1), date(2021, 6, 30), (3, 6), "Maret, Juni 2021"),
    ("Desember 2021, Januari 2022", "list", date(2021, 12, 1), date(2022, 1, 31), (12, 1),
     "Desember 2021, Januari 2022"),
    ("Tahun 2021", "year", date(2021, 1, 1), date(2021, 12, 31), ALL_MONTHS, "Tahun 2021"),
    ("2022", "year", date(2022, 1, 1), date(2022, 12, 31), ALL_MONTHS, "Tahun 2022"),
])
def test_parse_target(text, kind, start, end, months, label):
    target = parse_target(text, default_year=2021)
    assert target == Target(kind=kind, start=start, end=end, months=months, text=text.strip(), label=label)


def test_parse_target_keeps_the_original_text_stripped_and_is_frozen():
    target = parse_target("  Juli - Des \n", default_year=2025)
    assert target.text == "Juli - Des"
    assert target.label == "Juli–Desember 2025"
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.kind = "month"


@pytest.mark.parametrize("text", [
    "", "   ", "segera", "xyz", "Bulan ke-13", "Juni 2020 - Mei 2020", "31 Februari 2022", "Triwulan V",
    "Semester 3", "Juni Juli", "Jan - Feb - Mar", "Jan, Feb - Mar", "2021 2022", "Juni -", "Triwulan",
    "13/2021", "setiap tahun", "akhir tahun",
])
def test_parse_target_refuses(text):
    with pytest.raises(TargetError, match=r'^Target ".*" tidak dipahami'):
        parse_target(text, default_year=2021)


TARGET_ALPHABET = st.sampled_from(list("0123456789 -–/.,()ivxdsjanfebmrtuoklpg\n") + [
    "Juni", "Des", "Triwulan", "TW", "Semester", "Setiap", "bulan", "s/d", "s.d.", "dan", "Tahun", "2021", "31",
    "99999999999999999999999", "²", "٣"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TARGET_ALPHABET, max_size=8).map("".join))
def test_parse_target_either_understands_or_refuses(text):
    try:
        target = parse_target(text, default_year=2021)
    except TargetError as error:
        assert str(error).startswith("Target ")
    else:
        assert target.start <= target.end
        assert target.months and all(1 <= month <= 12 for month in target.months)
        assert target.start.day == 1 and target.start.month in target.months and target.end.month in target.months


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_name_matching_never_fails_on_odd_text(text):
    assert isinstance(normalise_name(text), str)
    assert match_area(text) in {None, *AREA_NAMES}
    ref = match_indicator(text, area=None, indicators=REFS[CODE_90], instrument_code=CODE_90)
    assert ref is None or ref in REFS[CODE_90]


def test_parse_target_refusal_names_the_phrase_and_the_reason():
    with pytest.raises(TargetError) as error:
        parse_target("Juni 2020 - Mei 2020", default_year=2020)
    assert str(error.value) == 'Target "Juni 2020 - Mei 2020" tidak dipahami: akhir rentang sebelum awalnya'


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2. Penataan Tata Laksana", "penataan tatalaksana"),
    ("a. E-Office", "e office"),
    ("I. MANAJEMEN PERUBAHAN", "manajemen perubahan"),
    ("ii. SPBE", "spbe"),
    ("1) Tim Kerja", "tim kerja"),
    ("(a) Pola Mutasi Internal", "pola mutasi internal"),
    ("1.2. Keterbukaan Informasi Publik", "keterbukaan informasi publik"),
    ("A. Penguatan   Pengawasan\n", "penguatan pengawasan"),
    ("- Whistle-Blowing System", "whistleblowing system"),
    ("Penataan Sistem Manajemen Sumber Daya Manusia", "penataan sistem manajemen sdm"),
    ("Survey Kepuasan Masyarakat;", "survei kepuasan masyarakat"),
    ("Sistem Pemerintahan\nBerbasis Elektronik (SPBE)", "sistem pemerintahan berbasis elektronik spbe"),
    ("", ""),
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(("text", "code"), [
    *((name, code) for code, names in AREA_NAMES.items() for name in names),
    ("I. Manajemen Perubahan", "MP"),
    ("II. Penataan Tata Laksana", "PT"),
    ("2. PENATAAN TATALAKSANA", "PT"),
    ("III. Penataan Manajemen SDM", "SDM"),
    ("PENATAAN SISTEM MANAJEMEN SDM APARATUR", "SDM"),
    ("IV. Penguatan Akuntabilitas Kinerja", "AK"),
    ("V. Penguatan Pengawasan", "PW"),
    ("VI. Peningkatan Kualitas Pelayanan", "PP"),
    ("VI. Penguatan Kualitas Pelayanan Publik", "PP"),
    ("Manajemen Perubahan (8%)", "MP"),
    ("Area Perubahan: Penguatan Pengawasan", "PW"),
    ("Penataan Tatalaksan", "PT"),  # a typo
    ("SDM", "SDM"),
])
def test_match_area(text, code):
    assert match_area(text) == code


@pytest.mark.parametrize("text", ["", "Zona Integritas", "Indikator", "Pengelolaan Arsip", "Standar Pelayanan"])
def test_match_area_unknown(text):
    assert match_area(text) is None


def test_indicator_refs_from_instrument():
    refs_90, refs_10 = REFS[CODE_90], REFS[CODE_10]
    assert len(refs_90) == 45 and len(refs_10) == 26
    spbe = next(ref for ref in refs_90 if ref.path == "A.I.2.ii")
    assert (spbe.name, spbe.change_area, spbe.sub_komponen) == (
        "Sistem Pemerintahan Berbasis Elektronik (SPBE)", "PT", "PEMENUHAN")
    assert {ref.sub_komponen for ref in refs_90 if ref.change_area} == {"PEMENUHAN", "REFORM"}
    e_office = next(ref for ref in refs_10 if ref.path == "A.2.6")
    assert (e_office.name, e_office.change_area, e_office.sub_komponen) == ("E-Office", "PT", "")


@pytest.mark.parametrize("code", [CODE_90, CODE_10])
def test_every_indicator_matches_its_own_name_in_the_ways_units_write_it(code):
    for ref in REFS[code]:
        for text in (ref.name, ref.name.upper(), f"1. {ref.name}", f"b. {ref.name.lower()}", f" {ref.name}\n"):
            assert match(text, ref.change_area or None, code) == ref.path, text
            assert match(text, None, code) == ref.path, text


@pytest.mark.parametrize("code", [CODE_90, CODE_10])
def test_every_alias_points_at_an_indicator_and_matches_it(code):
    # Aliases are instrument data (the indicator nodes' "aliases" in fixtures/instruments).
    by_path = {ref.path: ref for ref in REFS[code]}
    aliases = {alias: ref.path for ref in REFS[code] for alias in ref.aliases}
    assert len(aliases) >= 12
    for alias, path in aliases.items():
        assert path in by_path, alias
        assert match(alias, by_path[path].change_area, code) == path, alias
        assert match(alias, None, code) == path, alias


@pytest.mark.parametrize("code", [CODE_90, CODE_10])
def test_the_instrument_file_carries_the_aliases_of_its_alias_file(code):
    # scripts/convert_lke.py merges indicator-aliases-*.json into the instrument file; both are
    # edited by hand between conversions, so they must not drift apart.
    version = code.removeprefix("permenpanrb-")
    alias_file = Path(__file__).resolve().parents[2] / "fixtures" / "instruments" / f"indicator-aliases-{version}.json"
    assert {ref.path: list(ref.aliases) for ref in REFS[code] if ref.aliases} == json.loads(
        alias_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "area", "path"), [
    # Spelling from real rencana kerja / juknis documents.
    ("a. E-Office", "PT", "A.I.2.ii"),
    ("b. E-Office /e-government", "PT", "A.I.2.ii"),
    ("Sistem Pemerintahan Berbasis Elektronik", "PT", "A.I.2.ii"),
    ("1. Prosedur Operasional Tetap (SOP) Pelayanan", "PT", "A.I.2.i"),
    ("Penerapan Sistem Pengawasan Internal Pemerintah (SPIP)", "PW", "A.I.5.ii"),
    ("d. *Whistle Blowing System (WBS)*", "PW", "A.I.5.iv"),
    ("c. Penilaian kepuasan terhadap pelayanan.", "PP", "A.I.6.iv"),
    ("Survey Kepuasan Masyarakat", "PP", "A.I.6.iv"),
    ("a. Tim Kerja", "MP", "A.I.1.i"),
    ("Penyusunan Tim Kerja ZI", "MP", "A.I.1.i"),
    ("Perencanaan Kebutuhan Pegawai sesuai dengan Kebutuhan", "SDM", "A.I.3.i"),
    ("Pengelolaan Akuntabilitas", "AK", "A.I.4.ii"),
    ("Standar Pelayanan Publik", "PP", "A.I.6.i"),
    # Pemenuhan and reform with similar names: pemenuhan unless the text says reform.
    ("Pengelolaan Pengaduan Masyarakat", "PW", "A.I.5.iii"),
    ("Reform: Pengelolaan Pengaduan Masyarakat", "PW", "A.II.5.ii"),
    ("Penanganan Pengaduan Masyarakat", "PW", "A.II.5.ii"),
    ("Sistem Pemerintahan Berbasis Elektronik (SPBE) yang Terintegrasi", "PT", "A.II.2.ii"),
    ("Sistem Pemerintahan Berbasis Elektronik Terintegrasi", "PT", "A.II.2.ii"),
    ("SPBE yang terintegrasi", "PT", "A.II.2.ii"),
    ("Kinerja Individu", "SDM", "A.II.3.i"),
    ("Penetapan Kinerja Individu", "SDM", "A.I.3.iv"),
])
def test_match_indicator_90_2021(text, area, path):
    assert match(text, area) == path


@pytest.mark.parametrize(("text", "area", "path"), [
    ("a. E-Office", "PT", "A.2.6"),
    ("SPBE", "PT", "A.2.6"),
    ("Penyusunan Tim Kerja", "MP", "A.1.1"),
    ("b. Penerapan Sistem Pengendalian Intern Pemerintah (SPIP)", "PW", "A.5.17"),
    ("Whistle Blowing System", "PW", "A.5.19"),
])
def test_match_indicator_10_2019(text, area, path):
    assert match(text, area, CODE_10) == path


@pytest.mark.parametrize(("text", "area", "code"), [
    ("Pengelolaan Arsip Dinamis", "PT", CODE_90),
    ("Peningkatan Kesejahteraan Pegawai", "SDM", CODE_90),
    ("Pengukuran kinerja individu secara periodik", "SDM", CODE_90),  # a question, not an indicator
    ("SPBE", "MP", CODE_90),  # the right name in the wrong area
    ("Inovasi", "PP", CODE_90),
    ("Penanganan Pengaduan", "PP", CODE_90),  # two different indicators are equally close
    ("Pengelolaan Pengaduan Masyarakat", None, CODE_90),  # PW and PP both have a close one
    ("Pengelolaan Pengaduan", "PP", CODE_10),  # a 90/2021 indicator, not in 10/2019
    ("Reform SPBE", "PT", CODE_90),
    ("", "PT", CODE_90),
    ("1.", None, CODE_90),
])
def test_match_indicator_unknown_is_none(text, area, code):
    assert match(text, area, code) is None


# --------------------------------------------------------------------------------------------
# XLSX tables
# --------------------------------------------------------------------------------------------

def test_read_clean_table(tmp_path):
    path = make_xlsx(tmp_path / "rencana.xlsx", [
        HEADER,
        [1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim kerja", "SK Tim Kerja", "Januari 2025",
         "Kasubbag TU"],
        [2, "Penataan Tatalaksana", "Keterbukaan Informasi Publik", "Publikasi informasi layanan",
         "Tangkapan layar situs", "Juli - Desember", None],
    ])
    assert read_plan_table(path) == [
        RawRow(2, "1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim kerja", "SK Tim Kerja",
               "Januari 2025", "Kasubbag TU"),
        RawRow(3, "2", "Penataan Tatalaksana", "Keterbukaan Informasi Publik", "Publikasi informasi layanan",
               "Tangkapan layar situs", "Juli - Desember", ""),
    ]


def test_read_accepts_a_file_object(tmp_path):
    path = make_xlsx(tmp_path / "rencana.xlsx", [HEADER, [1, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim",
                                                          "SK", "Juni", "TU"]])
    upload = io.BytesIO(path.read_bytes())
    upload.read(10)  # e.g. sniffed by a content-type check first
    assert [row.steps for row in read_plan_table(upload)] == ["Membentuk tim"]


def test_komponen_merged_down_and_empty_cells_carried_forward(tmp_path):
    path = make_xlsx(tmp_path / "merged.xlsx", [
        HEADER,
        [1, "I. Manajemen Perubahan", "1. Penyusunan Tim Kerja", "a. Membentuk tim", "SK", "Januari", "Ketua"],
        [None, None, None, "b. Menentukan anggota tim", "Berita acara", "Januari", "Ketua"],
        [2, None, "2. Rencana Pembangunan Zona Integritas", "a. Menyusun rencana kerja", "Dokumen", "Februari",
         None],
        [None, None, None, "b. Menetapkan target prioritas", "SK", "Februari", None],
        [3, None, "3. Pemantauan dan Evaluasi Pembangunan WBK/WBBM", "a. Rapat monev", "Notulen", "Setiap bulan",
         None],
        [4, "II. Penataan Tata Laksana", "1. SOP", "a. Menyusun SOP", "Dokumen SOP", "Maret", None],
        [None, None, None, "b. Evaluasi SOP", "Laporan", "Desember", None],
    ], merges=["B2:B6", "C2:C3", "C4:C5"])
    rows = read_plan_table(path)
    assert [row.row_number for row in rows] == [2, 3, 4, 5, 6, 7, 8]
    assert [row.area for row in rows] == ["I. Manajemen Perubahan"] * 5 + ["II. Penataan Tata Laksana"] * 2
    assert [row.indicator for row in rows] == [
        "1. Penyusunan Tim Kerja", "1. Penyusunan Tim Kerja",
        "2. Rencana Pembangunan Zona Integritas", "2. Rencana Pembangunan Zona Integritas",
        "3. Pemantauan dan Evaluasi Pembangunan WBK/WBBM", "1. SOP", "1. SOP"]
    assert [row.no for row in rows] == ["1", "", "2", "", "3", "4", ""]
    matched = [(match_area(row.area), match(row.indicator, match_area(row.area))) for row in rows]
    assert matched == [("MP", "A.I.1.i")] * 2 + [("MP", "A.I.1.ii")] * 2 + [("MP", "A.I.1.iii"),
                                                                            ("PT", "A.I.2.i"), ("PT", "A.I.2.i")]


def test_indicator_is_not_carried_into_a_new_area(tmp_path):
    path = make_xlsx(tmp_path / "areas.xlsx", [
        HEADER,
        [1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", None],
        [2, "Penataan Tatalaksana", None, "Menyusun SOP", "SOP", "Maret", None],
    ])
    assert [row.indicator for row in read_plan_table(path)] == ["Penyusunan Tim Kerja", ""]


def test_header_below_title_rows_and_column_numbers(tmp_path):
    path = make_xlsx(tmp_path / "judul.xlsx", [
        ["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS"],
        ["BALAI PELATIHAN VOKASI DAN PRODUKTIVITAS KENDARI TAHUN 2025"],
        [],
        ["No.", "Area Perubahan", "Indikator", "Rencana Aksi / Kegiatan", "Output", "Waktu Pelaksanaan",
         "Penanggung Jawab"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Penguatan Pengawasan", "Pengendalian Gratifikasi", "Sosialisasi gratifikasi", "Foto, notulen",
         "Triwulan II", "UPG"],
    ])
    assert read_plan_table(path) == [RawRow(6, "1", "Penguatan Pengawasan", "Pengendalian Gratifikasi",
                                            "Sosialisasi gratifikasi", "Foto, notulen", "Triwulan II", "UPG")]


@pytest.mark.parametrize(("header", "row", "expected"), [
    (["AREA", "INDIKATOR", "KEGIATAN", "BUKTI DUKUNG", "JADWAL"], ["MP", "Tim Kerja", "Membentuk tim", "SK", "Juni"],
     RawRow(2, "", "MP", "Tim Kerja", "Membentuk tim", "SK", "Juni", "")),
    (["Komponen", "Indikator", "Langkah-langkah Aksi", "Data Dukung", "Target Waktu", "PIC (opsional)"],
     ["MP", "Tim Kerja", "Membentuk tim", "SK", "Juni"],
     RawRow(2, "", "MP", "Tim Kerja", "Membentuk tim", "SK", "Juni", "")),
    (["indikator", "rencana aksi", "penanggung jawab"], ["Tim Kerja", "Membentuk tim", "Kasubbag TU"],
     RawRow(2, "", "", "Tim Kerja", "Membentuk tim", "", "", "Kasubbag TU")),
])
def test_header_variants_and_missing_optional_columns(tmp_path, header, row, expected):
    path = make_xlsx(tmp_path / "varian.xlsx", [header, row])
    assert read_plan_table(path) == [expected]


def test_numbering_and_spelling_variants_match_the_instrument(tmp_path):
    path = make_xlsx(tmp_path / "varian.xlsx", [
        HEADER,
        ["1", "2. Penataan Tata Laksana", "a. E-Office", "Inventarisasi aplikasi", "Daftar aplikasi", "Juli - Des",
         None],
        ["2", "II. PENATAAN TATALAKSANA", "b.  Keterbukaan  Informasi Publik ", "Publikasi", "Tautan", "Agt", None],
        ["3", "V. Penguatan Pengawasan", "d. Whistle Blowing System (WBS)", "Sosialisasi WBS", "Foto", "TW III",
         None],
        ["4", "Penataan Sistem Manajemen Sumber Daya Manusia", "Penegakan Aturan Disiplin / Kode Etik",
         "Sosialisasi kode etik", "Notulen", "Semester I", None],
    ])
    rows = read_plan_table(path)
    areas = [match_area(row.area) for row in rows]
    assert areas == ["PT", "PT", "PW", "SDM"]
    assert [match(row.indicator, area) for row, area in zip(rows, areas, strict=True)] == [
        "A.I.2.ii", "A.I.2.iii", "A.I.5.iv", "A.I.3.v"]
    assert [parse_target(row.target, default_year=2025).label for row in rows] == [
        "Juli–Desember 2025", "Agustus 2025", "Triwulan III 2025", "Semester I 2025"]


def test_unknown_indicator_row_matches_nothing(tmp_path):
    path = make_xlsx(tmp_path / "asing.xlsx", [
        HEADER,
        [1, "Manajemen Perubahan", "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", None],
        [2, "Manajemen Perubahan", "Pengelolaan Arsip Dinamis", "Menata arsip", "Daftar arsip", "Maret", None],
    ])
    rows = read_plan_table(path)
    assert [(row.row_number, match(row.indicator, match_area(row.area))) for row in rows] == [
        (2, "A.I.1.i"), (3, None)]


def test_area_heading_rows_merged_across_the_table(tmp_path):
    path = make_xlsx(tmp_path / "judul-area.xlsx", [
        HEADER,
        ["I. MANAJEMEN PERUBAHAN"],
        [1, None, "Penyusunan Tim Kerja", "Membentuk tim", "SK", "Januari", None],
        ["A. PENGUNGKIT"],
        ["II. PENATAAN TATALAKSANA"],
        ["Sistem Pemerintahan Berbasis Elektronik (SPBE)"],
        [2, None, None, "Inventarisasi aplikasi", "Daftar", "Februari", None],
    ], merges=["A2:G2", "A4:G4", "A5:G5", "A6:G6"])
    rows = read_plan_table(path)
    assert [(row.row_number, row.area, row.indicator) for row in rows] == [
        (3, "I. MANAJEMEN PERUBAHAN", "Penyusunan Tim Kerja"),
        (7, "II. PENATAAN TATALAKSANA", "Sistem Pemerintahan Berbasis Elektronik (SPBE)"),
    ]


def test_area_headings_in_the_indicator_column_of_a_table_without_komponen(tmp_path):
    path = make_xlsx(tmp_path / "tanpa-komponen.xlsx", [
        ["NO", "INDIKATOR", "LANGKAH AKSI", "TARGET"],
        ["I", "MANAJEMEN PERUBAHAN"],
        [1, "Penyusunan Tim Kerja", "Membentuk tim", "Januari"],
        ["II", "PENATAAN TATALAKSANA"],
        [1, "Keterbukaan Informasi Publik"],
        [None, None, "a. Publikasi informasi", "Maret"],
        [None, None, "b. Monev keterbukaan informasi", "Desember"],
    ])
    rows = read_plan_table(path)
    assert [(row.area, row.indicator, row.steps) for row in rows] == [
        ("MANAJEMEN PERUBAHAN", "Penyusunan Tim Kerja", "Membentuk tim"),
        ("PENATAAN TATALAKSANA", "Keterbukaan Informasi Publik", "a. Publikasi informasi"),
        ("PENATAAN TATALAKSANA", "Keterbukaan Informasi Publik", "b. Monev keterbukaan informasi"),
    ]


def test_multi_line_cells(tmp_path):
    path = make_xlsx(tmp_path / "baris.xlsx", [
        HEADER,
        [1, "Penataan\nTatalaksana", "Sistem Pemerintahan\nBerbasis Elektronik", "1. Inventarisasi\r\n2. Evaluasi",
         "Daftar aplikasi_x000D_\nLaporan evaluasi", "Juni\n2020", "Kasubbag\nTU"],
    ])
    [row] = read_plan_table(path)
    assert row.area == "Penataan Tatalaksana"
    assert row.indicator == "Sistem Pemerintahan Berbasis Elektronik"
    assert row.steps == "1. Inventarisasi\n2. Evaluasi"
    assert row.output == "Daftar aplikasi\nLaporan evaluasi"
    assert row.target == "Juni 2020"
    assert row.pic == "Kasubbag TU"
    assert match(row.indicator, match_area(row.area)) == "A.I.2.ii"


def test_numbers_and_dates_become_text(tmp_path):
    path = make_xlsx(tmp_path / "angka.xlsx", [
        HEADER,
        [1, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim", 3, datetime(2021, 6, 1), None],  # noqa: DTZ001 - Excel dates are naive ("Jun-21")
        [2.0, "Manajemen Perubahan", "Tim Kerja", "Rapat tim", 1.5, date(2021, 7, 15), None],
    ])
    rows = read_plan_table(path)
    assert [(row.no, row.output, row.target) for row in rows] == [("1", "3", "01/06/2021"),
                                                                   ("2", "1.5", "15/07/2021")]
    assert parse_target(rows[0].target, default_year=2020).label == "Juni 2021"


def test_formula_cells_without_cached_value_read_as_empty(tmp_path):
    # openpyxl writes formulas without the value Excel would cache: documented to read as "".
    path = make_xlsx(tmp_path / "rumus.xlsx", [
        HEADER,
        ["=ROW()-1", "Manajemen Perubahan", "Tim Kerja", "Membentuk tim", "SK", "=\"Juni \"&2021", None],
        ["=A2+1", "Manajemen Perubahan", "=C2", "Rapat tim", "Notulen", "Juli", None],
    ])
    rows = read_plan_table(path)
    assert [(row.no, row.indicator, row.target) for row in rows] == [("", "Tim Kerja", ""),
                                                                      ("", "Tim Kerja", "Juli")]


def test_formula_cells_with_cached_value_give_the_value(tmp_path):
    path = make_xlsx(tmp_path / "rumus.xlsx", [
        HEADER,
        ["=ROW()-1", "Manajemen Perubahan", "Tim Kerja", "Membentuk tim", "SK", "Juni", None],
    ])
    # What Excel does on save: keep the formula and cache its value next to it.
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>ROW()-1</f><v></v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<f>ROW()-1</f><v></v>", "<f>ROW()-1</f><v>1</v>").encode()
    cached = tmp_path / "tersimpan-excel.xlsx"
    with zipfile.ZipFile(cached, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    assert [row.no for row in read_plan_table(cached)] == ["1"]


def test_repeated_header_rows_and_empty_rows_are_skipped(tmp_path):
    path = make_xlsx(tmp_path / "halaman.xlsx", [
        HEADER,
        [1, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim", "SK", "Januari", None],
        [],
        [None, None, None, None, None, None, None],
        HEADER,  # a Word table that spans two pages repeats its header
        [2, None, None, "Rapat tim", "Notulen", "Februari", None],
        [3, "Penguatan Akuntabilitas", "Indikator Kinerja Utama", "Kegiatan reviu IKU", "Laporan", "Maret", None],
    ])
    rows = read_plan_table(path)
    assert [(row.row_number, row.area, row.indicator, row.steps) for row in rows] == [
        (2, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim"),
        (6, "Manajemen Perubahan", "Tim Kerja", "Rapat tim"),
        (7, "Penguatan Akuntabilitas", "Indikator Kinerja Utama", "Kegiatan reviu IKU"),
    ]


def test_table_on_a_later_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sampul"
    workbook.active.append(["RENCANA AKSI ZI 2025"])
    sheet = workbook.create_sheet("Rencana Aksi")
    sheet.append(HEADER)
    sheet.append([1, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim", "SK", "Januari", None])
    workbook.save(tmp_path / "dua-lembar.xlsx")
    assert [row.steps for row in read_plan_table(tmp_path / "dua-lembar.xlsx")] == ["Membentuk tim"]


def test_max_rows(tmp_path):
    rows = [HEADER] + [[n, "Manajemen Perubahan", "Tim Kerja", f"Langkah {n}", "SK", "Juni", None]
                       for n in range(1, 12)]
    path = make_xlsx(tmp_path / "banyak.xlsx", rows)
    assert len(read_plan_table(path, max_rows=11)) == 11
    with pytest.raises(TableError, match="lebih dari 10 baris"):
        read_plan_table(path, max_rows=10)


def test_a_thousand_rows(tmp_path):
    indicators = [ref for ref in REFS[CODE_90] if ref.change_area][:20]
    rows = [HEADER]
    for n in range(1, 1001):
        ref = indicators[n % len(indicators)]
        rows.append([n, AREA_NAMES[ref.change_area][0], ref.name, f"Langkah aksi {n}\nuraian", "Laporan",
                     "Juli - Desember", "Tim kerja"])
    path = make_xlsx(tmp_path / "seribu.xlsx", rows)
    result = read_plan_table(path)
    assert len(result) == 1000
    assert result[-1].row_number == 1001 and result[-1].steps == "Langkah aksi 1000\nuraian"
    assert all(match(row.indicator, match_area(row.area)) for row in result)


def test_empty_workbook(tmp_path):
    path = make_xlsx(tmp_path / "kosong.xlsx", [])
    with pytest.raises(TableError, match="kosong"):
        read_plan_table(path)


def test_workbook_without_the_columns(tmp_path):
    path = make_xlsx(tmp_path / "lain.xlsx", [["Nama", "NIP", "Jabatan"], ["Budi", "1987", "Analis"]])
    with pytest.raises(TableError, match="Kolom LANGKAH AKSI dan INDIKATOR tidak ditemukan"):
        read_plan_table(path)


@pytest.mark.parametrize(("name", "content"), [
    ("rencana.xlsx", b"NO;KOMPONEN;INDIKATOR;LANGKAH AKSI\n1;MP;Tim Kerja;Membentuk tim\n"),
    ("rencana.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),  # an old .xls renamed
    ("rencana.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    ("rencana.xlsx", b""),
])
def test_not_an_xlsx(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableError, match="bukan XLSX"):
        read_plan_table(path)
    with pytest.raises(TableError, match="bukan XLSX"):
        read_plan_table(io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("dokumen.txt", "bukan lembar kerja")
    with pytest.raises(TableError, match="rusak"):
        read_plan_table(path)


def test_xml_entities_are_refused(tmp_path):
    path = make_xlsx(tmp_path / "entitas.xlsx", [HEADER, [1, "MP", "Tim Kerja", "Membentuk tim"]])
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    bomb = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    parts["xl/worksheets/sheet1.xml"] = (bomb + sheet.replace("Membentuk tim", "&b;")).encode()
    with zipfile.ZipFile(path, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    assert openpyxl.DEFUSEDXML
    with pytest.raises(TableError, match="rusak") as error:
        read_plan_table(path)
    causes = []
    exception = error.value
    while exception is not None:
        causes.append(type(exception).__name__)
        exception = exception.__cause__ or exception.__context__
    assert "EntitiesForbidden" in causes  # refused by defusedxml, not by accident


def test_write_template(tmp_path):
    path = tmp_path / "templat.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == list(TEMPLATE_HEADERS) == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    # The example row is marked and never imported, even when left in the file…
    assert sheet["A2"].value == "CONTOH"
    assert read_plan_table(path) == []
    # …while a row the unit writes below it is, and the example's content itself is understood.
    sheet.append([1, *[cell.value for cell in sheet[2]][1:]])
    sheet["A2"] = "contoh"
    workbook.save(path)
    [row] = read_plan_table(path)
    assert row.row_number == 3
    assert match_area(row.area) == "PT"
    assert match(row.indicator, "PT") == "A.I.2.ii"
    assert "\n" in row.steps
    assert parse_target(row.target, default_year=2025).label == "Juli–Desember 2025"


def test_write_template_to_a_file_object():
    buffer = io.BytesIO()
    write_template(buffer)
    assert read_plan_table(io.BytesIO(buffer.getvalue())) == []


def test_the_content_decides_not_the_extension(tmp_path):
    path = make_xlsx(tmp_path / "rencana.xlsx", [HEADER, [1, "Manajemen Perubahan", "Tim Kerja", "Membentuk tim"]])
    renamed = path.rename(tmp_path / "rencana.xls")
    assert [row.steps for row in read_plan_table(renamed)] == ["Membentuk tim"]
    assert [row.steps for row in read_plan_table(str(renamed))] == ["Membentuk tim"]


def test_a_target_without_a_specific_reason_says_only_that_it_is_not_understood():
    with pytest.raises(TargetError) as error:
        parse_target("segera", default_year=2021)
    assert str(error.value) == 'Target "segera" tidak dipahami'


def test_a_package_that_unpacks_beyond_the_limit_is_refused_as_too_large():
    from plans.importing.sources import MAX_UNCOMPRESSED_BYTES, sniff_kind

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("xl/media/kosong.bin", "w", force_zip64=True) as entry:
            block = bytes(1024 * 1024)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(block) + 1):
                entry.write(block)
    with pytest.raises(TableError) as error:
        sniff_kind(out)
    assert str(error.value) == "Berkas terlalu besar untuk dibaca sebagai rencana aksi."
