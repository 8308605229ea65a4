"""Reads for the LKE workspace: the overview, one change area's page and one question's panel.

Answers and scores come from the scoring engine (scoring.selectors), evidence from the evidence
selectors; this module only composes them. Labels and URLs are prepared here once per request, so
the templates loop over plain rows (docs/workspace.md explains the pages and their costs).
"""

import copy
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import membership_in
from accounts.models import Role
from areas.models import STAGE_ORDER
from areas.selectors import cached_sections
from evidence import selectors as evidence_selectors
from evidence.access import may_comment, may_review, may_upload
from evidence.forms import accept_attribute
from evidence.models import Comment, Evidence, EvidenceStatus
from scoring import selectors as scoring_selectors
from scoring.models import Side

FILTERS = [
    ("semua", gettext_lazy("Semua")),
    ("belum", gettext_lazy("Belum dijawab")),
    ("tanpa-bukti", gettext_lazy("Tanpa bukti")),
    ("perbaikan", gettext_lazy("Perlu perbaikan")),
    ("beda", gettext_lazy("Unit ≠ TPI")),
]
FILTER_KEYS = {key for key, _label in FILTERS}
STATUS_ORDER = [EvidenceStatus.DRAFT, EvidenceStatus.DIAJUKAN, EvidenceStatus.PERLU_PERBAIKAN,
                EvidenceStatus.DITERIMA]


# --- one question as a row ---------------------------------------------------------------


@dataclass
class QuestionRow:
    """One question on an area page: its answers on both sides and its evidence in numbers."""

    question: object
    url: str  # the question's panel (and page)
    unit: str  # the unit's answer as text, "" when unanswered
    tpi: str
    unit_answered: bool
    tpi_answered: bool
    differs: bool  # both sides answered with different values
    returned: bool  # the TPI returned the question to the unit
    evidence: dict  # status -> count of active items
    expected_total: int
    expected_present: int
    comments: int

    @property
    def evidence_count(self) -> int:
        return sum(self.evidence.values())

    @property
    def revision(self) -> int:
        return self.evidence.get(EvidenceStatus.PERLU_PERBAIKAN, 0)

    @property
    def accepted(self) -> int:
        return self.evidence.get(EvidenceStatus.DITERIMA, 0)

    def matches(self, key: str, side: str) -> bool:
        if key == "belum":
            return not (self.tpi_answered if side == Side.TPI else self.unit_answered)
        if key == "tanpa-bukti":
            return self.evidence_count == 0
        if key == "perbaikan":
            return self.revision > 0 or self.returned
        if key == "beda":
            return self.differs
        return True


def _evidence_counts(assessment):
    """({question id: {status: count}}, {question id: set of expected items present}).

    One grouped query over the assessment's active items: its size grows with the number of
    questions and review states, not with the number of items.
    """
    counts, expected = {}, {}
    rows = (
        Evidence.objects.for_assessment(assessment).active().order_by()
        .values_list("question_id", "status", "expected_item").annotate(n=Count("pk"))
    )
    for question_id, status, expected_item, n in rows:
        per_status = counts.setdefault(question_id, {})
        per_status[status] = per_status.get(status, 0) + n
        if expected_item:
            expected.setdefault(question_id, set()).add(expected_item)
    return counts, expected


def _comment_counts(assessment) -> dict[int, int]:
    return dict(
        Comment.objects.filter(assessment=assessment).order_by().values("question_id")
        .annotate(n=Count("pk")).values_list("question_id", "n")
    )


