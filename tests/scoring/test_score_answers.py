"""`manage.py score_answers FILE`, end to end: argv in, JSON or a refusal with exit status out."""

import json

import pytest
from django.core.management import execute_from_command_line

from scoring import engine, predicate
from tests.conftest import load_instrument_data

pytestmark = pytest.mark.django_db

WORKED_EXAMPLE = {
    "instrument": "permenpanrb-90-2021",
    "answers": {"A.I.1.i.a": "Ya", "A.I.1.i.b": "B", "A.II.1.i.a": {"inputs": [10, 7]}, "B.I.a.a": 3.6},
}


def run(tmp_path, capsys, data, *, raw=None):
    """(exit status, stdout, stderr) of the command as a script would run it."""
    path = tmp_path / "jawaban.json"
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    try:
        execute_from_command_line(["manage.py", "score_answers", str(path)])
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_worked_example_is_scored_exactly_like_the_engine(tmp_path, capsys, instrument_90):
    status, out, err = run(tmp_path, capsys, WORKED_EXAMPLE)
    assert (status, err) == (0, "")
    result = json.loads(out)
    ins = engine.Instrument.from_dict(load_instrument_data("permenpanrb-90-2021"))
    expected = engine.score(ins, WORKED_EXAMPLE["answers"])
    assert result["instrument"] == "permenpanrb-90-2021"
    assert result["total"] == expected.total and result["strict_total"] == expected.strict_total
    assert result["nodes"] == expected.nodes
    assert list(result["nodes"])[:4] == ["A", "A.I", "A.I.1", "A.I.1.i"]  # document order
    assert result["nodes"]["A.I.1.i"] == 0.375  # the worked example: (1 + 0.5) / 2 × 0.5
    assert result["nodes"]["A.II.1.i"] == 0.7 * 2  # 7 of 10 agents made a change; unanswered .b left out; weight 2
    assert result["nodes"]["B.I.a"] == 3.6 / 4 * 17.5
    assert result["flags"] == [{"kind": f.kind, "path": f.path, "message": f.message} for f in expected.flags]
    assert {"kind": "unanswered", "path": "A.I.1.ii.a", "message": "A.I.1.ii.a: belum dijawab"} in result["flags"]
    wbk = predicate.evaluate(ins, expected, {})["WBK"]
    assert result["predicate"]["WBK"] == {"eligible": False, "reasons": wbk.reasons}
    assert result["predicate"]["WBBM"]["reasons"][0] == "Unit telah berpredikat WBK: belum tercatat"


def test_the_floats_are_not_rounded(tmp_path, capsys, instrument_90):
    status, out, _err = run(tmp_path, capsys, {"instrument": "permenpanrb-90-2021",
                                               "answers": {"A.I.1.iii.a": "B", "A.I.1.iii.b": "C"}})
    assert status == 0
    node = json.loads(out)["nodes"]["A.I.1.iii"]
    assert node == (0.67 + 0.33) / 2 * 1  # exactly what Python computes, not 0.5 rounded for display
    assert '"A.I.1.iii": ' in out


def test_all_best_answers_give_100_and_both_predicates_with_the_wbk_fact(tmp_path, capsys, instrument_90):
    ins = engine.Instrument.from_dict(load_instrument_data("permenpanrb-90-2021"))
    answers = {}
    for path in ins.questions:
        best = engine.best_answer(ins, path)
        answers[path] = {"inputs": list(best)} if isinstance(best, tuple) else best
    status, out, _err = run(tmp_path, capsys, {"instrument": "permenpanrb-90-2021", "answers": answers,
                                               "facts": {"holds_wbk": True}})
    result = json.loads(out)
    assert status == 0 and result["total"] == pytest.approx(100, abs=1e-9) and result["flags"] == []
    assert result["predicate"] == {"WBK": {"eligible": True, "reasons": []}, "WBBM": {"eligible": True, "reasons": []}}


def test_the_instrument_is_read_from_the_database_by_code(tmp_path, capsys, instrument_10):
    status, out, _err = run(tmp_path, capsys, {"instrument": "permenpanrb-10-2019", "answers": {"A.1.1.a": "Ya"}})
    assert status == 0
    assert json.loads(out)["instrument"] == "permenpanrb-10-2019"


@pytest.mark.parametrize("answers, message", [
    ({"A.I.9.z": "Ya"}, 'Jawaban ditolak: Kode pertanyaan tidak dikenal: "A.I.9.z"'),
    ({"A.I.1.i.a": "B"}, 'Jawaban ditolak: Pilihan "B" tidak berlaku untuk A.I.1.i.a (Ya/Tidak)'),
    ({"A.I.1.i.b": "Ya"}, 'Jawaban ditolak: Pilihan "Ya" tidak berlaku untuk A.I.1.i.b (A/B/C)'),
    ({"A.II.1.i.a": {"inputs": [10, -1]}}, "Jawaban ditolak: A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
    ({"A.II.1.i.a": {"inputs": [10, 2.5]}}, "Jawaban ditolak: A.II.1.i.a: jumlah harus bilangan bulat tidak negatif"),
    ({"A.II.1.i.a": {"inputs": [10]}}, "Jawaban ditolak: A.II.1.i.a: perlu 2 isian jumlah"),
    ({"B.I.a.a": 4.01}, "Jawaban ditolak: B.I.a.a: indeks survei harus antara 0 dan 4"),
    ({"B.I.a.a": -0.5}, "Jawaban ditolak: B.I.a.a: indeks survei harus antara 0 dan 4"),
])
def test_each_refused_answer_exits_non_zero_with_the_reason(tmp_path, capsys, instrument_90, answers, message):
    status, out, err = run(tmp_path, capsys, {"instrument": "permenpanrb-90-2021", "answers": answers})
    assert status != 0 and out == ""
    assert message in err


@pytest.mark.parametrize("data, raw, message", [
    ({"instrument": "permenpanrb-99-2030", "answers": {}}, None, "Instrumen tidak dikenal: permenpanrb-99-2030"),
    (None, "{bukan json", "Berkas bukan JSON yang valid"),
    ({"answers": {}}, None, 'Berkas harus berupa objek JSON dengan "instrument"'),
    ({"instrument": "permenpanrb-90-2021", "answers": ["Ya"]}, None, '"answers" harus berupa objek'),
])
def test_a_malformed_file_exits_non_zero_with_the_reason(tmp_path, capsys, instrument_90, data, raw, message):
    status, out, err = run(tmp_path, capsys, data, raw=raw)
    assert status != 0 and out == ""
    assert message in err


def test_a_missing_file_exits_non_zero(capsys, instrument_90, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "score_answers", str(tmp_path / "tidak-ada.json")])
    assert exit_.value.code != 0
    assert "Berkas tidak dapat dibaca" in capsys.readouterr().err
