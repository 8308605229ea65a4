"""Rows of a schedule table linked to the outline of the same document.

A rencana kerja often has an outline (area → indicator → statements) and, further on, a schedule:
a table of activities with month columns and no area or indicator column. A schedule row that
names one of the outline's statements is that statement's time, not another activity: it is
merged into the statement's row. A row that names no statement but one of the outline's
indicators (or an instrument indicator) takes that indicator and its area. Anything else stays a
row of its own without an area, flagged. Names are compared with the indicator matching of
plans.importing.names (numbering, spelling, typos, one candidate only). Pure Python; the rules
are described in docs/plan-import.md ("Outline and schedule in one document").
"""

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .names import IndicatorRef, match_indicator, normalise_name
from .tables import RawRow

# The names compared with the full matching: the closest by word set (a statement the schedule row
# names, or one close to it, is among them), so a long outline and a long schedule stay fast.
_CANDIDATES = 25


@dataclass
class ScheduleLinks:
    rows: list[RawRow]  # the table rows kept as rows of their own
    merged: list[tuple[str, str, str]]  # (where, text, why) of the rows merged into a statement


def _is_schedule_row(row: RawRow) -> bool:
    return not row.area and not row.indicator and bool(row.steps or row.sub_indicator)


def _text(row: RawRow) -> str:
    return row.steps or row.sub_indicator


def _named(text: str, refs: list[IndicatorRef], keys: list[str]) -> IndicatorRef | None:
    """match_indicator among the refs closest to the text by word set."""
    if len(refs) > _CANDIDATES:
        closest = process.extract(normalise_name(text), keys, scorer=fuzz.token_set_ratio, limit=_CANDIDATES)
        refs = [refs[index] for _key, _score, index in closest]
    return match_indicator(text, area=None, indicators=refs)


def link_schedule(outline_rows: list[RawRow], table_rows: list[RawRow], *,
                  refs: list[IndicatorRef]) -> ScheduleLinks:
    """Merge schedule rows into the outline statements they name; give the others an indicator.

    Only table rows without an area and an indicator of their own are looked at, and only when the
    document has outline rows to link them to (a table with its own area column is read as is).
    """
    schedule = [row for row in table_rows if _is_schedule_row(row)]
    if not schedule or not outline_rows:
        return ScheduleLinks(list(table_rows), [])
    # The outline's statements and indicator headings as names to match (their position as path).
    statements = [IndicatorRef(f"s{index}", row.steps, "", "") for index, row in enumerate(outline_rows)
                  if row.steps and normalise_name(row.steps)]
    by_statement = dict(zip((ref.path for ref in statements),
                            (row for row in outline_rows if row.steps and normalise_name(row.steps)), strict=True))
    headings: dict[str, RawRow] = {}
    for row in outline_rows:
        if row.indicator and normalise_name(row.indicator) not in headings:
            headings[normalise_name(row.indicator)] = row
    heading_refs = [IndicatorRef(f"h{index}", row.indicator, "", "") for index, row in enumerate(headings.values())]
    by_heading = dict(zip((ref.path for ref in heading_refs), headings.values(), strict=True))
    statement_keys = [normalise_name(ref.name) for ref in statements]
    heading_keys = [normalise_name(ref.name) for ref in heading_refs]

    kept, merged, timed = [], [], set()
    for row in table_rows:
        if not _is_schedule_row(row):
            kept.append(row)
            continue
        text = _text(row)
        statement = _named(text, statements, statement_keys)
        if statement is not None:
            target = by_statement[statement.path]
            if statement.path not in timed and not target.target and not target.months:
                # The schedule gives the statement its time; its wording, if other, goes to the note.
                timed.add(statement.path)
                target.target, target.months = row.target, row.months
                for name in ("output", "pic"):
                    if not getattr(target, name) and getattr(row, name):
                        setattr(target, name, getattr(row, name))
                extra = [part for part in (
                    f"Jadwal: {text}" if normalise_name(text) != normalise_name(target.steps) else "", row.note)
                    if part]
                target.note = "\n".join(filter(None, [target.note, *extra]))
                merged.append((row.where, text, f"jadwal → {target.where}"))
                continue
            row.area, row.indicator = target.area, target.indicator  # a second schedule row of it
        elif (heading := _named(text, heading_refs, heading_keys)) is not None:
            row.area, row.indicator = by_heading[heading.path].area, by_heading[heading.path].indicator
        elif (indicator := match_indicator(text, area=None, indicators=refs)) is not None:
            row.indicator = indicator.name  # its area follows from the indicator
        else:
            row.schedule = True  # no area written and no statement of the outline named: flagged
        kept.append(row)
    return ScheduleLinks(kept, merged)
