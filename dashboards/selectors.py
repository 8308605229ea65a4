"""Reads for the unit dashboard, in a fixed number of queries whatever the amount of data.

Answers come in one query, evidence as counts grouped by question and status, plan items and
monev entries as narrow rows, and every score, predicate and gap is computed in Python by the pure
scoring engine, with the engine instrument from scoring's per-process cache
(scoring.selectors.engine_instrument). The admin overview is in dashboards/overview.py.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from areas.models import STAGE_ORDER, Assessment, ChangeArea
from evidence.models import Evidence, EvidenceStatus
from plans.models import MonevEntry, MonevPeriod, PlanItem, PlanStatus
from scoring import engine, gap, predicate
from scoring.models import Side
from scoring.selectors import SideScore, engine_instrument, focus_side, score_sides, value_display

GAP_TOP = 10
HASIL = ""  # the engine's change-area code for the hasil questions
PREDICATE_ORDER = ("WBBM", "WBK")  # the highest predicate reached is the one shown


# --- shared ------------------------------------------------------------------------------


def percent(part: float, whole: float) -> float:
    """part of whole in %; an area of weight 0 counts as met (as scoring.predicate does)."""
    return part / whole * 100 if whole else 100.0


def ready_for(predicates: dict[str, predicate.PredicateResult]) -> str:
    """"WBBM", "WBK" or "" (neither): the highest predicate whose every check passes."""
    for name in PREDICATE_ORDER:
        result = predicates.get(name)
        if result is not None and result.eligible:
            return name
    return ""


def area_rows(ins: engine.Instrument) -> list[tuple[str, str]]:
    """(change-area code, name) in catalogue order, then ("", "Hasil") if the instrument has hasil
    questions. One query (the change-area catalogue)."""
    names = {area.code: area.name for area in ChangeArea.objects.all()}
    rows = [(code, names.get(code, code)) for code in ins.change_areas]
    if any(question.change_area == HASIL for question in ins.questions.values()):
        rows.append((HASIL, _("Hasil")))
    return rows


def is_late(status: str, target_end: date | None, day: date) -> bool:
    """Not done and past the end of its target (PlanItem.is_late_on)."""
    return status != PlanStatus.SELESAI and target_end is not None and target_end < day


# --- the unit dashboard ------------------------------------------------------------------


@dataclass
class PredicateLine:
    name: str  # "WBK", "WBBM"
    eligible: bool
    reasons: list[str]


@dataclass
class SideSummary:
    side: str
    label: str
    total: float
    weight: float  # the instrument's total weight (100)
    answered: int
    questions: int
    predicates: list[PredicateLine]
    ready: str  # "WBBM", "WBK" or ""


@dataclass
class AreaPart:
    """One part of a change area (pemenuhan or reform), both sides."""

    label: str
    path: str
    weight: float
    unit: float
    tpi: float

    @property
    def unit_percent(self) -> float:
        return percent(self.unit, self.weight)

    @property
    def tpi_percent(self) -> float:
        return percent(self.tpi, self.weight)


@dataclass
class AreaScore:
    code: str
    name: str
    parts: list[AreaPart | None]  # aligned with UnitDashboard.part_labels


@dataclass
class EvidenceRow:
    """Active evidence of one area: questions with an accepted item, and items per review status."""

    code: str
    name: str
    questions: int
    with_accepted: int = 0
    draft: int = 0
    diajukan: int = 0
    diterima: int = 0
    perlu_perbaikan: int = 0

    @property
    def items(self) -> int:
        return self.draft + self.diajukan + self.diterima + self.perlu_perbaikan

    @property
    def percent(self) -> float:
        return self.with_accepted / self.questions * 100 if self.questions else 0.0


@dataclass
class PlanRow:
    code: str
    name: str
    done: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.done + self.on_time + self.late


@dataclass
class MonevPoint:
    """One monev period: how many items were reported, their mean progress, and where the plan stood."""

    period: MonevPeriod
    items: int
    reported: int
    average_progress: float | None  # mean progress of the entries recorded; None without any
    done: int
    late: int
    on_track: int

    @property
    def done_percent(self) -> float:
        return self.done / self.items * 100 if self.items else 0.0


@dataclass
class Deadline:
    stage: str
    label: str
    day: date | None
    days_left: int | None
    state: str  # "past": the assessment has moved beyond this stage; "current"; "upcoming"

    @property
    def overdue(self) -> bool:
        return self.state != "past" and self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass
class GapItem:
    path: str
    text: str
    area: str
    points: float
    current_value: float | None
    answer: str
    url: str


@dataclass
class PicRow:
    """One person in charge (PIC) of plan items: how many are open, late or done."""

    name: str
    pic_code: object = None  # the membership's code, for the plan list's PIC filter
    open: int = 0
    late: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.open + self.done


@dataclass
class UnitDashboard:
    assessment: Assessment
    sides: list[SideSummary]  # unit, then TPI
    focus: str
    part_labels: list[str]
    areas: list[AreaScore]
    area_lines: list[tuple[str, float]]  # the area minimums of the thresholds, e.g. ("WBK", 60)
    evidence: list[EvidenceRow]
    evidence_total: EvidenceRow
    plans: list[PlanRow]
    plans_total: PlanRow
    monev: list[MonevPoint]
    deadlines: list[Deadline]
    gaps: list[GapItem]
    gap_side_label: str = ""
    today: date | None = None
    pics: list[PicRow] = field(default_factory=list)
    # The engine's results this page was built from, so that panels of other apps on the page
    # (the persyaratan checklist) do not read and score the answers again.
    scored: dict = field(default_factory=dict, repr=False)
    instrument: engine.Instrument | None = field(default=None, repr=False)

    @property
    def side_by_name(self) -> dict[str, SideSummary]:
        return {summary.side: summary for summary in self.sides}

    @property
    def focus_summary(self) -> SideSummary:
        """The side that counts at this stage (the TPI's once it reviews), for headlines."""
        return self.side_by_name[self.focus]

    @property
    def current_deadline(self) -> Deadline | None:
        return next((d for d in self.deadlines if d.state == "current"), None)


def unit_dashboard(assessment, *, today: date) -> UnitDashboard:
    """Everything the unit dashboard shows for one assessment.

    Queries: thresholds, answers (both sides), the change-area catalogue, evidence counts per
    question and status, plan items, monev periods, monev entries: 7, whatever the amount of
    answers, evidence, plans or periods (plus the instrument tree when the engine cache is cold).
    """
    ins = engine_instrument(assessment.instrument)
    sides = score_sides(assessment=assessment, ins=ins, people=False)
    focus = focus_side(assessment, sides)
    rows = area_rows(ins)
    part_labels, areas = _area_scores(ins, rows, sides)
    evidence = _evidence_rows(assessment, ins, rows)
    plan_rows = list(
        PlanItem.objects.for_assessment(assessment).order_by()
        .values_list("pk", "status", "target_end", "change_area__code",
                     "pic__code", "pic__user__full_name", "pic__user__username", "pic_name")
    )
    plan_items = [row[:4] for row in plan_rows]
    plans = _plan_rows(plan_items, rows, today)
    return UnitDashboard(
        assessment=assessment,
        sides=[_side_summary(ins, sides[side]) for side in (Side.UNIT, Side.TPI)],
        focus=focus,
        part_labels=part_labels,
        areas=areas,
        area_lines=[(t.predicate, t.min) for t in ins.thresholds if t.kind == "area_pct"],
        evidence=evidence,
        evidence_total=_sum_evidence(evidence),
        plans=plans,
        plans_total=_sum_plans(plans),
        monev=_monev_points(assessment, plan_items, today),
        deadlines=_deadlines(assessment, today),
        gaps=_top_gaps(assessment, ins, sides[focus], rows),
        gap_side_label=Side(focus).label,
        today=today,
        pics=_pic_rows(plan_rows, today),
        scored=sides,
        instrument=ins,
    )


def _pic_rows(plan_rows, today: date) -> list[PicRow]:
    """Plan items per PIC (an account, else the name typed in), the most late first."""
    result: dict[object, PicRow] = {}
    for _pk, status, target_end, _area, pic_code, full_name, username, pic_name in plan_rows:
        key = pic_code or (pic_name or "").strip().casefold()
        name = (full_name or username) if pic_code else (pic_name or "").strip() or _("Tanpa PIC")
        row = result.setdefault(key, PicRow(name=name, pic_code=pic_code))
        if status == PlanStatus.SELESAI:
            row.done += 1
        else:
            row.open += 1
            row.late += is_late(status, target_end, today)
    return sorted(result.values(), key=lambda r: (-r.late, -r.open, r.name.casefold()))


def _side_summary(ins: engine.Instrument, side: SideScore) -> SideSummary:
    return SideSummary(
        side=side.side,
        label=Side(side.side).label,
        total=side.score.total,
        weight=sum(ins.nodes[root].weight for root in ins.roots),
        answered=side.answered,
        questions=len(ins.questions),
        predicates=[PredicateLine(name, result.eligible, result.reasons) for name, result in side.predicates.items()],
        ready=ready_for(side.predicates),
    )


def part_label(ins: engine.Instrument, area: engine.NodeSpec) -> str:
    """"Pemenuhan" or "Reform" (the area's sub-komponen); "Nilai area" where areas have no parts."""
    parent = ins.nodes.get(area.parent)
    if parent is not None and parent.kind == "sub_komponen":
        return predicate.title_case(parent.name)
    return _("Nilai area")


def _area_scores(ins, rows, sides) -> tuple[list[str], list[AreaScore]]:
    unit, tpi = sides[Side.UNIT].score, sides[Side.TPI].score
    parts: dict[str, dict[str, AreaPart]] = {}
    labels: list[str] = []
    for node in ins.nodes.values():
        if node.kind != "area":
            continue
        label = part_label(ins, node)
        if label not in labels:
            labels.append(label)
        parts.setdefault(node.change_area, {})[label] = AreaPart(
            label=label, path=node.path, weight=node.weight, unit=unit.nodes[node.path], tpi=tpi.nodes[node.path])
    areas = [
        AreaScore(code=code, name=name, parts=[parts[code].get(label) for label in labels])
        for code, name in rows if code in parts
    ]
    return labels, areas


def _evidence_rows(assessment, ins, rows) -> list[EvidenceRow]:
    """One query: active items counted per question and status (at most questions × 4 rows)."""
    questions = Counter(question.change_area for question in ins.questions.values())
    result = {code: EvidenceRow(code=code, name=name, questions=questions[code]) for code, name in rows}
    counts = (
        Evidence.objects.for_assessment(assessment).active().order_by()
        .values("question__path", "status").annotate(n=Count("pk"))
        .values_list("question__path", "status", "n")
    )
    accepted = set()
    statuses = frozenset(EvidenceStatus.values)  # (the enum builds this list anew on each access)
    for path, status, n in counts:
        spec = ins.questions.get(path)
        row = result.get(spec.change_area) if spec is not None else None
        if row is None or status not in statuses:
            continue
        setattr(row, status, getattr(row, status) + n)
        if status == EvidenceStatus.DITERIMA:
            accepted.add(path)
    for path in accepted:
        result[ins.questions[path].change_area].with_accepted += 1
    return list(result.values())


def _sum_evidence(rows: list[EvidenceRow]) -> EvidenceRow:
    total = EvidenceRow(code="total", name=_("Semua area"), questions=0)
    for row in rows:
        for name in ("questions", "with_accepted", *EvidenceStatus.values):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _plan_rows(plan_items, rows, today: date) -> list[PlanRow]:
    result = {code: PlanRow(code=code, name=name) for code, name in rows}
    for _pk, status, target_end, area_code in plan_items:
        row = result.get(area_code or HASIL)
        if row is None:
            continue
        if status == PlanStatus.SELESAI:
            row.done += 1
        elif is_late(status, target_end, today):
            row.late += 1
        else:
            row.on_time += 1
    return list(result.values())


def _sum_plans(rows: list[PlanRow]) -> PlanRow:
    return PlanRow(code="total", name=_("Semua area"), done=sum(r.done for r in rows),
                   on_time=sum(r.on_time for r in rows), late=sum(r.late for r in rows))


def _monev_points(assessment, plan_items, today: date) -> list[MonevPoint]:
    """Periods that have started, each judged as plans.selectors.period_summary judges it: an item is
    done at a period when its entry says 100 % or, without an entry, it is marked done; late when
    not done and its target ended before the period's end (or today, if earlier). Two queries."""
    periods = list(MonevPeriod.objects.filter(assessment=assessment, start__lte=today).order_by("start"))
    progress: dict[int, dict[int, int]] = {period.pk: {} for period in periods}
    entries = (MonevEntry.objects.filter(period__assessment=assessment, period__start__lte=today).order_by()
               .values_list("period_id", "plan_item_id", "progress"))
    for period_id, item_id, value in entries:
        progress[period_id][item_id] = value
    points = []
    for period in periods:
        reported = progress[period.pk]
        day = min(today, period.end)
        done = late = 0
        for pk, status, target_end, _area in plan_items:
            if (reported[pk] >= 100) if pk in reported else status == PlanStatus.SELESAI:
                done += 1
            elif target_end is not None and target_end < day:
                late += 1
        points.append(MonevPoint(
            period=period, items=len(plan_items), reported=len(reported),
            average_progress=sum(reported.values()) / len(reported) if reported else None,
            done=done, late=late, on_track=len(plan_items) - done - late,
        ))
    return points


def _deadlines(assessment, today: date) -> list[Deadline]:
    current = STAGE_ORDER.index(assessment.stage)
    result = []
    for number, (stage, day) in enumerate(assessment.stage_deadlines()):
        state = "past" if number < current else "current" if number == current else "upcoming"
        result.append(Deadline(stage=stage.value, label=stage.label, day=day,
                               days_left=(day - today).days if day else None, state=state))
    return result


def _top_gaps(assessment, ins, side: SideScore, rows) -> list[GapItem]:
    """The ten questions (of any area) that would add most to the side's total (scoring.gap)."""
    answers = {path: answer.value for path, answer in side.answers.items()}
    per_area = gap.gap_analysis(ins, answers)
    ranked = sorted((g for items in per_area.values() for g in items), key=lambda g: g.points, reverse=True)
    names = dict(rows)
    page = reverse("workspace:start", args=[assessment.code])
    result = []
    for item in ranked[:GAP_TOP]:
        code = ins.questions[item.path].change_area
        answer = side.answers.get(item.path)
        result.append(GapItem(
            path=item.path, text=item.text, area=names.get(code, code), points=item.points,
            current_value=item.current_value, answer=value_display(answer.value if answer else None),
            url=f"{page}?area={code.lower() or 'hasil'}#q-{item.path}",
        ))
    return result
