"""WBK / WBBM thresholds (docs/scoring.md, "Predicate thresholds")."""

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest

from scoring.engine import Instrument, best_answer, score
from scoring.predicate import area_label, evaluate, format_below, format_number

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instruments"
I90 = "permenpanrb-90-2021"
I19 = "permenpanrb-10-2019"
HOLDS_WBK = {"holds_wbk": True}


def raw_instrument(code: str) -> dict:
    return json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8"))


@cache
def load(code: str) -> Instrument:
    return Instrument.from_dict(raw_instrument(code))


def best_answers(instrument, **overrides):
    answers = {path: best_answer(instrument, path) for path in instrument.questions}
    answers.update(overrides)
    return answers


def best_score(instrument, **node_overrides):
    """The all-best score with some node scores (or the total, key "") replaced."""
    result = score(instrument, best_answers(instrument))
    nodes = dict(result.nodes)
    total = node_overrides.pop("", result.total)
    nodes.update(node_overrides)
    return dataclasses.replace(result, nodes=nodes, total=total)


def check_named(result, label):
    [check] = [c for c in result.checks if c.label == label]
    return check


@pytest.mark.parametrize("code", [I90, I19])
def test_all_best_is_eligible_for_both(code):
    ins = load(code)
    results = evaluate(ins, score(ins, best_answers(ins)), HOLDS_WBK)
    assert set(results) == {"WBK", "WBBM"}
    assert results["WBK"].eligible and results["WBBM"].eligible
    assert results["WBK"].reasons == results["WBBM"].reasons == []
    assert all(check.passed for check in results["WBK"].checks)


def test_all_worst_is_eligible_for_nothing():
    ins = load(I90)
    results = evaluate(ins, score(ins, {}), HOLDS_WBK)
    assert not results["WBK"].eligible
    assert not results["WBBM"].eligible
    assert len(results["WBK"].reasons) == len(results["WBK"].checks)


# --- total ------------------------------------------------------------------------------


def test_total_74_99_fails_wbk():
    ins = load(I90)
    result = evaluate(ins, best_score(ins, **{"": 74.99}), HOLDS_WBK)["WBK"]
    assert not result.eligible
    assert result.reasons == ["Total nilai (pengungkit + hasil) 74,99 < 75"]
    check = check_named(result, "Total nilai (pengungkit + hasil)")
    assert (check.actual, check.minimum, check.passed, check.confirmed) == (74.99, 75, False, True)


def test_total_75_passes_wbk_but_not_wbbm():
    ins = load(I90)
    results = evaluate(ins, best_score(ins, **{"": 75.0}), HOLDS_WBK)
    assert results["WBK"].eligible
    assert results["WBBM"].reasons == ["Total nilai (pengungkit + hasil) 75,00 < 85"]


def test_float_artefact_just_below_the_minimum_passes():
    ins = load(I90)
    assert evaluate(ins, best_score(ins, **{"": 75 - 1e-12}), HOLDS_WBK)["WBK"].eligible


def test_failing_value_is_never_displayed_as_the_minimum():
    ins = load(I90)
    result = evaluate(ins, best_score(ins, **{"": 74.996}), HOLDS_WBK)["WBK"]
    assert result.reasons == ["Total nilai (pengungkit + hasil) 74,996 < 75"]


def test_pengungkit_minimum():
    ins = load(I90)
    result = evaluate(ins, best_score(ins, A=39.5), HOLDS_WBK)["WBK"]
    assert result.reasons == ["Komponen pengungkit 39,50 < 40"]


# --- areas ------------------------------------------------------------------------------


def test_area_at_59_9_percent_fails_and_60_passes():
    ins = load(I90)  # A.I.1 weighs 4: 60% = 2.4
    failing = evaluate(ins, best_score(ins, **{"A.I.1": 4 * 0.599}), HOLDS_WBK)["WBK"]
    assert failing.reasons == ["Area Manajemen Perubahan (pemenuhan) 59,90% < 60%"]
    check = check_named(failing, "Area Manajemen Perubahan (pemenuhan)")
    assert (check.unit, check.minimum, check.passed) == ("%", 60, False)
    assert check.actual == pytest.approx(59.9)
    assert evaluate(ins, best_score(ins, **{"A.I.1": 2.4}), HOLDS_WBK)["WBK"].eligible


