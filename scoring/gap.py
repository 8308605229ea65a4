"""Gap analysis: how many total points each question would add if answered at its best.

Every gain is what the engine's total would gain with that one answer replaced by
`best_answer`, so unanswered questions, indicator means and ratio rules are handled exactly
as in the official score. Because a parent node's score is the sum of its children's, only the
question's own indicator changes: the gain is that indicator's new score minus its old one
(the engine's leaf formula, `engine.leaf_score`), one scoring pass for the whole analysis
instead of one per question (docs/scoring.md, "Gap analysis"). Pure Python, no Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.engine import Instrument, answer_value, best_answer, leaf_score, parse_answers, score

# Gains at or below this are float noise, not points to win.
MIN_POINTS = 1e-9


@dataclass(frozen=True)
class Gap:
    path: str
    text: str
    current_value: float | None  # None = unanswered
    points: float  # total gained by answering this question at its best


def gap_analysis(
    instrument: Instrument, answers: Mapping, limit_per_area: int | None = None
) -> dict[str, list[Gap]]:
    """Gaps per change-area code (instrument order), then "" for the hasil questions.

    Each list is sorted by points, highest first (instrument order among equals); questions
    that would gain nothing are left out. Every key is present, possibly with an empty list.
    """
    answers = parse_answers(instrument, answers)
    current = score(instrument, answers)
    leaf_of = {q: node for node in instrument.leaf_nodes for q in node.questions}
    gaps: dict[str, list[Gap]] = {code: [] for code in (*instrument.change_areas, "")}
    for path, question in instrument.questions.items():
        value = current.values[path]
        if value == 1:  # already at its best: replacing it cannot change anything
            continue
        leaf = leaf_of[path]
        if leaf.children:  # a node with questions and children: not in any instrument; score it whole
            trial = {**answers, path: best_answer(instrument, path)}
            points = score(instrument, trial).total - current.total
        else:
            values = {q: current.values[q] for q in leaf.questions}
            values[path] = answer_value(question, best_answer(instrument, path))
            points = leaf_score(leaf, values) - current.nodes[leaf.path]
        if points > MIN_POINTS:
            gaps[question.change_area].append(Gap(path, question.text, value, points))
    for code, items in gaps.items():
        items.sort(key=lambda gap: gap.points, reverse=True)
        if limit_per_area is not None:
            gaps[code] = items[:limit_per_area]
    return gaps
