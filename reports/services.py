"""Report jobs: request, claim, run, sweep, purge.

The lifecycle ("record first"):

- report_request creates the job row (or attaches to an identical one still waiting or running)
  and sends its id to the render queue once the transaction commits. If Redis is down the
  request still answers at once; the job stays pending and the sweeper sends it later.
- A worker's task calls report_run: report_claim moves the job to running with one conditional
  UPDATE, so two workers can never both run it, and counts the attempt. A job whose previous
  attempts (MAX_ATTEMPTS) all died with their worker is marked failed instead of run again.
- report_render re-checks that the requester may still see the data, renders to a temporary file,
  stores it under the job's deterministic name and marks the job done, or failed with a reason.
- While it renders, a heartbeat thread touches the job row; report_sweep (beat, every minute)
  re-sends jobs left pending, recovers jobs whose heartbeat stopped (their worker died), and
  removes temporary directories a killed render left behind; report_purge_expired (beat, hourly)
  deletes files past their expiry.
"""

import logging
import os
import shutil
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from audit import services as audit
from audit.models import AuditAction
from notifications.models import Kind
from notifications.services import notify

from . import audit_export
from .access import may_request
from .models import JobStatus, ReportFormat, ReportJob, ReportKind, job_fingerprint
from .renderers import RenderError, get_document
from .renderers.common import links_to
from .renderers.registry import ASSESSMENT

logger = logging.getLogger(__name__)
RENDER_TASK = "reports.tasks.render_report"  # the task in tasks.py registers under this name

MAX_ATTEMPTS = 3
SWEEP_BATCH = 200


def _reason_gave_up() -> str:
    return _("Laporan gagal setelah %(n)d percobaan: proses pembuat laporan terhenti setiap kali.") % {
        "n": MAX_ATTEMPTS}


# --- request -------------------------------------------------------------------------------


def report_request(*, user, assessment, kind: str, fmt: str, parameters: dict, language: str = "",
                   site_url: str = "") -> tuple[ReportJob, bool]:
    """The job for this request and whether it was created (False: attached to an identical one).

    Raises PermissionDenied when the user may not see the assessment, ValidationError for an
    unknown document or invalid options.
    """
    if not may_request(user, assessment):
        raise PermissionDenied(_("Anda tidak berwenang meminta laporan untuk penilaian ini."))
    document = get_document(kind, fmt)
    if document is None or document.scope != ASSESSMENT:
        raise ValidationError(_("Jenis laporan tidak dikenal."))
    parameters = document.clean_parameters(assessment, parameters or {})
    return _request_job(user=user, document=document, assessment=assessment, parameters=parameters,
                        detail=document.describe(parameters, assessment), unit_id=assessment.unit_id,
                        audit_data={"assessment": str(assessment.code)}, language=language, site_url=site_url)


def audit_export_request(*, user, filters, language: str = "", site_url: str = "") -> tuple[ReportJob, bool]:
    """An XLSX of the audit trail with the audit page's filters (reports/audit_export.py).

    Raises PermissionDenied unless the user may read the audit trail (administrator, koordinator),
    ValidationError for filters the page would not accept (e.g. a unit the user may not read).
    """
    if not audit_export.may_export(user):
        raise PermissionDenied(_("Ekspor jejak audit hanya untuk koordinator unit dan administrator."))
    document = get_document(ReportKind.AUDIT_TRAIL, ReportFormat.XLSX)
    parameters, unit = audit_export.clean_filters(user, filters)
    return _request_job(user=user, document=document, assessment=None, parameters=parameters,
                        detail=audit_export.describe(parameters, unit.name if unit else ""),
                        unit_id=unit.pk if unit else None, audit_data={"filters": parameters},
                        language=language, site_url=site_url,
                        frozen=lambda: {audit_export.UNTIL: audit_export.newest_event_id()})