# Real answers worth exactly 60% of A.I.6 (weight 5) whose float sum is 59.999999999999986%.
EXACTLY_60_PERCENT_OF_A_I_6 = {
    "A.I.6.i.a": "A", "A.I.6.i.b": "A", "A.I.6.i.c": "D", "A.I.6.i.d": "Ya",
    "A.I.6.ii.a": "E", "A.I.6.ii.b": "D", "A.I.6.ii.c": "D", "A.I.6.ii.d": "A", "A.I.6.ii.e": "D",
    "A.I.6.ii.f": "A", "A.I.6.iii.a": "A", "A.I.6.iii.b": "B", "A.I.6.iii.c": "A",
    "A.I.6.iv.a": "B", "A.I.6.iv.b": "C", "A.I.6.iv.c": "C",
    "A.I.6.v.a": "B", "A.I.6.v.b": "Ya", "A.I.6.v.c": "B",
}


def test_area_at_60_percent_with_float_artefact_passes():
    ins = load(I90)
    result = score(ins, best_answers(ins, **EXACTLY_60_PERCENT_OF_A_I_6))
    assert result.nodes["A.I.6"] / 5 * 100 < 60  # the artefact is real
    wbk = evaluate(ins, result, HOLDS_WBK)["WBK"]
    assert check_named(wbk, "Area Peningkatan Kualitas Pelayanan Publik (pemenuhan)").passed
    assert wbk.eligible


def test_each_area_part_is_checked_separately_by_default():
    ins = load(I90)
    assert ins.area_threshold_mode == "parts"
    result = evaluate(ins, best_score(ins, **{"A.II.5": 0.62 * 7.5}), HOLDS_WBK)
    assert result["WBK"].eligible
    assert result["WBBM"].reasons == ["Area Penguatan Pengawasan (reform) 62,00% < 75%"]
    area_checks = [c for c in result["WBK"].checks if c.unit == "%"]
    assert len(area_checks) == 12


def test_combined_mode_sums_pemenuhan_and_reform_per_change_area():
    data = raw_instrument(I90)
    data["area_threshold_mode"] = "combined"
    ins = Instrument.from_dict(data)
    # MP: pemenuhan 4 of 4, reform 1.6 of 4 (40%): combined 5.6 of 8 = 70%
    result = evaluate(ins, best_score(ins, **{"A.II.1": 1.6}), HOLDS_WBK)
    area_checks = [c for c in result["WBK"].checks if c.unit == "%"]
    assert len(area_checks) == 6
    assert result["WBK"].eligible
    assert result["WBBM"].reasons == ["Area Manajemen Perubahan 70,00% < 75%"]
    parts = evaluate(load(I90), best_score(load(I90), **{"A.II.1": 1.6}), HOLDS_WBK)["WBK"]
    assert parts.reasons == ["Area Manajemen Perubahan (reform) 40,00% < 60%"]


def test_area_labels_are_title_case_with_their_part():
    ins = load(I90)
    assert area_label(ins, ins.nodes["A.I.3"]) == "Area Penataan Sistem Manajemen SDM Aparatur (pemenuhan)"
    assert area_label(ins, ins.nodes["A.II.6"]) == "Area Peningkatan Kualitas Pelayanan Publik (reform)"
    ins19 = load(I19)  # no pemenuhan/reform split in 10/2019
    assert area_label(ins19, ins19.nodes["A.3"]) == "Area Penataan Sistem Manajemen SDM"


# --- hasil ------------------------------------------------------------------------------


def test_ipak_index_3_59_fails_and_3_60_passes():
    ins = load(I90)
    label = "Nilai survei persepsi korupsi (IPAK, indeks 3,6)"
    low = evaluate(ins, score(ins, best_answers(ins, **{"B.I.a.a": 3.59})), HOLDS_WBK)["WBK"]
    assert f"{label} 15,71 < 15,75" in low.reasons
    assert not low.eligible
    ok = evaluate(ins, score(ins, best_answers(ins, **{"B.I.a.a": "3,60"})), HOLDS_WBK)["WBK"]
    assert check_named(ok, label).passed
    assert ok.eligible


