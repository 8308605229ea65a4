import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    UNIT = "unit", _("Jawaban unit")
    TPI = "tpi", _("Jawaban TPI")


class AnswerQuerySet(models.QuerySet):
    def for_assessment(self, assessment):
        return self.filter(assessment=assessment)

    def side(self, side):
        return self.filter(side=side)


def stored_value(option: str, counts, index):
    """A stored answer's columns as the scoring engine takes them; None when unanswered. Also for
    reads that fetch the columns without model instances (scoring.selectors.side_scores)."""
    if option:
        return option
    if counts is not None:
        return list(counts)
    if index is not None:
        return float(index)
    return None


class AnswerColumns:
    """What an answer's columns mean, shared by the Answer model and the lighter
    scoring.selectors.StoredAnswer (the same columns read without a model instance)."""

    __slots__ = ()

    @property
    def value(self):
        """The answer as the scoring engine takes it; None when unanswered."""
        return stored_value(self.option, self.counts, self.index)

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None


class Answer(AnswerColumns, models.Model):
    """One side's answer to one question of one assessment.

    Exactly one of option / counts / index holds the value, matching the question's answer
    type; all empty means unanswered. `version` grows by one with every saved change and is
    what optimistic concurrency compares (services.answer_set).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey("areas.Assessment", on_delete=models.CASCADE, related_name="answers",
                                   verbose_name=_("penilaian"))
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="answers",
                                 verbose_name=_("pertanyaan"))
    side = models.CharField(_("sisi"), max_length=4, choices=Side.choices)
    option = models.CharField(_("pilihan"), max_length=10, blank=True)
    # Counted inputs of a ratio question, in instrument order; None for an input not filled yet.
    counts = models.JSONField(_("isian jumlah"), null=True, blank=True)
    index = models.DecimalField(_("indeks survei"), max_digits=4, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    # Unit side only: the TPI returned the question to the unit (open while returned_at is set).
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    return_note = models.TextField(_("catatan pengembalian"), blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        ordering = ["assessment", "question__order", "side"]
        constraints = [
            # Also the index of the assessment page's query (every answer of one assessment).
            models.UniqueConstraint(fields=["assessment", "question", "side"], name="answer_one_per_question_side"),
            models.CheckConstraint(condition=Q(side__in=[s.value for s in Side]), name="answer_side_valid"),
            models.CheckConstraint(
                condition=(Q(option="") | (Q(counts__isnull=True) & Q(index__isnull=True)))
                & (Q(counts__isnull=True) | Q(index__isnull=True)),
                name="answer_single_value_kind",
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=True) | (Q(index__gte=0) & Q(index__lte=4)), name="answer_index_0_to_4"
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | (Q(side="unit") & ~Q(return_note="")),
                name="answer_return_unit_side_with_note",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.question.path} ({self.side})"


class HistoryAction(models.TextChoices):
    SET = "set", _("Jawaban disimpan")
    AGREE = "agree", _("Setuju dengan jawaban unit")
    RETURN = "return", _("Dikembalikan ke unit")


class AnswerHistory(models.Model):
    """Every change of an answer: who, when, old → new value, and the note given with it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=6, choices=HistoryAction.choices)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text=_("Versi jawaban setelah perubahan ini."))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("riwayat jawaban")
        verbose_name_plural = _("riwayat jawaban")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in HistoryAction]), name="answer_history_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.answer}: {self.old_value} → {self.new_value}"
