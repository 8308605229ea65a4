"""Time phrases of a rencana aksi ("Juli - Des", "Triwulan II", "Setiap bulan") as date ranges.

Pure Python. The rules are described in docs/plan-import.md.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from core.dates import MONTH_NAMES, ROMAN, month_end, month_label


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
    start, end = date(year, item.first_month, 1), month_end(year, item.last_month)
    months = tuple(range(item.first_month, item.last_month + 1))
    if item.kind == "month":
        return Target("month", start, end, months, original, month_label(year, item.number))
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
    start, end = date(start_year, first.first_month, 1), month_end(end_year, last.last_month)
    if end < start:
        raise _target_error(original, "akhir rentang sebelum awalnya")
    covered = []
    year, month = start_year, first.first_month
    while (year, month) <= (end_year, last.last_month):
        covered.append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months = tuple(dict.fromkeys(covered))
    if start.year == end.year and start.month == end.month:
        return Target("month", start, end, months, original, month_label(start.year, start.month))
    if start_year == end_year:
        label = f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[end.month - 1]} {end_year}"
    else:
        label = f"{month_label(start_year, start.month)}–{month_label(end_year, end.month)}"
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
    start, end = date(points[0][0], points[0][1], 1), month_end(*points[-1])
    months = tuple(dict.fromkeys(month for _year, month in points))
    if len(points) == 1:
        return Target("month", start, end, months, original, month_label(points[0][0], points[0][1]))
    if len({year for year, _month in points}) == 1:
        label = ", ".join(MONTH_NAMES[month - 1] for _year, month in points) + f" {points[0][0]}"
    else:
        label = ", ".join(month_label(year, month) for year, month in points)
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



_YEAR_IN_TEXT_RE = re.compile(r"(?<!\d)(?:19|20|21)\d{2}(?!\d)")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def names_a_year(text: str) -> bool:
    """Whether a time phrase writes a year itself ("Juni 2025", "30/06/2025") or leaves it out."""
    return bool(_YEAR_IN_TEXT_RE.search(str(text or "")))


def months_phrase(months) -> str:
    """Ticked month columns as a phrase parse_target understands: "Jan - Jun" or "Jan, Mar, Jun"."""
    months = sorted(set(months))
    if not months:
        return ""
    if len(months) > 1 and months == list(range(months[0], months[-1] + 1)):
        return f"{_SHORT_MONTHS[months[0] - 1]} - {_SHORT_MONTHS[months[-1] - 1]}"
    return ", ".join(_SHORT_MONTHS[month - 1] for month in months)
