"""Print an evenly spread sample of the mutant names mutmut generated for one module.

    python scripts/mutation_sample.py scoring/engine.py 150

Reads mutants/<module>.meta (written by `mutmut run`), takes every k-th mutant in source order so
that every function is represented, and prints the names for `mutmut run NAME...`. Used when a
full run of a large module does not fit the time box (docs/testing.md).
"""

import json
import sys
from pathlib import Path


def sample(module: str, size: int) -> list[str]:
    meta = Path("mutants") / (module + ".meta")
    names = list(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    if size >= len(names):
        return names
    step = len(names) / size
    return [names[int(i * step)] for i in range(size)]


if __name__ == "__main__":
    print("\n".join(sample(sys.argv[1], int(sys.argv[2]))))