def test_ipkp_index_3_2_is_enough_for_wbk_only():
    ins = load(I90)
    results = evaluate(ins, score(ins, best_answers(ins, **{"B.II.a.a": 3.2})), HOLDS_WBK)
    assert results["WBK"].eligible
    assert results["WBBM"].reasons == ["Nilai persepsi kualitas pelayanan (IPKP, indeks 3,6) 14,00 < 15,75"]


# --- unconfirmed thresholds and facts ---------------------------------------------------


def test_unconfirmed_threshold_is_labelled():
    ins = load(I90)
    answers = best_answers(ins, **{"B.I.a.a": 3.6, "B.I.b.a": "C"})
    result = evaluate(ins, score(ins, answers), HOLDS_WBK)["WBBM"]
    # B.I = 15.75 + 2.5 = 18.25 < 19.5 and capaian kinerja 2.5 < 3.75, both unconfirmed
    assert result.reasons == [
        "Birokrasi yang bersih dan akuntabel 18,25 < 19,5 (ambang belum terkonfirmasi)",
        "Capaian kinerja 2,50 < 3,75 (ambang belum terkonfirmasi)",
    ]
    check = check_named(result, "Capaian kinerja")
    assert not check.confirmed
    assert check.note == "sumber lain memakai 2,5"


def test_missing_fact_fails_as_not_recorded():
    ins = load(I90)
    best = score(ins, best_answers(ins))
    for facts in (None, {}, {"holds_wbk": None}):
        result = evaluate(ins, best, facts)["WBBM"]
        assert result.reasons == ["Unit telah berpredikat WBK: belum tercatat"]
        assert check_named(result, "Unit telah berpredikat WBK").actual is None
    assert evaluate(ins, best, None)["WBK"].eligible


def test_false_fact_fails():
    ins = load(I90)
    result = evaluate(ins, score(ins, best_answers(ins)), {"holds_wbk": False})["WBBM"]
    assert result.reasons == ["Unit telah berpredikat WBK: tidak terpenuhi"]


def test_10_2019_thresholds_are_mostly_unconfirmed():
    ins = load(I19)
    result = evaluate(ins, best_score(ins, **{"B.I": 17.0, "B.I.b": 2.0}), HOLDS_WBK)["WBK"]
    assert result.reasons == [
        "Pemerintahan yang bersih dan bebas KKN 17,00 < 18,25 (ambang belum terkonfirmasi)",
        "Penyelesaian TLHP 2,00 < 3 (ambang belum terkonfirmasi)",
    ]


# --- number format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "decimals", "text"),
    [(75, None, "75"), (18.25, None, "18,25"), (19.5, None, "19,5"), (14.0, None, "14"), (62, 2, "62,00"),
     # Half up on the decimal the float stands for, as the sheet and the score panel show it.
     (1.775, 2, "1,78"), (0.375 + 1.4, 2, "1,78"), (9.375, 2, "9,38"), (0.125, None, "0,13")],
)
def test_format_number(number, decimals, text):
    assert format_number(number, decimals) == text


def test_format_below():
    assert format_below(74.99, 75) == "74,99"
    assert format_below(74.999, 75) == "74,999"
    assert format_below(0, 75) == "0,00"
    assert format_below(74.995, 75) == "74,995"  # half up would show 75,00


def test_a_recorded_fact_shows_its_value_and_note():
    data = raw_instrument(I90)
    fact = next(t for t in data["thresholds"] if t["kind"] == "fact" and t["predicate"] == "WBBM")
    fact["note"] = "dari keputusan Menteri PANRB"
    ins = Instrument.from_dict(data)
    best = score(ins, best_answers(ins))
    check = check_named(evaluate(ins, best, HOLDS_WBK)["WBBM"], fact["label"])
    assert (check.actual, check.passed, check.note) == (1.0, True, "dari keputusan Menteri PANRB")
    check = check_named(evaluate(ins, best, {"holds_wbk": False})["WBBM"], fact["label"])
    assert (check.actual, check.passed) == (0.0, False)


def test_an_unknown_threshold_kind_is_a_programming_error():
    ins = load(I90)
    broken = dataclasses.replace(ins.thresholds[0], kind="rata_rata")
    odd = dataclasses.replace(ins, thresholds=(broken,))
    with pytest.raises(ValueError, match=r"^Jenis ambang tidak dikenal: 'rata_rata'$"):
        evaluate(odd, score(ins, {}))
