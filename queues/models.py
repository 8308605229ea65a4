"""The record that makes deadline reminders idempotent: one row per person, object and day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderRule(models.TextChoices):
    STAGE_H14 = "stage_h14", _("Tenggat tahap H-14")
    STAGE_H7 = "stage_h7", _("Tenggat tahap H-7")
    STAGE_H1 = "stage_h1", _("Tenggat tahap H-1")
    STAGE_OVERDUE = "stage_overdue", _("Tenggat tahap terlewati")
    PLAN_DUE = "plan_due", _("Rencana aksi jatuh tempo 7 hari lagi")
    PLAN_LATE = "plan_late", _("Rencana aksi terlambat")
    MONEV_CLOSING = "monev_closing", _("Periode monev segera ditutup")


class ReminderLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the reminder is about, e.g. "stage:<assessment uuid>:reviu", "plan:<uuid>", "monev:<uuid>".
    object_key = models.CharField(max_length=120)
    rule = models.CharField(max_length=16, choices=ReminderRule.choices)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "object_key", "day"], name="reminder_once_per_user_object_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.user} {self.object_key}"
