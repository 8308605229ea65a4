"""Plan rows from a table (an XLSX sheet, a Word table, tab-separated pasted text).

Finds the header row, guesses what each column means (from its title, then from what its cells
hold), and turns the body into RawRows: area headings in any cell, repeated headers and
column-number rows skipped, rows split across a page break joined to the row above, merged cells
carried down, ticked or shaded month columns read as months. Pure Python; the rules are
described in docs/plan-import.md.
"""

import re
from dataclasses import dataclass, field

from .names import IndicatorRef, area_exact, match_area, match_indicator, normalise_name
from .sources import Grid
from .template import EXAMPLE_MARKER
from .times import TargetError, parse_target

# What a column can mean. "" is "nothing": such a column is kept in the item's note.
MEANINGS = ("no", "area", "indicator", "sub_indicator", "steps", "output", "time", "pic", "note", "")
MONTH_MEANINGS = tuple(f"month:{n}" for n in range(1, 13))
ALL_MEANINGS = MEANINGS + MONTH_MEANINGS

HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "no": ("no", "nomor", "no urut"),
    "area": ("komponen", "area", "area perubahan", "komponen pengungkit", "area komponen", "komponen area"),
    "indicator": ("indikator", "indikator penilaian"),
    "sub_indicator": ("sub indikator", "subindikator", "sasaran", "pernyataan", "uraian indikator",
                      "kriteria", "target sub indikator"),
    "steps": ("langkah aksi", "kegiatan", "rencana aksi", "rencana kegiatan", "langkah langkah",
              "langkah langkah aksi", "uraian kegiatan", "rencana aksi kegiatan", "aksi", "uraian"),
    "output": ("bukti fisik", "output", "bukti dukung", "data dukung", "bukti data dukung", "keluaran",
               "output bukti fisik", "bukti fisik output", "bukti"),
    "time": ("target", "waktu", "jadwal", "target waktu", "waktu pelaksanaan", "jadwal pelaksanaan",
             "target penyelesaian", "batas waktu", "tenggat waktu", "jangka waktu", "waktu target"),
    "pic": ("pic", "penanggung jawab", "penanggungjawab", "pj", "pic penanggung jawab",
            "penanggung jawab pic", "unit penanggung jawab", "pelaksana"),
    "note": ("keterangan", "ket", "catatan"),
}
HEADER_SEARCH_ROWS = 15
_MONTH_HEADERS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
    "agt": 8, "ags": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}
TICKS = {"✓", "✔", "√", "v", "V", "x", "X", "•", "●", "■", "1", "ya", "Ya", "YA", "*", "☑", "✗", "✘"}
_COLUMN_NUMBER_RE = re.compile(r"\(?\d{1,2}\)?\.?")
_HEADING_WORDS = {"pengungkit", "komponen pengungkit", "hasil", "komponen hasil", "pemenuhan", "reform"}
_NUMERAL_RE = re.compile(r"(?:[IVX]+|[A-Za-z]|\d{1,3})[.)]?")
_TEXT_FIELDS = ("steps", "output", "sub_indicator")


@dataclass
class RawRow:
    """One plan row as written, before matching. Field order kept for older callers."""

    row_number: int  # the sheet row, table row or paragraph number, 1-based
    no: str = ""
    area: str = ""
    indicator: str = ""
    steps: str = ""
    output: str = ""
    target: str = ""  # the time as written
    pic: str = ""
    sub_indicator: str = ""
    months: tuple[int, ...] = ()  # ticked or shaded month columns
    note: str = ""  # columns mapped to nothing, "keterangan", target/bukti paragraphs
    source: str = field(default="", compare=False)  # 'Lembar "Rencana"', "Tabel 2", "Dokumen"
    # A schedule row (no area, no indicator) that names nothing of the document's outline.
    schedule: bool = field(default=False, compare=False)

    @property
    def where(self) -> str:
        what = "paragraf" if self.source in ("Dokumen",) else "baris"
        return f"{self.source} {what} {self.row_number}".strip() if self.source else f"baris {self.row_number}"


