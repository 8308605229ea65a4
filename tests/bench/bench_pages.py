"""Time the LKE workspace pages, the dashboards and a floor page through gunicorn on PostgreSQL
(DEBUG off), then run a bounded 50-user locust load test against the same server.

    .venv/bin/python tests/bench/bench_pages.py            # what `make bench` runs
    BENCH_LOAD_SECONDS=0 .venv/bin/python tests/bench/bench_pages.py   # pages only

Data: `seed_demo --filled --units 50` (or tests/bench/pages_data.py's builder of the same shape
when the seed does not know --filled), plus one unit with 5,000 evidence items. Everything runs on
127.0.0.1; the database named by BENCH_DATABASE_URL is dropped and created again. Prints a
Markdown section. A script, not a test. Server settings: docs/benchmarks.md, "Server".
"""

import csv
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PY = sys.executable
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zi_bench_pages")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
UNITS = int(os.environ.get("BENCH_UNITS", "50"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "180"))
LOAD_USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
TIME_PAGES = os.environ.get("BENCH_PAGES", "1") != "0"
SKIP_HEAVY = os.environ.get("BENCH_SKIP_HEAVY", "0") == "1"
# Build the data with another checkout's code (to measure older code on exactly the same data).
BUILD_ROOT = Path(os.environ.get("BENCH_BUILD_ROOT", ROOT))
# Production server settings (gunicorn.conf.py reads the same defaults): sync workers, 2 x cores + 1.
WORKERS = os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
TMP = Path(tempfile.mkdtemp(prefix="zi-bench-pages-"))
MEDIA = ROOT / "var" / "bench-media"  # kept with the seeded template database (the demo's files)
PASSWORD = secrets.token_urlsafe(12)
BASE = f"http://127.0.0.1:{PORT}"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL,
    "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "SECURE_HSTS_SECONDS": "0",
    "MEDIA_ROOT": str(MEDIA), "LOG_LEVEL": "WARNING", "DEBUG": "false", "DB_CONN_MAX_AGE": "60",
}
os.environ.update(SERVER_ENV)


def log(text):
    print(text, file=sys.stderr, flush=True)


def _admin_connection():
    import psycopg2

    parts = urlsplit(DB_URL)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                            password=parts.password, dbname="postgres")
    conn.autocommit = True
    return conn, parts.path.lstrip("/")


def data_stamp() -> str:
    """A hash of everything that shapes the data: the seed, this builder, the migrations."""
    import hashlib

    digest = hashlib.sha256(str(UNITS).encode())
    sources = [*sorted((BUILD_ROOT / "demo").rglob("*.py")), BUILD_ROOT / "tests/bench/pages_data.py",
               *sorted(BUILD_ROOT.glob("*/migrations/*.py")), *sorted((BUILD_ROOT / "fixtures/instruments").glob("*"))]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_database() -> str:
    """Copy the seeded template database when its stamp matches, else build the data again (several
    minutes) and keep a template of it for the next run. The working database is always fresh."""
    conn, name = _admin_connection()
    template = f"{name}_seed"
    stamp = data_stamp()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                       [template])
        row = cursor.fetchone()
        if row and row[0] == stamp and not os.environ.get("BENCH_REBUILD"):
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            conn.close()
            return f"copied from the seeded template `{template}` (stamp {stamp})"
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(MEDIA, ignore_errors=True)
    note = build_data()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        cursor.execute(f"COMMENT ON DATABASE \"{template}\" IS '{stamp}'")
    conn.close()
    return note


