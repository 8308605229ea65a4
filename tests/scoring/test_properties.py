"""Properties of the engine over random answer sets (hypothesis)."""

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import OPTION_TYPES, Instrument, best_answer, parse_answers, score

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instruments"
CODES = ["permenpanrb-90-2021", "permenpanrb-10-2019"]
EPS = 1e-9

SETTINGS = settings(max_examples=100, deadline=None)


@cache
def load(code: str) -> Instrument:
    return Instrument.from_dict(json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8")))


def answer_for(question):
    if question.answer_type in OPTION_TYPES:
        return st.sampled_from(list(question.options))
    if question.answer_type == "index":
        return st.integers(0, 400).map(lambda hundredths: hundredths / 100)
    counts = st.integers(0, 50)
    return st.tuples(*[counts] * question.n_inputs)


@st.composite
def answer_sets(draw, instrument):
    """A random subset of the questions, each with a random valid answer."""
    answers = {}
    for path, question in instrument.questions.items():
        if draw(st.booleans()):
            answers[path] = draw(answer_for(question))
    return answers


@st.composite
def cases(draw):
    instrument = load(draw(st.sampled_from(CODES)))
    return instrument, draw(answer_sets(instrument))


@SETTINGS
@given(cases())
def test_every_parent_is_the_sum_of_its_children(case):
    instrument, answers = case
    result = score(instrument, answers)
    for node in instrument.nodes.values():
        if node.children:
            children_sum = sum(result.nodes[c] for c in node.children)
            strict_sum = sum(result.strict_nodes[c] for c in node.children)
            assert result.nodes[node.path] == pytest.approx(children_sum, abs=EPS)
            assert result.strict_nodes[node.path] == pytest.approx(strict_sum, abs=EPS)
    assert result.total == pytest.approx(sum(result.nodes[r] for r in instrument.roots), abs=EPS)


@SETTINGS
@given(cases())
def test_totals_and_nodes_stay_within_their_weights(case):
    instrument, answers = case
    result = score(instrument, answers)
    assert -EPS <= result.strict_total <= result.total <= 100 + EPS
    for node in instrument.nodes.values():
        assert -EPS <= result.nodes[node.path] <= node.weight + EPS
    for value in result.values.values():
        assert value is None or 0 <= value <= 1


@SETTINGS
@given(cases())
def test_strict_never_exceeds_official(case):
    instrument, answers = case
    result = score(instrument, answers)
    for path in instrument.nodes:
        assert result.strict_nodes[path] <= result.nodes[path] + EPS
    assert result.strict_total <= result.total + EPS


@SETTINGS
@given(cases(), st.data())
def test_raising_one_answer_to_its_best_never_lowers_any_node(case, data):
    instrument, answers = case
    path = data.draw(st.sampled_from(list(instrument.questions)))
    before = score(instrument, answers)
    after = score(instrument, {**answers, path: best_answer(instrument, path)})
    for node in instrument.nodes:
        assert after.nodes[node] >= before.nodes[node] - EPS
        assert after.strict_nodes[node] >= before.strict_nodes[node] - EPS
    assert after.total >= before.total - EPS


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_answer_order(case, random):
    instrument, answers = case
    items = list(answers.items())
    random.shuffle(items)
    assert score(instrument, dict(items)) == score(instrument, answers)


@SETTINGS
@given(cases())
def test_normalised_answers_score_like_raw_ones(case):
    instrument, answers = case
    raw = {
        path: {"inputs": list(answer)} if isinstance(answer, tuple) else answer
        for path, answer in answers.items()
    }
    normalised = parse_answers(instrument, raw)
    assert parse_answers(instrument, normalised) == normalised
    assert score(instrument, raw) == score(instrument, normalised)
