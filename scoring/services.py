"""Writes of answers. Each function is one transaction that locks the answer row it changes.

Who may call them is decided before, by scoring.access (views) — these functions validate the
value, compare versions and keep the history.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit import services as audit
from audit.models import AuditAction
from core.concurrency import VersionConflict, is_current
from notifications.models import Kind
from notifications.services import notify

from . import engine
from .models import Answer, AnswerHistory, HistoryAction, Side
from .selectors import engine_instrument

INDEX_QUANTUM = Decimal("0.01")


class AnswerConflict(VersionConflict):
    """The answer changed since the user loaded it; nothing was saved."""

    def __init__(self, answer: Answer):
        self.answer = answer
        super().__init__(what=_("Jawaban"), changed_by=answer.updated_by, changed_at=answer.updated_at)


def _locked_answer(*, assessment, question, side) -> Answer:
    """The answer row, created empty if missing, then locked (SELECT … FOR UPDATE)."""
    answer, _created = Answer.objects.get_or_create(assessment=assessment, question=question, side=side)
    # No select_related here: after waiting for a lock, PostgreSQL re-reads the locked row but
    # not the joined ones, so a joined updated_by could be stale or missing.
    return Answer.objects.select_for_update().get(pk=answer.pk)


def _check_version(answer: Answer, expected_version) -> None:
    if not is_current(answer.version, expected_version):
        raise AnswerConflict(answer)


def _parse(*, assessment, question, value):
    """The engine's normalised answer (None = unanswered) or ValidationError in Indonesian."""
    try:
        return engine.parse_answer(engine_instrument(assessment.instrument), question.path, value)
    except engine.AnswerError as exc:
        raise ValidationError(str(exc), code="invalid_answer") from exc


def _store(answer: Answer, parsed) -> None:
    answer.option, answer.counts, answer.index = "", None, None
    if parsed is None:
        return
    if isinstance(parsed, str):
        answer.option = parsed
    elif isinstance(parsed, tuple):
        answer.counts = list(parsed)
    else:
        answer.index = Decimal(str(parsed)).quantize(INDEX_QUANTUM)


def _save_change(answer: Answer, *, user, action, old_value, now) -> Answer:
    answer.version += 1
    answer.updated_by = user
    answer.updated_at = now
    answer.save()
    AnswerHistory.objects.create(
        answer=answer, action=action, old_value=old_value, new_value=answer.value, note=answer.note,
        version=answer.version, changed_by=user, changed_at=now,
    )
    return answer


def _close_return(*, assessment, question) -> None:
    """A TPI answer on a returned question means the TPI has looked again: the return ends."""
    Answer.objects.filter(
        assessment=assessment, question=question, side=Side.UNIT, returned_at__isnull=False
    ).update(returned_at=None, returned_by=None, return_note="")


@transaction.atomic
def answer_set(*, assessment, question, side, user, value, note, expected_version) -> Answer:
    """Save one side's answer; refused (AnswerConflict) when based on a stale version.

    value: an option key, a list of counts (instrument order), or an index ("3,6" accepted);
    None or "" clears the answer. A save that changes nothing writes nothing.
    """
    parsed = _parse(assessment=assessment, question=question, value=value)
    answer = _locked_answer(assessment=assessment, question=question, side=side)
    _check_version(answer, expected_version)
    note = (note or "").strip()
    old_value, old_note = answer.value, answer.note
    _store(answer, parsed)
    answer.note = note
    if side == Side.TPI:
        _close_return(assessment=assessment, question=question)
    if answer.value == old_value and note == old_note:
        return answer
    saved = _save_change(answer, user=user, action=HistoryAction.SET, old_value=old_value, now=timezone.now())
    _audit(assessment, question, side, user, old_value, saved.value)
    if side == Side.TPI and saved.value != old_value:
        _notify_if_differs(assessment=assessment, question=question, tpi_answer=saved, user=user)
    return saved


