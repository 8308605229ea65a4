"""The scoring rules of docs/scoring.md, one test (or parametrised group) per rule.

Runs without Django: pytest -p no:django tests/scoring
"""

import copy
import json
import math
from functools import cache
from pathlib import Path

import pytest

from scoring.engine import (
    AnswerError,
    DecreaseRule,
    Instrument,
    RatioRule,
    best_answer,
    parse_answer,
    parse_answers,
    score,
    worst_answer,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instruments"
I90 = "permenpanrb-90-2021"
I19 = "permenpanrb-10-2019"


@cache
def load(code: str) -> Instrument:
    return Instrument.from_dict(json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8")))


def raw(code: str) -> dict:
    """A fresh copy of an instrument file, to break on purpose."""
    return json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8"))


def find_question(data: dict, path: str) -> dict:
    *node_codes, code = path.split(".")
    nodes = data["nodes"]
    for node_code in node_codes:
        node = next(n for n in nodes if n["code"] == node_code)
        nodes = node.get("children", [])
    return next(q for q in node["questions"] if q["code"] == code)


def all_best(instrument):
    return {path: best_answer(instrument, path) for path in instrument.questions}


def all_worst(instrument):
    return {path: worst_answer(instrument, path) for path in instrument.questions}


def flags_of(result, kind):
    return [flag for flag in result.flags if flag.kind == kind]


# --- the instrument ---------------------------------------------------------------------


def test_instrument_exposes_questions_and_nodes_in_document_order():
    ins = load(I90)
    assert len(ins.questions) == 113
    assert list(ins.questions)[:3] == ["A.I.1.i.a", "A.I.1.i.b", "A.I.1.ii.a"]
    assert list(ins.nodes)[:4] == ["A", "A.I", "A.I.1", "A.I.1.i"]
    assert ins.roots == ("A", "B")
    assert ins.change_areas == ("MP", "PT", "SDM", "AK", "PW", "PP")

    lhkpn = ins.nodes["A.II.5.iii.a"]
    assert (lhkpn.kind, lhkpn.parent, lhkpn.questions) == ("sub_indikator", "A.II.5.iii", ("A.II.5.iii.a.a",))
    assert ins.nodes["A.II.5.iii"].children == ("A.II.5.iii.a", "A.II.5.iii.b")

    question = ins.questions["A.II.5.iii.a.a"]
    assert question.answer_type == "ratio"
    assert question.n_inputs == 5
    assert question.rule == RatioRule(numerator=4, denominator=0, zero_denominator=1, breakdown=(1, 2, 3))
    assert (question.node_path, question.indicator_weight, question.change_area) == ("A.II.5.iii.a", 1, "PW")
    assert isinstance(ins.questions["A.II.3.iii.a"].rule, DecreaseRule)
    assert ins.questions["B.I.a.a"].change_area == ""


def test_instrument_is_read_only():
    ins = load(I90)
    with pytest.raises(AttributeError):
        ins.code = "other"
    with pytest.raises(TypeError):
        ins.questions["X"] = None


def test_instrument_refuses_node_with_children_and_questions():
    data = raw("permenpanrb-90-2021")
    indikator = data["nodes"][0]["children"][0]["children"][0]["children"][0]
    indikator["children"] = [{"kind": "sub_indikator", "code": "x", "name": "x", "weight": indikator["weight"],
                              "questions": [copy.deepcopy(indikator["questions"][0])]}]
    with pytest.raises(ValueError, match="sub-node dan pertanyaan"):
        Instrument.from_dict(data)


def test_instrument_refuses_rule_pointing_outside_the_inputs():
    data = raw("permenpanrb-90-2021")
    question = find_question(data, "A.II.1.i.a")
    question["rule"]["numerator"] = len(question["inputs"])
    with pytest.raises(ValueError, match="di luar jumlah isian"):
        Instrument.from_dict(data)


def test_instrument_refuses_an_unknown_area_threshold_mode():
    data = raw("permenpanrb-90-2021")
    data["area_threshold_mode"] = "rata-rata"
    with pytest.raises(ValueError, match="area_threshold_mode: nilai \"rata-rata\" tidak dikenal"):
        Instrument.from_dict(data)


# --- option values ----------------------------------------------------------------------

OPTION_VALUES = {
    "yes_no": {"Ya": 1, "Tidak": 0},
    "abc": {"A": 1, "B": 0.5, "C": 0},
    "abcd": {"A": 1, "B": 0.67, "C": 0.33, "D": 0},  # literal decimals, not thirds
    "abcde": {"A": 1, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0},
}


@pytest.mark.parametrize("code", [I90, I19])
def test_every_option_question_carries_the_readme_values(code):
    for question in load(code).questions.values():
        if question.answer_type in OPTION_VALUES:
            assert dict(question.options) == OPTION_VALUES[question.answer_type], question.path


@pytest.mark.parametrize(
    ("path", "answer_type"),
    [("A.I.1.i.a", "yes_no"), ("A.I.1.i.b", "abc"), ("A.I.1.iii.a", "abcd"), ("A.I.2.i.b", "abcde")],
)
def test_option_values_are_scored_literally(path, answer_type):
    ins = load(I90)
    assert ins.questions[path].answer_type == answer_type
    for key, expected in OPTION_VALUES[answer_type].items():
        assert score(ins, {path: key}).values[path] == expected


def test_abcd_values_are_not_thirds():
    ins = load(I90)
    # A.I.3.v has a single abcd question and weight 0.75
    assert score(ins, {"A.I.3.v.a": "B"}).nodes["A.I.3.v"] == 0.67 * 0.75
    assert score(ins, {"A.I.3.v.a": "C"}).nodes["A.I.3.v"] == 0.33 * 0.75


# --- indicator aggregation --------------------------------------------------------------


def test_worked_example_ya_and_b():
    result = score(load(I90), {"A.I.1.i.a": "Ya", "A.I.1.i.b": "B"})
    assert result.nodes["A.I.1.i"] == (1 + 0.5) / 2 * 0.5 == 0.375


def test_unanswered_question_is_left_out_of_the_mean():
    ins = load(I90)
    result = score(ins, {"A.I.1.ii.a": "Ya", "A.I.1.ii.b": "B"})  # A.I.1.ii.c unanswered, weight 1
    assert result.values["A.I.1.ii.c"] is None
    assert result.nodes["A.I.1.ii"] == pytest.approx(0.75, abs=1e-12)
    unanswered = [f.path for f in flags_of(result, "unanswered") if f.path.startswith("A.I.1.ii.")]
    assert unanswered == ["A.I.1.ii.c"]


def test_strict_score_counts_unanswered_as_zero():
    ins = load(I90)
    result = score(ins, {"A.I.1.ii.a": "Ya", "A.I.1.ii.b": "B"})
    assert result.strict_nodes["A.I.1.ii"] == pytest.approx(1.5 / 3, abs=1e-12)
    assert result.strict_total < result.total
    full = score(ins, all_best(ins))
    assert full.strict_total == full.total == pytest.approx(100, abs=1e-9)


def test_all_blank_indicator_scores_zero_and_is_flagged():
    ins = load(I90)
    result = score(ins, {"A.I.1.i.a": "Ya"})  # A.I.1.ii has no answer at all
    assert result.nodes["A.I.1.ii"] == 0
    blank = [f.path for f in flags_of(result, "blank_indicator")]
    assert "A.I.1.ii" in blank
    assert "A.I.1.i" not in blank


def test_empty_assessment_flags_every_question_and_every_indicator():
    ins = load(I90)
    result = score(ins, {})
    assert result.total == result.strict_total == 0
    assert len(flags_of(result, "unanswered")) == len(ins.questions)
    assert len(flags_of(result, "blank_indicator")) == len(ins.leaf_nodes)


def test_parents_are_plain_sums():
    ins = load(I90)
    result = score(ins, {"A.I.1.i.a": "Ya", "A.I.1.ii.b": "B", "A.II.1.ii.a": "C", "B.I.a.a": 3.1})
    for node in ins.nodes.values():
        if node.children:
            assert result.nodes[node.path] == sum(result.nodes[c] for c in node.children)
    assert result.total == result.nodes["A"] + result.nodes["B"]


# --- LHKPN / LHKASN ---------------------------------------------------------------------


def test_lhkpn_and_lhkasn_each_weigh_one():
    ins = load(I90)
    assert [ins.nodes[p].weight for p in ins.nodes["A.II.5.iii"].children] == [1, 1]
    lhkpn_half = (10, 2, 3, 5, 5)  # 5 of 10 reported
    lhkasn_all = (4, 1, 1, 2, 4)
    result = score(ins, {"A.II.5.iii.a.a": lhkpn_half, "A.II.5.iii.b.a": lhkasn_all})
    assert result.nodes["A.II.5.iii.a"] == 0.5
    assert result.nodes["A.II.5.iii.b"] == 1
    # 0.5 x 1 + 1 x 1, not the sheet's AVERAGE(LHKPN)*2 = 1.0
    assert result.nodes["A.II.5.iii"] == 1.5


def test_lhkasn_blank_does_not_inflate_lhkpn():
    result = score(load(I90), {"A.II.5.iii.a.a": (10, 2, 3, 5, 5)})
    assert result.nodes["A.II.5.iii"] == 0.5
    assert "A.II.5.iii.b" in [f.path for f in flags_of(result, "blank_indicator")]


# --- pelanggaran disiplin ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "value"),
    [
        (0, 0, 1.0),  # no violations either year
        (0, 3, 0.0),  # violations appear (the sheet shows #DIV/0!)
        (10, 4, 0.6),  # a decrease: (10 - 4) / 10
        (4, 10, 0.0),  # an increase never goes below 0
        (5, 5, 0.0),
    ],
)
def test_pelanggaran_disiplin(previous, current, value):
    result = score(load(I90), {"A.II.3.iii.a": (previous, current, 0)})
    assert result.values["A.II.3.iii.a"] == value
    assert result.nodes["A.II.3.iii"] == value * 2
    assert not flags_of(result, "inconsistent_input")


def test_pelanggaran_disiplin_needs_the_sanctions_input_too():
    result = score(load(I90), {"A.II.3.iii.a": (3, 1, None)})
    assert result.values["A.II.3.iii.a"] is None
    [flag] = [f for f in flags_of(result, "unanswered") if f.path == "A.II.3.iii.a"]
    assert flag.message == "A.II.3.iii.a: 1 dari 3 isian jumlah belum diisi"


# --- ratio items ------------------------------------------------------------------------

ZERO_DENOMINATOR = [  # README table: value when denominator and numerator are both 0
    (I90, "A.II.1.i.a", 0),
    (I90, "A.II.1.i.b", 0),
    (I90, "A.II.4.i.a", 0),
    (I90, "A.II.5.ii.a", 1),
    (I90, "A.II.5.iii.a.a", 1),
    (I90, "A.II.5.iii.b.a", 1),
    (I90, "A.II.6.i.b", 0),
    (I19, "B.I.b.a", 1),
]


@pytest.mark.parametrize(("code", "path", "value"), ZERO_DENOMINATOR)
def test_zero_denominator_rule(code, path, value):
    ins = load(code)
    result = score(ins, {path: (0,) * ins.questions[path].n_inputs})
    assert result.values[path] == value
    assert not flags_of(result, "inconsistent_input")
    assert not flags_of(result, "breakdown_mismatch")


def test_every_ratio_item_is_in_the_readme_table():
    listed = {(code, path) for code, path, _ in ZERO_DENOMINATOR}
    for code in (I90, I19):
        for question in load(code).questions.values():
            if isinstance(question.rule, RatioRule):
                assert (code, question.path) in listed


@pytest.mark.parametrize(
    ("path", "counts", "value"),
    [
        ("A.II.1.i.a", (4, 3), 0.75),  # dibuat / agen
        ("A.II.1.i.b", (8, 2), 0.25),  # terintegrasi / dibuat
        ("A.II.4.i.a", (5, 5), 1.0),  # tercapai / sasaran
        ("A.II.5.ii.a", (10, 3, 7), 0.7),  # selesai / harus; "sedang diproses" unused
        ("A.II.5.iii.a.a", (20, 1, 9, 10, 15), 0.75),  # sudah / harus
        ("A.II.6.i.b", (3, 1), 1 / 3),  # dipermudah / terdata
    ],
)
def test_ratio_values(path, counts, value):
    result = score(load(I90), {path: counts})
    assert result.values[path] == value
    assert not result.flags or all(f.kind in ("unanswered", "blank_indicator") for f in result.flags)


def test_ratio_score_is_mean_times_weight():
    result = score(load(I90), {"A.II.1.i.a": (4, 3), "A.II.1.i.b": (8, 2)})
    assert result.nodes["A.II.1.i"] == (0.75 + 0.25) / 2 * 2


@pytest.mark.parametrize(("counts", "zero_rule"), [((2, 5), 0), ((0, 3), 0)])
def test_numerator_above_denominator_is_capped_and_flagged(counts, zero_rule):
    result = score(load(I90), {"A.II.1.i.a": counts})
    assert result.values["A.II.1.i.a"] == 1
    [flag] = flags_of(result, "inconsistent_input")
    assert flag.path == "A.II.1.i.a"
    assert "melebihi" in flag.message


def test_breakdown_mismatch_is_flagged_and_the_entered_total_is_used():
    result = score(load(I90), {"A.II.5.iii.a.a": (10, 1, 2, 3, 5)})  # 1 + 2 + 3 != 10
    assert result.values["A.II.5.iii.a.a"] == 0.5
    [flag] = flags_of(result, "breakdown_mismatch")
    assert flag.path == "A.II.5.iii.a.a"
    assert "berjumlah 6" in flag.message


def test_matching_breakdown_is_not_flagged():
    result = score(load(I90), {"A.II.5.iii.b.a": (10, 2, 3, 5, 5)})
    assert not flags_of(result, "breakdown_mismatch")


def test_unused_input_is_still_required():
    result = score(load(I90), {"A.II.5.ii.a": (10, None, 7)})
    assert result.values["A.II.5.ii.a"] is None
    assert result.nodes["A.II.5.ii"] == 0
    assert [f.path for f in flags_of(result, "unanswered")].count("A.II.5.ii.a") == 1


# --- survey index -----------------------------------------------------------------------


def test_survey_index_is_divided_by_four_times_weight():
    result = score(load(I90), {"B.I.a.a": 3.6, "B.II.a.a": "3,2"})
    assert result.values["B.I.a.a"] == 0.9
    assert result.nodes["B.I.a"] == pytest.approx(15.75, abs=1e-12)
    assert result.nodes["B.II.a"] == pytest.approx(14.0, abs=1e-12)


def test_capaian_kinerja_is_abcde():
    result = score(load(I90), {"B.I.b.a": "B"})
    assert result.nodes["B.I.b"] == 0.75 * 5


# --- whole instruments ------------------------------------------------------------------


@pytest.mark.parametrize("code", [I90, I19])
def test_all_best_is_exactly_100(code):
    ins = load(code)
    result = score(ins, all_best(ins))
    assert result.total == pytest.approx(100, abs=1e-9)
    assert result.strict_total == pytest.approx(100, abs=1e-9)
    assert result.flags == []
    for node in ins.nodes.values():
        assert result.nodes[node.path] == pytest.approx(node.weight, abs=1e-9)


@pytest.mark.parametrize("code", [I90, I19])
def test_all_worst_is_0(code):
    ins = load(code)
    result = score(ins, all_worst(ins))
    assert result.total == 0
    assert result.flags == []


@pytest.mark.parametrize("code", [I90, I19])
def test_best_and_worst_answers_give_one_and_zero(code):
    ins = load(code)
    for path in ins.questions:
        assert score(ins, {path: best_answer(ins, path)}).values[path] == 1, path
        assert score(ins, {path: worst_answer(ins, path)}).values[path] == 0, path


def test_best_and_worst_answer_shapes():
    ins = load(I90)
    assert best_answer(ins, "A.I.1.i.a") == "Ya"
    assert worst_answer(ins, "A.I.1.i.b") == "C"
    assert best_answer(ins, "A.II.1.i.a") == (1, 1)
    assert worst_answer(ins, "A.II.1.i.a") == (1, 0)
    assert best_answer(ins, "A.II.3.iii.a") == (0, 0, 0)
    assert worst_answer(ins, "A.II.3.iii.a") == (1, 2, 0)
    assert best_answer(ins, "A.II.5.iii.a.a") == (1, 1, 0, 0, 1)
    assert best_answer(ins, "B.I.a.a") == 4.0
    assert worst_answer(ins, "B.I.a.a") == 0.0


def test_result_does_not_depend_on_answer_order():
    ins = load(I90)
    answers = {"A.I.1.i.a": "Ya", "A.II.5.iii.a.a": (10, 1, 2, 3, 12), "B.I.a.a": 3.3, "A.I.6.v.c": "B"}
    reversed_answers = dict(reversed(list(answers.items())))
    assert score(ins, answers) == score(ins, reversed_answers)


def test_score_accepts_raw_and_normalised_answers_alike():
    ins = load(I90)
    raw = {"A.I.1.i.a": " ya ", "A.I.1.i.b": "b", "A.II.1.i.a": {"inputs": [4, 3.0]}, "B.I.a.a": "3,45"}
    normalised = parse_answers(ins, raw)
    assert normalised == {"A.I.1.i.a": "Ya", "A.I.1.i.b": "B", "A.II.1.i.a": (4, 3), "B.I.a.a": 3.45}
    assert score(ins, raw) == score(ins, normalised)


# --- parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "raw", "expected"),
    [
        ("A.I.1.i.a", "Ya", "Ya"),
        ("A.I.1.i.a", "tidak", "Tidak"),
        ("A.I.1.i.b", " b ", "B"),
        ("A.II.1.i.a", [4, 3], (4, 3)),
        ("A.II.1.i.a", (4, 3), (4, 3)),
        ("A.II.1.i.a", {"inputs": [4, 3]}, (4, 3)),
        ("A.II.1.i.a", [4.0, 3], (4, 3)),
        ("A.II.1.i.a", [4, None], (4, None)),
        ("A.II.1.i.a", [None, ""], None),
        ("B.I.a.a", 3, 3.0),
        ("B.I.a.a", 3.6, 3.6),
        ("B.I.a.a", "3,6", 3.6),
        ("B.I.a.a", "3.60", 3.6),
        ("B.I.a.a", "4", 4.0),
        ("B.I.a.a", 0, 0.0),
        ("B.I.a.a", None, None),
        ("A.I.1.i.a", None, None),
        ("A.I.1.i.a", "  ", None),
    ],
)
def test_parse_answer_accepts(path, raw, expected):
    ins = load(I90)
    parsed = parse_answer(ins, path, raw)
    assert parsed == expected
    assert type(parsed) is type(expected)
    assert parse_answer(ins, path, parsed) == parsed  # idempotent


