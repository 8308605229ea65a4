"""Gap analysis: points each question would add to the total at its best answer."""

import json
from functools import cache
from pathlib import Path

import pytest

from scoring.engine import Instrument, best_answer, score, worst_answer
from scoring.gap import Gap, gap_analysis

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instruments"
I90 = "permenpanrb-90-2021"
I19 = "permenpanrb-10-2019"
KEYS = ["MP", "PT", "SDM", "AK", "PW", "PP", ""]


@cache
def load(code: str) -> Instrument:
    return Instrument.from_dict(json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8")))


def all_best(instrument, **overrides):
    answers = {path: best_answer(instrument, path) for path in instrument.questions}
    answers.update(overrides)
    return answers


def all_paths(gaps):
    return [gap.path for items in gaps.values() for gap in items]


@pytest.mark.parametrize("code", [I90, I19])
def test_nothing_to_gain_at_all_best(code):
    ins = load(code)
    gaps = gap_analysis(ins, all_best(ins))
    assert list(gaps) == KEYS
    assert all_paths(gaps) == []


def test_one_weak_answer():
    ins = load(I90)
    gaps = gap_analysis(ins, all_best(ins, **{"A.I.1.i.b": "C"}))
    # A.I.1.i: (1 + 0) / 2 * 0.5 = 0.25 now, 0.5 at best
    assert gaps["MP"] == [Gap("A.I.1.i.b", ins.questions["A.I.1.i.b"].text, 0.0, 0.25)]
    assert all_paths(gaps) == ["A.I.1.i.b"]


def test_unanswered_question_next_to_a_weak_one():
    ins = load(I90)
    answers = all_best(ins, **{"A.I.1.ii.b": "C"})
    del answers["A.I.1.ii.c"]
    gaps = gap_analysis(ins, answers)
    # now (1 + 0) / 2 = 0.5 of weight 1; at best b: 1.0 (+0.5), at best c: 2/3 (+1/6)
    assert [(g.path, g.current_value) for g in gaps["MP"]] == [("A.I.1.ii.b", 0.0), ("A.I.1.ii.c", None)]
    assert gaps["MP"][0].points == pytest.approx(0.5)
    assert gaps["MP"][1].points == pytest.approx(1 / 6)


def test_unanswered_question_next_to_perfect_ones_gains_nothing():
    ins = load(I90)
    answers = all_best(ins)
    del answers["A.I.1.ii.c"]  # left out of the mean: the indicator is already at 1
    assert all_paths(gap_analysis(ins, answers)) == []


def test_ratio_and_hasil_questions():
    ins = load(I90)
    gaps = gap_analysis(ins, all_best(ins, **{"A.II.5.ii.a": (10, 0, 4), "B.I.a.a": 3.0}))
    [ratio] = gaps["PW"]
    assert (ratio.path, ratio.current_value) == ("A.II.5.ii.a", 0.4)
    assert ratio.points == pytest.approx(0.6 * 3)
    [survey] = gaps[""]
    assert (survey.path, survey.current_value) == ("B.I.a.a", 0.75)
    assert survey.points == pytest.approx(0.25 * 17.5)


def test_all_worst_lists_every_question_sorted_by_points():
    ins = load(I90)
    worst = {path: worst_answer(ins, path) for path in ins.questions}
    gaps = gap_analysis(ins, worst)
    assert sorted(all_paths(gaps)) == sorted(ins.questions)
    for items in gaps.values():
        points = [gap.points for gap in items]
        assert points == sorted(points, reverse=True)
    assert [g.path for g in gaps[""]] == ["B.I.a.a", "B.II.a.a", "B.I.b.a"]
    assert gaps["PW"][0].path == "A.II.5.ii.a"  # a whole indicator of weight 3 on one question
    assert gaps["PW"][0].points == pytest.approx(3)


def test_points_are_the_engine_difference():
    ins = load(I90)
    answers = {
        "A.I.1.i.a": "Tidak", "A.II.1.i.a": (4, 1), "A.II.5.iii.a.a": (10, 1, 2, 3, 5), "B.I.a.a": "3,1",
    }
    current = score(ins, answers).total
    gaps = gap_analysis(ins, answers)
    listed = {gap.path: gap.points for items in gaps.values() for gap in items}
    for path in ins.questions:
        gain = score(ins, {**answers, path: best_answer(ins, path)}).total - current
        assert listed.get(path, 0.0) == pytest.approx(gain, abs=1e-9)


def test_limit_per_area():
    ins = load(I90)
    gaps = gap_analysis(ins, {}, limit_per_area=2)
    assert list(gaps) == KEYS
    assert all(len(items) == 2 for items in gaps.values())
    assert gap_analysis(ins, {}, limit_per_area=0)["MP"] == []


def test_10_2019_groups_by_its_own_areas():
    ins = load(I19)
    gaps = gap_analysis(ins, {})
    assert list(gaps) == KEYS
    assert {g.path for g in gaps[""]} == {"B.I.a.a", "B.I.b.a", "B.II.a.a"}
