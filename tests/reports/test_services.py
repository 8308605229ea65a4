"""Report jobs: request, dedupe, claim, run, sweep, purge (eager Celery, SQLite or PostgreSQL)."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership
from reports import services
from reports.models import JobStatus, ReportJob
from reports.renderers import Document, registry
from tests.reports.conftest import job_for, use_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_document(monkeypatch):
    """Register a throwaway document whose renderer is given by the test."""

    def add(kind, render, fmt="pdf"):
        document = Document(kind, fmt, "Uji", render, clean=lambda assessment, raw: dict(raw))
        monkeypatch.setitem(registry._documents, (kind, fmt), document)
        return document

    return add


def request(cast, kind="rencana_aksi", fmt="pdf", parameters=None, user=None):
    return services.report_request(user=user or cast.koordinator, assessment=cast.assessment, kind=kind, fmt=fmt,
                                   parameters=parameters or {})


# --- request ---------------------------------------------------------------------------------


def test_a_request_records_a_job_and_renders_it_after_commit(realistic, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, created = request(realistic)
    assert created and job.status == JobStatus.PENDING and len(callbacks) == 1
    callbacks[0]()  # the commit: the (eager) task runs now
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.progress == 100
    assert job.file.name == f"reports/{realistic.unit.code}/{job.code}.pdf"
    assert default_storage.open(job.file.name).read(5) == b"%PDF-"
    assert job.expires_at - job.finished_at == timedelta(days=7)


def test_nothing_is_sent_when_the_transaction_rolls_back(cast, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            request(cast)
            raise RuntimeError("batal")
    assert callbacks == [] and not ReportJob.objects.exists()


def test_identical_requests_attach_to_the_waiting_job(cast):
    jobs = {request(cast)[0].pk for _ in range(10)}
    assert len(jobs) == 1 and ReportJob.objects.count() == 1
    _job, created = request(cast)
    assert created is False


def test_requests_differing_in_format_options_or_person_get_their_own_job(realistic):
    october, september = str(realistic.plans.october.code), str(realistic.plans.september.code)
    request(realistic, "monev", "pdf", {"period": october})
    request(realistic, "monev", "pdf", {"period": september})
    request(realistic, "monev", "xlsx", {"period": october})
    request(realistic, "monev", "pdf", {"period": october}, user=realistic.pimpinan)
    request(realistic, "monev", "pdf", {"period": october, "unknown": "ignored"})  # same as the first
    assert ReportJob.objects.count() == 4


def test_a_finished_job_does_not_absorb_a_new_request(cast):
    job, _ = request(cast)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="x")
    again, created = request(cast)
    assert created and again.pk != job.pk


def test_the_database_allows_one_active_job_per_fingerprint(cast):
    job = job_for(cast, "rencana_aksi", "pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        job_for(cast, "rencana_aksi", "pdf")
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, file="x.pdf")
    job_for(cast, "rencana_aksi", "pdf")  # a finished one no longer counts


def test_it_refuses_people_who_cannot_see_the_assessment(cast):
    with pytest.raises(PermissionDenied):
        request(cast, user=cast.outsider)
    assert not ReportJob.objects.exists()


def test_it_refuses_unknown_documents_and_foreign_periods(cast, realistic):
    with pytest.raises(ValidationError):
        request(cast, kind="tidak_ada", fmt="pdf")
    with pytest.raises(ValidationError):
        request(cast, kind="rencana_aksi", fmt="zip")
    other_period = cast.other_assessment.monev_periods.create(kind="bulanan", label="Lain", start="2026-01-01",
                                                              end="2026-01-31", due_date="2026-02-10")
    for period in ("", "bukan-uuid", str(other_period.code)):
        with pytest.raises(ValidationError, match="periode monev"):
            request(cast, kind="monev", parameters={"period": period})
    assert not ReportJob.objects.exists()


def test_a_request_answers_at_once_when_the_broker_is_down(cast, eager, django_capture_on_commit_callbacks):
    eager.conf.task_always_eager = False
    previous = eager.conf.broker_url
    use_broker(eager, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        start = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            job, created = request(cast)
        elapsed = time.monotonic() - start
    finally:
        use_broker(eager, previous)
    job.refresh_from_db()
    assert created and job.status == JobStatus.PENDING and job.enqueued_at is None
    assert elapsed < 3


# --- claim and run ---------------------------------------------------------------------------


def test_a_job_is_claimed_once(cast):
    job = job_for(cast, "rencana_aksi", "pdf")
    first = services.report_claim(job.pk, task_id="satu")
    assert first is not None and first.status == JobStatus.RUNNING and first.attempts == 1
    assert services.report_claim(job.pk, task_id="dua") is None
    assert services.report_claim(job.pk) is None


def test_a_redelivered_message_takes_its_job_over(cast):
    """The same task id coming back means the worker running it was lost."""
    job = job_for(cast, "rencana_aksi", "pdf")
    services.report_claim(job.pk, task_id="pesan-1")
    again = services.report_claim(job.pk, task_id="pesan-1")
    assert again is not None and again.attempts == 2


def test_a_job_whose_worker_died_three_times_fails_instead_of_running_again(cast):
    job = job_for(cast, "rencana_aksi", "pdf")
    for attempt in range(1, 4):
        claimed = services.report_claim(job.pk, task_id="pesan-1")
        assert claimed.attempts == attempt  # ... and the worker dies each time
    assert services.report_claim(job.pk, task_id="pesan-1") is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gagal setelah 3 percobaan" in job.error


def test_a_running_job_whose_heartbeat_stopped_may_be_claimed(cast, settings):
    job = job_for(cast, "rencana_aksi", "pdf")
    services.report_claim(job.pk, task_id="mati")
    assert services.report_claim(job.pk, task_id="baru") is None
    # A long render with a live heartbeat is not taken over, however old its start.
    ReportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1))
    assert services.report_claim(job.pk, task_id="baru") is None
    ReportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS + 1))
    assert services.report_claim(job.pk, task_id="baru").attempts == 2


def test_a_running_job_without_a_heartbeat_may_be_claimed_after_the_hard_time_limit(cast, settings):
    job = job_for(cast, "rencana_aksi", "pdf")
    services.report_claim(job.pk, task_id="mati")
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=None, started_at=timezone.now() - timedelta(minutes=5))
    assert services.report_claim(job.pk, task_id="baru") is None
    ReportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1))
    assert services.report_claim(job.pk, task_id="baru").attempts == 2


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_touches_the_row_while_the_block_runs_and_stops_after(cast, settings):
    from tests.reports.workers import wait_for

    settings.REPORT_HEARTBEAT_SECONDS = 0.05
    job = services.report_claim(job_for(cast, "rencana_aksi", "pdf").pk, task_id="t")
    old = timezone.now() - timedelta(hours=1)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)

    def beat():
        return ReportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)

    with services.Heartbeat(job) as heartbeat:
        wait_for(lambda: beat() > old, 10, "a heartbeat")
    assert not heartbeat.thread.is_alive()
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    time.sleep(0.3)
    assert beat() == old

def test_the_task_refuses_data_the_requester_may_not_see(cast, eager):
    foreign = job_for(cast, "rencana_aksi", "pdf", user=cast.outsider)
    finished = services.report_run(foreign.pk)
    assert finished.status == JobStatus.FAILED and "tidak berhak" in finished.error and not finished.file

    job = job_for(cast, "rencana_aksi", "pdf", user=cast.timkerja)
    Membership.objects.filter(user=cast.timkerja).delete()  # removed from the unit after requesting
    cast.timkerja.__dict__.pop("_membership_cache", None)
    finished = services.report_run(job.pk)
    assert finished.status == JobStatus.FAILED and "tidak berhak" in finished.error


def test_a_renderer_refusal_is_shown_as_the_reason(realistic):
    job = job_for(realistic, "monev", "pdf", {"period": str(realistic.plans.october.code)})
    realistic.plans.october.delete()
    finished = services.report_run(job.pk)
    assert finished.status == JobStatus.FAILED and finished.error == "Periode monev tidak ditemukan pada penilaian ini."


def test_an_unexpected_error_fails_the_job_with_an_indonesian_reason(cast, test_document, caplog):
    def broken(job, out_path, progress):
        raise ZeroDivisionError("bug")

    test_document("uji_rusak", broken)
    job, _ = request(cast, kind="uji_rusak")
    finished = services.report_run(job.pk)
    assert finished.status == JobStatus.FAILED and "Terjadi kesalahan saat membuat laporan" in finished.error
    assert "ZeroDivisionError" in caplog.text


def test_progress_is_written_to_the_job_while_rendering(cast, test_document):
    seen = []

    def slow(job, out_path, progress):
        for percent in (3, 10, 12, 40, 100):
            progress(percent)
            seen.append(ReportJob.objects.get(pk=job.pk).progress)
        out_path.write_bytes(b"%PDF-1.4 uji")

    test_document("uji_progres", slow)
    job, _ = request(cast, kind="uji_progres")
    assert services.report_run(job.pk).progress == 100
    assert seen == [0, 10, 10, 40, 99]  # steps of 5%; 100 only once stored


def test_a_retried_job_replaces_its_own_file(cast, test_document):
    outputs = iter([b"%PDF-1 pertama", b"%PDF-2 kedua"])
    test_document("uji_ulang", lambda job, out_path, progress: out_path.write_bytes(next(outputs)))
    job, _ = request(cast, kind="uji_ulang")
    first = services.report_run(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)
    second = services.report_run(job.pk)
    assert first.file.name == second.file.name == job.storage_name()
    assert default_storage.open(second.file.name).read() == b"%PDF-2 kedua"
    assert default_storage.listdir(f"reports/{cast.unit.code}")[1] == [f"{job.code}.pdf"]


# --- sweeper and purge -----------------------------------------------------------------------


def test_the_sweeper_sends_jobs_left_pending(cast, eager, settings):
    settings.REPORT_RESEND_AFTER_SECONDS = 60
    waiting = job_for(cast, "rencana_aksi", "pdf")
    recent = job_for(cast, "rencana_aksi", "xlsx")
    ReportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert services.report_sweep() == {"failed": 0, "recovered": 0, "sent": 1, "tmp_removed": 0}
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert waiting.status == JobStatus.DONE and recent.status == JobStatus.PENDING


def test_the_sweeper_recovers_jobs_whose_worker_died(cast, eager, settings):
    settings.REPORT_RESEND_AFTER_SECONDS = 0
    long_ago = timezone.now() - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 5)
    dead = job_for(cast, "rencana_aksi", "pdf")
    hopeless = job_for(cast, "rencana_aksi", "xlsx")
    alive = job_for(cast, "rencana_aksi", "pdf", user=cast.pimpinan)
    stopped = timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS + 1)
    for job, attempts, beat in ((dead, 1, stopped), (hopeless, 3, stopped), (alive, 1, timezone.now())):
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=attempts, started_at=long_ago,
                                                   heartbeat_at=beat, created_at=long_ago, task_id="x")
    assert services.report_sweep() == {"failed": 1, "recovered": 1, "sent": 1, "tmp_removed": 0}
    for job in (dead, hopeless, alive):
        job.refresh_from_db()
    assert dead.status == JobStatus.DONE and dead.attempts == 2
    assert hopeless.status == JobStatus.FAILED and "gagal setelah 3 percobaan" in hopeless.error
    assert alive.status == JobStatus.RUNNING


def test_expired_files_are_purged_and_the_rows_kept(cast, eager):
    old = services.report_run(job_for(cast, "rencana_aksi", "pdf").pk)
    fresh = services.report_run(job_for(cast, "rencana_aksi", "xlsx").pk)
    ReportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.report_purge_expired() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.file.name == "" and not old.is_downloadable() and old.status == JobStatus.DONE
    assert not default_storage.exists(f"reports/{cast.unit.code}/{old.code}.pdf")
    assert fresh.is_downloadable() and default_storage.exists(fresh.file.name)


def test_render_tasks_go_to_their_own_queue_and_survive_a_lost_worker():
    from reports import tasks
    from zi_portal.celery import app

    route = app.amqp.router.route({}, tasks.render_report.name, args=[1], kwargs={})
    assert route["queue"].name == "render"
    assert app.amqp.router.route({}, tasks.sweep_reports.name, args=[], kwargs={})["queue"].name == "celery"
    assert tasks.render_report.acks_late and tasks.render_report.reject_on_worker_lost
    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {tasks.sweep_reports.name, tasks.purge_expired_reports.name} <= schedule
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
