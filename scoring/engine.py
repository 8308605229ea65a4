"""Scoring engine for the LKE instruments.

The rules are those of docs/scoring.md (the official 90/2021 spreadsheet, plus the
decisions where the sheet is defective). Pure Python over plain data (no ORM, no Django
settings needed), so it runs the same in views, Celery tasks, scripts and tests. Instrument data
is checked by the one instrument validator (areas.instrument_format) before it is read.

Normalised answers (what `parse_answer` returns and `score` consumes):

- option questions (yes_no, abc, abcd, abcde): the option key, e.g. "Ya" or "B";
- counted questions (ratio, including the "decrease" rule): a tuple of non-negative ints, one
  per input in instrument order; an input not filled yet is None (the question then counts as
  unanswered);
- index questions: a float with at most 2 decimals, 0..rule max (4).

None means unanswered everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from areas.answer_types import OPTION_TYPES
from areas.instrument_format import validate

INDEX_DECIMALS = 2

Answer = str | tuple[int | None, ...] | float


class AnswerError(ValueError):
    """An answer the instrument cannot accept; the message is for the user (Bahasa Indonesia)."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


# --- instrument -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioRule:
    """value = inputs[numerator] / inputs[denominator], capped at 1."""

    numerator: int
    denominator: int
    zero_denominator: float  # value when both are 0
    breakdown: tuple[int, ...] = ()  # inputs that should add up to the denominator
    kind: str = "ratio"


@dataclass(frozen=True)
class DecreaseRule:
    """Decrease from inputs[previous] to inputs[current] (pelanggaran disiplin)."""

    previous: int
    current: int
    kind: str = "decrease"


@dataclass(frozen=True)
class IndexRule:
    """A survey index on a 0..max scale; value = index / max."""

    max: float
    kind: str = "index"


Rule = RatioRule | DecreaseRule | IndexRule


@dataclass(frozen=True, eq=False)
class QuestionSpec:
    path: str
    code: str
    text: str
    answer_type: str
    node_path: str  # the indicator or sub-indicator the question belongs to
    indicator_weight: float  # weight of that node
    change_area: str  # "" for hasil questions
    options: Mapping[str, float]  # option key -> value, in instrument order
    input_labels: tuple[str, ...]
    n_inputs: int
    rule: Rule | None
    status: str  # "" when confirmed, else the transcriber's caveat


@dataclass(frozen=True, eq=False)
class NodeSpec:
    path: str
    code: str
    kind: str
    name: str
    weight: float
    change_area: str
    status: str
    parent: str  # "" for a komponen
    children: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Threshold:
    predicate: str  # "WBK" | "WBBM"
    kind: str  # "node_min" | "area_pct" | "fact"
    label: str
    path: str  # node path for node_min, "" = total
    min: float
    confirmed: bool
    note: str
    fact: str


@dataclass(frozen=True, eq=False)
class Instrument:
    code: str
    title: str
    area_threshold_mode: str  # "parts" | "combined"
    thresholds: tuple[Threshold, ...]
    nodes: Mapping[str, NodeSpec]  # every node, in document order
    questions: Mapping[str, QuestionSpec]  # every question, in document order
    roots: tuple[str, ...]  # komponen paths
    leaf_nodes: tuple[NodeSpec, ...]  # nodes holding questions, document order
    parent_nodes: tuple[NodeSpec, ...]  # nodes with children, children before parents
    change_areas: tuple[str, ...]  # change-area codes in document order

    @classmethod
    def from_dict(cls, data: dict) -> Instrument:
        """The instrument of a file (or of areas.selectors.instrument_data). Raises
        InstrumentFormatError, a ValueError with an Indonesian message, for a malformed one."""
        validate(data)
        nodes: dict[str, NodeSpec] = {}
        questions: dict[str, QuestionSpec] = {}
        for raw in data["nodes"]:
            _add_node(raw, "", nodes, questions)
        mode = data.get("area_threshold_mode", "parts")
        ordered = list(nodes.values())
        return cls(
            code=data["code"],
            title=data.get("title", ""),
            area_threshold_mode=mode,
            thresholds=tuple(_threshold(t) for t in data.get("thresholds") or []),
            nodes=MappingProxyType(nodes),
            questions=MappingProxyType(questions),
            roots=tuple(n.path for n in ordered if not n.parent),
            leaf_nodes=tuple(n for n in ordered if n.questions),
            parent_nodes=tuple(n for n in reversed(ordered) if n.children),
            change_areas=tuple(dict.fromkeys(n.change_area for n in ordered if n.change_area)),
        )


