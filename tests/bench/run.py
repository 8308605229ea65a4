"""`make bench`: run every tests/bench/bench_*.py and write docs/benchmarks.md.

Each benchmark is a standalone script that prints a Markdown section (a heading, what was
measured, a table). Benchmarks are not tests: they measure, they do not pass or fail.
"""

import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    sections = []
    failed = []
    for script in sorted((ROOT / "tests" / "bench").glob("bench_*.py")):
        print(f"running {script.name} …", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True,
                                timeout=1800)
        if result.returncode != 0:
            failed.append(script.name)
            sections.append(f"## {script.name}\n\nFAILED:\n\n```\n{result.stderr[-2000:]}\n```\n")
        else:
            sections.append(result.stdout.strip() + "\n")
    header = (
        "# Benchmarks\n\n"
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores.\n"  # noqa: S607
        "Numbers are medians unless a row says otherwise; rerun on the target machine before comparing.\n\n"
    )
    (ROOT / "docs" / "benchmarks.md").write_text(header + "\n".join(sections), encoding="utf-8")
    print("wrote docs/benchmarks.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
