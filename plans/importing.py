"""Rencana aksi import: read a unit's action-plan table from XLSX, match its area and indicator
cells to an instrument, and understand its Indonesian target phrases ("Juli - Des", "Triwulan II").

Pure Python on purpose (no Django, no ORM): the plans services build the preview and the
all-or-nothing import on top of these functions, and the benchmark runs them without a database.

Errors are ValueError subclasses with an Indonesian message meant to be shown to the user:
TargetError for a target phrase, TableError for the whole file.
"""

import calendar
import functools
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.escape import unescape

__all__ = [
    "AREA_NAMES",
    "INDICATOR_ALIASES",
    "MONTH_NAMES",
    "IndicatorRef",
    "RawRow",
    "TableError",
    "Target",
    "TargetError",
    "indicator_refs_from_instrument",
    "match_area",
    "match_indicator",
    "normalise_name",
    "parse_target",
    "read_plan_table",
    "write_template",
]

MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni",
               "Juli", "Agustus", "September", "Oktober", "November", "Desember")
ROMAN = ("I", "II", "III", "IV")


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------

class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    kind: str  # "month" | "quarter" | "range" | "list" | "recurring" | "year"
    start: date  # first day of the first month covered
    end: date  # last day of the last month covered
    months: tuple[int, ...]  # months covered, in calendar order from start to end
    text: str  # the original phrase, stripped
    label: str  # normalised Indonesian label, e.g. "Juli–Desember 2021"


_MONTH_WORDS = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2,
    "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12,
    # English names, for sheets typed on an English-language Excel.
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "aug": 8, "october": 10, "oct": 10, "december": 12, "dec": 12,
}
_QUARTER_WORDS = {"triwulan", "tw", "trw", "tri", "kuartal", "q"}
_SEMESTER_WORDS = {"semester", "smt", "sem"}
_FILLER_WORDS = {"bulan", "bln", "tahun", "thn", "th", "ta", "anggaran", "tanggal", "tgl", "pada"}
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEARS = range(1990, 2101)

_TARGET_SPELLING = (
    (re.compile(r"[\u2010-\u2015\u2212]"), "-"),  # en/em dashes and minus signs
    (re.compile(r"\bs\s*[/.]\s*d\b\.?"), " - "),  # s/d, s.d., s.d
    (re.compile(r"\b(?:sampai(?:\s+dengan)?|hingga|sd|to|until|through)\b"), " - "),
    (re.compile(r"\b(?:dan|serta|and)\b"), ","),
    (re.compile(r"\b(tw|trw|q|smt)[-.]?(\d|iv|i{1,3})\b"), r"\1 \2"),  # TW1, TW-III, Q2
)
_TARGET_TOKEN_RE = re.compile(r"""
      (?P<iso>\d{4}-\d{1,2}-\d{1,2})
    | (?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})
    | (?P<monthyear>\d{1,2}[/.-]\d{4})
    | (?P<number>\d+)
    | (?P<word>[a-z]+)
    | (?P<range>-)
    | (?P<list>[,;&/+])
    | (?P<space>[\s.:()]+)
""", re.VERBOSE)
_RECURRING_RE = re.compile(
    r"(?:(?:setiap|tiap|tiap-tiap|per)\s+(?P<unit>bulan|triwulan|tw|trw|semester)"
    r"|(?P<adjective>bulanan|triwulanan|semesteran))"
    r"(?:\s+(?:tahun\s+|ta\s+)?(?P<year>\d{4}))?"
)
_RECURRING = {  # unit -> (months, label word)
    "bulan": (tuple(range(1, 13)), "bulan"),
    "triwulan": ((3, 6, 9, 12), "triwulan"),
    "semester": ((6, 12), "semester"),
}
_RECURRING_UNITS = {"bulan": "bulan", "bulanan": "bulan", "triwulan": "triwulan", "tw": "triwulan",
                    "trw": "triwulan", "triwulanan": "triwulan", "semester": "semester",
                    "semesteran": "semester"}


@dataclass
class _Item:
    """One point of a target phrase before years are resolved: a month, quarter, semester or year."""

    kind: str  # "month" | "quarter" | "semester" | "year"
    number: int  # the month, quarter or semester number; the year for kind "year"
    year: int | None = None
    day: int | None = None

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2,
                "semester": 6 * self.number - 5, "year": 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number,
                "semester": 6 * self.number, "year": 12}[self.kind]