@dataclass
class Column:
    index: int
    header: str  # as written (header row and the row of month names under it)
    guess: str  # one of ALL_MEANINGS


@dataclass
class TableLayout:
    grid_index: int
    name: str
    header_end: int  # index of the first body row
    columns: list[Column]
    header_key: tuple[str, ...]  # normalised header texts, to recognise repeated header rows


def header_key(value) -> str:
    return " ".join(re.sub(r"[^\w]+|_", " ", str(value or "").lower()).split())


def header_meaning(value) -> str | None:
    key = header_key(value)
    if not key:
        return None
    if key in _MONTH_HEADERS:
        return f"month:{_MONTH_HEADERS[key]}"
    for meaning, names in HEADER_NAMES.items():
        if key in names:
            return meaning
    # "TARGET WAKTU PELAKSANAAN", "PIC (opsional)": the longest known name the header starts with.
    best = max(((len(name), meaning) for meaning, names in HEADER_NAMES.items() for name in names
                if key.startswith(name + " ")), default=None)
    return best[1] if best else None


def _is_header_row(meanings: list[str | None]) -> bool:
    found = {m for m in meanings if m}
    months = sum(1 for m in found if m.startswith("month:"))
    if "steps" in found and (len(found) >= 2 or months >= 6):
        return True
    return "indicator" in found and len(found & {"sub_indicator", "output", "time", "area", "no"}) >= 2


def _month_sub_header(texts: list[str]) -> dict[int, int]:
    """column -> month for a row of month names or of the numbers 1-12 under a BULAN header."""
    months: dict[int, int] = {}
    for column, text in enumerate(texts):
        key = header_key(text)
        if key in _MONTH_HEADERS:
            months[column] = _MONTH_HEADERS[key]
        elif key.isdigit() and 1 <= int(key) <= 12:
            months[column] = int(key)
    values = list(months.values())
    if len(values) >= 6 and values == sorted(values) and len(set(values)) == len(values):
        return months
    return {}


def find_layout(grid: Grid, grid_index: int) -> TableLayout | None:
    """The header of a grid and a first guess of every column's meaning, or None (not a table)."""
    for index, texts in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        meanings = [header_meaning(t) for t in texts]
        if not _is_header_row(meanings):
            continue
        header_end = index + 1
        months = _month_sub_header(grid.rows[index + 1]) if index + 1 < len(grid.rows) else {}
        above = {header_key(texts[c]) for c in months}
        if len(above - {""}) > 1 and not all(key.startswith("bulan") for key in above):
            months = {}  # "(1) (2) (3)" under distinct titles numbers the columns, it names no months
        if months:
            header_end += 1
        columns = []
        seen: set[str] = set()
        for column, text in enumerate(texts):
            guess = f"month:{months[column]}" if column in months else (meanings[column] or "")
            if guess and guess != "note" and guess in seen:
                guess = ""  # the first column wins a meaning; the next one is kept as a note
            seen.add(guess)
            label = " / ".join(t for t in dict.fromkeys(
                [text, grid.rows[index + 1][column] if months else ""]) if t)
            columns.append(Column(column, label or f"Kolom {column + 1}", guess))
        key = tuple(header_key(t) for t in texts)
        return TableLayout(grid_index, grid.name, header_end, columns, key)
    return None


