"""Time the scoring engine on a fully answered 90/2021 assessment.

    .venv/bin/python tests/bench/bench_engine.py [runs]

Prints one markdown table row per measurement (median of `runs` calls, time.perf_counter).
A script, not a test: pytest does not collect it.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scoring.engine import OPTION_TYPES, Instrument, parse_answers, score  # noqa: E402
from scoring.gap import gap_analysis  # noqa: E402
from scoring.predicate import evaluate  # noqa: E402

INSTRUMENT = ROOT / "fixtures" / "instruments" / "permenpanrb-90-2021.json"


def typical_answers(instrument: Instrument) -> dict:
    """Every question answered, mostly below the best so gap analysis has work to do."""
    answers = {}
    for path, question in instrument.questions.items():
        if question.answer_type in OPTION_TYPES:
            answers[path] = list(question.options)[1]
        elif question.answer_type == "index":
            answers[path] = "3,45"
        else:
            counts = [7] * question.n_inputs
            counts[getattr(question.rule, "denominator", 0)] = 10
            answers[path] = {"inputs": counts}
    return answers


def median_seconds(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main(runs: int = 2000) -> None:
    data = json.loads(INSTRUMENT.read_text(encoding="utf-8"))
    instrument = Instrument.from_dict(data)
    raw = typical_answers(instrument)
    answers = parse_answers(instrument, raw)
    result = score(instrument, answers)
    gap_runs = max(1, runs // 20)
    rows = [
        ("Instrument.from_dict", median_seconds(lambda: Instrument.from_dict(data), gap_runs)),
        ("score(), normalised answers", median_seconds(lambda: score(instrument, answers), runs)),
        ("score(), raw answers", median_seconds(lambda: score(instrument, raw), runs)),
        ("evaluate() WBK/WBBM", median_seconds(lambda: evaluate(instrument, result, {}), runs)),
        ("gap_analysis()", median_seconds(lambda: gap_analysis(instrument, answers), gap_runs)),
    ]
    print("## Scoring engine\n")
    print("Target: scoring a full 90/2021 assessment in the engine takes under 5 ms.\n")
    print(f"Fully answered {instrument.code}: {len(instrument.questions)} questions, "
          f"total {result.total:.2f}")
    print()
    print("| measurement | runs | median |")
    print("|---|---:|---:|")
    for (label, seconds), count in zip(rows, (gap_runs, runs, runs, runs, gap_runs), strict=True):
        print(f"| {label} | {count} | {seconds * 1000:.3f} ms |")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
