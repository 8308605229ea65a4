"""Who may see and change evidence. Every evidence view fetches its objects through these helpers.

Rules (docs/roles.md): whoever sees the assessment sees its evidence and may download
it; the tim kerja writes only on questions of their assigned areas, the koordinator on all; the
TPI of the unit reviews and comments but never uploads; pimpinan reads; another unit's objects
answer 404; a visible object the user may not change answers 403; nothing changes in a final
assessment.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import is_tpi_of, may_see_unit, membership_in, team_may_edit
from accounts.models import Role
from areas.access import get_assessment_for_user
from areas.models import InstrumentNode, NodeKind, Question

from .models import Evidence, EvidenceVersion

READ, WRITE, REVIEW, COMMENT = "read", "write", "review", "comment"


def may_see(user, assessment) -> bool:
    return may_see_unit(user, assessment.unit)


def may_upload(user, assessment, question) -> bool:
    """Unit-side writes on one question: new items, versions, edits, withdrawals, submissions."""
    return team_may_edit(user, assessment, question.change_area_id)


def may_review(user, assessment) -> bool:
    return not assessment.is_final and is_tpi_of(user, assessment.unit)


def may_comment(user, assessment, question) -> bool:
    return may_upload(user, assessment, question) or may_review(user, assessment)


def may_see_audit(user, assessment) -> bool:
    if user.is_portal_admin:
        return True
    membership = membership_in(user, assessment.unit)
    return membership is not None and membership.role == Role.KOORDINATOR


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_action(request, assessment, question, action: str) -> None:
    user = request.user
    if assessment.is_final and action != READ:
        raise PermissionDenied(_("Penilaian ini sudah final; bukti tidak dapat diubah."))
    if action == WRITE:
        _check(may_upload(user, assessment, question),
               _("Anda tidak berwenang mengubah bukti pada pertanyaan ini."))
    elif action == REVIEW:
        _check(may_review(user, assessment), _("Hanya TPI unit ini yang dapat mereviu bukti."))
    elif action == COMMENT:
        _check(may_comment(user, assessment, question),
               _("Anda tidak berwenang berkomentar pada pertanyaan ini."))


def get_question_for_user(request, assessment_code, path, write=False, comment=False) -> tuple:
    """(assessment, question) for the question at `path` of the assessment's instrument."""
    action = WRITE if write else COMMENT if comment else READ
    assessment = get_assessment_for_user(request, assessment_code)
    question = get_object_or_404(
        Question.objects.select_related("change_area", "node"), instrument=assessment.instrument, path=path
    )
    _check_action(request, assessment, question, action)
    return assessment, question


def get_indicator_for_user(request, assessment_code, path, write=False) -> tuple:
    """(assessment, indicator node); writing needs the right on the indicator's change area."""
    action = WRITE if write else READ
    assessment = get_assessment_for_user(request, assessment_code)
    indicator = get_object_or_404(
        InstrumentNode, instrument=assessment.instrument, path=path, kind=NodeKind.INDIKATOR
    )
    # An indicator and its questions share one change area (None for hasil).
    _check_action(request, assessment, indicator, action)
    return assessment, indicator


def get_evidence_for_user(request, code, write=False, review=False) -> Evidence:
    """An item; write: the team's rights on its question; review: the TPI's."""
    action = WRITE if write else REVIEW if review else READ
    evidence = get_object_or_404(
        Evidence.objects.select_related("assessment__unit", "assessment__instrument", "question__change_area",
                                        "owner"),
        code=code,
    )
    if not may_see(request.user, evidence.assessment):
        raise Http404(_("Bukti tidak ditemukan."))
    _check_action(request, evidence.assessment, evidence.question, action)
    return evidence


def get_version_for_user(request, code) -> EvidenceVersion:
    """A file version, for download or preview: anyone who sees the assessment."""
    version = get_object_or_404(
        EvidenceVersion.objects.select_related("evidence__assessment__unit", "evidence__question"), code=code
    )
    if not may_see(request.user, version.evidence.assessment):
        raise Http404(_("Berkas tidak ditemukan."))
    return version