def _target_error(text: str, reason: str = "") -> TargetError:
    shown = text if len(text) <= 80 else text[:77] + "…"
    message = f'Target "{shown}" tidak dipahami'
    return TargetError(f"{message}: {reason}" if reason else message)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_label(month: int, year: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def _ordinal(raw: str) -> int | None:
    if raw.isdecimal() and len(raw) <= 2:
        return int(raw)
    return _ROMAN_VALUES.get(raw)


def _target_tokens(prepared: str, original: str) -> list[tuple[str, object]]:
    """Turn the prepared phrase into ("item", _Item), ("year", int), ("range"|"list", None)."""
    lexemes = []
    position = 0
    while position < len(prepared):
        match = _TARGET_TOKEN_RE.match(prepared, position)
        if not match:
            raise _target_error(original)
        position = match.end()
        if match.lastgroup != "space":
            lexemes.append((match.lastgroup, match.group()))

    tokens: list[tuple[str, object]] = []
    index = 0
    while index < len(lexemes):
        kind, raw = lexemes[index]
        following = lexemes[index + 1] if index + 1 < len(lexemes) else ("", "")
        # "TW I - III": a bare numeral after a range of quarters/semesters continues that kind.
        after_period_range = (len(tokens) >= 2 and tokens[-1][0] == "range" and tokens[-2][0] == "item"
                              and tokens[-2][1].kind in ("quarter", "semester"))
        if kind == "word" and raw in _FILLER_WORDS:
            pass
        elif kind == "word" and raw in _MONTH_WORDS:
            tokens.append(("item", _Item("month", _MONTH_WORDS[raw])))
        elif kind == "word" and (raw in _QUARTER_WORDS or raw in _SEMESTER_WORDS):
            period = "quarter" if raw in _QUARTER_WORDS else "semester"
            number = _ordinal(following[1]) if following[0] in ("word", "number") else None
            if number is None or not 1 <= number <= (4 if period == "quarter" else 2):
                raise _target_error(original)
            tokens.append(("item", _Item(period, number)))
            index += 1
        elif after_period_range and (kind == "word" or (kind == "number" and len(raw) <= 2)) \
                and _ordinal(raw) is not None:
            period = tokens[-2][1].kind
            number = _ordinal(raw)
            if not 1 <= number <= (4 if period == "quarter" else 2):
                raise _target_error(original)
            tokens.append(("item", _Item(period, number)))
        elif kind == "number" and len(raw) == 4 and int(raw) in _YEARS:
            tokens.append(("year", int(raw)))
        elif kind == "number" and following[0] == "word" and following[1] in _MONTH_WORDS \
                and len(raw) <= 2 and 1 <= int(raw) <= 31:
            tokens.append(("item", _Item("month", _MONTH_WORDS[following[1]], day=int(raw))))
            index += 1
        elif kind in ("iso", "date"):
            parts = [int(part) for part in re.split(r"[/.-]", raw)]
            year, month, day = parts if kind == "iso" else reversed(parts)
            if year not in _YEARS:
                raise _target_error(original)
            try:
                date(year, month, day)
            except ValueError:
                raise _target_error(original) from None
            tokens.append(("item", _Item("month", month, year=year, day=day)))
        elif kind == "monthyear":
            month, year = (int(part) for part in re.split(r"[/.-]", raw))
            if not 1 <= month <= 12 or year not in _YEARS:
                raise _target_error(original)
            tokens.append(("item", _Item("month", month, year=year)))
        elif kind in ("range", "list"):
            tokens.append((kind, None))
        else:
            raise _target_error(original)
        index += 1
    return tokens


def _target_items(tokens, original: str) -> tuple[list[_Item], str | None]:
    """Group tokens into items separated by one kind of separator; attach years to items."""
    elements: list = []
    for kind, value in tokens:
        previous = elements[-1] if elements else None
        if kind in ("range", "list"):
            if not isinstance(previous, _Item):
                raise _target_error(original)
            elements.append(kind)
        elif kind == "year":
            if isinstance(previous, _Item) and previous.year is None and previous.kind != "year":
                previous.year = value
            elif previous is None or isinstance(previous, str):
                elements.append(_Item("year", value, year=value))
            else:
                raise _target_error(original)
        else:
            if isinstance(previous, _Item):
                raise _target_error(original)
            elements.append(value)
    if not elements or isinstance(elements[-1], str):
        raise _target_error(original)
    items = [element for element in elements if isinstance(element, _Item)]
    separators = {element for element in elements if isinstance(element, str)}
    if len(separators) > 1:
        raise _target_error(original)
    return items, separators.pop() if separators else None


def _check_day(item: _Item, year: int, original: str) -> None:
    if item.day is not None and item.day > calendar.monthrange(year, item.number)[1]:
        raise _target_error(original)


def _single_target(item: _Item, original: str, default_year: int) -> Target:
    year = item.year if item.year is not None else default_year
    _check_day(item, year, original)
    start, end = date(year, item.first_month, 1), _last_day(year, item.last_month)
    months = tuple(range(item.first_month, item.last_month + 1))
    if item.kind == "month":
        return Target("month", start, end, months, original, _month_label(item.number, year))
    if item.kind == "quarter":
        return Target("quarter", start, end, months, original, f"Triwulan {ROMAN[item.number - 1]} {year}")
    if item.kind == "semester":
        return Target("range", start, end, months, original, f"Semester {ROMAN[item.number - 1]} {year}")
    return Target("year", start, end, months, original, f"Tahun {year}")


def _range_target(first: _Item, last: _Item, original: str, default_year: int) -> Target:
    # A missing year is taken from the other end; when only one end is known and the months
    # wrap ("Desember - Februari 2022"), the unknown end moves to the neighbouring year.
    wraps = first.first_month > last.last_month
    start_year, end_year = first.year, last.year
    if start_year is None and end_year is None:
        start_year = default_year
    if start_year is None:
        start_year = end_year - 1 if wraps else end_year
    if end_year is None:
        end_year = start_year + 1 if wraps else start_year
    _check_day(first, start_year, original)
    _check_day(last, end_year, original)
    start, end = date(start_year, first.first_month, 1), _last_day(end_year, last.last_month)
    if end < start:
        raise _target_error(original, "akhir rentang sebelum awalnya")
    covered = []
    year, month = start_year, first.first_month
    while (year, month) <= (end_year, last.last_month):
        covered.append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months = tuple(dict.fromkeys(covered))
    if start.year == end.year and start.month == end.month:
        return Target("month", start, end, months, original, _month_label(start.month, start.year))
    if start_year == end_year:
        label = f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[end.month - 1]} {end_year}"
    else:
        label = f"{_month_label(start.month, start_year)}–{_month_label(end.month, end_year)}"
    return Target("range", start, end, months, original, label)


