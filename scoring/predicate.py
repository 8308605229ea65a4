"""WBK / WBBM eligibility from an instrument's threshold data (docs/scoring.md, "Predicate thresholds").

Thresholds are data on the instrument (kinds node_min, area_pct, fact), so an administrator
can correct them by importing a corrected instrument. Pure Python, no Django imports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from scoring.engine import Instrument, NodeSpec, Score, Threshold

PREDICATES = ("WBK", "WBBM")
# Scores are sums of unrounded floats: 0.6 * weight can come out as 59.99999999999999 %.
# Comparing after rounding to 10 decimals absorbs such artefacts but nothing a user can enter.
COMPARE_DECIMALS = 10
UNCONFIRMED_SUFFIX = " (ambang belum terkonfirmasi)"
# Kept in capitals when an all-capitals area name is put in title case.
ACRONYMS = frozenset({"SDM", "SOP", "SPBE", "SPIP", "WBK", "WBBM", "ZI"})


@dataclass(frozen=True)
class Check:
    label: str
    actual: float | None  # None: a fact that is not recorded
    minimum: float
    passed: bool
    confirmed: bool
    note: str
    unit: str = ""  # "%" for area checks


@dataclass
class PredicateResult:
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # one per failed check, in Indonesian
    checks: list[Check] = field(default_factory=list)


def evaluate(
    instrument: Instrument, score: Score, facts: dict[str, bool] | None = None
) -> dict[str, PredicateResult]:
    """Results for "WBK" and "WBBM" (and any other predicate named in the thresholds).

    `facts` holds the unit prerequisites recorded on the assessment (e.g. holds_wbk); a
    fact that is missing or None fails as not recorded.
    """
    facts = facts or {}
    names = list(PREDICATES) + [t.predicate for t in instrument.thresholds if t.predicate not in PREDICATES]
    results = {}
    for name in dict.fromkeys(names):
        checks: list[Check] = []
        reasons: list[str] = []
        for threshold in instrument.thresholds:
            if threshold.predicate == name:
                for check, reason in _checks(instrument, score, facts, threshold):
                    checks.append(check)
                    if not check.passed:
                        reasons.append(reason() + ("" if check.confirmed else UNCONFIRMED_SUFFIX))
        results[name] = PredicateResult(eligible=not reasons, reasons=reasons, checks=checks)
    return results


def _checks(instrument, score, facts, threshold: Threshold) -> list[tuple[Check, str]]:
    if threshold.kind == "node_min":
        actual = score.total if not threshold.path else score.nodes[threshold.path]
        return [_minimum_check(threshold, threshold.label, actual, "")]
    if threshold.kind == "area_pct":
        return [
            _minimum_check(threshold, label, _percent(actual, weight), "%")
            for label, actual, weight in _area_parts(instrument, score)
        ]
    if threshold.kind == "fact":
        return [_fact_check(threshold, facts.get(threshold.fact))]
    raise ValueError(f"Jenis ambang tidak dikenal: {threshold.kind!r}")


# A check comes with its reason as a function: the text is only built for a failed check (most
# checks pass, and formatting numbers the spreadsheet's way is the costly part of evaluating).


def _minimum_check(threshold: Threshold, label: str, actual: float, unit: str) -> tuple[Check, Callable[[], str]]:
    passed = at_least(actual, threshold.min)
    check = Check(label, actual, threshold.min, passed, threshold.confirmed, threshold.note, unit)
    return check, lambda: f"{label} {format_below(actual, threshold.min)}{unit} < {format_number(threshold.min)}{unit}"


def _fact_check(threshold: Threshold, value) -> tuple[Check, Callable[[], str]]:
    actual = None if value is None else float(bool(value))
    check = Check(threshold.label, actual, threshold.min, bool(value), threshold.confirmed, threshold.note)
    return check, lambda: f"{threshold.label}: {'belum tercatat' if value is None else 'tidak terpenuhi'}"


def _area_parts(instrument: Instrument, score: Score) -> list[tuple[str, float, float]]:
    """(label, score, weight) per area part ("parts") or per change area ("combined")."""
    return [(label, sum(score.nodes[path] for path in paths), weight)
            for label, paths, weight in _area_groups(instrument)]


def _area_groups(instrument: Instrument) -> tuple[tuple[str, tuple[str, ...], float], ...]:
    areas = tuple(node for node in instrument.nodes.values() if node.kind == "area")
    parents = tuple(instrument.nodes.get(area.parent) for area in areas)
    return _groups(areas, parents, instrument.area_threshold_mode, instrument.change_areas)


# Node specs compare and hash by identity and are shared by every copy of an engine instrument
# (scoring.selectors replaces only thresholds and mode), so one instrument tree is one cache entry.
@functools.lru_cache(maxsize=64)
def _groups(areas, parents, mode: str, change_areas) -> tuple[tuple[str, tuple[str, ...], float], ...]:
    """(label, area node paths, weight) per area part ("parts") or per change area ("combined")."""
    if mode == "parts":
        return tuple((_label(area, parent), (area.path,), area.weight)
                     for area, parent in zip(areas, parents, strict=True))
    groups = []
    for code in change_areas:
        same = [area for area in areas if area.change_area == code]
        if same:
            groups.append((f"Area {title_case(same[0].name)}", tuple(a.path for a in same),
                           sum(a.weight for a in same)))
    return tuple(groups)


def area_label(instrument: Instrument, area: NodeSpec) -> str:
    """"Area Penguatan Pengawasan (reform)": the part comes from the area's sub-komponen."""
    return _label(area, instrument.nodes.get(area.parent))


def _label(area: NodeSpec, parent: NodeSpec | None) -> str:
    label = f"Area {title_case(area.name)}"
    if parent is not None and parent.kind == "sub_komponen":
        label += f" ({parent.name.lower()})"
    return label


def title_case(name: str) -> str:
    words = name.split()
    return " ".join(word if word.upper() in ACRONYMS else word.capitalize() for word in words)


def at_least(actual: float, minimum: float) -> bool:
    return round(actual, COMPARE_DECIMALS) >= round(minimum, COMPARE_DECIMALS)


def _percent(actual: float, weight: float) -> float:
    return actual / weight * 100 if weight else 100.0


def round_half_up(number: float, decimals: int) -> Decimal:
    """Round as the spreadsheet displays: the decimal a float stands for, half away from zero.

    1.775 is stored as 1.77499999…; the sheet (and Django's floatformat) show 1,78, so the
    float's shortest repr is rounded, not its binary value.
    """
    return Decimal(repr(float(number))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(number: float, decimals: int | None = None) -> str:
    """Indonesian format: 18.25 -> "18,25", 75.0 -> "75"; fixed decimals when given."""
    if decimals is None:
        text = f"{round_half_up(number, 2):f}".rstrip("0").rstrip(".")
    else:
        text = f"{round_half_up(number, decimals):f}"
    return text.replace(".", ",")


def format_below(actual: float, minimum: float) -> str:
    """Two decimals, or more when two would round a failing value up to the minimum."""
    decimals = 2
    while decimals < COMPARE_DECIMALS and round_half_up(actual, decimals) >= round_half_up(minimum, COMPARE_DECIMALS):
        decimals += 1
    return format_number(actual, decimals)
