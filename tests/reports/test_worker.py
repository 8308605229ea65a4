"""Report jobs against a real Redis and a real `celery worker` process, on PostgreSQL (CI's
PostgreSQL pass: DATABASE_URL and REDIS_URL set, `-m services`).

The worker runs tests/reports/worker_app.py: the project's app plus two test-only documents,
one that waits for the test's go-ahead (so the test can kill the worker's child mid-render) and
one that kills its own process every time.
"""

import os
import signal
import threading
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import User
from plans import services as plan_services
from reports import services, tasks
from reports.models import JobStatus, ReportJob
from tests.reports import worker_app
from tests.reports.conftest import use_broker
from tests.reports.workers import RedisServer, Worker, wait_for
from zi_portal.celery import app

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

JOB_TIMEOUT = 90  # seconds; only reached when something is broken


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    assert url, "the service tests need REDIS_URL (e.g. redis://127.0.0.1:6379/14)"
    return url


@pytest.fixture
def broker(redis_url):
    """The test process sends real messages to `url` (not eagerly), with empty queues first."""
    import redis

    previous = app.conf.task_always_eager, app.conf.broker_url

    def point_to(url, *, purge=True):
        app.conf.task_always_eager = False
        use_broker(app, url)
        if purge:
            redis.Redis.from_url(url).delete("render", "celery", "unacked", "unacked_index")
        return url

    yield point_to
    app.conf.task_always_eager = previous[0]
    use_broker(app, previous[1])


@pytest.fixture
def start_worker(tmp_path):
    """Start workers on demand; every one is stopped when the test ends."""
    started = []

    def start(url, **env):
        worker = Worker(url, tmp_path, **env)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


def wait_for_job(job, statuses=(JobStatus.DONE, JobStatus.FAILED), timeout=JOB_TIMEOUT, worker=None):
    def finished():
        job.refresh_from_db()
        return job.status in statuses

    try:
        wait_for(finished, timeout, f"job {job.pk} to reach {statuses}")
    except AssertionError:
        raise AssertionError(f"job {job.pk}: {job.status}, attempts {job.attempts}\n"
                             f"{worker.log()[-4000:] if worker else ''}") from None
    return job


def log_lines(directory):
    path = directory / "log.txt"
    return path.read_text().split("\n")[:-1] if path.exists() else []


def request(cast, kind, parameters=None, user=None):
    job, created = services.report_request(user=user or cast.koordinator, assessment=cast.assessment, kind=kind,
                                           fmt="pdf", parameters=parameters or {})
    assert created
    return job


# --- end to end ------------------------------------------------------------------------------


def test_a_job_completes_end_to_end(cast, broker, redis_url, start_worker):
    indicator = cast.assessment.instrument.nodes.get(path="A.I.1.i")
    plan_services.plan_item_create(assessment=cast.assessment, indicator=indicator, steps="Menyusun SK Tim Kerja",
                                   output="SK", target_text="Juni 2026", user=cast.koordinator)
    worker = start_worker(broker(redis_url))
    job = request(cast, "rencana_aksi")
    wait_for_job(job, worker=worker)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.progress == 100 and job.enqueued_at is not None
    assert default_storage.open(job.file.name).read(5) == b"%PDF-"


def test_ten_concurrent_identical_requests_make_one_job(cast, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "report_enqueue", sent.append)
    start = threading.Barrier(10)
    results, errors = [], []

    def ask():
        try:
            user = User.objects.get(pk=cast.koordinator.pk)  # one object per session, like separate requests
            start.wait(10)
            results.append(services.report_request(user=user, assessment=cast.assessment, kind="rencana_aksi",
                                                   fmt="pdf", parameters={}))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(results) == 10
    assert ReportJob.objects.count() == 1
    assert {job.pk for job, _created in results} == {ReportJob.objects.get().pk}
    assert sum(created for _job, created in results) == 1 and len(sent) == 1


# --- failures --------------------------------------------------------------------------------


def test_a_worker_child_killed_mid_render_completes_the_job_exactly_once(cast, broker, redis_url, start_worker,
                                                                         tmp_path):
    worker = start_worker(broker(redis_url))
    job = request(cast, worker_app.SLOW, {"dir": str(tmp_path)})
    started = wait_for(lambda: log_lines(tmp_path), 30, "the render to start")
    first_pid = int(started[0].split()[1])
    assert first_pid != worker.process.pid  # the pool's child, not the worker itself
    os.kill(first_pid, signal.SIGKILL)

    # The lost message goes back to the queue, a new child takes the job over (attempt 2).
    again = wait_for(lambda: len(log_lines(tmp_path)) >= 2 and log_lines(tmp_path), 30, "the second attempt")
    assert again[1].startswith("mulai") and int(again[1].split()[1]) != first_pid
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 2
    (tmp_path / "lanjut").touch()
    wait_for_job(job, worker=worker)
    assert job.status == JobStatus.DONE and job.attempts == 2
    time.sleep(2)  # room for a wrong extra run to show up
    lines = log_lines(tmp_path)
    assert [line.split()[0] for line in lines] == ["mulai", "mulai", "selesai"]
    assert default_storage.open(job.file.name).read() == b"%PDF-1.4 laporan uji\n"


