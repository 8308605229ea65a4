"""Evidence (bukti data dukung) for one question of one assessment, its file versions, its review
trail and the comment thread per question. The audit log is the audit app's.

Nothing here is ever deleted by a normal user: withdrawing an item hides it and keeps its versions.
Writes go through evidence/services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEvent  # noqa: F401  (the one audit trail; re-exported)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class EvidenceStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    DITERIMA = "diterima", _("Diterima")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")


# Statuses the team may still change (new version, edit, submit).
OPEN_STATUSES = (EvidenceStatus.DRAFT, EvidenceStatus.PERLU_PERBAIKAN)


class EvidenceQuerySet(models.QuerySet):
    def for_assessment(self, assessment):
        return self.filter(assessment=assessment)

    def for_question(self, question):
        return self.filter(question=question)

    def active(self):
        """Not withdrawn."""
        return self.filter(withdrawn=False)

    def withdrawn(self):
        return self.filter(withdrawn=True)

    def submitted(self):
        return self.active().filter(status=EvidenceStatus.DIAJUKAN)

    def accepted(self):
        return self.active().filter(status=EvidenceStatus.DITERIMA)

    def open(self):
        """Still with the team: draft or revision requested."""
        return self.active().filter(status__in=OPEN_STATUSES)


class Evidence(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        "areas.Assessment", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("penilaian")
    )
    question = models.ForeignKey(
        "areas.Question", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("pertanyaan")
    )
    kind = models.CharField(_("jenis"), max_length=4, choices=EvidenceKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    # Which of the question's expected documents this item fulfils (text copied from the list).
    expected_item = models.CharField(_("bukti yang dipenuhi"), max_length=500, blank=True)
    url = models.URLField(_("tautan"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EvidenceStatus.choices,
                              default=EvidenceStatus.DRAFT)
    withdrawn = models.BooleanField(_("ditarik"), default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("pemilik"))
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency for edits of the description fields: a stale edit is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EvidenceStatus.values), name="evidence_status_valid"),
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.LINK) & ~Q(url="")) | (Q(kind=EvidenceKind.FILE) & Q(url="")),
                name="evidence_link_has_url_file_has_none",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="evidence_title_not_empty"),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(withdrawn_at__isnull=False), name="evidence_withdrawn_has_time"
            ),
        ]
        indexes = [
            # Assessment page and question page: the items of one assessment, per question.
            models.Index(fields=["assessment", "question"], name="evidence_assessment_q_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE

    @property
    def is_open(self) -> bool:
        return not self.withdrawn and self.status in OPEN_STATUSES

    @property
    def audit_events(self):
        """This item's rows of the audit trail."""
        return AuditEvent.objects.filter(object_type=AUDIT_OBJECT_TYPE, object_id=str(self.code))


AUDIT_OBJECT_TYPE = "evidence"


class EvidenceVersion(models.Model):
    """One stored file of an item. Replacing a file adds a version; none is overwritten."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name=_("bukti"))
    number = models.PositiveSmallIntegerField(_("versi"))
    # Storage name, always evidence/<unit uuid>/<uuid><ext>; never the user's file name.
    file = models.FileField(_("berkas"), max_length=255)
    original_name = models.CharField(_("nama berkas asli"), max_length=255,
                                     help_text=_("Sudah dibersihkan; hanya untuk ditampilkan."))
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField(_("jenis isi"), max_length=120, help_text=_("Dideteksi dari isi berkas."))
    warnings = models.JSONField(_("catatan pemeriksaan"), default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("diunggah oleh"))
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("versi bukti")
        verbose_name_plural = _("versi bukti")
        ordering = ["evidence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_number_unique"),
            models.UniqueConstraint(fields=["file"], name="evidence_version_file_unique"),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_version_not_empty"),
            models.CheckConstraint(condition=Q(number__gte=1), name="evidence_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.evidence} v{self.number}"

    @property
    def previewable(self) -> bool:
        return self.content_type in PREVIEW_TYPES

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


# Shown inline to reviewers (PDF in a frame, images as images); everything else is downloaded.
PREVIEW_TYPES = ("application/pdf", "image/jpeg", "image/png")


class ReviewEvent(models.Model):
    """One status transition of an item: who, when, from what to what, and why."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="review_events")
    from_status = models.CharField(max_length=16, choices=EvidenceStatus.choices)
    to_status = models.CharField(max_length=16, choices=EvidenceStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat reviu")
        verbose_name_plural = _("riwayat reviu")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=EvidenceStatus.values), name="review_to_status_valid"),
            models.CheckConstraint(
                condition=~Q(to_status=EvidenceStatus.PERLU_PERBAIKAN) | ~Q(note=""),
                name="review_revision_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.evidence}: {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """The thread between the team and the TPI about one question of one assessment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.PROTECT, related_name="evidence_comments")
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("komentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]
        indexes = [
            # Question page thread and the comment counts on the assessment page.
            models.Index(fields=["assessment", "question"], name="comment_assessment_q_idx"),
        ]

    def __str__(self):
        return self.body[:60]