def _add_node(raw: dict, parent: str, nodes: dict, questions: dict) -> str:
    path = f"{parent}.{raw['code']}" if parent else raw["code"]
    children = raw.get("children") or []
    raw_questions = raw.get("questions") or []
    # Reserve the slot first so the mapping stays in document (pre-)order.
    nodes[path] = None
    child_paths = tuple(_add_node(child, path, nodes, questions) for child in children)
    question_paths = tuple(_add_question(q, raw, path, questions) for q in raw_questions)
    nodes[path] = NodeSpec(
        path=path,
        code=raw["code"],
        kind=raw["kind"],
        name=raw["name"],
        weight=float(raw["weight"]),
        change_area=raw.get("change_area") or "",
        status=raw.get("status") or "",
        parent=parent,
        children=child_paths,
        questions=question_paths,
    )
    return path


def _add_question(raw: dict, node: dict, node_path: str, questions: dict) -> str:
    path = f"{node_path}.{raw['code']}"
    answer_type = raw["answer_type"]
    options = {o["key"]: float(o["value"]) for o in raw.get("options") or []}
    labels = tuple(i["label"] for i in raw.get("inputs") or [])
    rule = _rule(answer_type, raw.get("rule"))
    questions[path] = QuestionSpec(
        path=path,
        code=raw["code"],
        text=raw.get("text", ""),
        answer_type=answer_type,
        node_path=node_path,
        indicator_weight=float(node["weight"]),
        change_area=node.get("change_area") or "",
        options=MappingProxyType(options),
        input_labels=labels,
        n_inputs=len(labels),
        rule=rule,
        status=raw.get("status") or "",
    )
    return path


def _rule(answer_type: str, raw: dict | None) -> Rule | None:
    """The question's value rule; the file was validated (areas.instrument_format)."""
    if answer_type == "index":
        return IndexRule(max=float((raw or {}).get("max", 4)))
    if answer_type != "ratio":
        return None
    if raw["kind"] == "ratio":
        return RatioRule(
            numerator=raw["numerator"],
            denominator=raw["denominator"],
            zero_denominator=float(raw["zero_denominator"]),
            breakdown=tuple(raw.get("breakdown") or ()),
        )
    return DecreaseRule(previous=raw["previous"], current=raw["current"])


def _threshold(raw: dict) -> Threshold:
    return Threshold(
        predicate=raw["predicate"],
        kind=raw["kind"],
        label=raw.get("label", ""),
        path=raw.get("path") or "",
        min=float(raw["min"]),
        confirmed=bool(raw.get("confirmed", True)),
        note=raw.get("note") or "",
        fact=raw.get("fact") or "",
    )


# --- parsing answers --------------------------------------------------------------------


def parse_answer(instrument: Instrument, path: str, raw) -> Answer | None:
    """Validate and normalise one answer; None (or a blank string) means unanswered.

    Idempotent: a normalised answer parses to itself.
    """
    question = instrument.questions.get(path)
    if question is None:
        raise AnswerError(path, f'Kode pertanyaan tidak dikenal: "{path}"')
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if question.answer_type in OPTION_TYPES:
        return _parse_option(question, raw)
    if question.answer_type == "index":
        return _parse_index(question, raw)
    return _parse_counts(question, raw)


def parse_answers(instrument: Instrument, raw: Mapping) -> dict[str, Answer]:
    """Validate every answer (raising the first AnswerError); unanswered ones are left out.

    Unknown codes are checked first; the others in instrument order. The result is in
    instrument order whatever the order of `raw`.
    """
    for path in raw:
        if path not in instrument.questions:
            raise AnswerError(path, f'Kode pertanyaan tidak dikenal: "{path}"')
    answers = {}
    for path in instrument.questions:
        if path in raw:
            answer = parse_answer(instrument, path, raw[path])
            if answer is not None:
                answers[path] = answer
    return answers


