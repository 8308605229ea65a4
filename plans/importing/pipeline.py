"""The import pipeline shared by the page and `manage.py import_plan`: a read document and a column
mapping give plan rows; each row is matched to the instrument and its time read, with flags for
what the user must complete. Pure Python (flags are codes; plans.importing.messages words them).
The rules are described in docs/plan-import.md.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from .names import IndicatorRef, match_area, match_indicator
from .outline import read_outline
from .schedule import link_schedule
from .sources import Document, grid_as_paragraphs
from .tables import ALL_MEANINGS, RawRow, TableLayout, apply_mapping, find_layout, refine_guesses, rows_from_grid
from .times import TargetError, months_phrase, names_a_year, parse_target

# Flags that make an item "perlu dilengkapi"; the others are warnings shown beside the row.
BLOCKING = {"area", "indicator", "time_empty", "time_unreadable", "steps_empty"}


@dataclass
class ReadResult:
    layouts: list[TableLayout] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, why)


def normalise_mapping(mapping) -> dict[str, dict]:
    """{"<grid index>": {column or header: meaning}}; a flat {header: meaning} applies to every grid."""
    if not mapping:
        return {}
    if not isinstance(mapping, dict):
        raise ValueError("mapping")
    if all(isinstance(value, str) for value in mapping.values()):
        for value in mapping.values():
            if value not in ALL_MEANINGS:
                raise ValueError(value)
        return {"*": mapping}
    result = {}
    for grid, columns in mapping.items():
        if not isinstance(columns, dict) or any(value not in ALL_MEANINGS for value in columns.values()):
            raise ValueError(str(grid))
        result[str(grid)] = columns
    return result


def read_rows(document: Document, *, refs: list[IndicatorRef], year: int, mapping=None,
              remembered: dict | None = None) -> ReadResult:
    """Tables with a header are read with their (guessed, remembered, then chosen) column meanings;
    paragraphs and sheets without a header are read as an outline."""
    mapping = normalise_mapping(mapping)
    result = ReadResult()
    paragraphs = list(document.paragraphs)
    table_rows: list[RawRow] = []
    for index, grid in enumerate(document.grids):
        layout = find_layout(grid, index)
        if layout is None:
            if document.kind != "docx":
                paragraphs += grid_as_paragraphs(grid)
            continue
        refine_guesses(layout, grid, refs, year)
        for chosen in (remembered or {}, mapping.get("*", {}), mapping.get(str(index), {})):
            apply_mapping(layout, chosen)
        result.layouts.append(layout)
        table_rows += rows_from_grid(grid, layout)
    outline = read_outline(paragraphs)
    schedule = link_schedule(outline.rows, table_rows, refs=refs)
    result.rows = outline.rows + schedule.rows
    result.skipped = outline.skipped + schedule.merged
    return result


def _key(row: RawRow, time_text: str) -> str:
    parts = (row.area, row.indicator, row.sub_indicator, row.steps, row.output, time_text, row.pic, row.note)
    return hashlib.sha256("\x1f".join(" ".join(p.split()) for p in parts).encode()).hexdigest()


_TEXT_YEAR_RE = re.compile(r"\btahun\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def _months_with_year(row: RawRow) -> str:
    """Ticked months as a phrase, with the year when the row's text names one ("... Tahun 2025")."""
    phrase = months_phrase(row.months)
    years = set(_TEXT_YEAR_RE.findall(f"{row.steps} {row.sub_indicator}")) if phrase else set()
    return f"{phrase} {years.pop()}" if len(years) == 1 else phrase


def analyse(rows: list[RawRow], *, refs: list[IndicatorRef], year: int) -> list[dict]:
    """Every row as a JSON-ready dict: what was written, what it matched, its dates and flags.

    Flags are (code, params) pairs; codes in BLOCKING make the row "perlu dilengkapi".
    """
    seen: Counter = Counter()
    result = []
    for row in rows:
        flags: list[list] = []
        area = match_area(row.area) if row.area else None
        indicator = None
        if row.indicator:
            indicator = match_indicator(row.indicator, area=area, indicators=refs)
        if indicator is None and row.sub_indicator:
            indicator = match_indicator(row.sub_indicator, area=area, indicators=refs)
        if area is None and indicator is not None:
            area = indicator.change_area or None
        if area is None and not (indicator is not None and not indicator.change_area):
            flags.append(["area", {"text": row.area, "schedule": True} if row.schedule else {"text": row.area}])
        if indicator is None:
            flags.append(["indicator", {"text": row.indicator}])

        steps = row.steps or row.sub_indicator
        if not steps:
            flags.append(["steps_empty", {}])
        note_parts = []
        if row.sub_indicator and row.steps:
            note_parts.append(f"Sub-indikator: {row.sub_indicator}")
        if row.note:
            note_parts.append(row.note)

        time_text = row.target or _months_with_year(row)
        start = end = None
        label = ""
        if not time_text:
            flags.append(["time_empty", {}])
        else:
            try:
                target = parse_target(time_text, default_year=year)
            except TargetError as exc:
                flags.append(["time_unreadable", {"text": time_text, "reason": str(exc)}])
            else:
                start, end, label = target.start.isoformat(), target.end.isoformat(), target.label
                if not names_a_year(time_text):
                    flags.append(["year_assumed", {"text": time_text, "year": year}])
                far = sorted({y for y in (target.start.year, target.end.year) if abs(y - year) > 1})
                if far:
                    flags.append(["year_far", {"text": time_text, "year": year, "found": far[0]}])
        base = _key(row, time_text)
        seen[base] += 1
        result.append({
            "row": row.where, "row_number": row.row_number, "no": row.no,
            "area_text": row.area, "indicator_text": row.indicator, "sub_indicator": row.sub_indicator,
            "steps": steps, "output": row.output, "time_text": time_text, "pic": row.pic,
            "note": "\n".join(note_parts),
            "area": area, "indicator": indicator.path if indicator else None,
            "indicator_name": indicator.name if indicator else "",
            "start": start, "end": end, "time_label": label,
            "flags": flags, "needs_completion": any(code in BLOCKING for code, _params in flags),
            "key": f"{base}:{seen[base]}",
        })
    return result