def test_a_job_that_always_crashes_its_worker_fails_after_three_attempts(cast, broker, redis_url, start_worker,
                                                                         tmp_path):
    worker = start_worker(broker(redis_url))
    job = request(cast, worker_app.CRASH, {"dir": str(tmp_path)})
    wait_for_job(job, worker=worker)
    assert job.status == JobStatus.FAILED and job.attempts == 3
    assert "gagal setelah 3 percobaan" in job.error
    assert [line.split()[0] for line in log_lines(tmp_path)] == ["mulai", "mulai", "mulai"]
    assert worker.process.poll() is None  # the worker itself lives on


def test_a_request_while_redis_is_down_waits_and_the_sweeper_finishes_it(cast, broker, redis_server, start_worker):
    worker = start_worker(broker(redis_server.url))
    redis_server.stop()

    began = time.monotonic()
    job = request(cast, "rencana_aksi")
    assert time.monotonic() - began < 3
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.enqueued_at is None

    redis_server.start()  # the same port: the worker reconnects on its own
    wait_for(lambda: app.control.ping(timeout=1), 60, "the worker to reconnect")
    tasks.sweep_reports.delay()  # what beat sends every minute
    wait_for_job(job, worker=worker)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert default_storage.open(job.file.name).read(5) == b"%PDF-"


def test_a_job_whose_whole_worker_died_is_sent_again_by_the_sweeper_within_two_minutes(
        cast, broker, redis_url, start_worker, tmp_path, settings):
    """The worker's main process and its child are killed (a container or machine lost): no one
    puts the message back, so the job stays running until the sweeper sees its heartbeat stop."""
    settings.REPORT_HEARTBEAT_STALE_SECONDS = 4
    beats = {"REPORT_HEARTBEAT_SECONDS": "1", "REPORT_HEARTBEAT_STALE_SECONDS": "4"}
    first = start_worker(broker(redis_url), **beats)
    job = request(cast, worker_app.SLOW, {"dir": str(tmp_path)})
    wait_for(lambda: log_lines(tmp_path), 30, "the render to start")
    job.refresh_from_db()
    first_beat = job.heartbeat_at
    wait_for(lambda: ReportJob.objects.get(pk=job.pk).heartbeat_at > first_beat, 10, "a heartbeat while rendering")

    os.killpg(first.process.pid, signal.SIGKILL)
    killed = time.monotonic()
    first.process.wait(15)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1

    wait_for(lambda: services.report_sweep()["recovered"] == 1, 30, "the sweeper to see the heartbeat stop")
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.enqueued_at is not None  # re-sent at once
    second = start_worker(redis_url, **beats)
    wait_for(lambda: len(log_lines(tmp_path)) >= 2, 60, "the second attempt")
    (tmp_path / "lanjut").touch()
    wait_for_job(job, worker=second)
    assert job.status == JobStatus.DONE and job.attempts == 2
    # Beat sweeps every minute and the heartbeat goes stale in REPORT_HEARTBEAT_STALE_SECONDS, far
    # below the hard time limit the sweeper used to wait for.
    assert time.monotonic() - killed < 120
    assert settings.REPORT_HEARTBEAT_STALE_SECONDS + 60 < settings.REPORT_STALE_AFTER_SECONDS


def test_a_killed_render_leaves_a_temporary_directory_that_the_sweeper_removes(
        cast, broker, redis_url, start_worker, tmp_path, settings):
    render_tmp = tmp_path / "render-tmp"

    settings.REPORT_TMP_DIR = str(render_tmp)
    worker = start_worker(broker(redis_url), REPORT_TMP_DIR=str(render_tmp))
    job = request(cast, worker_app.SLOW, {"dir": str(tmp_path)})
    started = wait_for(lambda: log_lines(tmp_path), 30, "the render to start")
    [left] = list(render_tmp.iterdir())
    assert left.name.startswith(f"zi-laporan-{job.pk}-1-")
    (left / "laporan.pdf.part").write_bytes(b"x" * 4096)  # what a half-written document leaves
    os.kill(int(started[0].split()[1]), signal.SIGKILL)

    # The job is taken over (attempt 2); the directory of attempt 2 is in use and kept, the one of
    # the killed attempt 1 is removed.
    wait_for(lambda: len(log_lines(tmp_path)) >= 2, 30, "the second attempt")
    wait_for(lambda: len(list(render_tmp.iterdir())) == 2, 10, "the second render's directory")
    assert services.report_sweep()["tmp_removed"] == 1
    [kept] = list(render_tmp.iterdir())
    assert kept.name.startswith(f"zi-laporan-{job.pk}-2-")
    (tmp_path / "lanjut").touch()
    wait_for_job(job, worker=worker)
    assert job.status == JobStatus.DONE
    assert list(render_tmp.iterdir()) == []  # a finished render removes its own directory