def _list_target(items: list[_Item], original: str, default_year: int) -> Target:
    if any(item.kind != "month" for item in items):
        raise _target_error(original)
    # Indonesian writes the year once, after the last month: "Juni, September, Desember 2020".
    years = [item.year for item in items]
    for position in range(len(items) - 2, -1, -1):
        if years[position] is None:
            years[position] = years[position + 1]
    for position in range(1, len(items)):
        if years[position] is None:
            years[position] = years[position - 1]
    points = []
    for item, year in zip(items, years, strict=True):
        year = year if year is not None else default_year
        _check_day(item, year, original)
        points.append((year, item.number))
    points = sorted(set(points))
    start, end = date(points[0][0], points[0][1], 1), _last_day(*points[-1])
    months = tuple(dict.fromkeys(month for _year, month in points))
    if len(points) == 1:
        return Target("month", start, end, months, original, _month_label(points[0][1], points[0][0]))
    if len({year for year, _month in points}) == 1:
        label = ", ".join(MONTH_NAMES[month - 1] for _year, month in points) + f" {points[0][0]}"
    else:
        label = ", ".join(_month_label(month, year) for year, month in points)
    return Target("list", start, end, months, original, label)


def parse_target(text: str, *, default_year: int) -> Target:
    """Understand a TARGET cell; years left out are taken from the phrase or from default_year.

    Raises TargetError with an Indonesian message for anything it cannot read with certainty.
    """
    original = text.strip() if isinstance(text, str) else ""
    if not original:
        raise _target_error(original, "kosong")
    prepared = unicodedata.normalize("NFKC", original).lower()
    for pattern, replacement in _TARGET_SPELLING:
        prepared = pattern.sub(replacement, prepared)

    recurring = _RECURRING_RE.fullmatch(" ".join(prepared.split()))
    if recurring:
        unit = _RECURRING_UNITS[recurring["unit"] or recurring["adjective"]]
        year = int(recurring["year"]) if recurring["year"] else default_year
        months, word = _RECURRING[unit]
        return Target("recurring", date(year, 1, 1), date(year, 12, 31), months, original,
                      f"Setiap {word} {year}")

    items, separator = _target_items(_target_tokens(prepared, original), original)
    if separator is None:
        if len(items) != 1:
            raise _target_error(original)
        return _single_target(items[0], original, default_year)
    if separator == "range":
        if len(items) != 2:
            raise _target_error(original)
        return _range_target(items[0], items[1], original, default_year)
    return _list_target(items, original, default_year)


# --------------------------------------------------------------------------------------------
# Names: areas and indicators
# --------------------------------------------------------------------------------------------

@dataclass
class IndicatorRef:
    path: str  # e.g. "A.I.2.ii"
    name: str  # e.g. "Sistem Pemerintahan Berbasis Elektronik (SPBE)"
    change_area: str  # "MP" | "PT" | "SDM" | "AK" | "PW" | "PP" | "" (hasil)
    sub_komponen: str  # "PEMENUHAN" | "REFORM" | "" (10/2019 pengungkit has none)


_NUMBERING_RE = re.compile(
    r"^(?:"
    r"[-•·*–—]\s*"  # bullets
    r"|\(\s*(?:\d+|[a-z]|[ivx]+)\s*\)\s*"  # (1) (a) (ii)
    r"|(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)\s*[.)]\s*"  # 1. 1.2. a. a) ii.
    r"|\d+(?:\.\d+)*\s+"  # 1 / 1.2 without a dot
    r")+"
)
_NAME_SPELLING = (
    (re.compile(r"\btata laksana\b"), "tatalaksana"),
    (re.compile(r"\bsumber daya manusia\b"), "sdm"),
    (re.compile(r"\bsurvey\b"), "survei"),
    (re.compile(r"\bwhistle blowing\b"), "whistleblowing"),
)


def normalise_name(text: str) -> str:
    """Lower-case, without numbering prefixes ("1.", "a.", "II.", "(a)"), punctuation and extra spaces."""
    name = unicodedata.normalize("NFKC", str(text or "")).lower().strip()
    name = _NUMBERING_RE.sub("", name)
    name = re.sub(r"[^\w\s]|_", " ", name)
    name = " ".join(name.split())
    for pattern, replacement in _NAME_SPELLING:
        name = pattern.sub(replacement, name)
    return name


@functools.lru_cache(maxsize=4096)  # the same instrument names are compared for every row
def _name_keys(text: str) -> frozenset[str]:
    """The normalised name, and the same without parenthesised parts ("(SPBE)", "(SOP)")."""
    keys = {normalise_name(text), normalise_name(re.sub(r"\([^)]*\)", " ", str(text or "")))}
    return frozenset(key for key in keys if key)