def _request_job(*, user, document, assessment, parameters: dict, detail: str, unit_id, audit_data: dict,
                 language: str, site_url: str, frozen=None) -> tuple[ReportJob, bool]:
    """Create the job (recording the export) or attach to an identical one still waiting or running.
    frozen: parameters fixed when the job is created, outside the fingerprint (the audit export's
    newest event id)."""
    kind, fmt = document.kind, document.fmt
    fingerprint = job_fingerprint(kind=kind, fmt=fmt, assessment_id=assessment.pk if assessment else None,
                                  parameters=parameters, requested_by_id=user.pk)
    for _attempt in range(3):
        existing = ReportJob.objects.active().filter(fingerprint=fingerprint).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    kind=kind, format=fmt, assessment=assessment,
                    parameters={**parameters, **(frozen() if frozen else {})}, requested_by=user,
                    fingerprint=fingerprint, detail=detail[:200],
                    language=language if language in dict(settings.LANGUAGES) else "",
                    site_url=site_url[:200],
                )
                audit.record(
                    action=AuditAction.EXPORT, actor=user, unit_id=unit_id, object_type="report",
                    object_id=str(job.code), object_label=f"{document.title} ({fmt.upper()})", detail=job.detail,
                    data={**audit_data, "kind": kind, "format": fmt},
                )
                transaction.on_commit(lambda pk=job.pk: report_enqueue(pk))
        except IntegrityError:
            # An identical request committed its job between our look-up and insert: attach to it.
            continue
        return job, True
    raise IntegrityError("report_request: no active job found after three conflicting inserts")


def report_enqueue(job_id: int) -> bool:
    """Send the job to the render queue; False (logged, job left pending) when the broker is down."""
    # Looked up by its registered name (the one CELERY_TASK_ROUTES routes), so that services
    # never import tasks: tasks call services, not the other way round.
    render_report = current_app.tasks[RENDER_TASK]
    try:
        render_report.apply_async(args=[job_id])
    except OperationalError as exc:
        logger.warning("Laporan %s belum masuk antrean (broker tidak tersedia): %s", job_id, exc)
        return False
    ReportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(enqueued_at=timezone.now())
    return True


# --- claim and run -------------------------------------------------------------------------


def stale_after() -> timedelta:
    """A job running longer than this lost its worker: the hard time limit has killed it by then."""
    return timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)


def lost_worker(now) -> Q:
    """Running jobs whose worker is gone: the heartbeat stopped (or, for a row without one, the hard
    time limit has passed)."""
    heartbeat_cutoff = now - timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS)
    return Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=heartbeat_cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=now - stale_after()))


def report_claim(job_id: int, *, task_id: str = "") -> ReportJob | None:
    """Move the job to running for this task, counting the attempt; None if there is nothing to run.

    Claimable: pending; running whose heartbeat stopped (its worker died); or running under this
    same task id, which means the message was delivered again because the
    worker running it was lost (acks_late with reject_on_worker_lost). Each claim is one
    conditional UPDATE, so concurrent workers cannot both win.
    """
    now = timezone.now()
    claimable = Q(status=JobStatus.PENDING) | lost_worker(now)
    if task_id:
        claimable |= Q(status=JobStatus.RUNNING, task_id=task_id)
    jobs = ReportJob.objects.filter(claimable, pk=job_id)
    gave_up = jobs.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=JobStatus.FAILED, error=_reason_gave_up(), finished_at=now, expires_at=_expiry(now))
    if gave_up:
        logger.error("Laporan %s gagal setelah %d percobaan", job_id, MAX_ATTEMPTS)
        return None
    claimed = jobs.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, task_id=task_id,
        progress=0)
    if not claimed:
        return None
    return ReportJob.objects.select_related("assessment__unit", "assessment__instrument", "requested_by").get(
        pk=job_id)


def report_run(job_id: int, *, task_id: str = "") -> ReportJob | None:
    """Claim and render. Returns the job as it ended, or None if there was nothing to claim."""
    job = report_claim(job_id, task_id=task_id)
    if job is None:
        return None
    return report_render(job)


