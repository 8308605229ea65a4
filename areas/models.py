import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import answer_types


class ChangeArea(models.Model):
    """The six areas of change, a fixed catalogue shared by every instrument (data migration)."""

    code = models.CharField(max_length=5, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("area perubahan")
        verbose_name_plural = _("area perubahan")
        ordering = ["number"]

    def __str__(self):
        return self.name


class AnswerType(models.TextChoices):
    YES_NO = answer_types.YES_NO, "Ya/Tidak"
    ABC = answer_types.ABC, "A/B/C"
    ABCD = answer_types.ABCD, "A/B/C/D"
    ABCDE = answer_types.ABCDE, "A/B/C/D/E"
    RATIO = answer_types.RATIO, _("Persentase dari isian jumlah")
    INDEX = answer_types.INDEX, _("Indeks survei (0–4)")


OPTION_TYPES = answer_types.OPTION_TYPES


class AreaThresholdMode(models.TextChoices):
    PARTS = "parts", _("Setiap bagian area (pemenuhan dan reform terpisah)")
    COMBINED = "combined", _("Gabungan pemenuhan dan reform per area")


class Instrument(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=300)
    regulation = models.CharField(_("regulasi"), max_length=200)
    year_from = models.PositiveSmallIntegerField(_("berlaku mulai tahun"), null=True, blank=True)
    status_note = models.TextField(_("catatan kelengkapan"), blank=True)
    sources = models.JSONField(_("sumber"), default=list, blank=True)
    area_threshold_mode = models.CharField(
        _("aturan ambang per area"), max_length=10, choices=AreaThresholdMode.choices,
        default=AreaThresholdMode.PARTS,
    )
    # SHA-256 of everything that affects scores (structure, weights, types, values, rules).
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instrumen LKE")
        verbose_name_plural = _("instrumen LKE")
        ordering = ["-year_from", "code"]

    def __str__(self):
        return self.regulation or self.code


class NodeKind(models.TextChoices):
    KOMPONEN = "komponen", _("Komponen")
    SUB_KOMPONEN = "sub_komponen", _("Sub-komponen")
    AREA = "area", _("Area")
    INDIKATOR = "indikator", _("Indikator")
    SUB_INDIKATOR = "sub_indikator", _("Sub-indikator")


class InstrumentNode(models.Model):
    """One node of an instrument's tree above the questions (komponen … sub-indikator)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    kind = models.CharField(max_length=20, choices=NodeKind.choices)
    code = models.CharField(max_length=10)
    path = models.CharField(max_length=60)
    name = models.CharField(max_length=300)
    weight = models.DecimalField(max_digits=8, decimal_places=4)
    # Set on area nodes and every node below them; None for hasil and the levels above areas.
    change_area = models.ForeignKey(ChangeArea, on_delete=models.PROTECT, null=True, blank=True)
    status = models.TextField(blank=True, help_text=_("Kosong jika terkonfirmasi; selain itu catatan asumsi."))
    note = models.TextField(blank=True)
    # Other wording units use for this node (rencana aksi import matching), from the instrument file.
    aliases = models.JSONField(_("nama lain"), default=list, blank=True)
    lke_row = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("simpul instrumen")
        verbose_name_plural = _("simpul instrumen")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "path"], name="node_path_unique_per_instrument"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="node_weight_not_negative"),
        ]

    def __str__(self):
        return f"{self.path} {self.name}"

    @property
    def is_unconfirmed(self) -> bool:
        return bool(self.status)


class Question(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    node = models.ForeignKey(InstrumentNode, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=10)
    path = models.CharField(max_length=60)
    text = models.TextField()
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices)
    criteria = models.TextField(blank=True)
    change_area = models.ForeignKey(ChangeArea, on_delete=models.PROTECT, null=True, blank=True)
    rule = models.JSONField(null=True, blank=True, help_text=_("Aturan nilai untuk isian jumlah dan indeks."))
    rule_text = models.TextField(blank=True)
    status = models.TextField(blank=True, help_text=_("Kosong jika terkonfirmasi; selain itu catatan asumsi."))
    expected_evidence = models.JSONField(
        _("bukti yang diharapkan"), default=list, blank=True,
        help_text=_("Daftar dokumen yang diharapkan sebagai bukti data dukung."),
    )
    equivalent_90_2021 = models.TextField(blank=True)
    lke_row = models.PositiveIntegerField(null=True, blank=True)
    portalrb_soal_id = models.PositiveIntegerField(null=True, blank=True)
    portalrb_excel_row = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField()


    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "path"], name="question_path_unique_per_instrument"),
            models.CheckConstraint(
                condition=Q(answer_type__in=[t.value for t in AnswerType]), name="question_answer_type_valid"
            ),
        ]

    def __str__(self):
        return f"{self.path} {self.text[:60]}"

    @property
    def is_unconfirmed(self) -> bool:
        return bool(self.status)


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=10)
    label = models.TextField()
    value = models.DecimalField(max_digits=6, decimal_places=4)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_unique_per_question"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=1), name="option_value_0_to_1"),
        ]

    def __str__(self):
        return f"{self.key}. {self.label[:60]}"


class QuestionInput(models.Model):
    """A counted input ("Jumlah …") of a ratio question; the question's rule refers to it by order."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="inputs")
    label = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField()
    lke_row = models.PositiveIntegerField(null=True, blank=True)
    portalrb_soal_id = models.PositiveIntegerField(null=True, blank=True)
    portalrb_excel_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="input_order_unique_per_question"),
        ]

    def __str__(self):
        return self.label