AREA_NAMES: dict[str, list[str]] = {
    "MP": ["Manajemen Perubahan"],
    "PT": ["Penataan Tatalaksana", "Penataan Tata Laksana"],
    "SDM": ["Penataan Sistem Manajemen SDM", "Penataan Sistem Manajemen SDM Aparatur", "Manajemen SDM",
            "Penataan Manajemen SDM", "Penataan Sistem Manajemen Sumber Daya Manusia Aparatur"],
    "AK": ["Penguatan Akuntabilitas", "Penguatan Akuntabilitas Kinerja"],
    "PW": ["Penguatan Pengawasan"],
    "PP": ["Peningkatan Kualitas Pelayanan Publik", "Pelayanan Publik", "Peningkatan Kualitas Pelayanan",
           "Penguatan Kualitas Pelayanan Publik"],
}
_AREA_LOOKUP = {normalise_name(name): code for code, names in AREA_NAMES.items() for name in names}
_AREA_LOOKUP.update({code.lower(): code for code in AREA_NAMES})
_AREA_PREFIX_RE = re.compile(r"^(?:area perubahan|area|komponen pengungkit|komponen|program)\s+")
_AREA_NOISE_RE = re.compile(r"\(?\s*(?:bobot\s*)?=?\s*\d+(?:[.,]\d+)?\s*%\s*\)?")  # "(8%)", "= 8 %"
_SUB_KOMPONEN_WORDS_RE = re.compile(r"\b(?:pemenuhan|reform)\b")
_FUZZY_RATIO = 0.85


def _area_key(text: str) -> str:
    key = normalise_name(_AREA_NOISE_RE.sub(" ", str(text or "")))
    key = " ".join(_SUB_KOMPONEN_WORDS_RE.sub(" ", key).split())
    return _AREA_PREFIX_RE.sub("", key)


def _area_exact(text: str) -> str | None:
    return _AREA_LOOKUP.get(_area_key(text))


def match_area(text: str) -> str | None:
    """The change area code ("MP", "PT", ...) named by an area/KOMPONEN cell, or None."""
    key = _area_key(text)
    if not key:
        return None
    if key in _AREA_LOOKUP:
        return _AREA_LOOKUP[key]
    scores: dict[str, float] = {}
    for variant, code in _AREA_LOOKUP.items():
        if len(variant) > 3:  # the bare codes are too short to compare fuzzily
            scores[code] = max(scores.get(code, 0.0), SequenceMatcher(None, key, variant).ratio())
    close = [code for code, score in scores.items() if score >= _FUZZY_RATIO]
    return close[0] if len(close) == 1 else None


def _aliases(source: dict[str, list[str]]) -> dict[str, str]:
    return {normalise_name(alias): path for path, aliases in source.items() for alias in aliases}