def report_render(job: ReportJob) -> ReportJob:
    """A claimed (running) job: check access, render to a temporary file, store, mark done or failed.

    Documents and failure reasons are in the requester's language (Indonesian unless they chose
    English); links inside point at REPORT_SITE_URL, else at the address the request came to.
    """
    with translation.override(job.language or settings.LANGUAGE_CODE), links_to(job.site_url):
        refusal = _access_refusal(job)
        if refusal:
            return _finish_failed(job, refusal)
        document = get_document(job.kind, job.format)
        if document is None:
            return _finish_failed(job, _("Jenis laporan ini tidak tersedia lagi."))
        tmp = None
        try:
            with Heartbeat(job):
                # The name carries the job and attempt, so the sweeper can tell a directory left by a
                # killed render from one in use.
                tmp = tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{job.pk}-{job.attempts}-", dir=render_tmp_dir())
                out_path = Path(tmp) / f"laporan.{job.extension}"
                document.renderer()(job, out_path, ProgressWriter(job))
                name, size = _store(job, out_path)
        except SoftTimeLimitExceeded:
            return _finish_failed(job, _("Pembuatan laporan melebihi batas waktu."))
        except RenderError as exc:
            return _finish_failed(job, str(exc))
        except Exception:
            logger.exception("Laporan %s (%s %s) gagal dibuat", job.pk, job.kind, job.format)
            return _finish_failed(job, _("Terjadi kesalahan saat membuat laporan. Coba lagi, atau hubungi "
                                         "administrator bila terulang."))
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
    now = timezone.now()
    with transaction.atomic():
        # Only this attempt may finish the job: one the sweeper handed to another worker is not ours.
        done = ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.DONE, progress=100, file=name, size=size, finished_at=now, expires_at=_expiry(now),
            error="")
        job.refresh_from_db()
        if done:
            _notify_ready(job)
    return job


def _notify_ready(job) -> None:
    """The requester hears that their document can be downloaded (docs/notifications.md)."""
    with translation.override("id"):
        what = job.detail or job.get_kind_display()
        if job.assessment_id is None:
            what = f"{job.get_kind_display()} ({what})"
        title = _("Laporan siap diunduh: %(what)s") % {"what": what}
        if job.assessment_id is None:  # the audit trail export: its list is on the audit page
            url, label, unit = reverse("audit:trail") + f"#tugas-{job.code}", str(job.get_kind_display()), None
        else:
            url, label, unit = reverse("reports:job", args=[job.code]), str(job.assessment), job.assessment.unit
        notify(recipients=[job.requested_by], kind=Kind.REPORT_READY, title=title,
               body=_("Berkas tersedia sampai %(when)s.") % {
                   "when": timezone.localtime(job.expires_at).strftime("%d-%m-%Y %H:%M")} if job.expires_at else "",
               url=url, object_label=label, unit=unit)


def _access_refusal(job) -> str:
    """Why the requester may no longer have this document made; "" when they may."""
    user = job.requested_by
    if not user.is_active:
        return _("Akun peminta laporan tidak aktif lagi.")
    if job.assessment_id is None:
        if not audit_export.may_export(user):
            return _("Peminta laporan tidak berhak melihat jejak audit lagi.")
    elif not may_request(user, job.assessment):
        return _("Peminta laporan tidak berhak melihat data unit ini.")
    return ""


class ProgressWriter:
    """The progress callback given to renderers: writes to the job row in steps of 5%."""

    def __init__(self, job):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.last = 0

    def __call__(self, percent) -> None:
        value = max(0, min(99, int(percent)))
        if value < self.last + 5:
            return
        self.last = value
        ReportJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, attempts=self.attempt).update(
            progress=value, heartbeat_at=timezone.now())


class Heartbeat:
    """While the block runs, a thread touches the job row every REPORT_HEARTBEAT_SECONDS, so the
    sweeper can tell a render in progress from one whose worker died. The thread has its own
    database connection and closes it when the block ends."""

    def __init__(self, job):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join(settings.REPORT_HEARTBEAT_SECONDS + 5)
        return False

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                try:
                    ReportJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, attempts=self.attempt).update(
                        heartbeat_at=timezone.now())
                except Exception:  # a missed beat is logged; the next one tries again
                    logger.exception("Laporan %s: detak gagal ditulis", self.job_id)
        finally:
            connection.close()


