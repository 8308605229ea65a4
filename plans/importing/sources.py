"""Read an uploaded rencana aksi (XLSX, DOCX or pasted text) into plain data: grids and paragraphs.

A Grid is a table as text, with merged cells already filled in (the value of a merged range in
every cell it covers) and two sets of positions: cells that continue a vertical merge from the
row above, and cells that are shaded (a month ticked by colour). A Paragraph is one line of an
outline. Both are JSON-serialisable, so a preview can be re-read with another column mapping
without the file. Pure Python; the rules are described in docs/plan-import.md.
"""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from openpyxl.utils.escape import unescape

from core.packages import PackageRefused, ZipLimits, check_zip_limits

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # far above any real plan; refuses zip bombs
MAX_GRID_ROWS = 20000  # sheets formatted down to row 1,048,576 would otherwise be walked to the end
_MAX_EMPTY_GAP = 500


class TableError(ValueError):
    """The whole file cannot be read; the message is Indonesian and meant for the user."""


@dataclass
class Grid:
    name: str  # shown to the user: 'Lembar "Rencana Aksi"' or "Tabel 2"
    rows: list[list[str]]
    row_numbers: list[int]  # the sheet's own row number (XLSX) or the table row (DOCX), 1-based
    merged_down: set[tuple[int, int]] = field(default_factory=set)  # (row index, column) under a vertical merge
    filled: set[tuple[int, int]] = field(default_factory=set)  # shaded cells

    def to_json(self) -> dict:
        return {"name": self.name, "rows": self.rows, "row_numbers": self.row_numbers,
                "merged_down": sorted(self.merged_down), "filled": sorted(self.filled)}

    @classmethod
    def from_json(cls, data: dict) -> "Grid":
        return cls(data["name"], data["rows"], data["row_numbers"],
                   {tuple(p) for p in data.get("merged_down", [])}, {tuple(p) for p in data.get("filled", [])})


@dataclass
class Paragraph:
    number: int  # 1-based position in the document (or line of a pasted text / row of a sheet)
    text: str
    source: str = ""  # "Dokumen", 'Lembar "Rencana"', "Teks"


@dataclass
class Document:
    kind: str  # "xlsx" | "docx" | "text"
    grids: list[Grid] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    # Sheets without a table header are read as an outline; set by the caller that knows headers.
    outline_sheets: list[Grid] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"kind": self.kind, "grids": [g.to_json() for g in self.grids],
                "paragraphs": [[p.number, p.text, p.source] for p in self.paragraphs]}

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        return cls(data["kind"], [Grid.from_json(g) for g in data["grids"]],
                   [Paragraph(*p) for p in data["paragraphs"]])


def cell_text(value, *, multiline: bool = True) -> str:
    """A cell as text; dates as dd/mm/yyyy (Excel turns "Jun-21" into a date), 3.0 as "3"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unescape(str(value))  # Excel stores "\r" as "_x000D_", which openpyxl leaves as is
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return ("\n" if multiline else " ").join(line for line in lines if line)


def sniff_kind(file) -> str:
    """"xlsx" or "docx" from the package's parts, never from the name; TableError otherwise."""
    file.seek(0)
    try:
        size_on_disk = file.seek(0, 2)
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
            names = set(package.namelist())
    except (zipfile.BadZipFile, EOFError) as exc:
        raise TableError("Berkas bukan XLSX atau DOCX (Excel/Word 2007 atau lebih baru). "
                         "Simpan ulang berkas sebagai .xlsx atau .docx lalu unggah lagi.") from exc
    finally:
        file.seek(0)
    try:
        check_zip_limits(infos, size_on_disk, ZipLimits(max_uncompressed=MAX_UNCOMPRESSED_BYTES))
    except PackageRefused as exc:
        if exc.code == "uncompressed":
            raise TableError("Berkas terlalu besar untuk dibaca sebagai rencana aksi.") from None
        raise TableError(f"Berkas ditolak: {exc}") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    raise TableError("Berkas rusak atau bukan XLSX/DOCX. Buka di Excel atau Word, simpan ulang, lalu unggah lagi.")


def read_document(file) -> Document:
    """Every table and outline paragraph of an XLSX or DOCX upload (a seekable binary file)."""
    kind = sniff_kind(file)
    return read_xlsx(file) if kind == "xlsx" else read_docx(file)


# --- XLSX ------------------------------------------------------------------------------------