# Wording that units use for an indicator (taken from real rencana kerja and juknis documents)
# where it differs from the instrument's name. Keys are normalised; values are indicator paths.
INDICATOR_ALIASES: dict[str, dict[str, str]] = {
    "permenpanrb-90-2021": _aliases({
        "A.I.1.i": ["Tim Kerja", "Pembentukan Tim Kerja", "Tim Kerja Pembangunan Zona Integritas"],
        "A.I.1.ii": ["Dokumen Rencana Pembangunan Zona Integritas", "Rencana Kerja Pembangunan Zona Integritas",
                     "Dokumen Rencana Kerja", "Rencana Kerja ZI", "Rencana Pembangunan ZI"],
        "A.I.1.iii": ["Pemantauan dan Evaluasi Pembangunan Zona Integritas",
                      "Monitoring dan Evaluasi Pembangunan Zona Integritas", "Monev Pembangunan ZI",
                      "Monitoring dan Evaluasi Pembangunan WBK/WBBM"],
        "A.I.1.iv": ["Perubahan Pola Pikir", "Budaya Kerja dan Pola Pikir", "Pola Pikir dan Budaya Kerja"],
        "A.I.2.i": ["SOP", "Prosedur Operasional Tetap", "Standar Operasional Prosedur", "SOP Kegiatan Utama",
                    "Prosedur Operasional Tetap (SOP) Pelayanan", "Standard Operating Procedure"],
        "A.I.2.ii": ["E-Office", "eOffice", "E-Government", "E-Office/E-Government", "SPBE",
                     "Sistem Pemerintahan Berbasis Elektronik"],
        "A.I.2.iii": ["KIP", "Keterbukaan Informasi"],
        "A.I.3.i": ["Perencanaan Kebutuhan Pegawai", "Analisis Kebutuhan Pegawai"],
        "A.I.3.ii": ["Mutasi Internal", "Pola Mutasi"],
        "A.I.3.iii": ["Pengembangan Kompetensi", "Pengembangan Kompetensi Pegawai"],
        "A.I.3.v": ["Penegakan Disiplin", "Penegakan Aturan Disiplin", "Penegakan Aturan Disiplin/Kode Etik",
                    "Penegakan Kode Etik", "Kode Etik dan Kode Perilaku"],
        "A.I.3.vi": ["SIMPEG", "Sistem Informasi Kepegawaian (SIMPEG)"],
        "A.I.4.ii": ["Akuntabilitas Kinerja", "SAKIP", "Sistem Akuntabilitas Kinerja Instansi Pemerintah"],
        "A.I.5.i": ["Gratifikasi", "Unit Pengendalian Gratifikasi"],
        "A.I.5.ii": ["SPIP", "Penerapan SPIP", "Sistem Pengendalian Intern Pemerintah",
                     "Penerapan Sistem Pengendalian Internal Pemerintah",
                     "Penerapan Sistem Pengawasan Internal Pemerintah", "Sistem Pengawasan Internal Pemerintah"],
        "A.I.5.iv": ["WBS", "Whistleblowing System", "Whistle Blowing System (WBS)"],
        "A.I.5.v": ["Benturan Kepentingan", "Conflict of Interest"],
        "A.I.6.ii": ["Pelayanan Prima"],
        "A.I.6.iv": ["Survei Kepuasan Masyarakat", "SKM", "IKM", "Indeks Kepuasan Masyarakat",
                     "Penilaian Kepuasan Masyarakat"],
        "A.I.6.v": ["Pemanfaatan TI", "Teknologi Informasi dalam Pelayanan"],
        "A.II.2.i": ["Peta Proses Bisnis"],
        "A.II.2.ii": ["SPBE Terintegrasi", "SPBE yang Terintegrasi"],
        "A.II.2.iii": ["Transformasi Digital"],
        "A.II.5.iii": ["LHKPN", "LHKASN", "Laporan Harta Kekayaan", "Penyampaian LHKPN"],
        "A.II.6.i": ["Inovasi Pelayanan Publik", "Inovasi Pelayanan"],
    }),
    "permenpanrb-10-2019": _aliases({
        "A.1.1": ["Penyusunan Tim Kerja", "Pembentukan Tim Kerja"],
        "A.1.2": ["Rencana Pembangunan Zona Integritas", "Rencana Kerja Pembangunan Zona Integritas",
                  "Dokumen Rencana Kerja", "Rencana Kerja ZI"],
        "A.1.3": ["Monitoring dan Evaluasi Pembangunan Zona Integritas", "Monev Pembangunan ZI",
                  "Pemantauan dan Evaluasi Pembangunan Zona Integritas"],
        "A.1.4": ["Perubahan Pola Pikir", "Budaya Kerja dan Pola Pikir", "Pola Pikir dan Budaya Kerja"],
        "A.2.5": ["SOP", "Prosedur Operasional Tetap", "Standar Operasional Prosedur",
                  "Prosedur Operasional Tetap (SOP) Pelayanan"],
        "A.2.6": ["eOffice", "E-Government", "E-Office/E-Government", "SPBE",
                  "Sistem Pemerintahan Berbasis Elektronik"],
        "A.2.7": ["KIP", "Keterbukaan Informasi"],
        "A.3.8": ["Perencanaan Kebutuhan Pegawai", "Analisis Kebutuhan Pegawai"],
        "A.3.9": ["Mutasi Internal", "Pola Mutasi"],
        "A.3.10": ["Pengembangan Kompetensi", "Pengembangan Kompetensi Pegawai"],
        "A.3.12": ["Penegakan Disiplin", "Penegakan Aturan Disiplin", "Penegakan Aturan Disiplin/Kode Etik",
                    "Penegakan Kode Etik", "Kode Etik dan Kode Perilaku"],
        "A.3.13": ["SIMPEG", "Sistem Informasi Kepegawaian (SIMPEG)"],
        "A.4.15": ["Akuntabilitas Kinerja", "SAKIP", "Sistem Akuntabilitas Kinerja Instansi Pemerintah"],
        "A.5.16": ["Gratifikasi", "Unit Pengendalian Gratifikasi"],
        "A.5.17": ["SPIP", "Sistem Pengendalian Intern Pemerintah",
                   "Penerapan Sistem Pengendalian Intern Pemerintah (SPIP)",
                   "Penerapan Sistem Pengendalian Internal Pemerintah",
                   "Penerapan Sistem Pengawasan Internal Pemerintah", "Sistem Pengawasan Internal Pemerintah"],
        "A.5.19": ["WBS", "Whistleblowing System", "Whistle Blowing System (WBS)"],
        "A.5.20": ["Benturan Kepentingan", "Conflict of Interest"],
        "A.6.22": ["Pelayanan Prima"],
        "A.6.23": ["Survei Kepuasan Masyarakat", "SKM", "IKM", "Indeks Kepuasan Masyarakat",
                   "Penilaian Kepuasan Masyarakat"],
    }),
}

_STOPWORDS = {"dan", "yang", "di", "ke", "dari", "dengan", "terhadap", "untuk", "atas", "pada", "oleh",
              "serta", "sesuai", "secara", "dalam", "zi", "wbk", "wbbm", "menuju", "zona", "integritas"}


def indicator_refs_from_instrument(data: dict) -> list[IndicatorRef]:
    """Every `indikator` node of an instrument file (fixtures/instruments/*.json format), in order."""
    refs: list[IndicatorRef] = []

    def walk(node: dict, parent_path: str, change_area: str, sub_komponen: str) -> None:
        path = f"{parent_path}.{node['code']}" if parent_path else str(node["code"])
        change_area = node.get("change_area") or change_area
        if node.get("kind") == "sub_komponen":
            sub_komponen = str(node.get("name", "")).strip().upper()
        if node.get("kind") == "indikator":
            refs.append(IndicatorRef(path, str(node.get("name", "")).strip(), change_area, sub_komponen))
        for child in node.get("children", []):
            walk(child, path, change_area, sub_komponen)

    for root in data.get("nodes", []):
        walk(root, "", "", "")
    return refs


def _is_reform(ref: IndicatorRef) -> bool:
    return ref.sub_komponen.upper() == "REFORM"


def _prefer_sub_komponen(refs: list[IndicatorRef], says_reform: bool) -> list[IndicatorRef]:
    """Pemenuhan first unless the text says reform (90/2021 has similar names in both)."""
    reform = [ref for ref in refs if _is_reform(ref)]
    other = [ref for ref in refs if not _is_reform(ref)]
    if says_reform and reform:
        return reform
    return other or reform


def _significant_words(key: str) -> set[str]:
    return {word for word in key.split() if word not in _STOPWORDS}


