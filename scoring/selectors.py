"""Reads for answers and scores. `attach_to_questions` feeds the assessment page.

Every page here loads all answers of an assessment in one query and scores them with the
engine; the engine's view of an instrument is built once per instrument version and process.
"""

import dataclasses
import functools
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Max, Sum
from django.utils.translation import gettext as _

from accounts.access import membership_in
from accounts.models import Role
from areas.models import ChangeArea, Stage
from areas.selectors import instrument_data

from . import engine, gap, predicate
from .access import answer_refusal
from .models import Answer, AnswerColumns, AnswerHistory, Side, stored_value

PANEL_KINDS = ("komponen", "sub_komponen", "area")
POSITIVE_OPTIONS = ("Ya", "A")
SMALL_WORDS = frozenset({"dan", "yang", "dari", "pada", "di", "ke", "untuk", "dengan", "atau", "terhadap", "dalam"})


# --- the engine's instrument -------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _engine_tree(instrument, fingerprint, imported_at) -> engine.Instrument:
    """Cached per process by (instrument pk, fingerprint, imported_at): an import or an admin edit
    of the instrument changes the key. Model instances hash by primary key."""
    return engine.Instrument.from_dict(instrument_data(instrument))


def engine_instrument(instrument, *, with_thresholds=True) -> engine.Instrument:
    """The instrument as the scoring engine reads it.

    The tree comes from an in-process cache (5 queries when it is built). Thresholds are read
    again each time (1 query) unless with_thresholds=False: they can be corrected on an
    instrument in use without changing its fingerprint.
    """
    cached = _engine_tree(instrument, instrument.fingerprint, instrument.imported_at)
    if not with_thresholds:
        return cached
    thresholds = tuple(
        engine.Threshold(
            predicate=t.predicate, kind=t.kind, label=t.label, path=t.path, min=float(t.minimum),
            confirmed=t.confirmed, note=t.note, fact=t.fact,
        )
        for t in instrument.thresholds.all()
    )
    return dataclasses.replace(cached, thresholds=thresholds, area_threshold_mode=instrument.area_threshold_mode)


def assessment_facts(assessment) -> dict[str, bool]:
    """Unit prerequisites recorded on the assessment, by the names thresholds use."""
    return {"holds_wbk": assessment.holds_wbk}


# --- values for display ------------------------------------------------------------------


def format_score(number: float | None, decimals: int = 2) -> str:
    """Indonesian format with fixed decimals, rounded as the LKE sheet shows it: 12.5 -> "12,50"."""
    if number is None:
        return ""
    return predicate.format_number(number, decimals)


def node_title(name: str) -> str:
    """All-capitals names of the official sheet in title case: "BIROKRASI YANG BERSIH" ->
    "Birokrasi yang Bersih"; names already in mixed case are kept as written."""
    if name != name.upper():
        return name
    words = []
    for i, word in enumerate(name.split()):
        lower = word.lower()
        if word in predicate.ACRONYMS:
            words.append(word)
        elif i and lower in SMALL_WORDS:
            words.append(lower)
        else:
            words.append(lower.capitalize())
    return " ".join(words)


