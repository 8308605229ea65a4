"""Reads for the admin overview: every unit's assessment of a year side by side.

A fixed number of queries whatever the number of units: the year's assessments (and last year's,
for the change) with their thresholds, every answer of all of them in one query, accepted
questions and late plan items as counts per assessment. Scores and predicates come from the pure
scoring engine in Python, as on the unit dashboard (dashboards/selectors.py).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Unit
from areas.models import STAGE_ORDER, Assessment
from evidence.models import Evidence, EvidenceStatus
from plans.models import PlanItem
from scoring import engine, predicate
from scoring.models import Side
from scoring.selectors import SideScore, assessment_facts, engine_instrument, focus_side, side_scores

from .selectors import PREDICATE_ORDER, ready_for


@dataclass
class OverviewRow:
    assessment: Assessment
    unit_total: float
    tpi_total: float | None  # None while the TPI has answered nothing
    focus: str  # the side readiness is judged on (scoring.selectors.focus_side)
    ready: str  # "WBBM", "WBK" or ""
    wbk: bool
    wbbm: bool
    next_goal: str  # the predicate to reach next: "WBK", "WBBM", or "" when WBBM is reached
    reasons: list[str]  # why next_goal is not reached
    question_count: int
    accepted_questions: int = 0
    late_items: int = 0
    previous: Assessment | None = None
    previous_unit_total: float | None = None
    previous_tpi_total: float | None = None

    @property
    def evidence_percent(self) -> float:
        return self.accepted_questions / self.question_count * 100 if self.question_count else 0.0

    @property
    def unit_change(self) -> float | None:
        return None if self.previous_unit_total is None else self.unit_total - self.previous_unit_total

    @property
    def tpi_change(self) -> float | None:
        if self.tpi_total is None or self.previous_tpi_total is None:
            return None
        return self.tpi_total - self.previous_tpi_total

    @property
    def focus_label(self) -> str:
        return _("menurut TPI") if self.focus == Side.TPI else _("menurut unit")


SORTS = {
    "instansi": lambda row: (row.assessment.unit.instansi.name.lower(), row.assessment.unit.name.lower()),
    "unit": lambda row: row.assessment.unit.name.lower(),
    "tahap": lambda row: STAGE_ORDER.index(row.assessment.stage),
    "nilai_unit": lambda row: row.unit_total,
    "nilai_tpi": lambda row: row.tpi_total,
    "predikat": lambda row: PREDICATE_ORDER[::-1].index(row.ready) + 1 if row.ready else 0,
    "bukti": lambda row: row.evidence_percent,
    "terlambat": lambda row: row.late_items,
    "perubahan": lambda row: row.unit_change,
}
DEFAULT_SORT = "instansi"
READY_FILTERS = ("wbbm", "wbk", "belum")


@dataclass
class Overview:
    year: int
    rows: list[OverviewRow]  # filtered and sorted, every page
    ready_wbk: int
    ready_wbbm: int
    with_previous: int
    improved: int
    total_lines: list[tuple[str, float]] = field(default_factory=list)  # total minimums shared by all rows


def overview_years(current_year: int) -> list[int]:
    """Years with an assessment, and the current one, newest first (1 query)."""
    years = set(Assessment.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years | {current_year}, reverse=True)


def admin_overview(*, year: int, today: date, instansi: str = "", stage: str = "", ready: str = "",
                   query: str = "", sort: str = DEFAULT_SORT) -> Overview:
    """Every unit's assessment of `year` with scores, readiness, evidence and late plans.

    Queries: the assessments of the year and of the year before for the same units (1) with their
    instruments' thresholds (1), the stamps of their answers (1) and, for those whose scores are
    not cached, their answers (1; scoring.selectors.side_scores), accepted questions per
    assessment (1), late plan items per assessment (1): 5 or 6 whatever the number of units (plus
    the instrument tree once per instrument when the engine cache is cold).
    """
    current = Assessment.objects.filter(year=year)
    if instansi:
        current = current.filter(unit__instansi__name=instansi)
    if stage:
        current = current.filter(stage=stage)
    if query:
        current = current.filter(Q(unit__name__icontains=query) | Q(unit__instansi__name__icontains=query))
    assessments = list(
        Assessment.objects.filter(Q(pk__in=current.values("pk")) | Q(year=year - 1, unit__in=current.values("unit")))
        .select_related("unit__instansi", "instrument").prefetch_related("instrument__thresholds").order_by()
    )
    instruments = _engine_instruments(assessments)
    scores = side_scores(assessments, instruments)
    this_year = [a for a in assessments if a.year == year]
    previous = {a.unit_id: a for a in assessments if a.year == year - 1}
    ids = [a.pk for a in this_year]
    accepted = dict(
        Evidence.objects.filter(assessment_id__in=ids, status=EvidenceStatus.DITERIMA).active().order_by()
        .values("assessment_id").annotate(n=Count("question", distinct=True)).values_list("assessment_id", "n")
    )
    late = dict(
        PlanItem.objects.filter(assessment_id__in=ids).late(today).order_by()
        .values("assessment_id").annotate(n=Count("pk")).values_list("assessment_id", "n")
    )
    rows = []
    for assessment in this_year:
        row = _overview_row(assessment, instruments[assessment.instrument_id], scores)
        row.accepted_questions = accepted.get(assessment.pk, 0)
        row.late_items = late.get(assessment.pk, 0)
        before = previous.get(assessment.unit_id)
        if before is not None:
            row.previous = before
            row.previous_unit_total, row.previous_tpi_total = _totals(before, scores)
        rows.append(row)
    if ready in READY_FILTERS:
        rows = [r for r in rows if (r.wbbm if ready == "wbbm" else r.wbk if ready == "wbk" else not r.wbk)]
    return Overview(
        year=year,
        rows=sort_rows(rows, sort),
        ready_wbk=sum(1 for r in rows if r.wbk),
        ready_wbbm=sum(1 for r in rows if r.wbbm),
        with_previous=sum(1 for r in rows if r.unit_change is not None),
        improved=sum(1 for r in rows if r.unit_change is not None and r.unit_change > 0),
        total_lines=_shared_total_lines([instruments[a.instrument_id] for a in this_year]),
    )


def _engine_instruments(assessments) -> dict[int, engine.Instrument]:
    """One engine instrument per instrument (thresholds from the prefetch, no further query)."""
    result = {}
    for assessment in assessments:
        if assessment.instrument_id not in result:
            result[assessment.instrument_id] = engine_instrument(assessment.instrument)
    return result


def _overview_row(assessment, ins: engine.Instrument, scores) -> OverviewRow:
    sides = {side: SideScore(side, {}, scores[(assessment.pk, side)], {}) for side in (Side.UNIT, Side.TPI)}
    focus = focus_side(assessment, sides)
    # Readiness is judged on one side only, so only that side's checks are evaluated.
    results = predicate.evaluate(ins, sides[focus].score, assessment_facts(assessment))
    ready = ready_for(results)
    next_goal = "WBK" if not ready else "WBBM" if ready == "WBK" else ""
    return OverviewRow(
        assessment=assessment,
        unit_total=sides[Side.UNIT].score.total,
        tpi_total=sides[Side.TPI].score.total if sides[Side.TPI].answered else None,
        focus=focus,
        ready=ready,
        wbk=results["WBK"].eligible,
        wbbm=results["WBBM"].eligible,
        next_goal=next_goal,
        reasons=results[next_goal].reasons if next_goal else [],
        question_count=len(ins.questions),
    )


def _totals(assessment, scores) -> tuple[float, float | None]:
    unit = scores[(assessment.pk, Side.UNIT)].total
    tpi = SideScore(Side.TPI, {}, scores[(assessment.pk, Side.TPI)], {})
    return unit, tpi.score.total if tpi.answered else None


def _shared_total_lines(instruments) -> list[tuple[str, float]]:
    """The total-score minimums (WBK 75, WBBM 85) when every instrument shown has the same ones."""
    found = {tuple((t.predicate, t.min) for t in ins.thresholds if t.kind == "node_min" and not t.path)
             for ins in instruments}
    return list(found.pop()) if len(found) == 1 else []


def sort_rows(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    """Sort by a SORTS key ("-" first for descending); rows without a value (no TPI score, no
    previous year) go last either way. Ties keep instansi/unit order."""
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    rows = sorted(rows, key=SORTS[DEFAULT_SORT])
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=descending) + missing


def instansi_names() -> list[str]:
    """Every instansi with a unit, for the overview's filter (1 query)."""
    return list(Unit.objects.order_by("instansi__name").values_list("instansi__name", flat=True).distinct())