def _parse_option(question: QuestionSpec, raw) -> str:
    if isinstance(raw, str):
        if raw in question.options:  # fast path: already normalised
            return raw
        wanted = raw.strip().casefold()
        for key in question.options:
            if key.casefold() == wanted:
                return key
    keys = "/".join(question.options)
    raise AnswerError(question.path, f'Pilihan "{raw}" tidak berlaku untuk {question.path} ({keys})')


def _parse_index(question: QuestionSpec, raw) -> float:
    path = question.path
    not_a_number = AnswerError(path, f"{path}: indeks survei harus berupa angka")
    if isinstance(raw, bool):
        raise not_a_number
    if isinstance(raw, str):
        try:
            number = Decimal(raw.strip().replace(",", "."))
        except InvalidOperation:
            raise not_a_number from None
        if not number.is_finite():
            raise not_a_number
        too_precise = number != number.quantize(Decimal(1).scaleb(-INDEX_DECIMALS))
        value = float(number)
    elif isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise not_a_number
        scaled = raw * 10**INDEX_DECIMALS
        too_precise = abs(scaled - round(scaled)) > 1e-6
        value = round(float(raw), INDEX_DECIMALS)
    else:
        raise not_a_number
    maximum = question.rule.max
    if not 0 <= value <= maximum:
        raise AnswerError(path, f"{path}: indeks survei harus antara 0 dan {_plain(maximum)}")
    if too_precise:
        raise AnswerError(path, f"{path}: indeks survei paling banyak {INDEX_DECIMALS} angka desimal")
    return value


def _parse_counts(question: QuestionSpec, raw) -> tuple[int | None, ...] | None:
    path = question.path
    if isinstance(raw, Mapping):
        raw = raw.get("inputs")
    if not isinstance(raw, list | tuple) or len(raw) != question.n_inputs:
        raise AnswerError(path, f"{path}: perlu {question.n_inputs} isian jumlah")
    counts = tuple(_parse_count(path, item) for item in raw)
    if all(count is None for count in counts):
        return None
    return counts


def _parse_count(path: str, raw) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise AnswerError(path, f"{path}: jumlah harus bilangan bulat tidak negatif")
    return raw


# --- best and worst answers -------------------------------------------------------------


def best_answer(instrument: Instrument, path: str) -> Answer:
    """An answer giving the question's highest value (1), without any flag."""
    return _extreme_answer(instrument.questions[path], best=True)


def worst_answer(instrument: Instrument, path: str) -> Answer:
    """An answer giving the question's lowest value (0), without any flag."""
    return _extreme_answer(instrument.questions[path], best=False)


def _extreme_answer(question: QuestionSpec, best: bool) -> Answer:
    if question.answer_type in OPTION_TYPES:
        pick = max if best else min
        return pick(question.options, key=question.options.get)
    rule = question.rule
    if isinstance(rule, IndexRule):
        return rule.max if best else 0.0
    counts = [0] * question.n_inputs
    if isinstance(rule, DecreaseRule):
        if not best:  # one violation last year, two this year
            counts[rule.previous], counts[rule.current] = 1, 2
        return tuple(counts)
    counts[rule.denominator] = 1
    counts[rule.numerator] = 1 if best else 0
    if rule.breakdown:
        counts[rule.breakdown[0]] = 1
    return tuple(counts)


# --- scoring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    kind: str  # "unanswered" | "blank_indicator" | "inconsistent_input" | "breakdown_mismatch"
    path: str  # question path, or node path for blank_indicator
    message: str


@dataclass
class Score:
    values: dict[str, float | None]  # question path -> value 0..1, None = unanswered
    nodes: dict[str, float]  # node path -> official score (unanswered left out of the mean)
    strict_nodes: dict[str, float]  # node path -> score with unanswered counted as 0
    total: float
    strict_total: float
    flags: list[Flag]


