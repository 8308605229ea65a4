"""Report jobs: "record first". A request creates a row; a Celery worker claims it, renders the
document to a file and marks the row done or failed. The browser polls the row, never Celery.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    RENCANA_AKSI = "rencana_aksi", _("Rencana aksi")
    MONEV = "monev", _("Monev")
    LKE = "lke", _("LKE")
    PORTALRB = "portalrb", _("Templat jawaban PortalRB")
    EVIDENCE_PACKAGE = "evidence_package", _("Paket bukti")
    DASHBOARD = "dashboard", _("Dasbor")
    # Not about one assessment: the audit trail as the requester sees it (docs/audit.md).
    AUDIT_TRAIL = "audit_trail", _("Jejak audit")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    ZIP = "zip", "ZIP"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


ACTIVE_STATUSES = (JobStatus.PENDING, JobStatus.RUNNING)


def job_fingerprint(*, kind: str, fmt: str, assessment_id: int | None, parameters: dict, requested_by_id: int) -> str:
    """Identical requests (same document, data, options and person) share one fingerprint."""
    payload = json.dumps([kind, fmt, assessment_id, parameters, requested_by_id], sort_keys=True,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


class ReportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(requested_by=user)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def downloadable(self, now=None):
        return self.filter(status=JobStatus.DONE, expires_at__gt=now or timezone.now()).exclude(file="")


class ReportJob(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No database check on kind: the renderer registry defines which kinds exist (the service
    # refuses anything else), and tests register kinds of their own.
    kind = models.CharField(_("jenis laporan"), max_length=30, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    # Empty for a document that is not about one assessment (the audit trail export): its scope is
    # what the requester may see, and its filters are in `parameters` (docs/audit.md).
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="report_jobs",
                                   verbose_name=_("penilaian"), null=True, blank=True)
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    detail = models.CharField(_("keterangan"), max_length=200, blank=True,
                              help_text=_("Pilihan laporan dalam kata-kata, untuk daftar laporan."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs",
                                     verbose_name=_("diminta oleh"))
    fingerprint = models.CharField(max_length=64)
    # Captured from the request: the requester's interface language (dates and numbers in the
    # document) and the portal address they used, for absolute links in exported files when
    # REPORT_SITE_URL is not set (docs/i18n.md, docs/usability.md).
    language = models.CharField(_("bahasa"), max_length=8, blank=True, default="")
    site_url = models.CharField(_("alamat portal"), max_length=200, blank=True, default="")
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    error = models.TextField(_("alasan gagal"), blank=True)
    # The Celery task (message) running the job; a redelivery of the same message may take over.
    task_id = models.CharField(max_length=64, blank=True)
    # Emptied when the file is purged after expires_at; the row stays for the history list.
    file = models.FileField(_("berkas"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"), null=True, blank=True)
    created_at = models.DateTimeField(_("diminta pada"), default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the rendering worker every REPORT_HEARTBEAT_SECONDS; a running job whose
    # heartbeat stops lost its worker (docs/operations.md).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("tersedia sampai"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Identical requests attach to the job already waiting or running.
            models.UniqueConstraint(fields=["fingerprint"], condition=Q(status__in=ACTIVE_STATUSES),
                                    name="report_job_one_active_per_fingerprint"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="report_job_status_valid"),
            models.CheckConstraint(condition=Q(format__in=ReportFormat.values), name="report_job_format_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status=JobStatus.FAILED) | ~Q(error=""),
                                   name="report_job_failed_has_reason"),
        ]
        indexes = [
            # "Laporan saya": one user's jobs, newest first.
            models.Index(fields=["requested_by", "-created_at"], name="report_job_user_created_idx"),
            # The sweeper: jobs waiting or running, by age.
            models.Index(fields=["status", "created_at"], name="report_job_status_created_idx"),
        ]

    def __str__(self):
        if self.assessment_id is None:
            return f"{self.get_kind_display()} ({self.format})"
        return f"{self.get_kind_display()} ({self.format}) — {self.assessment}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_unsent(self) -> bool:
        """Pending and never reached the queue: the broker was unreachable when it was requested."""
        return self.status == JobStatus.PENDING and self.enqueued_at is None

    def is_downloadable(self, now=None) -> bool:
        return (self.status == JobStatus.DONE and bool(self.file) and self.expires_at is not None
                and self.expires_at > (now or timezone.now()))

    @property
    def is_expired(self) -> bool:
        return self.status == JobStatus.DONE and not self.is_downloadable()

    @property
    def extension(self) -> str:
        return self.format

    def storage_name(self) -> str:
        """Deterministic: a retried job overwrites its own file, never anyone else's."""
        if self.assessment_id is None:
            return f"reports/{self.kind}/{self.code}.{self.extension}"
        return f"reports/{self.assessment.unit.code}/{self.code}.{self.extension}"