def _fuzzy_fits(keys: set[str], ref: IndicatorRef) -> float | None:
    """The best similarity ratio if the names are close enough to be the same indicator, else None.

    Close enough: a difflib ratio of at least 0.85, or the significant words of one name all
    contained in the other with at most one word to spare (both with at least two words).
    """
    best_ratio, contained = 0.0, False
    for key in keys:
        words = _significant_words(key)
        for name_key in _name_keys(ref.name):
            best_ratio = max(best_ratio, SequenceMatcher(None, key, name_key).ratio())
            name_words = _significant_words(name_key)
            if len(words) >= 2 and len(name_words) >= 2 and (
                    (name_words <= words and len(words - name_words) <= 1)
                    or (words <= name_words and len(name_words - words) <= 1)):
                contained = True
    return best_ratio if best_ratio >= _FUZZY_RATIO or contained else None


def match_indicator(text: str, *, area: str | None, indicators: list[IndicatorRef],
                    instrument_code: str) -> IndicatorRef | None:
    """The indicator an INDIKATOR cell names, or None when unknown or ambiguous (never a guess).

    Exact normalised name first (within `area` when given), then INDICATOR_ALIASES, then the same
    significant words, then a conservative fuzzy match. Between similar pemenuhan and reform
    indicators pemenuhan wins unless the text says "reform".
    """
    raw_keys = _name_keys(text)
    says_reform = any("reform" in key.split() for key in raw_keys)
    keys = {" ".join(_SUB_KOMPONEN_WORDS_RE.sub(" ", key).split()) for key in raw_keys}
    keys = {re.sub(r"^indikator\s+", "", key) for key in keys} - {""}
    if not keys:
        return None
    candidates = [ref for ref in indicators if area is None or ref.change_area == area]

    exact = [ref for ref in candidates if keys & _name_keys(ref.name)]
    if exact:
        preferred = _prefer_sub_komponen(exact, says_reform)
        return preferred[0] if len({ref.path for ref in preferred}) == 1 else None

    aliases = INDICATOR_ALIASES.get(instrument_code, {})
    for key in sorted(keys):
        path = aliases.get(key)
        ref = next((ref for ref in candidates if ref.path == path), None)
        if ref and not (says_reform and not _is_reform(ref)):
            return ref

    # The same significant words in another order or with other small words ("SPBE Terintegrasi"
    # written out) settle it before the fuzzy match, which would prefer the pemenuhan namesake.
    word_sets = [_significant_words(key) for key in keys]
    same_words = [ref for ref in candidates
                  if any(_significant_words(name_key) in word_sets for name_key in _name_keys(ref.name))]
    if same_words:
        preferred = _prefer_sub_komponen(same_words, says_reform)
        return preferred[0] if len({ref.path for ref in preferred}) == 1 else None

    scored = [(score, ref) for ref in candidates if (score := _fuzzy_fits(keys, ref)) is not None]
    if not scored:
        return None
    preferred = _prefer_sub_komponen([ref for _score, ref in scored], says_reform)
    ranked = sorted(((score, ref) for score, ref in scored if ref in preferred), key=lambda pair: -pair[0])
    if len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= 0.05:
        return ranked[0][1]
    return None


# --------------------------------------------------------------------------------------------
# XLSX tables
# --------------------------------------------------------------------------------------------

class TableError(ValueError):
    pass


@dataclass
class RawRow:
    row_number: int  # 1-based row in the sheet
    no: str
    area: str
    indicator: str
    steps: str
    output: str
    target: str
    pic: str


FIELDS = ("no", "area", "indicator", "steps", "output", "target", "pic")
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "no": ("no", "nomor", "no urut"),
    "area": ("komponen", "area", "area perubahan", "komponen pengungkit", "area komponen", "komponen area"),
    "indicator": ("indikator", "indikator penilaian"),
    "steps": ("langkah aksi", "kegiatan", "rencana aksi", "rencana kegiatan", "langkah langkah",
              "langkah langkah aksi", "uraian kegiatan", "rencana aksi kegiatan", "aksi"),
    "output": ("bukti fisik", "output", "bukti dukung", "data dukung", "bukti data dukung", "keluaran",
               "output bukti fisik", "bukti fisik output"),
    "target": ("target", "waktu", "jadwal", "target waktu", "waktu pelaksanaan", "jadwal pelaksanaan",
               "target penyelesaian", "batas waktu", "tenggat waktu", "jangka waktu"),
    "pic": ("pic", "penanggung jawab", "penanggungjawab", "pj", "pic penanggung jawab",
            "penanggung jawab pic", "unit penanggung jawab", "pelaksana"),
}
HEADER_SEARCH_ROWS = 15
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # far above any real plan; refuses zip bombs
_MAX_EMPTY_GAP = 500  # sheets formatted down to row 1,048,576 would otherwise be walked to the end
_CONTENT_FIELDS = ("steps", "output", "target", "pic")
_MULTILINE_FIELDS = ("steps", "output")
_HEADING_WORDS = {"pengungkit", "komponen pengungkit", "hasil", "komponen hasil", "pemenuhan", "reform"}
_COLUMN_NUMBER_RE = re.compile(r"\(?\d{1,2}\)?")