def _store(job, out_path: Path) -> tuple[str, int]:
    """Save under the job's own name, replacing what an earlier attempt of the same job left."""
    name = job.storage_name()
    if default_storage.exists(name):
        default_storage.delete(name)
    with out_path.open("rb") as handle:
        stored = default_storage.save(name, File(handle, name=name))
    return stored, out_path.stat().st_size


def _finish_failed(job, reason: str) -> ReportJob:
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.FAILED, error=reason, finished_at=now, expires_at=_expiry(now))
    job.refresh_from_db()
    return job


def _expiry(now):
    return now + timedelta(days=settings.REPORT_EXPIRY_DAYS)


# --- periodic ------------------------------------------------------------------------------


def report_sweep() -> dict:
    """Recover jobs whose worker died, re-send jobs still pending and remove temporary directories
    of dead renders. Returns what it did."""
    now = timezone.now()
    dead = ReportJob.objects.filter(lost_worker(now))
    failed = dead.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=JobStatus.FAILED, error=_reason_gave_up(), finished_at=now, expires_at=_expiry(now))
    # Jobs whose worker died go back to pending and are sent again in this same sweep.
    lost = list(dead.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)[:SWEEP_BATCH])
    recovered = ReportJob.objects.filter(lost_worker(now), pk__in=lost, attempts__lt=MAX_ATTEMPTS).update(
        status=JobStatus.PENDING, task_id="", enqueued_at=None)
    cutoff = now - timedelta(seconds=settings.REPORT_RESEND_AFTER_SECONDS)
    waiting = lost + list(
        ReportJob.objects.filter(status=JobStatus.PENDING).exclude(pk__in=lost)
        .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True, created_at__lt=cutoff))
        .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for job_id in waiting:
        if not report_enqueue(job_id):
            break  # the broker is still down; try again at the next sweep
        sent += 1
    removed = report_sweep_tmp()
    if failed or recovered or sent or removed:
        logger.info("Sapuan laporan: %d gagal, %d dipulihkan, %d dikirim ulang, %d direktori sementara dihapus",
                    failed, recovered, sent, removed)
    return {"failed": failed, "recovered": recovered, "sent": sent, "tmp_removed": removed}


TMP_PREFIX = "zi-laporan-"


def render_tmp_dir() -> str:
    """REPORT_TMP_DIR, or a directory of its own under the system's temporary directory, so that
    the sweeper only ever looks at directories the portal made."""
    path = settings.REPORT_TMP_DIR or os.path.join(tempfile.gettempdir(), "zi-portal-laporan")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def report_sweep_tmp() -> int:
    """Remove render directories in REPORT_TMP_DIR whose render is no longer running (a killed
    render cannot clean up after itself). A directory is kept while its job is running that same
    attempt with a live heartbeat; one whose name cannot be read is removed once it is older than
    the hard time limit. Runs on the host that runs the sweep and at every worker's start."""
    base = Path(render_tmp_dir())
    try:
        entries = [entry for entry in os.scandir(base) if entry.name.startswith(TMP_PREFIX) and entry.is_dir()]
    except FileNotFoundError:
        return 0
    if not entries:
        return 0
    now = timezone.now()
    live = set(ReportJob.objects.filter(status=JobStatus.RUNNING).exclude(lost_worker(now))
               .values_list("pk", "attempts"))
    removed = 0
    for entry in entries:
        parts = entry.name[len(TMP_PREFIX):].split("-")
        try:
            key = (int(parts[0]), int(parts[1]))
        except (IndexError, ValueError):
            key = None
        if key in live:
            continue
        if key is None and time.time() - entry.stat().st_mtime < settings.REPORT_STALE_AFTER_SECONDS:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed += 1
    return removed


def report_purge_expired() -> int:
    """Delete the files of jobs past their expiry; the rows stay for the history list."""
    purged = 0
    expired = ReportJob.objects.filter(expires_at__lt=timezone.now()).exclude(file="").only("pk", "file")
    for job in expired.iterator():
        default_storage.delete(job.file.name)
        purged += ReportJob.objects.filter(pk=job.pk).update(file="")
    return purged
