"""Time the report renderers on a fresh SQLite database, the way a worker runs them
(services.report_run: claim, render to a temporary file, store):

- rencana aksi PDF with 100 plan items;
- LKE XLSX of one assessment with both answer sides on every question and evidence;
- evidence package of 500 files / 1 GB, with the worker's peak memory (a child process per run).

    .venv/bin/python tests/bench/bench_reports.py [runs]

Prints a Markdown section (medians of `runs`, time.perf_counter). A script, not a test.
"""

import io
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="zi-bench-reports-")
os.environ.update({"DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "true", "LOG_LEVEL": "WARNING",
                   "SQLITE_PATH": f"{TMP}/bench.sqlite3", "MEDIA_ROOT": f"{TMP}/media"})
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
PLAN_ITEMS = 100
PACKAGE_FILES = 500
PACKAGE_BYTES = 1024**3
MB = 1024 * 1024


def setup_assessment():
    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Instrument
    from areas.services import assessment_create
    from tests.reports.conftest import build_answers

    call_command("migrate", verbosity=0)
    call_command("import_instrument", str(ROOT / "fixtures/instruments/permenpanrb-90-2021.json"),
                 stdout=io.StringIO())
    instrument = Instrument.objects.get(code="permenpanrb-90-2021")
    unit = Unit.objects.create(name="Balai Tolok Ukur",
                               instansi=Instansi.objects.get_or_create(name="Kementerian Bench")[0], city="Jakarta")
    koordinator = User.objects.create_user("koordinator", password="x" * 12, full_name="Koordinator Bench")
    tpi = User.objects.create_user("tpi", password="x" * 12)
    pimpinan = User.objects.create_user("pimpinan", password="x" * 12, full_name="Pimpinan Bench",
                                        nip="197001011990031001")
    Membership.objects.create(user=koordinator, unit=unit, role=Role.KOORDINATOR)
    Membership.objects.create(user=tpi, unit=unit, role=Role.TPI)
    Membership.objects.create(user=pimpinan, unit=unit, role=Role.PIMPINAN)
    assessment = assessment_create(unit=unit, instrument=instrument, year=2026)
    build_answers(assessment, koordinator, tpi)
    return assessment, koordinator


def add_plan_items(assessment, user, count):
    from plans import services

    indicators = list(assessment.instrument.nodes.filter(kind="indikator").order_by("order"))
    for number in range(count):
        services.plan_item_create(
            assessment=assessment, indicator=indicators[number % len(indicators)],
            steps=f"{number + 1}. Langkah aksi nomor {number + 1}\nuraian kegiatan dan pelaksanaannya",
            output="Undangan, notulen, daftar hadir\nLaporan kegiatan", target_text="Juni 2026", user=user,
            pic_name="Tim kerja")


def add_evidence(assessment, user, files, total_bytes):
    """`files` stored evidence files adding up to `total_bytes`, spread over every question."""
    import hashlib

    from django.core.files.storage import default_storage

    from evidence.models import Evidence, EvidenceVersion

    questions = list(assessment.instrument.questions.order_by("order"))
    size = total_bytes // files
    block = os.urandom(MB)
    root = Path(default_storage.location)
    for number in range(files):
        item = Evidence.objects.create(assessment=assessment, question=questions[number % len(questions)],
                                       kind="file", title=f"Bukti nomor {number + 1}", status="diterima", owner=user)
        name = f"evidence/{assessment.unit.code}/bench-{number:04d}.pdf"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with path.open("wb") as handle:
            written = 0
            while written < size:
                chunk = block[: min(MB, size - written)]
                chunk = number.to_bytes(4, "big") + chunk[4:]  # files differ from each other
                handle.write(chunk)
                digest.update(chunk)
                written += len(chunk)
        EvidenceVersion.objects.create(evidence=item, number=1, file=name, original_name=f"bukti-{number}.pdf",
                                       size=size, sha256=digest.hexdigest(), content_type="application/pdf",
                                       uploaded_by=user)


def run_job(assessment, user, kind, fmt, parameters=None):
    from reports import services
    from reports.models import JobStatus, ReportJob, job_fingerprint

    parameters = parameters or {}
    job = ReportJob.objects.create(
        kind=kind, format=fmt, assessment=assessment, parameters=parameters, requested_by=user,
        fingerprint=job_fingerprint(kind=kind, fmt=fmt, assessment_id=assessment.pk, parameters=parameters,
                                    requested_by_id=user.pk))
    start = time.perf_counter()
    job = services.report_run(job.pk)
    elapsed = time.perf_counter() - start
    assert job.status == JobStatus.DONE, job.error
    return elapsed, job


def timed(assessment, user, kind, fmt, parameters=None):
    times, job = [], None
    for _run in range(RUNS):
        elapsed, job = run_job(assessment, user, kind, fmt, parameters)
        times.append(elapsed)
    return statistics.median(times), min(times), max(times), job.size


def package_in_child(queue, assessment_pk, user_pk):
    """One package render in a fresh process, as a worker's child would run it."""
    from django.db import connection

    from accounts.models import User
    from areas.models import Assessment

    connection.close()
    assessment = Assessment.objects.select_related("unit").get(pk=assessment_pk)
    user = User.objects.get(pk=user_pk)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    elapsed, job = run_job(assessment, user, "evidence_package", "zip", {"accepted_only": False})
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, before / 1024, after / 1024, job.size))


def main():
    assessment, user = setup_assessment()
    add_plan_items(assessment, user, PLAN_ITEMS)
    plan = timed(assessment, user, "rencana_aksi", "pdf")
    add_evidence(assessment, user, PACKAGE_FILES, PACKAGE_BYTES)
    lke = timed(assessment, user, "lke", "xlsx")

    results = []
    context = multiprocessing.get_context("fork")
    for _run in range(RUNS):
        queue = context.Queue()
        child = context.Process(target=package_in_child, args=(queue, assessment.pk, user.pk))
        child.start()
        results.append(queue.get(timeout=1800))
        child.join(60)
    times = [r[0] for r in results]
    package_size = results[-1][3]
    rss_before = max(r[1] for r in results)
    rss_peak = max(r[2] for r in results)

    questions = assessment.instrument.questions.count()
    print("## Reports\n")
    print(f"Rendered as a worker does (`services.report_run`: claim, render to a temporary file, store), on a fresh "
          f"SQLite database; median of {RUNS} runs each.\n")
    print("| document | size | median | min | max |")
    print("|---|---|---|---|---|")
    print(f"| rencana aksi PDF, {PLAN_ITEMS} plan items | {plan[3] / 1024:.0f} KB | {plan[0]:.2f} s | "
          f"{plan[1]:.2f} s | {plan[2]:.2f} s |")
    print(f"| LKE XLSX, {questions} questions × 2 sides, {PACKAGE_FILES} evidence links | {lke[3] / 1024:.0f} KB | "
          f"{lke[0]:.2f} s | {lke[1]:.2f} s | {lke[2]:.2f} s |")
    print(f"| evidence package ZIP, {PACKAGE_FILES} files / {PACKAGE_BYTES / 1024**3:.0f} GB | "
          f"{package_size / 1024**3:.2f} GB | {statistics.median(times):.2f} s | {min(times):.2f} s | "
          f"{max(times):.2f} s |")
    print()
    print(f"Evidence package, worker peak memory (max RSS of the process rendering it): {rss_peak:.0f} MB; "
          f"{rss_before:.0f} MB before the render began, so packing 1 GB added {rss_peak - rss_before:.0f} MB "
          f"(files are copied in 1 MiB chunks).")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