def _is_filled(cell) -> bool:
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type in (None, "none"):
        return False
    color = fill.fgColor
    rgb = color.rgb if color is not None and color.type == "rgb" else None
    if isinstance(rgb, str) and rgb.upper() in ("FFFFFFFF", "00FFFFFF", "00000000"):
        return False
    return True


def read_xlsx(file) -> Document:
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "extension not supported" noise
            # read_only=False: merged ranges and fills are only known in the normal mode.
            # data_only=True: formulas give the value Excel cached when it last saved the file.
            workbook = openpyxl.load_workbook(file, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types on a malformed package
        raise TableError("Berkas XLSX rusak atau tidak dapat dibaca. "
                         "Buka di Excel, simpan ulang sebagai .xlsx lalu unggah lagi.") from exc
    try:
        document = Document("xlsx")
        # The active sheet first; workbook.worksheets leaves out chart sheets.
        for sheet in sorted(workbook.worksheets, key=lambda s: s is not workbook.active):
            grid = _sheet_grid(sheet)
            if grid.rows:
                document.grids.append(grid)
        return document
    finally:
        workbook.close()


def _sheet_grid(sheet) -> Grid:
    merged: dict[tuple[int, int], object] = {}
    merged_down: set[tuple[int, int]] = set()
    for cell_range in sheet.merged_cells.ranges:
        value = sheet.cell(cell_range.min_row, cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            for column in range(cell_range.min_col, cell_range.max_col + 1):
                merged[(row, column)] = value
                if row > cell_range.min_row:
                    merged_down.add((row, column))
    width = min(sheet.max_column, 200)
    rows, numbers, down, filled = [], [], set(), set()
    empty_run = 0
    for row_number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=width), start=1):
        if row_number > MAX_GRID_ROWS:
            break
        texts, shaded = [], []
        for column, cell in enumerate(cells, start=1):
            value = cell.value
            if value is None:
                value = merged.get((row_number, column))
            texts.append(cell_text(value))
            shaded.append(_is_filled(cell))
        if not any(texts) and not any(shaded):
            empty_run += 1
            if empty_run >= _MAX_EMPTY_GAP:
                break
            continue
        empty_run = 0
        index = len(rows)
        rows.append(texts)
        numbers.append(row_number)
        for column, is_shaded in enumerate(shaded):
            if is_shaded:
                filled.add((index, column))
            if (row_number, column + 1) in merged_down:
                down.add((index, column))
    return Grid(f'Lembar "{sheet.title}"', rows, numbers, down, filled)


# --- DOCX ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(file) -> Document:
    import docx  # python-docx; imported here so the XLSX path does not pay for it

    file.seek(0)
    try:
        word = docx.Document(file)
    except Exception as exc:  # python-docx raises many exception types on a malformed package
        raise TableError("Berkas DOCX rusak atau tidak dapat dibaca. "
                         "Buka di Word, simpan ulang sebagai .docx lalu unggah lagi.") from exc
    document = Document("docx")
    numbering = _Numbering(word)
    paragraph_number = 0
    for element in word.element.body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph_number += 1
            text = numbering.prefix(element) + _paragraph_text(element)
            if text.strip():
                document.paragraphs.append(Paragraph(paragraph_number, text.strip(), "Dokumen"))
        elif element.tag == f"{_W}tbl":
            grid = _table_grid(element, f"Tabel {len(document.grids) + 1}")
            if grid.rows:
                document.grids.append(grid)
    return document


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_paragraphs_text(tc) -> str:
    lines = [_paragraph_text(p) for p in tc.iter(f"{_W}p")]
    return cell_text("\n".join(lines))


def _attr(element, path: str, name: str):
    found = element.find(path)
    return None if found is None else found.get(f"{_W}{name}")


