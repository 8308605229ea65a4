"""Time the unit dashboard and the admin overview at 50 units, through django.test.Client on a fresh
SQLite database (the whole request: middleware, queries, engine scoring, template).

    .venv/bin/python tests/bench/bench_dashboards.py

50 units, each with a 90/2021 assessment in reviu TPI (both answer sides, 10 evidence items,
45 plan items, two monev periods); half of them also have last year's assessment. One unit
additionally has 5,000 evidence items. Prints a Markdown section. A script, not a test.
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
os.environ.update({"DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "true", "ALLOWED_HOSTS": "testserver",
                   "SQLITE_PATH": f"{TMP}/bench.sqlite3", "MEDIA_ROOT": f"{TMP}/media"})
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench.sessions import signed_in_client  # noqa: E402

UNITS = 50
RUNS = 15


def build():
    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Assessment, Instrument, Stage
    from tests.dashboards.builders import build_assessment_data, build_evidence

    call_command("migrate", verbosity=0)
    call_command("import_instrument", str(ROOT / "fixtures/instruments/permenpanrb-90-2021.json"),
                 stdout=io.StringIO())
    instrument = Instrument.objects.get(code="permenpanrb-90-2021")
    today = timezone.localdate()
    admin = User.objects.create_user("admin", password="x" * 12, is_staff=True)
    koordinator = User.objects.create_user("koordinator", password="x" * 12)
    tpi = User.objects.create_user("tpi", password="x" * 12)
    assessments = []
    for number in range(UNITS):
        unit = Unit.objects.create(name=f"Unit Kerja {number + 1:02d}",
                                   instansi=Instansi.objects.get_or_create(name=f"Instansi {number % 5 + 1}")[0])
        Membership.objects.create(user=koordinator, unit=unit, role=Role.KOORDINATOR)
        assessment = Assessment.objects.create(unit=unit, instrument=instrument, year=today.year, stage=Stage.REVIU)
        build_assessment_data(assessment, unit_user=koordinator, tpi_user=tpi, today=today, seed=number)
        assessments.append(assessment)
        if number % 2 == 0:
            previous = Assessment.objects.create(unit=unit, instrument=instrument, year=today.year - 1,
                                                 stage=Stage.FINAL)
            build_assessment_data(previous, unit_user=koordinator, tpi_user=tpi, today=today, seed=number + 1,
                                  evidence=10, periods=0)
    build_evidence(assessments[1], owner=koordinator, count=5000)
    return admin, koordinator, assessments


def measure(client, url):
    """(cold first request ms, warm median ms, queries of a warm request)."""
    start = time.perf_counter()
    assert client.get(url).status_code == 200
    cold = (time.perf_counter() - start) * 1000
    timings = []
    for _run in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return cold, statistics.median(timings), len(queries.captured_queries)


def main():
    admin, koordinator, assessments = build()
    from scoring.selectors import _engine_tree

    rows = []
    koordinator_client, admin_client = signed_in_client(koordinator.username), signed_in_client(admin.username)
    _engine_tree.cache_clear()
    cases = [
        ("unit dashboard (10 evidence items)", koordinator_client, f"/dasbor/penilaian/{assessments[0].code}/"),
        ("unit dashboard (5,010 evidence items)", koordinator_client, f"/dasbor/penilaian/{assessments[1].code}/"),
        ("admin overview, 50 units (25 with last year)", admin_client, "/dasbor/"),
        ("admin overview, 50 units, sorted by TPI score", admin_client, "/dasbor/?urut=-nilai_tpi"),
        ("admin overview, filtered to one instansi (10 units)", admin_client, "/dasbor/?instansi=Instansi+2"),
    ]
    for label, client, url in cases:
        cold, warm, queries = measure(client, url)
        rows.append((label, cold, warm, queries))
    print("## Dashboards\n")
    print(f"{UNITS} units, each with a 90/2021 assessment in reviu TPI: both answer sides on ~97 of 113 questions, "
          "10 evidence items, 45 plan items, two monev periods; 25 units also have last year's assessment. "
          f"SQLite, `django.test.Client` (whole request with middleware and template), DEBUG on; median of {RUNS} "
          "warm requests. \"First request\" includes building the engine's instrument (once per process).\n")
    print("| page | first request | median | queries |")
    print("|---|---:|---:|---:|")
    for label, cold, warm, queries in rows:
        print(f"| {label} | {cold:.0f} ms | {warm:.0f} ms | {queries} |")


if __name__ == "__main__":
    main()