def _notify_if_differs(*, assessment, question, tpi_answer, user) -> None:
    """The unit's koordinators hear when a TPI answer differs from the unit's (docs/notifications.md)."""
    unit_answer = Answer.objects.filter(assessment=assessment, question=question, side=Side.UNIT).first()
    unit_value = unit_answer.value if unit_answer else None
    if tpi_answer.value is None or unit_value is None or unit_value == tpi_answer.value:
        return
    koordinators = User.objects.filter(memberships__unit_id=assessment.unit_id,
                                       memberships__role=Role.KOORDINATOR)
    notify(recipients=list(koordinators), kind=Kind.TPI_DIFFERS,
           title=_("Jawaban TPI berbeda pada pertanyaan %(path)s") % {"path": question.path},
           body=_("Jawaban unit: %(unit)s. Jawaban TPI: %(tpi)s.") % {
               "unit": _display(unit_value), "tpi": _display(tpi_answer.value)}
           + (("\n" + _("Catatan TPI: %(note)s") % {"note": tpi_answer.note}) if tpi_answer.note else ""),
           url=reverse("workspace:question", args=[assessment.code, question.path]),
           object_label=question.path, unit=assessment.unit, actor=user)


def _display(value) -> str:
    if isinstance(value, list):
        return " / ".join("—" if v is None else str(v) for v in value)
    return str(value)


@transaction.atomic
def answer_agree(*, assessment, question, user, expected_version, unit_version, note="") -> Answer:
    """The TPI takes over the unit's answer as it was shown ("setuju dengan jawaban unit")."""
    unit_answer = Answer.objects.filter(assessment=assessment, question=question, side=Side.UNIT).first()
    if unit_answer is None or unit_answer.value is None:
        raise ValidationError(_("Unit belum menjawab pertanyaan ini; tidak ada jawaban untuk disetujui."))
    tpi_answer = _locked_answer(assessment=assessment, question=question, side=Side.TPI)
    _check_version(tpi_answer, expected_version)
    unit_answer = Answer.objects.select_for_update().get(pk=unit_answer.pk)
    _check_version(unit_answer, unit_version)
    old_value = tpi_answer.value
    _store(tpi_answer, _parse(assessment=assessment, question=question, value=unit_answer.value))
    tpi_answer.note = (note or "").strip() or _("Setuju dengan jawaban unit.")
    _close_return(assessment=assessment, question=question)
    saved = _save_change(tpi_answer, user=user, action=HistoryAction.AGREE, old_value=old_value, now=timezone.now())
    _audit(assessment, question, Side.TPI, user, old_value, saved.value)
    return saved


def _audit(assessment, question, side, user, old_value, new_value) -> None:
    audit.record(
        action=AuditAction.ANSWER, actor=user, unit_id=assessment.unit_id, object_type="answer",
        object_id=f"{assessment.code}:{question.path}"[:64], object_label=f"{question.path} ({Side(side).label})",
        detail=f"{_shown(old_value)} → {_shown(new_value)}",
        data={"assessment": str(assessment.code), "question": question.path, "side": side},
    )


def _shown(value) -> str:
    return "—" if value is None or value == "" else str(value)


@transaction.atomic
def question_return(*, assessment, question, user, note) -> Answer:
    """The TPI returns a question to the unit: its unit answer reopens during reviu TPI."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Catatan wajib diisi saat mengembalikan pertanyaan ke unit."), code="note_required")
    answer = _locked_answer(assessment=assessment, question=question, side=Side.UNIT)
    now = timezone.now()
    answer.returned_at, answer.returned_by, answer.return_note = now, user, note
    answer.save(update_fields=["returned_at", "returned_by", "return_note"])
    AnswerHistory.objects.create(
        answer=answer, action=HistoryAction.RETURN, old_value=answer.value, new_value=answer.value, note=note,
        version=answer.version, changed_by=user, changed_at=now,
    )
    audit.record(
        action=AuditAction.RETURN, actor=user, unit_id=assessment.unit_id, object_type="answer",
        object_id=f"{assessment.code}:{question.path}"[:64], object_label=f"{question.path} ({Side.UNIT.label})",
        detail=note, data={"assessment": str(assessment.code), "question": question.path, "side": Side.UNIT},
    )
    return answer