def build_data() -> str:
    env = {**os.environ, "DEBUG": "true"}
    start = time.perf_counter()
    result = subprocess.run([PY, str(BUILD_ROOT / "tests/bench/pages_data.py"), "--units", str(UNITS), "--password",
                             PASSWORD], cwd=BUILD_ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return f"{result.stdout.strip()} (built in {time.perf_counter() - start:.0f} s)"


def start_servers():
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "zi_portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", WORKERS,
         "--worker-class", WORKER_CLASS, "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)  # no access log in the report
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "zi_portal", "worker", "-Q", "render", "-c", "1", "--loglevel", "WARNING"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
    import requests

    for _attempt in range(100):
        try:
            requests.get(f"{BASE}/akun/masuk/", timeout=10)
            break
        except requests.RequestException:
            time.sleep(0.3)
    return web, worker


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def rss_mb(process) -> float:
    """Resident memory of a process and its children (gunicorn master + workers, celery + pool)."""
    import psutil

    parent = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]) / 2**20


def session_for(username):
    """A client signed in as `username` (second factor verified where the user has one)."""
    import requests

    from tests.bench.sessions import signed_in_sessions

    session = requests.Session()
    session.cookies.set("sessionid", signed_in_sessions(username, 1)[0])
    return session


# --- which pages -------------------------------------------------------------------------


def plan_pages():
    """[(label, username, path, htmx)] for this checkout: the workspace pages when the app exists,
    else the single assessment page they replace (the "before" of docs/benchmarks.md)."""
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from areas.models import Assessment

    demo = Assessment.objects.get(unit__name="Balai Pelayanan Publik Demo", year__gte=2000, stage="reviu")
    heavy = Assessment.objects.get(unit__name="Unit Beban 5000 Bukti")
    questions = list(demo.instrument.questions.select_related("change_area").order_by("order"))
    by_area = {}
    for question in questions:
        by_area.setdefault(question.change_area.code.lower() if question.change_area else "hasil", []).append(question)
    largest = max(by_area, key=lambda slug: len(by_area[slug]))
    question = by_area[largest][0]
    pages = []
    try:
        overview = reverse("workspace:overview", args=[demo.code])
        workspace = True
    except NoReverseMatch:
        workspace = False
    if workspace:
        pages += [
            ("overview (TPI)", "tpi", overview, False),
            (f"largest area page ({largest.upper()}, {len(by_area[largest])} questions, TPI)", "tpi",
             reverse("workspace:area", args=[demo.code, largest]), False),
            ("question panel (htmx fragment, TPI)", "tpi", reverse("workspace:question", args=[demo.code,
                                                                                          question.path]), True),
            ("question page (no JavaScript, TPI)", "tpi",
             reverse("workspace:question", args=[demo.code, question.path]), False),
            ("overview, 5,000 evidence items (koordinator)", "koordinator",
             reverse("workspace:overview", args=[heavy.code]), False),
            ("largest area page, 5,000 evidence items (koordinator)", "koordinator",
             reverse("workspace:area", args=[heavy.code, largest]), False),
        ]
    else:
        assessment = reverse("areas:assessment", args=[demo.code])
        pages += [
            ("assessment page, all areas (TPI)", "tpi", assessment, False),
            (f"assessment page filtered to one area ({largest.upper()}, TPI)", "tpi",
             f"{assessment}?area={largest}", False),
            ("assessment page, 5,000 evidence items (koordinator)", "koordinator",
             reverse("areas:assessment", args=[heavy.code]), False),
        ]
    pages += [
        ("evidence page of one question (TPI)", "tpi", reverse("evidence:question", args=[demo.code, question.path]),
         False),
        ("unit dashboard (koordinator)", "koordinator", reverse("dashboards:unit", args=[demo.code]), False),
        (f"admin overview, {UNITS + 3} units (admin)", "admin", reverse("dashboards:overview"), False),
        ("floor: trivial login-required view (TPI)", "tpi", reverse("accounts:password-done"), False),
    ]
    if SKIP_HEAVY:
        pages = [page for page in pages if "5,000" not in page[0]]
    return pages, demo, workspace, largest


