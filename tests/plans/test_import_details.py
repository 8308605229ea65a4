"""Details of the plan import that the broader import tests do not pin down: the default row limit,
which table rows count as schedule rows, Word's list numbering formats, the readability boundary of
a TARGET column, how cells of columns with the same meaning are joined, and the day check of a time
range. Each test kills a mutant listed in docs/testing.md ("Surviving mutants")."""

import dataclasses
import io

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml

from plans.importing import Grid, RawRow, TableError, TargetError, parse_target, read_document, read_plan_table
from plans.importing.schedule import link_schedule
from plans.importing.tables import Column, TableLayout, refine_guesses, rows_from_grid

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "TARGET"]


def _xlsx(rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_default_row_limit_is_5000():
    body = [[n, "Manajemen Perubahan", "Penyusunan Tim Kerja", f"Langkah {n}", "Juni"] for n in range(1, 5002)]
    assert len(read_plan_table(_xlsx([HEADER, *body[:5000]]))) == 5000
    with pytest.raises(TableError, match="lebih dari 5000 baris"):
        read_plan_table(_xlsx([HEADER, *body]))


STATEMENT = "Membentuk tim kerja pembangunan zona integritas"


def test_a_table_row_with_its_own_area_or_indicator_is_not_a_schedule_row():
    outline = [RawRow(1, area="Manajemen Perubahan", indicator="Penyusunan Tim Kerja", steps=STATEMENT)]
    table = [
        RawRow(10, area="Penguatan Pengawasan", indicator="Pengendalian Gratifikasi", steps=STATEMENT,
               target="Maret 2025"),  # area and indicator of its own
        RawRow(11, indicator="Pengendalian Gratifikasi", steps=STATEMENT, target="April 2025"),  # indicator only
        RawRow(12, area="Penguatan Pengawasan", steps=STATEMENT, target="Mei 2025"),  # area only
    ]
    before = [dataclasses.replace(row) for row in table]
    links = link_schedule(outline, table, refs=[])
    assert links.merged == []
    assert links.rows == before  # kept as written: no statement's time, no area or indicator taken over
    assert not any(row.schedule for row in links.rows)
    assert (outline[0].target, outline[0].months) == ("", ())


def test_a_schedule_row_naming_a_statement_is_merged_into_it():
    # The positive side of the test above: without an area and an indicator the same row is merged.
    outline = [RawRow(1, area="Manajemen Perubahan", indicator="Penyusunan Tim Kerja", steps=STATEMENT)]
    links = link_schedule(outline, [RawRow(10, steps=STATEMENT, target="Maret 2025")], refs=[])
    assert links.rows == [] and len(links.merged) == 1
    assert outline[0].target == "Maret 2025"


def _numbered_docx(levels, paragraphs):
    """The paragraphs read from a Word document with one list (numId 7) whose levels have the given
    (numFmt, lvlText); a numFmt of None leaves the element out."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/>'
                   + (f'<w:numFmt w:val="{fmt}"/>' if fmt else "")
                   + f'<w:lvlText w:val="{text}"/></w:lvl>' for level, (fmt, text) in enumerate(levels))
    numbering.append(parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="77">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="7"><w:abstractNumId w:val="77"/></w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr>'))
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return [paragraph.text for paragraph in read_document(buffer).paragraphs]


def test_word_list_numbering_keeps_its_letter_and_lower_roman_formats():
    texts = _numbered_docx([("lowerLetter", "%1."), ("lowerRoman", "%2)"), ("upperRoman", "%3.")],
                           [(0, "Satu"), (1, "Dua"), (1, "Tiga"), (2, "Empat"), (0, "Lima")])
    assert texts == ["a. Satu", "i) Dua", "ii) Tiga", "I. Empat", "b. Lima"]


def test_word_list_numbering_without_a_format_is_decimal():
    assert _numbered_docx([(None, "%1.")], [(0, "Satu"), (0, "Dua")]) == ["1. Satu", "2. Dua"]


def _time_column_guess(readable: int, long_texts: int) -> str:
    times = [f"{month} 2025" for month in ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli")]
    sentences = [f"Sub indikator nomor {n} dengan uraian yang panjang" for n in range(long_texts)]
    body = [[f"Langkah {n}", text] for n, text in enumerate(times[:readable] + sentences)]
    grid = Grid("Tabel 1", [["LANGKAH AKSI", "TARGET"], *body], list(range(1, len(body) + 2)))
    layout = TableLayout(0, "Tabel 1", 1, [Column(0, "LANGKAH AKSI", "steps"), Column(1, "TARGET", "time")],
                         ("langkah aksi", "target"))
    refine_guesses(layout, grid, refs=[], year=2025)
    return layout.columns[1].guess


def test_a_target_column_is_read_as_sub_indicators_only_below_30_percent_readable_times():
    # 20 distinct texts: 6 readable times are exactly 30 % (0.3 * 20 == 6.0 in floating point).
    assert _time_column_guess(readable=6, long_texts=14) == "time"
    assert _time_column_guess(readable=5, long_texts=15) == "sub_indicator"


def test_cells_of_columns_with_the_same_meaning_are_joined():
    header = ["NO", "INDIKATOR", "INDIKATOR", "LANGKAH AKSI", "LANGKAH AKSI", "CATATAN", "KETERANGAN"]
    grid = Grid("Tabel 1", [header, ["1", "Penyusunan", "Tim\nKerja", "Membentuk tim", "Menetapkan SK",
                                     "rapat awal", "lihat lampiran"]], [1, 2])
    guesses = ["no", "indicator", "indicator", "steps", "steps", "", "note"]
    columns = [Column(i, h, g) for i, (h, g) in enumerate(zip(header, guesses, strict=True))]
    layout = TableLayout(0, "Tabel 1", 1, columns, tuple(h.lower() for h in header))
    [row] = rows_from_grid(grid, layout)
    assert row.indicator == "Penyusunan Tim Kerja"  # one line: joined (and line breaks replaced) by a space
    assert row.steps == "Membentuk tim\nMenetapkan SK"  # multi-line: one line per column
    assert row.note == "CATATAN: rapat awal\nlihat lampiran"  # unmapped columns by title, then notes


@pytest.mark.parametrize(("text", "start", "end"), [
    ("29 Februari - Maret 2024", "2024-02-01", "2024-03-31"),  # the start's year comes from the end: a leap year
    ("29 Februari - Januari 2025", "2024-02-01", "2025-01-31"),  # months wrap: the start is in 2024
])
def test_the_day_of_a_range_start_is_checked_in_the_start_year(text, start, end):
    target = parse_target(text, default_year=2020)
    assert (target.start.isoformat(), target.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["29 Februari - Maret 2023", "30 Februari - Maret 2024",
                                  "29 Februari 2023 - Maret 2024"])
def test_a_range_start_day_that_does_not_exist_in_its_year_is_refused(text):
    with pytest.raises(TargetError, match="tidak dipahami"):
        parse_target(text, default_year=2024)


def test_a_row_cut_by_a_page_break_is_joined_to_the_row_just_above_it():
    header = ["NO", "INDIKATOR", "LANGKAH AKSI", "TARGET"]
    grid = Grid("Tabel 1", [header, ["1", "Penyusunan Tim Kerja", "Membentuk tim", "Januari 2025"],
                            ["2", "", "Menetapkan SK tim", "Februari 2025"],
                            ["3", "", "Menyusun rencana kerja yang", "Maret 2025"],
                            ["", "", "memuat target setiap bulan", ""]], [1, 2, 3, 4, 5])
    layout = TableLayout(0, "Tabel 1", 1, [Column(0, "NO", "no"), Column(1, "INDIKATOR", "indicator"),
                                           Column(2, "LANGKAH AKSI", "steps"), Column(3, "TARGET", "time")],
                         ("no", "indikator", "langkah aksi", "target"))
    rows = rows_from_grid(grid, layout)
    assert [row.steps for row in rows] == ["Membentuk tim", "Menetapkan SK tim",
                                           "Menyusun rencana kerja yang memuat target setiap bulan"]
