"""In-app notifications, each user's delivery preference per kind, and the e-mail state of each.

This app sits low in the layers: it knows users and units only. The object a notification is
about is stored as a link (a site-relative URL) and a label, so any app can notify about anything.
Rules: docs/notifications.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EVIDENCE_REVISION = "evidence_revision", _("Bukti perlu perbaikan")
    EVIDENCE_ACCEPTED = "evidence_accepted", _("Bukti diterima")
    COMMENT = "comment", _("Komentar pada pertanyaan")
    STAGE_CHANGED = "stage_changed", _("Tahap penilaian berubah")
    REPORT_READY = "report_ready", _("Laporan siap diunduh")
    PLAN_ASSIGNED = "plan_assigned", _("Rencana aksi ditugaskan kepada saya")
    TPI_DIFFERS = "tpi_differs", _("Jawaban TPI berbeda dari jawaban unit")
    REMINDER = "reminder", _("Pengingat tenggat")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail segera")
    DIGEST = "digest", _("Ringkasan harian lewat e-mail")
    IN_APP = "in_app", _("Hanya di aplikasi")


class EmailState(models.TextChoices):
    NONE = "none", _("Tanpa e-mail")
    PENDING = "pending", _("Menunggu dikirim")
    DIGEST = "digest", _("Menunggu ringkasan harian")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal dikirim")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    # Where the object lives, relative to the site (e.g. /bukti/item/<uuid>/), and what it is called.
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    object_label = models.CharField(_("objek"), max_length=300, blank=True)
    actor_name = models.CharField(_("oleh"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind_valid"),
            models.CheckConstraint(condition=Q(email_state__in=EmailState.values), name="notification_email_valid"),
        ]
        indexes = [
            # The bell's unread count and the inbox list of one user, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            # The daily digest: notifications still waiting for it.
            models.Index(fields=["email_state", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How one user wants one kind delivered. No row: the kind's default (e-mail immediately)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_user_kind"),
            models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="preference_delivery_valid"),
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.delivery}"
