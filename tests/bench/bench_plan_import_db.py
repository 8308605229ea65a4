"""Time the whole rencana aksi import of a 1,000-row XLSX: preview (read, match, record) and commit
(create every plan item in one transaction), on a fresh SQLite database.

    .venv/bin/python tests/bench/bench_plan_import_db.py

Target: 1,000 rows import in under 5 s. Prints a Markdown section. A script, not a test.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="zi-bench-")
os.environ.update({"DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "true",
                   "SQLITE_PATH": f"{TMP}/bench.sqlite3", "MEDIA_ROOT": f"{TMP}/media"})
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from plans.importing import indicator_refs_from_instrument  # noqa: E402
from tests.bench.bench_plan_import import build_table  # noqa: E402

RUNS = 3


def main():
    call_command("migrate", verbosity=0)
    call_command("import_instrument", str(ROOT / "fixtures/instruments/permenpanrb-90-2021.json"),
                 stdout=io.StringIO())
    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Instrument
    from areas.selectors import instrument_data
    from areas.services import assessment_create
    from plans import services

    instrument = Instrument.objects.get(code="permenpanrb-90-2021")
    user = User.objects.create_user("bench", password="x" * 12)
    refs = indicator_refs_from_instrument(instrument_data(instrument))
    table = Path(TMP) / "rencana.xlsx"
    build_table(table, refs, fuzzy=False)
    content = table.read_bytes()
    previews, commits, totals = [], [], []
    for run in range(RUNS):
        unit = Unit.objects.create(name=f"Unit {run}", instansi=Instansi.objects.get_or_create(name="Bench")[0])
        Membership.objects.create(user=user, unit=unit, role=Role.KOORDINATOR)
        assessment = assessment_create(unit=unit, instrument=instrument, year=2025)
        start = time.perf_counter()
        preview = services.plan_import_preview(assessment=assessment, upload=SimpleUploadedFile("r.xlsx", content),
                                               user=user)
        middle = time.perf_counter()
        count = services.plan_import_commit(plan_import=preview, user=user).created_count
        end = time.perf_counter()
        assert count >= 1000 and preview.error_count == 0, (count, preview.error_count)
        previews.append(middle - start)
        commits.append(end - middle)
        totals.append(end - start)
    print("## Rencana aksi import, end to end\n")
    print(f"Target: a 1,000-row XLSX imports in under 5 s. {count} rows, SQLite, median of {RUNS} runs.\n")
    print("| step | median |")
    print("|---|---:|")
    print(f"| preview (read, match, parse targets, record) | {statistics.median(previews):.2f} s |")
    print(f"| commit (create every plan item, one transaction) | {statistics.median(commits):.2f} s |")
    print(f"| total | {statistics.median(totals):.2f} s |")


if __name__ == "__main__":
    main()