TEMPLATE_HEADERS = ("NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "TARGET", "PIC")
TEMPLATE_WIDTHS = (6, 30, 40, 60, 40, 22, 24)
TEMPLATE_EXAMPLE = (
    1,
    "Penataan Tatalaksana",
    "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
    "1. Inventarisasi layanan yang belum memakai aplikasi\n2. Sosialisasi aplikasi layanan daring",
    "Daftar layanan daring\nTangkapan layar aplikasi",
    "Juli - Desember",
    "Subbagian Tata Usaha",
)


def _header_key(value) -> str:
    return " ".join(re.sub(r"[^\w]+|_", " ", str(value or "").lower()).split())


def _header_field(value) -> str | None:
    key = _header_key(value)
    if not key:
        return None
    for field, names in HEADER_NAMES.items():
        if key in names:
            return field
    # "TARGET WAKTU PELAKSANAAN", "PIC (opsional)": the longest known name the header starts with.
    best = max(((len(name), field) for field, names in HEADER_NAMES.items() for name in names
                if key.startswith(name + " ")), default=None)
    return best[1] if best else None


def _header_columns(values) -> dict[str, int]:
    """field -> 0-based column for a candidate header row; the first column wins for a field."""
    columns: dict[str, int] = {}
    for column, value in enumerate(values):
        field = _header_field(value)
        if field and field not in columns:
            columns[field] = column
    return columns


def _cell_text(value, *, multiline: bool) -> str:
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


def _check_package(source) -> None:
    """Refuse non-zip files and zip bombs before openpyxl builds the whole workbook in memory."""
    try:
        with zipfile.ZipFile(source) as package:
            size = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, EOFError) as exc:
        raise TableError("Berkas bukan XLSX (Excel 2007 atau lebih baru). "
                         "Simpan ulang berkas sebagai .xlsx lalu unggah lagi.") from exc
    if size > MAX_UNCOMPRESSED_BYTES:
        raise TableError("Berkas XLSX terlalu besar untuk dibaca sebagai tabel rencana aksi.")


