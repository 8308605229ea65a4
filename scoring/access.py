"""Who may answer what and when — the one place for it (docs/roles.md).

- Unit answers: tim kerja (own areas) and koordinator, during pembangunan and penilaian
  mandiri; during reviu TPI only for a question the TPI returned to the unit.
- TPI answers (and "setuju", "kembalikan ke unit"): the unit's TPI, during reviu TPI only.
- Pimpinan and administrators read only; nothing changes in a final assessment.
- Another unit's assessment answers 404, a forbidden change on a visible one 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import is_tpi_of, team_may_edit
from areas.access import get_assessment_for_user
from areas.models import Assessment, Question, Stage

from .models import Answer, Side

UNIT_STAGES = (Stage.PEMBANGUNAN, Stage.MANDIRI)


def answer_refusal(user, assessment, question, side, *, returned: bool) -> str:
    """Why the user may not change this side's answer now; "" when they may."""
    if assessment.is_final:
        return _("Penilaian sudah final; jawaban tidak dapat diubah.")
    if side == Side.UNIT:
        if not team_may_edit(user, assessment, question.change_area_id):
            return _("Jawaban unit untuk pertanyaan ini diisi oleh koordinator atau tim kerja area ini.")
        if assessment.stage in UNIT_STAGES or (assessment.stage == Stage.REVIU and returned):
            return ""
        return _(
            "Jawaban unit hanya dapat diubah pada tahap pembangunan dan penilaian mandiri, "
            "atau bila pertanyaan dikembalikan oleh TPI."
        )
    if not is_tpi_of(user, assessment.unit):
        return _("Jawaban TPI hanya diisi oleh TPI unit ini.")
    if assessment.stage != Stage.REVIU:
        return _("Jawaban TPI diisi pada tahap reviu TPI.")
    return ""


def is_returned(*, assessment, question) -> bool:
    return Answer.objects.filter(
        assessment=assessment, question=question, side=Side.UNIT, returned_at__isnull=False
    ).exists()


@dataclass
class AnswerTarget:
    assessment: Assessment
    question: Question
    side: str | None


def get_answer_target_for_user(request, assessment_code, question_path, side, write=True) -> AnswerTarget:
    """The assessment, question and side a request is about, after checking access.

    404: the assessment is not visible to the user, or the question or side does not exist.
    403 (write=True): the user may not change that side's answer now. side=None: both
    sides, for reading.
    """
    assessment = get_assessment_for_user(request, assessment_code)
    if side is not None and side not in Side.values:
        raise Http404(_("Sisi jawaban tidak dikenal."))
    question = get_object_or_404(
        Question.objects.select_related("change_area").prefetch_related("options", "inputs"),
        instrument=assessment.instrument, path=question_path,
    )
    if write:
        if side is None:
            raise ValueError("write access needs a side")
        returned = side == Side.UNIT and assessment.stage == Stage.REVIU and is_returned(
            assessment=assessment, question=question)
        refusal = answer_refusal(request.user, assessment, question, side, returned=returned)
        if refusal:
            raise PermissionDenied(refusal)
    return AnswerTarget(assessment=assessment, question=question, side=side)