def refine_guesses(layout: TableLayout, grid: Grid, refs: list[IndicatorRef], year: int) -> None:
    """Look at what the cells hold: a KOMPONEN column full of indicator names is the indicator
    column (and the INDIKATOR column next to it then holds sub-indicators); a TARGET column of
    sentences rather than times holds sub-indicators too."""
    body = grid.rows[layout.header_end:]

    def values(column: Column) -> list[str]:
        return list(dict.fromkeys(r[column.index] for r in body if column.index < len(r) and r[column.index]))

    by_guess = {c.guess: c for c in layout.columns if c.guess}
    area_column = by_guess.get("area")
    if area_column is not None and refs:
        texts = values(area_column)
        areas = sum(1 for t in texts if match_area(t))
        indicators = sum(1 for t in texts if not match_area(t) and match_indicator(t, area=None, indicators=refs))
        if indicators > areas:
            old_indicator = by_guess.get("indicator")
            area_column.guess = "indicator"
            if old_indicator is not None:
                old_indicator.guess = "sub_indicator" if "sub_indicator" not in by_guess else ""
    time_column = by_guess.get("time")
    if time_column is not None:
        texts = values(time_column)
        readable = 0
        for text in texts:
            try:
                parse_target(text, default_year=year)
                readable += 1
            except TargetError:
                pass
        long_texts = sum(1 for t in texts if len(t.split()) >= 6)
        if texts and readable < 0.3 * len(texts) and long_texts > 0.5 * len(texts) \
                and "sub_indicator" not in {c.guess for c in layout.columns}:
            time_column.guess = "sub_indicator"


def apply_mapping(layout: TableLayout, mapping: dict) -> None:
    """Set column meanings from a mapping: {column index (int or "3") or header text: meaning}."""
    by_title = {header_key(key): value for key, value in mapping.items() if isinstance(key, str)}
    for column in layout.columns:
        for key in (column.index, str(column.index), f"#{column.index + 1}"):
            if key in mapping and mapping[key] in ALL_MEANINGS:
                column.guess = mapping[key]
                break
        else:
            title = header_key(column.header)
            if title in by_title and by_title[title] in ALL_MEANINGS:
                column.guess = by_title[title]


def _is_tick(text: str) -> bool:
    return text.strip() in TICKS


def _append(old: str, new: str, sep: str) -> str:
    return f"{old}{sep}{new}" if old and new else old or new


def rows_from_grid(grid: Grid, layout: TableLayout) -> list[RawRow]:
    meaning = {c.index: c.guess for c in layout.columns}
    headers = {c.index: c.header for c in layout.columns}
    columns_of: dict[str, list[int]] = {}
    for index, guess in meaning.items():
        columns_of.setdefault(guess, []).append(index)
    has_no_column = "no" in columns_of
    rows: list[RawRow] = []
    area = indicator = sub_indicator = ""
    for index in range(layout.header_end, len(grid.rows)):
        texts = grid.rows[index]
        number = grid.row_numbers[index]
        cells = {c: (texts[c] if c < len(texts) else "") for c in meaning}
        filled = [text for text in cells.values() if text]
        if not filled and not any((index, c) in grid.filled for c in cells):
            continue
        if _is_repeated_header(texts, layout) or (
                len(filled) >= 2 and all(_COLUMN_NUMBER_RE.fullmatch(t) for t in filled)):
            continue

        heading = _heading(cells, meaning)
        if heading is not None:
            if area_exact(heading) or match_area(heading):
                area, indicator, sub_indicator = heading, "", ""
            elif normalise_name(heading) not in _HEADING_WORDS:
                indicator, sub_indicator = heading, ""
            continue

        def first(guess: str, *, multiline: bool = True, own: bool = False, cells=cells, index=index) -> str:
            parts = [cells[c] if multiline else cells[c].replace("\n", " ") for c in columns_of.get(guess, [])
                     if cells[c] and not (own and (index, c) in grid.merged_down)]
            return ("\n" if multiline else " ").join(parts)

        row = RawRow(number, no=first("no", multiline=False), area=first("area", multiline=False),
                     indicator=first("indicator", multiline=False), steps=first("steps"), output=first("output"),
                     target=first("time", multiline=False), pic=first("pic", multiline=False),
                     sub_indicator=first("sub_indicator"), source=grid.name)
        if header_key(row.no) == EXAMPLE_MARKER.lower():
            continue  # the template's example row
        months = tuple(sorted(int(g.split(":")[1]) for g, cs in columns_of.items() if g.startswith("month:")
                              for c in cs if _is_tick(cells[c]) or (index, c) in grid.filled))
        row.months = months
        notes = [f"{headers[c]}: {cells[c]}" for c in columns_of.get("", []) if cells[c]]
        notes += [cells[c] for c in columns_of.get("note", []) if cells[c]]
        row.note = "\n".join(notes)

        own_no = first("no", multiline=False, own=True)
        own_context = first("area", own=True) or first("indicator", own=True)
        if rows and has_no_column and not own_no and not own_context and rows[-1].no \
                and _continues(row, rows[-1]):
            _join(rows[-1], row)
            continue

        if row.area and row.area != area:
            area, indicator, sub_indicator = row.area, "", ""
        if not any([row.steps, row.output, row.target, row.pic, row.sub_indicator, row.months]):
            # A context row: an area heading in the indicator column, or an indicator alone.
            if row.indicator and not row.area and area_exact(row.indicator):
                area, indicator, sub_indicator = row.indicator, "", ""
            elif row.indicator and normalise_name(row.indicator) not in _HEADING_WORDS:
                indicator, sub_indicator = row.indicator, ""
            continue
        if row.indicator and row.indicator != indicator:
            indicator, sub_indicator = row.indicator, ""
        if row.sub_indicator:
            sub_indicator = row.sub_indicator
        row.area, row.indicator = area, indicator
        row.sub_indicator = row.sub_indicator or sub_indicator
        rows.append(row)
    return rows