def question_rows(*, assessment, questions, sides) -> list[QuestionRow]:
    """Rows for questions, from both sides' scores and the grouped evidence and comment counts.

    Queries: evidence counts (1), comment counts (1).
    """
    evidence, expected_present = _evidence_counts(assessment)
    comments = _comment_counts(assessment)
    unit, tpi = sides[Side.UNIT], sides[Side.TPI]
    prefix = reverse("workspace:question", args=[assessment.code, "_"])[:-2]
    rows = []
    for question in questions:
        unit_value, tpi_value = unit.score.values[question.path], tpi.score.values[question.path]
        unit_answer, tpi_answer = unit.answers.get(question.path), tpi.answers.get(question.path)
        expected = question.expected_evidence or []
        present = expected_present.get(question.pk, set())
        rows.append(QuestionRow(
            question=question,
            url=f"{prefix}{question.path}/",
            unit=scoring_selectors.value_display(unit_answer.value) if unit_answer else "",
            tpi=scoring_selectors.value_display(tpi_answer.value) if tpi_answer else "",
            unit_answered=unit_value is not None,
            tpi_answered=tpi_value is not None,
            differs=unit_value is not None and tpi_value is not None and unit_value != tpi_value,
            returned=unit_answer is not None and unit_answer.is_returned,
            evidence=evidence.get(question.pk, {}),
            expected_total=len(expected),
            expected_present=sum(1 for text in expected if text in present),
            comments=comments.get(question.pk, 0),
        ))
    return rows


def question_row(assessment, question) -> QuestionRow:
    """One question's row, as the area page shows it. Queries: its answers (1), evidence and
    comment counts (2)."""
    ins = scoring_selectors.engine_instrument(assessment.instrument, with_thresholds=False)
    sides = scoring_selectors.question_sides(assessment=assessment, ins=ins, question=question)
    return question_rows(assessment=assessment, questions=[question], sides=sides)[0]


def _sides(assessment, *, with_thresholds=True):
    ins = scoring_selectors.engine_instrument(assessment.instrument, with_thresholds=with_thresholds)
    return ins, scoring_selectors.score_sides(assessment=assessment, ins=ins, people=False)


# --- the areas of an assessment ----------------------------------------------------------