def value_display(value) -> str:
    """A stored answer as text: "B", "10; 7", "3,60"; "" when unanswered."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "; ".join("–" if count is None else str(count) for count in value)
    return format_score(float(value))


# --- answers of one assessment -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredAnswer(AnswerColumns):
    """An answer's stored columns without a model instance, for pages that show only values and
    states (score_sides(people=False)): reading 226 answers this way costs a third of building
    Answer instances. Offers what those pages read of an Answer: value, counts, is_returned."""

    option: str
    counts: list | None
    index: object
    returned_at: object


@dataclass
class SideScore:
    """The engine's result for one side, and that side's answers by question path."""

    side: str
    answers: dict[str, Answer | StoredAnswer]
    score: engine.Score
    predicates: dict[str, predicate.PredicateResult]

    @property
    def answered(self) -> int:
        return sum(1 for value in self.score.values.values() if value is not None)


def score_sides(*, assessment, ins: engine.Instrument, people: bool = True) -> dict[str, SideScore]:
    """Both sides scored; one query for every answer of the assessment. `people=False` leaves out
    who changed or returned each answer and gives StoredAnswer values instead of Answer instances
    (pages that show only values and states)."""
    answers = {Side.UNIT: {}, Side.TPI: {}}
    if people:
        rows = (Answer.objects.for_assessment(assessment).annotate(question_path=F("question__path"))
                .select_related("updated_by", "returned_by"))
        for row in rows:
            answers[row.side][row.question_path] = row
    else:
        rows = (Answer.objects.for_assessment(assessment).order_by()
                .values_list("side", "question__path", "option", "counts", "index", "returned_at"))
        for side, path, option, counts, index, returned_at in rows:
            answers[side][path] = StoredAnswer(option, counts, index, returned_at)
    facts = assessment_facts(assessment)
    result = {}
    for side, by_path in answers.items():
        score = engine.score(ins, {path: answer.value for path, answer in by_path.items()})
        result[side] = SideScore(side, by_path, score, predicate.evaluate(ins, score, facts))
    return result


def question_sides(*, assessment, ins: engine.Instrument, question) -> dict[str, SideScore]:
    """One question's answers on both sides, as `score_sides` gives them for that question only:
    the answer, its value and its flags (no totals, no predicates). One query (two rows), for the
    question panel."""
    spec = ins.questions[question.path]
    rows = Answer.objects.filter(assessment=assessment, question=question).select_related("updated_by", "returned_by")
    found = {answer.side: answer for answer in rows}
    result = {}
    for side in (Side.UNIT, Side.TPI):
        answer = found.get(side)
        flags: list[engine.Flag] = []
        value = engine.answer_value(spec, engine.parse_answer(ins, question.path, answer.value) if answer else None,
                                    flags)
        score = engine.Score(values={question.path: value}, nodes={}, strict_nodes={}, total=0.0, strict_total=0.0,
                             flags=flags)
        result[side] = SideScore(side, {question.path: answer} if answer else {}, score, {})
    return result


# --- scores of many assessments ----------------------------------------------------------

# Cache of one side's score, keyed by what it depends on (docs/workspace.md, "Score cache"):
# the assessment (its random code, never reused), the instrument tree (fingerprint and import
# time) and a stamp of the side's answers: how many there are, the sum of their versions and the
# last change. Every change of an answer goes through scoring.services, which raises the
# answer's version, so any change gives a new key; stale entries simply expire.
SCORE_CACHE_SECONDS = 6 * 3600


def side_scores(assessments, instruments) -> dict[tuple[int, str], engine.Score]:
    """(assessment pk, side) -> the engine's Score for every side of many assessments.

    `instruments`: instrument pk -> engine instrument. The Score keeps the question values, the
    node scores and the totals (what summaries and predicates read), not the flags. Queries: the
    answers' stamps (1), and the answers of the assessments whose scores are not cached (0 or 1).
    """
    assessments = list(assessments)
    if not assessments:
        return {}
    stamps = {
        (row["assessment_id"], row["side"]): row
        for row in Answer.objects.filter(assessment__in=[a.pk for a in assessments]).order_by()
        .values("assessment_id", "side").annotate(n=Count("pk"), v=Sum("version"), t=Max("updated_at"))
    }
    keys = {}
    for assessment in assessments:
        instrument = assessment.instrument
        for side in (Side.UNIT, Side.TPI):
            stamp = stamps.get((assessment.pk, side))
            stamp_text = f"{stamp['n']}:{stamp['v']}:{stamp['t'].isoformat() if stamp['t'] else ''}" if stamp else "0"
            keys[(assessment.pk, side)] = (f"zi:score:1:{assessment.code}:{side}:{instrument.fingerprint}:"
                                           f"{instrument.imported_at.timestamp() if instrument.imported_at else ''}:"
                                           f"{stamp_text}")
    found = cache.get_many(keys.values())
    result = {pair: found[key] for pair, key in keys.items() if key in found}
    missing = {pk for (pk, _side) in keys if (pk, _side) not in result}
    if missing:
        answers: dict[tuple[int, str], dict] = {}
        rows = (Answer.objects.filter(assessment__in=missing).order_by()
                .values_list("assessment_id", "side", "question__path", "option", "counts", "index"))
        for assessment_id, side, path, option, counts, index in rows:
            value = stored_value(option, counts, index)
            if value is not None:
                answers.setdefault((assessment_id, side), {})[path] = value
        by_pk = {a.pk: a for a in assessments}
        fresh = {}
        for pair, key in keys.items():
            if pair[0] not in missing:
                continue
            full = engine.score(instruments[by_pk[pair[0]].instrument_id], answers.get(pair, {}))
            result[pair] = fresh[key] = dataclasses.replace(full, strict_nodes={}, flags=[])
        cache.set_many(fresh, SCORE_CACHE_SECONDS)
    return result


# --- the score panel ---------------------------------------------------------------------


@dataclass
class PanelRow:
    path: str
    name: str
    depth: int
    weight: float
    unit: float
    unit_strict: float
    tpi: float
    tpi_strict: float
    compared: bool  # the TPI has answered something, so the two sides can be compared

    @property
    def differs(self) -> bool:
        return self.compared and format_score(self.unit) != format_score(self.tpi)


@dataclass
class CheckRow:
    check: predicate.Check
    actual: str
    minimum: str


@dataclass
class PredicateItem:
    name: str  # "WBK", "WBBM"
    result: predicate.PredicateResult
    rows: list[CheckRow]
    is_open: bool  # shown unfolded: WBK of the side that matters at this stage

    @property
    def unconfirmed(self) -> list[predicate.Check]:
        return [row.check for row in self.rows if not row.check.confirmed]


@dataclass
class PredicateView:
    side: str
    label: str
    answered: int
    items: list[PredicateItem]


@dataclass
class ScorePanel:
    rows: list[PanelRow]
    total: PanelRow
    questions: int
    predicates: list[PredicateView] = field(default_factory=list)


def _panel_nodes(ins: engine.Instrument):
    """Komponen, sub-komponen, areas, and the hasil indicators that stand for an area."""
    for node in ins.nodes.values():
        parent = ins.nodes.get(node.parent)
        if node.kind in PANEL_KINDS or (node.kind == "indikator" and parent is not None and parent.kind != "area"):
            yield node


def focus_side(assessment, sides: dict[str, SideScore]) -> str:
    """The TPI's side once it has answered in reviu or final; the unit's side before."""
    if assessment.stage in (Stage.REVIU, Stage.FINAL) and sides[Side.TPI].answered:
        return Side.TPI
    return Side.UNIT


def score_panel(*, ins: engine.Instrument, sides: dict[str, SideScore], focus: str) -> ScorePanel:
    unit, tpi = sides[Side.UNIT].score, sides[Side.TPI].score
    compared = sides[Side.TPI].answered > 0
    rows = [
        PanelRow(
            path=node.path, name=node_title(node.name), depth=node.path.count("."), weight=node.weight,
            unit=unit.nodes[node.path], unit_strict=unit.strict_nodes[node.path],
            tpi=tpi.nodes[node.path], tpi_strict=tpi.strict_nodes[node.path], compared=compared,
        )
        for node in _panel_nodes(ins)
    ]
    total = PanelRow(
        path="", name=_("Total"), depth=0, weight=sum(ins.nodes[root].weight for root in ins.roots),
        unit=unit.total, unit_strict=unit.strict_total, tpi=tpi.total, tpi_strict=tpi.strict_total,
        compared=compared,
    )
    views = [
        PredicateView(side, Side(side).label, sides[side].answered,
                      _predicate_items(ins, sides[side].predicates, is_focus=side == focus))
        for side in (Side.UNIT, Side.TPI)
    ]
    return ScorePanel(rows=rows, total=total, questions=len(ins.questions), predicates=views)


def _predicate_items(ins: engine.Instrument, results, *, is_focus: bool) -> list[PredicateItem]:
    facts = {t.label for t in ins.thresholds if t.kind == "fact"}

    def row(check: predicate.Check) -> CheckRow:
        if check.label in facts:
            actual = _("belum tercatat") if check.actual is None else (_("ya") if check.passed else _("tidak"))
            return CheckRow(check, actual, _("ya"))
        return CheckRow(check, format_score(check.actual) + check.unit,
                        predicate.format_number(check.minimum) + check.unit)

    return [
        PredicateItem(name, result, [row(c) for c in result.checks], is_open=is_focus and name == "WBK")
        for name, result in results.items()
    ]


# --- one question's answers on the assessment page ---------------------------------------


@dataclass
class SideAnswer:
    side: str
    answer: Answer | None
    value: float | None  # the engine's value 0..1, None when unanswered

    @property
    def display(self) -> str:
        return value_display(self.answer.value if self.answer else None)

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

    @property
    def note(self) -> str:
        return self.answer.note if self.answer else ""


@dataclass
class FormState:
    """What the answering form shows: the saved answer, or what the user just sent."""

    side: str
    version: int
    option: str = ""
    counts: list[tuple[str, str]] = field(default_factory=list)  # (input label, value as typed)
    index: str = ""
    note: str = ""


@dataclass
class AnswerState:
    unit: SideAnswer
    tpi: SideAnswer
    form: FormState | None  # None: the user may not change either side now
    refusal: str  # why the user may not answer (shown to team members and the TPI)
    may_agree: bool
    may_return: bool
    flags: list[str]
    rule_json: str  # the question's value rule, for the live value in scoring.js
    message: str = ""
    message_level: str = ""

    @property
    def both_answered(self) -> bool:
        return self.unit.value is not None and self.tpi.value is not None

    @property
    def differs(self) -> bool:
        return self.both_answered and self.unit.value != self.tpi.value

    @property
    def difference(self) -> float | None:
        return self.tpi.value - self.unit.value if self.both_answered else None

    @property
    def returned(self) -> Answer | None:
        answer = self.unit.answer
        return answer if answer is not None and answer.is_returned else None


def _form_for(question, side_answer: SideAnswer) -> FormState:
    answer = side_answer.answer
    inputs = list(question.inputs.all())
    counts = (answer.counts if answer else None) or [None] * len(inputs)
    return FormState(
        side=side_answer.side,
        version=side_answer.version,
        option=answer.option if answer else "",
        counts=[(item.label, "" if count is None else str(count)) for item, count in zip(inputs, counts, strict=True)],
        index=format_score(float(answer.index)) if answer and answer.index is not None else "",
        note=side_answer.note,
    )


def keep_draft(form: FormState, data, question) -> None:
    """Show what the user sent (with its error) instead of the saved answer."""
    typed = data.getlist("inputs")
    form.option = data.get("option", "")
    form.counts = [(item.label, typed[i] if i < len(typed) else "") for i, item in enumerate(question.inputs.all())]
    form.index = data.get("index", "")
    form.note = data.get("note", "")
    try:
        form.version = int(data.get("version"))
    except (TypeError, ValueError):
        pass  # keep the saved version: the next save is compared with what is stored


def _editable_side(user, assessment, question, returned: bool) -> tuple[str | None, str]:
    """(the side the user may answer now, or None and why not).

    Pimpinan and administrators only read, so they get no reason either.
    """
    membership = membership_in(user, assessment.unit)
    if membership is None or membership.role == Role.PIMPINAN:
        return None, ""
    side = Side.TPI if membership.role == Role.TPI else Side.UNIT
    refusal = answer_refusal(user, assessment, question, side, returned=returned)
    return (None, refusal) if refusal else (side, "")


def _tpi_may_agree(unit: SideAnswer, tpi: SideAnswer) -> bool:
    """Only an answered unit side can be agreed with, and only when the TPI differs from it."""
    if unit.answer is None or unit.answer.value is None:
        return False
    return tpi.answer is None or tpi.answer.value != unit.answer.value


def question_state(*, assessment, question, user, sides: dict[str, SideScore]) -> AnswerState:
    unit, tpi = (
        SideAnswer(side, sides[side].answers.get(question.path), sides[side].score.values[question.path])
        for side in (Side.UNIT, Side.TPI)
    )
    returned = unit.answer is not None and unit.answer.is_returned
    side, refusal = _editable_side(user, assessment, question, returned)
    tpi_may_act = side == Side.TPI
    flags = [
        f"{Side(s).label}: {flag.message}"
        for s in (Side.UNIT, Side.TPI)
        for flag in sides[s].score.flags
        if flag.path == question.path and flag.kind in ("inconsistent_input", "breakdown_mismatch")
    ]
    return AnswerState(
        unit=unit,
        tpi=tpi,
        form=_form_for(question, unit if side == Side.UNIT else tpi) if side else None,
        refusal=refusal,
        may_agree=tpi_may_act and _tpi_may_agree(unit, tpi),
        may_return=tpi_may_act,
        flags=flags,
        rule_json=json.dumps(question.rule) if question.rule else "",
    )


def attach_to_questions(*, assessment, questions, user) -> dict:
    """Set `question.answer_state` on every question; return the score panel context.

    Queries: thresholds (1) and every answer of the assessment (1), however many are
    answered; the instrument tree only when the engine cache is cold.
    """
    ins = engine_instrument(assessment.instrument)
    sides = score_sides(assessment=assessment, ins=ins)
    for question in questions:
        question.answer_state = question_state(assessment=assessment, question=question, user=user, sides=sides)
    panel = score_panel(ins=ins, sides=sides, focus=focus_side(assessment, sides))
    return {"score_panel": panel}


def unit_answer_is_positive(*, assessment, question) -> bool:
    """Whether the unit's current answer claims the item is in place ("Ya", or option "A").

    Ratio and index answers never count as positive. Evidence submission uses it to block a
    positive answer without evidence.
    """
    answer = Answer.objects.filter(assessment=assessment, question=question, side=Side.UNIT).only("option").first()
    return answer is not None and answer.option in POSITIVE_OPTIONS


# --- gap analysis and history ------------------------------------------------------------


@dataclass
class GapRow:
    gap: gap.Gap
    answer: str  # the current answer as text

    @property
    def anchor(self) -> str:
        return f"q-{self.gap.path}"


@dataclass
class GapSection:
    title: str
    slug: str
    rows: list[GapRow]


def assessment_gaps(*, assessment, side: str, limit: int) -> list[GapSection]:
    """Per change area (then hasil), the questions that would add most to the side's total.

    Queries: the side's answers (1), the change areas (1).
    """
    ins = engine_instrument(assessment.instrument, with_thresholds=False)
    answers = {
        row.question_path: row
        for row in Answer.objects.for_assessment(assessment).side(side).annotate(question_path=F("question__path"))
    }
    gaps = gap.gap_analysis(ins, {path: a.value for path, a in answers.items()}, limit_per_area=limit)
    names = {area.code: area.name for area in ChangeArea.objects.all()}
    return [
        GapSection(
            title=names.get(code, code) if code else _("Hasil"),
            slug=code.lower() if code else "hasil",
            rows=[GapRow(g, value_display(answers[g.path].value) if g.path in answers else "") for g in items],
        )
        for code, items in gaps.items()
    ]


@dataclass
class HistoryRow:
    entry: AnswerHistory
    old: str
    new: str


def question_history(*, assessment, question) -> list[HistoryRow]:
    """Every change of both sides' answers to one question, newest first (1 query)."""
    entries = (
        AnswerHistory.objects.filter(answer__assessment=assessment, answer__question=question)
        .select_related("answer", "changed_by")
    )
    return [HistoryRow(e, value_display(e.old_value), value_display(e.new_value)) for e in entries]


def answer_authors(*, assessment, question) -> list:
    """Users who last saved either side's answer to a question (for comment notifications)."""
    from accounts.models import User

    ids = (Answer.objects.filter(assessment=assessment, question=question, updated_by__isnull=False)
           .values_list("updated_by_id", flat=True))
    return list(User.objects.filter(pk__in=list(ids)))
