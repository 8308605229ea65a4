#!/usr/bin/env bash
# Mutation-test some modules against only the tests that are about them (docs/testing.md).
#
#   scripts/mutation_run.sh "tests/accounts/test_access.py" "accounts.access*"
#   scripts/mutation_run.sh "tests/scoring/test_engine.py" $(python scripts/mutation_sample.py scoring/engine.py 80)
#
# mutmut runs, for each mutant, the tests of its selection that reached the mutated function. The
# selection in pyproject.toml names every test file of every mutated module; a helper such as
# accounts.access.membership_in is reached by hundreds of them, so this script narrows the
# selection to the first argument for one run and restores pyproject.toml afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
tests="$1"; shift
backup=$(mktemp)
cp pyproject.toml "$backup"
trap 'cp "$backup" pyproject.toml; rm -f "$backup"' EXIT
python3 - "$tests" <<'PY'
import json, re, sys
text = open("pyproject.toml", encoding="utf-8").read()
selection = json.dumps(sys.argv[1].split())
text = re.sub(r"pytest_add_cli_args_test_selection = \[[^\]]*\]",
              lambda _: f"pytest_add_cli_args_test_selection = {selection}", text)
open("pyproject.toml", "w", encoding="utf-8").write(text)
PY
nice -n 19 .venv/bin/mutmut run --max-children 1 "$@"