def _table_grid(tbl, name: str) -> Grid:
    """Rows of a Word table with horizontal (gridSpan) and vertical (vMerge) merges filled in."""
    rows: list[list[str]] = []
    down: set[tuple[int, int]] = set()
    filled: set[tuple[int, int]] = set()
    for tr in tbl.iterchildren(f"{_W}tr"):
        index = len(rows)
        texts: list[str] = []
        before = _attr(tr, f"{_W}trPr/{_W}gridBefore", "val")
        texts.extend([""] * int(before or 0))
        for tc in tr.iterchildren(f"{_W}tc"):
            span = int(_attr(tc, f"{_W}tcPr/{_W}gridSpan", "val") or 1)
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continues = vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue")
            shade = (_attr(tc, f"{_W}tcPr/{_W}shd", "fill") or "").upper()
            is_filled = shade not in ("", "AUTO", "FFFFFF")
            for _ in range(span):
                column = len(texts)
                if continues and index > 0 and column < len(rows[index - 1]):
                    texts.append(rows[index - 1][column])
                    down.add((index, column))
                else:
                    texts.append(_cell_paragraphs_text(tc))
                if is_filled:
                    filled.add((index, column))
        rows.append(texts)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    # Empty rows carry nothing; keep the table's own numbering for the messages.
    kept = [(i, r) for i, r in enumerate(rows) if any(r) or any((i, c) in filled for c in range(width))]
    renumber = {old: new for new, (old, _r) in enumerate(kept)}
    return Grid(name, [r for _i, r in kept], [i + 1 for i, _r in kept],
                {(renumber[r], c) for r, c in down if r in renumber},
                {(renumber[r], c) for r, c in filled if r in renumber})


_ROMAN_UPPER = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class _Numbering:
    """Word's automatic list numbering ("a.", "1)", "II.") turned back into text, so an outline
    written with Word's numbering reads like one typed by hand."""

    def __init__(self, word):
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl"))] = (_attr(lvl, f"{_W}numFmt", "val") or "decimal",
                                                     _attr(lvl, f"{_W}lvlText", "val") or "%1.")
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iterchildren(f"{_W}num"):
            levels = abstract.get(_attr(num, f"{_W}abstractNumId", "val"), {})
            for level, spec in levels.items():
                self.formats[(num.get(f"{_W}numId"), level)] = spec

    def prefix(self, p) -> str:
        num_id = _attr(p, f"{_W}pPr/{_W}numPr/{_W}numId", "val")
        if num_id is None or num_id == "0":
            return ""
        level = int(_attr(p, f"{_W}pPr/{_W}numPr/{_W}ilvl", "val") or 0)
        fmt, pattern = self.formats.get((num_id, level), ("decimal", "%1."))
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]  # a deeper list restarts under a new parent item
        count = self.counters.get((num_id, level), 0) + 1
        self.counters[(num_id, level)] = count
        if fmt == "bullet":
            return "- "
        label = {"lowerLetter": chr(96 + min(count, 26)), "upperLetter": chr(64 + min(count, 26)),
                 "upperRoman": _ROMAN_UPPER[min(count, 12) - 1],
                 "lowerRoman": _ROMAN_UPPER[min(count, 12) - 1].lower()}.get(fmt, str(count))
        return re.sub(r"%\d", label, pattern) + " "


# --- pasted text -----------------------------------------------------------------------------


def read_text(text: str) -> Document:
    """A block pasted from Word or Excel: tab-separated lines are a table, other lines an outline."""
    lines = [line.rstrip() for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    document = Document("text")
    tabbed = [line for line in lines if "\t" in line]
    if tabbed and len(tabbed) >= 0.5 * len([line for line in lines if line.strip()]):
        rows, numbers = [], []
        for number, line in enumerate(lines, start=1):
            if line.strip():
                rows.append([cell_text(cell) for cell in line.split("\t")])
                numbers.append(number)
        width = max(len(r) for r in rows)
        document.grids.append(Grid("Teks", [r + [""] * (width - len(r)) for r in rows], numbers))
        return document
    for number, line in enumerate(lines, start=1):
        if line.strip():
            document.paragraphs.append(Paragraph(number, line.strip(), "Teks"))
    return document


def grid_as_paragraphs(grid: Grid) -> list[Paragraph]:
    """A sheet without a table header, read as an outline: each row's cells joined into a line
    ("I." | "Manajemen Perubahan" → "I. Manajemen Perubahan"; a bare "a" gets its dot)."""
    paragraphs = []
    for texts, number in zip(grid.rows, grid.row_numbers, strict=True):
        cells = [t.replace("\n", " ") for t in texts if t]
        if not cells:
            continue
        if len(cells) > 1 and re.fullmatch(r"(?:[IVX]+|[a-zA-Z]|\d{1,2})", cells[0]):
            cells[0] += "."
        paragraphs.append(Paragraph(number, " ".join(cells), grid.name))
    return paragraphs


def open_bytes(data: bytes):
    return io.BytesIO(data)