@pytest.mark.parametrize(
    ("path", "raw", "message"),
    [
        ("A.X.9", "Ya", 'Kode pertanyaan tidak dikenal: "A.X.9"'),
        ("A.I.1.i.b", "F", 'Pilihan "F" tidak berlaku untuk A.I.1.i.b (A/B/C)'),
        ("A.I.1.i.a", "A", 'Pilihan "A" tidak berlaku untuk A.I.1.i.a (Ya/Tidak)'),
        ("A.I.1.i.a", True, 'Pilihan "True" tidak berlaku untuk A.I.1.i.a (Ya/Tidak)'),
        ("A.I.1.i.a", 1, 'Pilihan "1" tidak berlaku untuk A.I.1.i.a (Ya/Tidak)'),
        ("A.I.1.i.b", ["A"], "Pilihan \"['A']\" tidak berlaku untuk A.I.1.i.b (A/B/C)"),
        ("A.II.1.i.a", [4, -1], "A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
        ("A.II.1.i.a", [4, 2.5], "A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
        ("A.II.1.i.a", [4, "3"], "A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
        ("A.II.1.i.a", [4, True], "A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
        ("A.II.1.i.a", [4, math.nan], "A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
        ("A.II.1.i.a", [4], "A.II.1.i.a: perlu 2 isian jumlah"),
        ("A.II.1.i.a", [4, 3, 2], "A.II.1.i.a: perlu 2 isian jumlah"),
        ("A.II.1.i.a", 4, "A.II.1.i.a: perlu 2 isian jumlah"),
        ("A.II.1.i.a", "4,3", "A.II.1.i.a: perlu 2 isian jumlah"),
        ("A.II.1.i.a", {"jumlah": [4, 3]}, "A.II.1.i.a: perlu 2 isian jumlah"),
        ("A.II.3.iii.a", [1, 2], "A.II.3.iii.a: perlu 3 isian jumlah"),
        ("B.I.a.a", 4.01, "B.I.a.a: indeks survei harus antara 0 dan 4"),
        ("B.I.a.a", "-0,5", "B.I.a.a: indeks survei harus antara 0 dan 4"),
        ("B.I.a.a", 5, "B.I.a.a: indeks survei harus antara 0 dan 4"),
        ("B.I.a.a", 3.601, "B.I.a.a: indeks survei paling banyak 2 angka desimal"),
        ("B.I.a.a", "3,601", "B.I.a.a: indeks survei paling banyak 2 angka desimal"),
        ("B.I.a.a", True, "B.I.a.a: indeks survei harus berupa angka"),
        ("B.I.a.a", math.nan, "B.I.a.a: indeks survei harus berupa angka"),
        ("B.I.a.a", math.inf, "B.I.a.a: indeks survei harus berupa angka"),
        ("B.I.a.a", "NaN", "B.I.a.a: indeks survei harus berupa angka"),
        ("B.I.a.a", "tiga", "B.I.a.a: indeks survei harus berupa angka"),
        ("B.I.a.a", [3], "B.I.a.a: indeks survei harus berupa angka"),
    ],
)
def test_parse_answer_refuses(path, raw, message):
    with pytest.raises(AnswerError) as error:
        parse_answer(load(I90), path, raw)
    assert str(error.value) == message
    assert error.value.path == path
    assert isinstance(error.value, ValueError)


def test_parse_answers_refuses_unknown_codes_first():
    with pytest.raises(AnswerError, match='tidak dikenal: "A.X.9"'):
        parse_answers(load(I90), {"A.I.1.i.b": "F", "A.X.9": "Ya"})


def test_parse_answers_raises_the_first_error_in_instrument_order():
    with pytest.raises(AnswerError) as error:
        parse_answers(load(I90), {"B.I.a.a": 9, "A.I.1.i.b": "F"})
    assert error.value.path == "A.I.1.i.b"


def test_parse_answers_leaves_out_unanswered_and_keeps_instrument_order():
    answers = parse_answers(load(I90), {"B.I.a.a": "3,5", "A.I.1.i.b": None, "A.I.1.i.a": "Ya"})
    assert list(answers.items()) == [("A.I.1.i.a", "Ya"), ("B.I.a.a", 3.5)]


def test_score_refuses_invalid_answers():
    with pytest.raises(AnswerError):
        score(load(I90), {"A.I.1.i.b": "F"})


# --- instrument defaults and a custom index maximum ----------------------------------------


def test_area_threshold_mode_defaults_to_parts():
    data = raw(I90)
    del data["area_threshold_mode"]
    assert Instrument.from_dict(data).area_threshold_mode == "parts"
    data["area_threshold_mode"] = "combined"
    assert Instrument.from_dict(data).area_threshold_mode == "combined"


def _index_question(data: dict, **rule) -> dict:
    question = find_question(data, "B.I.a.a")
    question["rule"] = {"kind": "index", **rule}
    return question


def test_custom_index_maximum_scales_values_bounds_and_best_answer():
    data = raw(I90)
    _index_question(data, max=5)
    ins = Instrument.from_dict(data)
    assert ins.questions["B.I.a.a"].rule.max == 5
    assert parse_answer(ins, "B.I.a.a", "4,5") == 4.5
    assert parse_answer(ins, "B.I.a.a", 5) == 5
    with pytest.raises(AnswerError, match="B.I.a.a: indeks survei harus antara 0 dan 5$"):
        parse_answer(ins, "B.I.a.a", 5.01)
    assert best_answer(ins, "B.I.a.a") == 5
    assert worst_answer(ins, "B.I.a.a") == 0
    result = score(ins, {"B.I.a.a": 4})
    assert result.values["B.I.a.a"] == 0.8


def test_fractional_index_maximum_is_shown_with_a_decimal_comma():
    data = raw(I90)
    _index_question(data, max=2.5)
    ins = Instrument.from_dict(data)
    with pytest.raises(AnswerError, match="antara 0 dan 2,5$"):
        parse_answer(ins, "B.I.a.a", 3)
    assert score(ins, {"B.I.a.a": 2}).values["B.I.a.a"] == 0.8


def test_index_rule_without_maximum_uses_four():
    data = raw(I90)
    _index_question(data)
    ins = Instrument.from_dict(data)
    assert ins.questions["B.I.a.a"].rule.max == 4
    assert score(ins, {"B.I.a.a": 3}).values["B.I.a.a"] == 0.75


def test_question_and_node_specs_keep_their_own_codes():
    ins = load(I90)
    assert ins.questions["A.I.1.i.a"].code == "a"
    assert ins.nodes["A.I.1.i"].code == "i"


def test_a_fresh_load_keeps_every_field_of_the_file():
    # Loaded here without the cache above, so that each field is read while this test runs.
    data = raw(I90)
    question = find_question(data, "A.I.1.i.a")
    question["status"] = "baru"
    indicator = data["nodes"][0]["children"][0]["children"][0]["children"][0]
    indicator["status"] = "diubah"
    threshold = data["thresholds"][7]
    threshold.update(label="Predikat WBK", note="catatan", confirmed=False)
    ins = Instrument.from_dict(data)
    assert ins.title == data["title"]
    spec = ins.questions["A.I.1.i.a"]
    assert (spec.text, spec.status, spec.change_area) == (question["text"], "baru", "MP")
    assert spec.indicator_weight == indicator["weight"] and spec.indicator_weight > 0
    assert (ins.nodes["A.I.1.i"].status, ins.nodes["A.I.1.i"].change_area) == ("diubah", "MP")
    assert ins.questions["A.II.5.iii.a.a"].rule.breakdown == (1, 2, 3)
    loaded = ins.thresholds[7]
    assert (loaded.kind, loaded.fact, loaded.label, loaded.note, loaded.confirmed) == (
        "fact", "holds_wbk", "Predikat WBK", "catatan", False)
    assert ins.thresholds[1].path == "A"


def test_a_fresh_load_fills_the_optional_fields():
    data = raw(I90)
    question = find_question(data, "A.I.1.i.a")
    question.pop("status")
    indicator = data["nodes"][0]["children"][0]["children"][0]["children"][0]
    indicator.pop("status", None)
    hasil = data["nodes"][1]
    hasil.pop("change_area", None)
    for key in ("label", "path", "fact", "note", "confirmed"):
        data["thresholds"][0].pop(key, None)
    find_question(data, "A.II.5.iii.a.a")["rule"].pop("breakdown")
    ins = Instrument.from_dict(data)
    assert (ins.questions["A.I.1.i.a"].status, ins.nodes["A.I.1.i"].status) == ("", "")
    assert (ins.nodes["B"].change_area, ins.questions["B.I.a.a"].change_area) == ("", "")
    loaded = ins.thresholds[0]
    assert (loaded.label, loaded.path, loaded.fact, loaded.note, loaded.confirmed) == ("", "", "", "", True)
    assert ins.questions["A.II.5.iii.a.a"].rule.breakdown == ()