def score(instrument: Instrument, answers: Mapping) -> Score:
    """Score an assessment; `answers` maps question paths to raw or normalised answers."""
    answers = parse_answers(instrument, answers)
    flags: list[Flag] = []
    values = {
        path: _value(question, answers.get(path), flags) for path, question in instrument.questions.items()
    }
    nodes = dict.fromkeys(instrument.nodes, 0.0)  # document order
    strict = dict.fromkeys(instrument.nodes, 0.0)
    for node in instrument.leaf_nodes:
        answered = [values[q] for q in node.questions if values[q] is not None]
        if answered:
            nodes[node.path] = leaf_score(node, values)
            strict[node.path] = sum(answered) / len(node.questions) * node.weight
        else:
            message = f"{node.path} {node.name}: semua pertanyaan belum dijawab, nilai 0"
            flags.append(Flag("blank_indicator", node.path, message))
    for node in instrument.parent_nodes:
        nodes[node.path] = sum(nodes[child] for child in node.children)
        strict[node.path] = sum(strict[child] for child in node.children)
    return Score(
        values=values,
        nodes=nodes,
        strict_nodes=strict,
        total=sum(nodes[root] for root in instrument.roots),
        strict_total=sum(strict[root] for root in instrument.roots),
        flags=flags,
    )


def leaf_score(node: NodeSpec, values: Mapping[str, float | None]) -> float:
    """An indicator's official score: the mean of its answered questions' values times its
    weight (unanswered questions left out of the mean; 0 when none is answered)."""
    answered = [values[q] for q in node.questions if values[q] is not None]
    return sum(answered) / len(answered) * node.weight if answered else 0.0


def answer_value(question: QuestionSpec, answer: Answer | None, flags: list[Flag] | None = None) -> float | None:
    """One parsed answer's value 0..1 (None when unanswered), as `score` computes it; the flags
    `score` would raise for it are appended to `flags` when given."""
    return _value(question, answer, [] if flags is None else flags)


def _value(question: QuestionSpec, answer: Answer | None, flags: list[Flag]) -> float | None:
    if answer is None:
        flags.append(Flag("unanswered", question.path, f"{question.path}: belum dijawab"))
        return None
    if question.answer_type in OPTION_TYPES:
        return question.options[answer]
    rule = question.rule
    if isinstance(rule, IndexRule):
        return answer / rule.max
    missing = sum(1 for count in answer if count is None)
    if missing:
        message = f"{question.path}: {missing} dari {question.n_inputs} isian jumlah belum diisi"
        flags.append(Flag("unanswered", question.path, message))
        return None
    if isinstance(rule, DecreaseRule):
        return decrease_value(answer[rule.previous], answer[rule.current])
    return _ratio_value(question, rule, answer, flags)


def decrease_value(previous: int, current: int) -> float:
    """Pelanggaran disiplin (README decision): 0 -> 0 is 1, 0 -> more is 0."""
    if previous == 0:
        return 1.0 if current == 0 else 0.0
    return max(0.0, (previous - current) / previous)


def _ratio_value(
    question: QuestionSpec, rule: RatioRule, counts: tuple[int, ...], flags: list[Flag]
) -> float:
    numerator, denominator = counts[rule.numerator], counts[rule.denominator]
    labels = question.input_labels
    if rule.breakdown:
        parts = sum(counts[i] for i in rule.breakdown)
        if parts != denominator:
            message = (
                f"{question.path}: rincian ({' + '.join(labels[i] for i in rule.breakdown)}) "
                f"berjumlah {parts}, tidak sama dengan {labels[rule.denominator]} ({denominator})"
            )
            flags.append(Flag("breakdown_mismatch", question.path, message))
    if numerator > denominator:
        message = (
            f"{question.path}: {labels[rule.numerator]} ({numerator}) melebihi "
            f"{labels[rule.denominator]} ({denominator}); nilai dibatasi 1"
        )
        flags.append(Flag("inconsistent_input", question.path, message))
        return 1.0
    if denominator == 0:
        return rule.zero_denominator
    return numerator / denominator


def _plain(number: float) -> str:
    """4.0 -> "4", 3.5 -> "3,5" (Indonesian decimal comma)."""
    return f"{number:g}".replace(".", ",")
