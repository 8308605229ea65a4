"""The audit trail: one append-only table of who did what to which object, when and from where
(docs/audit.md). Rows are written only through audit.services.record; nothing updates or deletes
them (the model refuses, the admin is read-only, and on PostgreSQL a trigger refuses too)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Masuk")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOGOUT = "logout", _("Keluar")
    DENIED = "denied", _("Akses ditolak")
    UPLOAD = "upload", _("Unggah berkas")
    LINK = "link", _("Tambah tautan")
    NEW_VERSION = "new_version", _("Versi baru")
    EDIT = "edit", _("Ubah keterangan bukti")
    WITHDRAW = "withdraw", _("Tarik bukti")
    STATUS = "status", _("Ubah status bukti")
    DOWNLOAD = "download", _("Unduh bukti")
    PREVIEW = "preview", _("Pratinjau bukti")
    ANSWER = "answer", _("Ubah jawaban")
    RETURN = "answer_return", _("Kembalikan pertanyaan ke unit")
    STAGE = "stage", _("Ubah tahap penilaian")
    EXPORT = "export", _("Minta laporan")
    REPORT_DOWNLOAD = "report_download", _("Unduh laporan")
    EVALUATOR_OPEN = "evaluator_open", _("Tautan evaluator dibuka")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    _raw_delete = delete


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("pengguna"))
    # The name as typed (failed sign-ins) or shown at the time, kept even without an account.
    actor_label = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    action = models.CharField(_("tindakan"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=30, blank=True)
    object_id = models.CharField(_("kode objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=300, blank=True)
    detail = models.CharField(_("rincian"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        indexes = [
            # The audit page: one unit's events, newest first.
            models.Index(fields=["unit", "-created_at"], name="audit_unit_time_idx"),
            # An object's history (the evidence item timeline).
            models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_idx"),
            # Filter by person.
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time_idx"),
            # Admin view of every unit, newest first.
            models.Index(fields=["-created_at"], name="audit_time_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