def _load_workbook(file):
    file.seek(0)
    _check_package(file)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "extension not supported" noise
            # read_only=False: merged cell ranges are only known in the normal mode.
            # data_only=True: formulas give the value Excel cached when it last saved the file.
            return openpyxl.load_workbook(file, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types on a malformed package
        raise TableError("Berkas XLSX rusak atau tidak dapat dibaca. "
                         "Buka di Excel, simpan ulang sebagai .xlsx lalu unggah lagi.") from exc


def _find_header(worksheet) -> tuple[int, dict[str, int]] | None:
    rows = worksheet.iter_rows(min_row=1, max_row=min(HEADER_SEARCH_ROWS, worksheet.max_row), values_only=True)
    for row_number, values in enumerate(rows, start=1):
        columns = _header_columns(values)
        if "indicator" in columns and "steps" in columns:
            return row_number, columns
    return None


def _merged_values(worksheet, header_row: int) -> tuple[dict[tuple[int, int], object], dict[tuple[int, int], int]]:
    """(row, col) -> value of the merged range's top-left cell, and (row, col) -> columns spanned."""
    values: dict[tuple[int, int], object] = {}
    spans: dict[tuple[int, int], int] = {}
    for cell_range in worksheet.merged_cells.ranges:
        if cell_range.max_row <= header_row:
            continue
        value = worksheet.cell(cell_range.min_row, cell_range.min_col).value
        width = cell_range.max_col - cell_range.min_col + 1
        for row in range(max(cell_range.min_row, header_row + 1), cell_range.max_row + 1):
            for column in range(cell_range.min_col, cell_range.max_col + 1):
                values[(row, column)] = value
                spans[(row, column)] = width
    return values, spans


def _is_heading(text: str) -> bool:
    return normalise_name(text) in _HEADING_WORDS


def read_plan_table(path_or_file, *, max_rows: int = 5000) -> list[RawRow]:
    """The plan rows of the first sheet that has a rencana aksi header, as text.

    - The header row is looked for in the first 15 rows: it needs INDIKATOR and LANGKAH AKSI (or
      KEGIATAN / RENCANA AKSI); NO, KOMPONEN/AREA, BUKTI FISIK/OUTPUT, TARGET/WAKTU, PIC are
      optional (a missing column gives "").
    - Merged cells give their value to every cell they cover; an empty KOMPONEN/INDIKATOR cell
      takes the value above it (until the area changes), as in tables exported from Word.
    - Rows with no LANGKAH AKSI, BUKTI FISIK, TARGET or PIC are context, not plan items: their
      KOMPONEN/INDIKATOR (or a heading row merged across the table) set what the rows below inherit.
    - Formula cells give the value Excel cached when it saved the file; a formula without a cached
      value (files written by scripts, never opened in Excel) reads as "".
    - Steps and output keep their line breaks; other cells join lines with a space.
    - Fully empty rows, repeated header rows and "(1) (2) (3)" column-number rows are skipped.

    Raises TableError (Indonesian message) for a file that is not a readable XLSX, a workbook
    without such a header, or more than `max_rows` plan rows. `path_or_file` is a path or a
    seekable binary file (an upload); the content decides, not the file name's extension.
    """
    if isinstance(path_or_file, str | os.PathLike):
        with open(path_or_file, "rb") as file:
            return _read_workbook(file, max_rows)
    return _read_workbook(path_or_file, max_rows)


def _read_workbook(file, max_rows: int) -> list[RawRow]:
    workbook = _load_workbook(file)
    try:
        # The active sheet first; workbook.worksheets leaves out chart sheets.
        sheets = sorted(workbook.worksheets, key=lambda sheet: sheet is not workbook.active)
        found = None
        for worksheet in sheets:
            if found := _find_header(worksheet):
                break
        if not found:
            if all(sheet.max_row <= 1 and sheet.max_column <= 1 and sheet.cell(1, 1).value is None
                   for sheet in workbook.worksheets):
                raise TableError("Berkas XLSX kosong: tidak ada tabel rencana aksi di dalamnya.")
            raise TableError("Kolom LANGKAH AKSI dan INDIKATOR tidak ditemukan di 15 baris pertama. "
                             "Pakai templat rencana aksi: baris judul tabel berisi NO, KOMPONEN, INDIKATOR, "
                             "LANGKAH AKSI, BUKTI FISIK, TARGET dan PIC.")
        header_row, columns = found
        return _read_rows(worksheet, header_row, columns, max_rows)
    finally:
        workbook.close()


def _read_rows(worksheet, header_row: int, columns: dict[str, int], max_rows: int) -> list[RawRow]:
    merged, spans = _merged_values(worksheet, header_row)
    last_column = max(columns.values()) + 1
    rows: list[RawRow] = []
    carried_area = carried_indicator = ""
    empty_run = 0
    for row_number, values in enumerate(
            worksheet.iter_rows(min_row=header_row + 1, max_col=last_column, values_only=True),
            start=header_row + 1):
        cells = {field: "" for field in FIELDS}
        for field, column in columns.items():
            value = values[column] if column < len(values) else None
            if value is None:
                value = merged.get((row_number, column + 1))
            cells[field] = _cell_text(value, multiline=field in _MULTILINE_FIELDS)

        if not any(cells.values()):
            empty_run += 1
            if empty_run >= _MAX_EMPTY_GAP:
                break
            continue
        empty_run = 0
        if _is_repeated_header(cells):
            continue

        heading = _heading_text(cells, columns, spans, row_number)
        if heading is not None:
            if _area_exact(heading):
                carried_area, carried_indicator = heading, ""
            elif not _is_heading(heading):
                carried_indicator = heading
            continue

        if cells["area"] and cells["area"] != carried_area:
            carried_area, carried_indicator = cells["area"], ""
        if not any(cells[field] for field in _CONTENT_FIELDS):
            # A context row: "I. MANAJEMEN PERUBAHAN" in the indicator column of a table without a
            # KOMPONEN column is an area heading, not an indicator. Exact names only: fuzzily,
            # "Pengelolaan Akuntabilitas Kinerja" (an indicator) is close to an area name.
            indicator = cells["indicator"]
            if indicator and not cells["area"] and _area_exact(indicator):
                carried_area, carried_indicator = indicator, ""
            elif indicator and not _is_heading(indicator):
                carried_indicator = indicator
            continue

        if cells["indicator"]:
            carried_indicator = cells["indicator"]
        if len(rows) >= max_rows:
            raise TableError(f"Tabel berisi lebih dari {max_rows} baris rencana aksi. "
                             "Bagi menjadi beberapa berkas lalu impor satu per satu.")
        rows.append(RawRow(row_number=row_number, no=cells["no"], area=carried_area,
                           indicator=carried_indicator, steps=cells["steps"], output=cells["output"],
                           target=cells["target"], pic=cells["pic"]))
    return rows


def _is_repeated_header(cells: dict[str, str]) -> bool:
    # Exact header names only: a step may well start with "Kegiatan ...".
    if _header_key(cells["indicator"]) in HEADER_NAMES["indicator"] \
            and _header_key(cells["steps"]) in HEADER_NAMES["steps"]:
        return True
    filled = [text for text in cells.values() if text]
    return len(filled) >= 2 and all(_COLUMN_NUMBER_RE.fullmatch(text) for text in filled)


def _heading_text(cells: dict[str, str], columns: dict[str, int], spans, row_number: int) -> str | None:
    """The text of a heading row (one cell merged across INDIKATOR and LANGKAH AKSI), else None."""
    steps_column = columns["steps"] + 1
    if spans.get((row_number, steps_column), 1) < 2:
        return None
    if cells["steps"] != cells["indicator"]:
        return None
    return cells["steps"].replace("\n", " ")


def write_template(path_or_file) -> None:
    """Write the rencana aksi XLSX template: header row, one example row, and a help sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rencana Aksi"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(TEMPLATE_EXAMPLE)
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    for column, width in enumerate(TEMPLATE_WIDTHS, start=1):
        header = sheet.cell(1, column)
        header.font = Font(bold=True)
        header.fill = header_fill
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.cell(2, column).alignment = Alignment(vertical="top", wrap_text=True)
        sheet.cell(2, column).font = Font(italic=True, color="595959")
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Petunjuk")
    help_sheet.column_dimensions["A"].width = 110
    for line in (
        "Cara mengisi templat rencana aksi",
        "",
        "Satu baris = satu langkah aksi. Baris contoh (baris 2) boleh diganti atau dihapus.",
        "KOMPONEN: area perubahan, mis. Manajemen Perubahan, Penataan Tatalaksana, Penataan Sistem Manajemen SDM, "
        "Penguatan Akuntabilitas, Penguatan Pengawasan, Peningkatan Kualitas Pelayanan Publik.",
        "INDIKATOR: nama indikator seperti di lembar kerja evaluasi; penomoran (1., a., I.) boleh ada.",
        "Sel KOMPONEN dan INDIKATOR boleh digabung (merge) ke bawah atau dikosongkan di bawah baris yang sama.",
        "TARGET: mis. Juni 2025, Juli - Desember, Januari s/d Desember 2025, Triwulan II, Semester 1, "
        "Setiap bulan, Juni, September, Desember 2025.",
        "PIC boleh dikosongkan.",
    ):
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True)
    workbook.active = 0
    workbook.save(path_or_file)