@dataclass
class AreaProgress:
    """One change area (or hasil) in numbers, for the overview and the area navigation."""

    slug: str
    title: str
    number: int | None
    url: str
    mine: bool
    questions: int = 0
    unit_answered: int = 0
    tpi_answered: int = 0
    with_evidence: int = 0
    differs: int = 0
    evidence: dict = field(default_factory=dict)  # status -> count

    @property
    def evidence_total(self) -> int:
        return sum(self.evidence.values())

    @property
    def evidence_by_status(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in review order."""
        return [(s.value, s.label, self.evidence.get(s, 0)) for s in STATUS_ORDER]


def _progress(section, rows, *, url, mine) -> AreaProgress:
    area = section.change_area
    progress = AreaProgress(slug=section.slug, title=section.title, number=area.number if area else None, url=url,
                            mine=mine)
    for row in rows:
        progress.questions += 1
        progress.unit_answered += row.unit_answered
        progress.tpi_answered += row.tpi_answered
        progress.with_evidence += row.evidence_count > 0
        progress.differs += row.differs
        for status, n in row.evidence.items():
            progress.evidence[status] = progress.evidence.get(status, 0) + n
    return progress


def my_area_ids(user, assessment) -> set[int]:
    membership = membership_in(user, assessment.unit)
    if membership is None or membership.role != Role.TIM_KERJA:
        return set()
    return {area.pk for area in membership.areas.all()}


def landing_area(user, assessment) -> str | None:
    """The slug of the first assigned area of a tim kerja member; None for every other role."""
    membership = membership_in(user, assessment.unit)
    if membership is None or membership.role != Role.TIM_KERJA:
        return None
    areas = sorted(membership.areas.all(), key=lambda area: area.number)
    return areas[0].code.lower() if areas else None


def _areas(assessment, user, sections, rows_by_path):
    mine = my_area_ids(user, assessment)
    result = []
    for section in sections:
        rows = [rows_by_path[q.path] for q in section.questions()]
        url = reverse("workspace:area", args=[assessment.code, section.slug])
        result.append(_progress(section, rows, url=url,
                                mine=section.change_area is not None and section.change_area.pk in mine))
    return result


# --- pages -------------------------------------------------------------------------------


def overview(*, assessment, user) -> dict:
    """The overview: score panel, every area's progress, the user's own work.

    Queries: thresholds (1), answers (1), evidence and comment counts (2), the user's membership
    (2, with its areas); the instrument's tree comes from a per-process cache (areas.selectors).
    Flat in every count.
    """
    sections, _by_path = cached_sections(assessment.instrument)
    ins, sides = _sides(assessment)
    questions = [q for section in sections for q in section.questions()]
    rows = question_rows(assessment=assessment, questions=questions, sides=sides)
    areas = _areas(assessment, user, sections, {row.question.path: row for row in rows})
    panel = scoring_selectors.score_panel(ins=ins, sides=sides, focus=scoring_selectors.focus_side(assessment, sides))
    return {
        "score_panel": panel,
        "areas": areas,
        "totals": _progress_total(areas),
        "my_work": _my_work(assessment, user, areas, rows),
        "deadlines": deadlines(assessment, timezone.localdate()),
    }


def _progress_total(areas) -> AreaProgress:
    total = AreaProgress(slug="", title=_("Semua area"), number=None, url="", mine=False)
    for area in areas:
        total.questions += area.questions
        total.unit_answered += area.unit_answered
        total.tpi_answered += area.tpi_answered
        total.with_evidence += area.with_evidence
        total.differs += area.differs
        for status, n in area.evidence.items():
            total.evidence[status] = total.evidence.get(status, 0) + n
    return total


@dataclass
class WorkRow:
    """One area of the user's own work: (label, count, filtered area page) for what waits there."""

    area: AreaProgress
    items: list[tuple[str, int, str]]


def _my_work(assessment, user, areas, rows) -> list[WorkRow]:
    """What waits for this user, per area, with links to the filtered area pages."""
    membership = membership_in(user, assessment.unit)
    if membership is None or membership.role not in (Role.TPI, Role.TIM_KERJA, Role.KOORDINATOR):
        return []
    by_slug = {}
    for row in rows:
        area = row.question.change_area
        by_slug.setdefault(area.code.lower() if area else "hasil", []).append(row)
    if membership.role == Role.TPI:
        side = Side.TPI
        checks = [("belum", _("belum dijawab TPI")), ("beda", _("unit ≠ TPI")),
                  ("perbaikan", _("perlu perbaikan"))]
    else:
        side = Side.UNIT
        checks = [("belum", _("belum dijawab")), ("perbaikan", _("perlu perbaikan")),
                  ("tanpa-bukti", _("tanpa bukti"))]
    relevant = [a for a in areas if a.mine] if membership.role == Role.TIM_KERJA else areas
    result = []
    for area in relevant:
        items = []
        for key, label in checks:
            n = sum(1 for row in by_slug.get(area.slug, []) if row.matches(key, side))
            if n:
                items.append((label, n, f"{area.url}?saring={key}"))
        if items:
            result.append(WorkRow(area, items))
    return result


def area_page(*, assessment, user, slug: str, key: str) -> dict | None:
    """One change area: its parts (pemenuhan, reform) with indicators and question rows,
    filtered. None when the slug names no area of the instrument.

    Queries: as the overview without thresholds (the counts of every area feed the area navigation).
    """
    sections, _by_path = cached_sections(assessment.instrument)
    section = next((s for s in sections if s.slug == slug), None)
    if section is None:
        return None
    _ins, sides = _sides(assessment, with_thresholds=False)
    questions = [q for s in sections for q in s.questions()]
    rows = question_rows(assessment=assessment, questions=questions, sides=sides)
    rows_by_path = {row.question.path: row for row in rows}
    areas = _areas(assessment, user, sections, rows_by_path)
    side = Side.TPI if _role(user, assessment) == Role.TPI else Side.UNIT
    own = [rows_by_path[q.path] for q in section.questions()]
    counts = {k: sum(1 for row in own if row.matches(k, side)) for k, _label in FILTERS}
    groups = _groups(section, rows_by_path, key, side)
    return {
        "section": section,
        "areas": areas,
        "area": next(a for a in areas if a.slug == slug),
        "groups": groups,
        "filters": [(k, label, counts[k]) for k, label in FILTERS],
        "filter_key": key,
        "shown": sum(len(g.rows) for part in groups for g in part.indicators),
        "answer_side": side,
    }


def _role(user, assessment):
    membership = membership_in(user, assessment.unit)
    return membership.role if membership else None


@dataclass
class IndicatorGroup:
    node: object
    rows: list[QuestionRow]


@dataclass
class PartGroup:
    title: str  # "Pemenuhan", "Reform", or "" for hasil
    node: object | None
    indicators: list[IndicatorGroup]


def _indicator_questions(node):
    for sub in node.child_nodes:
        yield from _indicator_questions(sub)
    yield from node.question_list


def _groups(section, rows_by_path, key, side) -> list[PartGroup]:
    def group(indicator):
        rows = [rows_by_path[q.path] for q in _indicator_questions(indicator)]
        rows.sort(key=lambda row: row.question.order)
        return IndicatorGroup(indicator, [row for row in rows if row.matches(key, side)])

    parts = [PartGroup(part.sub_komponen, part.node, [group(i) for i in part.node.child_nodes])
             for part in section.parts]
    if section.indicators:
        parts.append(PartGroup("", None, [group(i) for i in section.indicators]))
    for part in parts:
        part.indicators = [g for g in part.indicators if g.rows]
    return [part for part in parts if part.indicators]


def question_panel(*, assessment, question, user) -> dict:
    """Everything one question's panel shows: both answer forms, the evidence of this question
    only, and its comment thread.

    Queries: answers (1), this question's items (1), comments (1), the user's membership (1).
    """
    ins = scoring_selectors.engine_instrument(assessment.instrument, with_thresholds=False)
    sides = scoring_selectors.question_sides(assessment=assessment, ins=ins, question=question)
    question.answer_state = scoring_selectors.question_state(assessment=assessment, question=question, user=user,
                                                             sides=sides)
    items = list(
        Evidence.objects.for_assessment(assessment).for_question(question).active()
        .only("code", "question_id", "kind", "title", "status", "withdrawn", "expected_item")
        .order_by("created_at", "pk")
    )
    comments = list(Comment.objects.filter(assessment=assessment, question=question).select_related("author"))
    question.evidence_state = evidence_selectors.question_evidence(
        question, items, may_upload_here=may_upload(user, assessment, question), comment_count=len(comments))
    return {
        "question": question,
        "comments": comments,
        "may_comment": may_comment(user, assessment, question),
        "may_review": may_review(user, assessment),
        "evidence_accept": accept_attribute(),
        "drafts": sum(1 for item in items if item.status in (EvidenceStatus.DRAFT, EvidenceStatus.PERLU_PERBAIKAN)),
        "area_slug": question.change_area.code.lower() if question.change_area else "hasil",
    }


@dataclass
class DeadlineRow:
    label: str
    day: object
    state: str  # "past", "current", "future"
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.state == "current" and self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


def deadlines(assessment, today) -> list[DeadlineRow]:
    current = STAGE_ORDER.index(assessment.stage)
    rows = []
    for number, (stage, day) in enumerate(assessment.stage_deadlines()):
        state = "past" if number < current else "current" if number == current else "future"
        rows.append(DeadlineRow(stage.label, day, state, (day - today).days if day else None))
    return rows


def panel_question(assessment, path):
    """A copy of the question at `path` (from the cached tree; the panel sets attributes on it),
    or None."""
    _sections, by_path = cached_sections(assessment.instrument)
    question = by_path.get(path)
    return copy.copy(question) if question is not None else None


def neighbours(*, assessment, question) -> dict:
    """The previous and next question of the same area, for the question page (0 queries)."""
    _sections, by_path = cached_sections(assessment.instrument)
    paths = [q.path for q in sorted(by_path.values(), key=lambda q: q.order)
             if q.change_area_id == question.change_area_id]
    index = paths.index(question.path)
    return {
        "previous_url": reverse("workspace:question", args=[assessment.code, paths[index - 1]]) if index else "",
        "next_url": reverse("workspace:question", args=[assessment.code, paths[index + 1]])
        if index + 1 < len(paths) else "",
    }