def _continues(row: RawRow, above: RawRow) -> bool:
    """A row cut by a page break: no number of its own, and its text goes on mid-sentence."""
    text = next((t for t in (row.steps, row.sub_indicator, row.output) if t), "")
    if not text:
        return not row.target and not row.pic and bool(row.note or row.months)
    text = text.lstrip()
    if re.match(r"(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)]\s", text) or text[:1] in "-•":
        return False  # "b. Evaluasi SOP": the next numbered step, not the rest of a sentence
    return text[:1].islower() or text[:1] in ",;)/&"


def _join(above: RawRow, row: RawRow) -> None:
    for name in ("steps", "output", "sub_indicator", "note"):
        setattr(above, name, _append(getattr(above, name), getattr(row, name), "\n" if name == "note" else " "))
    for name in ("target", "pic"):
        setattr(above, name, _append(getattr(above, name), getattr(row, name), " "))
    above.months = tuple(sorted(set(above.months) | set(row.months)))


def _is_repeated_header(texts: list[str], layout: TableLayout) -> bool:
    keys = [header_key(t) for t in texts]
    pairs = [(a, b) for a, b in zip(keys, layout.header_key, strict=False) if b]
    return bool(pairs) and sum(1 for a, b in pairs if a == b) >= max(2, (len(pairs) + 1) // 2)


def _heading(cells: dict[int, str], meaning: dict[int, str]) -> str | None:
    """The text of a heading row: one text across the row (merged, or alone in any cell, perhaps
    after a numeral such as "I" or "A."), when it names an area or nothing else is in the row."""
    distinct = list(dict.fromkeys(t for t in cells.values() if t))
    numerals = [t for t in distinct if _NUMERAL_RE.fullmatch(t)]
    words = [t for t in distinct if t not in numerals]
    if len(words) != 1:
        return None
    text = words[0].replace("\n", " ")
    holders = [c for c, t in cells.items() if t == words[0]]
    if area_exact(text):
        return text
    # Non-area text alone in a row is a heading only when it spans the text columns (merged).
    spans_text = sum(1 for c in holders if meaning.get(c) in ("steps", "indicator", "sub_indicator", "output"))
    return text if spans_text >= 2 else None
