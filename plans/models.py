import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    BELUM = "belum", _("Belum dimulai")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")


class PlanItemQuerySet(models.QuerySet):
    def for_assessment(self, assessment):
        return self.filter(assessment=assessment)

    def late(self, today):
        """Not done and past the end of its target (the "terlambat" filter)."""
        return self.exclude(status=PlanStatus.SELESAI).filter(target_end__lt=today)

    def unfinished(self):
        return self.exclude(status=PlanStatus.SELESAI)


class PlanItem(models.Model):
    """One line of the rencana aksi: steps toward one indicator, with output, target and PIC."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="plan_items")
    # Empty only for an imported row whose indicator could not be matched ("perlu dilengkapi").
    indicator = models.ForeignKey("areas.InstrumentNode", on_delete=models.PROTECT, related_name="plan_items",
                                  verbose_name=_("indikator"), null=True, blank=True)
    # The indicator's change area, or the area an imported row named when its indicator is unknown.
    change_area = models.ForeignKey("areas.ChangeArea", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("area perubahan"))
    questions = models.ManyToManyField("areas.Question", blank=True, related_name="plan_items",
                                       verbose_name=_("pertanyaan terkait"))
    steps = models.TextField(_("langkah aksi"))
    output = models.TextField(_("output / bukti fisik"), blank=True)
    target_text = models.CharField(_("target"), max_length=200, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    target_start = models.DateField(null=True, blank=True)
    target_end = models.DateField(null=True, blank=True)
    pic = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="plan_items", verbose_name=_("PIC (anggota unit)"))
    pic_name = models.CharField(_("PIC (nama, jika tanpa akun)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.BELUM)
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    order = models.PositiveIntegerField(default=0)
    note = models.TextField(_("catatan"), blank=True)
    # What an import could not settle: [{"code": ..., "message": ...}]; see docs/plan-import.md.
    flags = models.JSONField(default=list, blank=True)
    plan_import = models.ForeignKey("PlanImport", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="items")
    # Fingerprint of the imported row, so importing the same file again adds nothing.
    import_key = models.CharField(max_length=80, blank=True)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="carried_to")
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="plan_items",
                                      verbose_name=_("bukti yang memenuhi"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: an edit based on an older version is refused, never overwrites.
    version = models.PositiveIntegerField(default=1)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["indicator__order", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_progress_at_most_100"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in PlanStatus]), name="plan_status_valid"),
            models.CheckConstraint(
                condition=Q(target_start__isnull=True) | Q(target_end__isnull=True)
                | Q(target_end__gte=models.F("target_start")),
                name="plan_target_end_after_start",
            ),
            models.UniqueConstraint(fields=["assessment", "import_key"], condition=~Q(import_key=""),
                                    name="plan_import_key_unique"),
        ]
        indexes = [
            # The rencana aksi page and the lateness filter of one assessment.
            models.Index(fields=["assessment", "status", "target_end"], name="plan_assessment_status_idx"),
        ]

    def __str__(self):
        return self.steps[:80]

    @property
    def needs_completion(self) -> bool:
        """Imported with something missing (indicator, area, time, steps): "perlu dilengkapi"."""
        return any(flag.get("blocking") for flag in self.flags or [])

    @property
    def pic_display(self) -> str:
        if self.pic_id:
            return self.pic.user.display_name
        return self.pic_name

    def is_late_on(self, today) -> bool:
        return self.status != PlanStatus.SELESAI and self.target_end is not None and self.target_end < today


class PeriodKind(models.TextChoices):
    MONTHLY = "bulanan", _("Bulanan")
    QUARTERLY = "triwulan", _("Triwulanan")


class MonevPeriod(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="monev_periods")
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    label = models.CharField(max_length=60)
    start = models.DateField()
    end = models.DateField()
    due_date = models.DateField(_("batas pengisian"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    class Meta:
        verbose_name = _("periode monev")
        verbose_name_plural = _("periode monev")
        ordering = ["assessment", "start"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "start"], name="monev_period_unique_start"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="monev_period_end_after_start"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PeriodEvent(models.Model):
    class Action(models.TextChoices):
        CLOSE = "tutup", _("Ditutup")
        REOPEN = "buka", _("Dibuka kembali")

    period = models.ForeignKey(MonevPeriod, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=5, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.period}: {self.get_action_display()}"


class MonevEntry(models.Model):
    """What happened to one plan item in one monev period."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(MonevPeriod, on_delete=models.CASCADE, related_name="entries")
    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="monev_entries")
    realisasi = models.TextField(_("realisasi"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    kendala = models.TextField(_("kendala"), blank=True)
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="monev_entries",
                                      verbose_name=_("bukti terkait"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("catatan monev")
        verbose_name_plural = _("catatan monev")
        ordering = ["period__start", "plan_item__order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "plan_item"], name="monev_entry_one_per_item_period"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="monev_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.period}: {self.plan_item}"


class PlanImport(models.Model):
    """An uploaded rencana aksi table waiting for confirmation (record first, then commit all rows)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Pratinjau")
        COMMITTED = "committed", _("Diimpor")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="plan_imports")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, blank=True)
    # The document as text (tables and paragraphs), so another column mapping needs no file.
    source = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # {"<table>": {"<column>": meaning}}
    rows = models.JSONField(default=list)
    skipped = models.JSONField(default=list, blank=True)  # paragraphs read but not imported, with why
    # Rows that will be "perlu dilengkapi" (the name is older than the flags).
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name


class ImportMapping(models.Model):
    """The column meanings a unit chose last, by column title, offered again on its next import."""

    unit = models.OneToOneField("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    columns = models.JSONField(default=dict)  # {normalised column title: meaning}
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.unit)