class Predicate(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class ThresholdKind(models.TextChoices):
    NODE_MIN = "node_min", _("Nilai minimum simpul")
    AREA_PCT = "area_pct", _("Persentase minimum setiap area")
    FACT = "fact", _("Prasyarat unit")


class ThresholdRule(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="thresholds")
    predicate = models.CharField(max_length=4, choices=Predicate.choices)
    kind = models.CharField(max_length=10, choices=ThresholdKind.choices)
    label = models.CharField(max_length=200)
    path = models.CharField(max_length=60, blank=True, help_text=_("Kosong berarti total nilai."))
    minimum = models.DecimalField(max_digits=8, decimal_places=4)
    fact = models.CharField(max_length=40, blank=True)
    confirmed = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("ambang predikat")
        verbose_name_plural = _("ambang predikat")
        ordering = ["instrument", "-predicate", "order"]  # WBK before WBBM

    def __str__(self):
        return f"{self.predicate}: {self.label} ≥ {self.minimum}"


class Stage(models.TextChoices):
    PEMBANGUNAN = "pembangunan", _("Pembangunan")
    MANDIRI = "mandiri", _("Penilaian mandiri")
    REVIU = "reviu", _("Reviu TPI")
    FINAL = "final", _("Final")


STAGE_ORDER = [Stage.PEMBANGUNAN, Stage.MANDIRI, Stage.REVIU, Stage.FINAL]


class AssessmentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage=Stage.FINAL)


class Assessment(models.Model):
    """One unit's ZI assessment for one year with one instrument."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="assessments",
                             verbose_name=_("unit kerja"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments",
                                   verbose_name=_("instrumen"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    stage = models.CharField(_("tahap"), max_length=12, choices=Stage.choices, default=Stage.PEMBANGUNAN)
    pembangunan_deadline = models.DateField(_("batas tahap pembangunan"), null=True, blank=True)
    mandiri_deadline = models.DateField(_("batas penilaian mandiri"), null=True, blank=True)
    reviu_deadline = models.DateField(_("batas reviu TPI"), null=True, blank=True)
    final_deadline = models.DateField(_("batas penetapan final"), null=True, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="next_assessments", verbose_name=_("penilaian tahun sebelumnya"))
    holds_wbk = models.BooleanField(_("unit telah berpredikat WBK"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_one_per_unit_year"),
            models.CheckConstraint(condition=Q(year__gte=2010) & Q(year__lte=2100), name="assessment_year_range"),
            models.CheckConstraint(condition=Q(stage__in=[s.value for s in Stage]), name="assessment_stage_valid"),
        ]
        indexes = [
            # Admin overview: every unit's assessment of one year.
            models.Index(fields=["year", "stage"], name="assessment_year_stage_idx"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    @property
    def is_final(self) -> bool:
        return self.stage == Stage.FINAL

    def deadline_for(self, stage: str):
        return getattr(self, f"{stage}_deadline")

    @property
    def current_deadline(self):
        return self.deadline_for(self.stage)

    def stage_deadlines(self):
        return [(Stage(s), self.deadline_for(s)) for s in STAGE_ORDER]


class StageChange(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("perubahan tahap")
        verbose_name_plural = _("perubahan tahap")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.assessment}: {self.from_stage} → {self.to_stage}"