def count_queries(pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.bench.sessions import signed_in_client

    counts = {}
    clients = {}
    for label, username, path, htmx in pages:
        if username not in clients:
            clients[username] = signed_in_client(username)
        client = clients[username]
        headers = {"HX-Request": "true"} if htmx else {}
        client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, (label, response.status_code)
        counts[label] = len(queries.captured_queries)
    return counts


def time_pages(pages):
    sessions = {}
    rows = []
    for label, username, path, htmx in pages:
        if username not in sessions:
            sessions[username] = session_for(username)
        session = sessions[username]
        headers = {"HX-Request": "true"} if htmx else {}
        for _warm in range(3):
            session.get(BASE + path, headers=headers)
        timings = []
        size = 0
        for _run in range(RUNS):
            start = time.perf_counter()
            response = session.get(BASE + path, headers=headers)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
            size = len(response.content)
        timings.sort()
        rows.append((label, statistics.median(timings), timings[int(len(timings) * 0.95) - 1], size))
    return rows


# --- load test ---------------------------------------------------------------------------


def load_config(demo, workspace, largest, pages):
    from areas.models import OPTION_TYPES
    from scoring.models import Answer
    from tests.bench.sessions import signed_in_sessions

    questions = list(demo.instrument.questions.filter(answer_type__in=OPTION_TYPES).prefetch_related("options")
                     .order_by("order"))
    versions = dict(Answer.objects.filter(assessment=demo, side="tpi").values_list("question__path", "version"))
    lke = [path for label, _user, path, htmx in pages if label.startswith(("overview (", "largest area", "question",
                                                                             "assessment page"))
           and "5,000" not in label]
    return {
        "password": PASSWORD,
        "sessions": {"tpi": signed_in_sessions("tpi", LOAD_USERS), "koordinator": signed_in_sessions(
            "koordinator", LOAD_USERS)},
        "lke_pages": lke,
        "evidence_pages": [path for label, _u, path, _h in pages if label.startswith("evidence page")],
        "dashboard": next(path for label, _u, path, _h in pages if label.startswith("unit dashboard")),
        "answer_targets": [
            {"url": f"/nilai/{demo.code}/jawaban/{q.path}/tpi/", "options": [o.key for o in q.options.all()],
             "version": versions.get(q.path, 0)}
            for q in questions
        ],
        "upload_urls": [f"/bukti/penilaian/{demo.code}/pertanyaan/{q.path}/unggah/" for q in questions[:40]],
        "report_url": f"/laporan/penilaian/{demo.code}/minta/",
        "workspace": workspace,
        "largest": largest,
    }


def cpu_seconds(web, worker) -> dict[str, float]:
    """CPU time (user + system) used so far by the web server, the Celery worker and PostgreSQL's
    processes: where the two cores go during the load test."""
    import psutil

    def tree(process):
        parent = psutil.Process(process.pid)
        return [parent, *parent.children(recursive=True)]

    def used(processes):
        total = 0.0
        for proc in processes:
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    postgres = [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")]
    return {"web": used(tree(web)), "worker": used(tree(worker)), "postgres": used(postgres)}


def run_load(config, web, worker):
    config_path = TMP / "locust.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    before = (rss_mb(web), rss_mb(worker))
    cpu_before = cpu_seconds(web, worker)
    env = {**os.environ, "BENCH_LOCUST_CONFIG": str(config_path)}
    prefix = TMP / "locust"
    start = time.perf_counter()
    samples = []  # (seconds since start, web MB, worker MB) every 20 s: growth or a plateau
    stop_sampling = threading.Event()

    def sample():
        while not stop_sampling.wait(20):
            samples.append((time.perf_counter() - start, rss_mb(web), rss_mb(worker)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    subprocess.run(
        [PY, "-m", "locust", "-f", str(ROOT / "tests/bench/locustfile.py"), "--headless", "-u", str(LOAD_USERS),
         "-r", "5", "-t", f"{LOAD_SECONDS}s", "--host", BASE, "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=LOAD_SECONDS + 120)
    elapsed = time.perf_counter() - start
    stop_sampling.set()
    sampler.join()
    after = (rss_mb(web), rss_mb(worker))
    cpu_after = cpu_seconds(web, worker)
    cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        stats = list(csv.DictReader(handle))
    failures = []
    failures_path = Path(f"{prefix}_failures.csv")
    if failures_path.exists():
        with open(failures_path, encoding="utf-8") as handle:
            failures = list(csv.DictReader(handle))
    return stats, failures, before, after, elapsed, cpu, samples


# --- output ------------------------------------------------------------------------------


# The targets (docs/workspace.md): page label prefix -> (median ms, HTML KB or None).
PAGE_TARGETS = [
    ("overview (TPI)", 60, 150),
    ("largest area page (PW", 80, 300),
    ("question panel", 25, None),
    ("unit dashboard", 40, None),
    ("admin overview", 80, None),
]
MAX_RATIO = 15
PAGE_VIEWS = ("LKE page", "evidence page", "unit dashboard")


def print_targets(timings, load):
    """Each target against this run's numbers: met, or missed by how much."""
    floor = next(median for label, median, _p95, _size in timings if label.startswith("floor"))
    print("\n### Targets in this run\n")
    print("| target | measured | met? |")
    print("|---|---|---|")
    for prefix, limit_ms, limit_kb in PAGE_TARGETS:
        row = next((t for t in timings if t[0].startswith(prefix)), None)
        if row is None:
            continue
        label, median, _p95, size = row
        kb = size / 1024
        verdicts = ["yes" if median <= limit_ms else f"no, by {median - limit_ms:.1f} ms"]
        if limit_kb is not None:
            verdicts.append("size yes" if kb <= limit_kb else f"size no, by {kb - limit_kb:.0f} KB")
        ratio = median / floor
        verdicts.append(f"≤ {MAX_RATIO} × floor" if ratio <= MAX_RATIO else f"above {MAX_RATIO} × floor")
        target = f"{label}: ≤ {limit_ms} ms" + (f", ≤ {limit_kb} KB" if limit_kb else "")
        print(f"| {target} | {median:.1f} ms, {kb:.0f} KB, {ratio:.1f} × floor | {'; '.join(verdicts)} |")
    if load is None:
        return
    stats, _failures, _before, _after, _elapsed, _cpu, samples = load
    views = [row for row in stats if row["Name"] in PAGE_VIEWS]
    worst95 = max(float(row["95%"]) for row in views)
    worst99 = max(float(row["99%"]) for row in views)
    errors = sum(int(row["Failure Count"]) for row in stats)
    print(f"| load, page views: p95 ≤ 300 ms, p99 ≤ 1 s | worst p95 {worst95:.0f} ms, worst p99 {worst99:.0f} ms | "
          f"{'yes' if worst95 <= 300 and worst99 <= 1000 else 'no'} |")
    print(f"| load: 0 errors | {errors} | {'yes' if errors == 0 else 'no'} |")
    if len(samples) >= 3:
        # Growth after warm-up: the second half of the run against its middle sample.
        middle, last = samples[len(samples) // 2], samples[-1]
        web, worker = (last[1] - middle[1]) / middle[1] * 100, (last[2] - middle[2]) / middle[2] * 100
        print(f"| load: no memory growth (second half of the run) | web {middle[1]:.0f} → {last[1]:.0f} MB "
              f"({web:+.1f}%), worker {middle[2]:.0f} → {last[2]:.0f} MB ({worker:+.1f}%) | "
              f"{'yes' if max(web, worker) <= 2 else 'no'} |")


def print_report(data_note, timings, counts, load, loads):
    print("## Pages through gunicorn on PostgreSQL (LKE workspace, dashboards)\n")
    if not timings:
        print(f"Data: {data_note}. Page timing skipped (BENCH_PAGES=0).")
        timings = [("floor", 1.0, 1.0, 0)]
        counts = {"floor": 0}
    floor = next(median for label, median, _p95, _size in timings if label.startswith("floor"))
    print(f"gunicorn {WORKERS} `{WORKER_CLASS}` workers, DEBUG off, PostgreSQL, Redis and one Celery worker; "
          f"data: {data_note}. Median and 95th percentile of {RUNS} warm requests, one at a time, by a client "
          "on the same host (time to the last byte); queries counted on one more request in-process; ratio = "
          "median / the floor's median in this run. Load average of the host (1 min) when timing "
          f"started: {loads[0]:.1f}, after the load test: {loads[1]:.1f} (the host is shared; compare ratios "
          "to the floor across runs rather than milliseconds).\n")
    print("| page | median | p95 | × floor | queries | HTML |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, median, p95, size in timings:
        print(f"| {label} | {median:.1f} ms | {p95:.1f} ms | {median / floor:.1f} | {counts[label]} | "
              f"{size / 1024:.0f} KB |")
    if load is None:
        return
    stats, failures, before, after, elapsed, cpu, samples = load
    print(f"\n### Load: {LOAD_USERS} users for {LOAD_SECONDS} s (locust, 127.0.0.1)\n")
    print("Mix per request: 40% LKE pages, 20% evidence page, 15% unit dashboard, 10% upload (a real small "
          "PDF through the upload service), 10% TPI answer save (really written), 5% report request; "
          "think time 1–3 s.\n")
    print("| request | count | errors | p50 | p95 | p99 | max | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in stats:
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} ms | "
              f"{row['95%']} ms | {row['99%']} ms | {float(row['Max Response Time']):.0f} ms | "
              f"{float(row['Requests/s']):.2f} |")
    print(f"\nRSS (MB): web (gunicorn master + workers) {before[0]:.0f} → {after[0]:.0f}; "
          f"Celery worker {before[1]:.0f} → {after[1]:.0f}. Load phase took {elapsed:.0f} s.")
    if samples:
        print("\nRSS during the run (MB, every 20 s): web " + ", ".join(f"{web:.0f}" for _t, web, _w in samples)
              + "; worker " + ", ".join(f"{worker:.0f}" for _t, _web, worker in samples) + ".")
    total_requests = sum(int(row["Request Count"]) for row in stats if row["Name"] == "Aggregated")
    print(f"\nCPU used during the load phase (of {2 * elapsed:.0f} core-seconds on 2 cores): web "
          f"{cpu['web']:.0f} s, Celery worker {cpu['worker']:.0f} s, PostgreSQL {cpu['postgres']:.0f} s; "
          f"web CPU per request {1000 * cpu['web'] / max(total_requests, 1):.1f} ms.")
    if failures:
        print("\nFailures:\n")
        for row in failures[:10]:
            print(f"- {row['Method']} {row['Name']}: {row['Error'][:200]} ({row['Occurrences']}×)")


def main():
    total = time.perf_counter()
    log("bench_pages: building data …")
    data_note = prepare_database()
    subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True)
    pages, demo, workspace, largest = plan_pages()
    counts = count_queries(pages)
    web, worker = start_servers()
    loads = [os.getloadavg()[0]]
    try:
        log("bench_pages: servers up …")
        log("bench_pages: timing pages …")
        timings = time_pages(pages) if TIME_PAGES else []
        load = None
        if LOAD_SECONDS:
            log("bench_pages: load test …")
            load = run_load(load_config(demo, workspace, largest, pages), web, worker)
    finally:
        stop(web)
        stop(worker)
    loads.append(os.getloadavg()[0])
    print_report(data_note, timings, counts, load, loads)
    if timings:
        print_targets(timings, load)
    print(f"\n(bench_pages took {time.perf_counter() - total:.0f} s in all.)")
    for name in ("pages_before.md", "pages_notes.md"):
        notes = ROOT / "tests" / "bench" / name
        if notes.exists():
            print("\n" + notes.read_text(encoding="utf-8").strip())
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
