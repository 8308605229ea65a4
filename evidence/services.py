"""Writes for evidence: uploads, links, versions, the review workflow, comments and the audit log.

Every function takes keyword arguments and runs in one transaction. Roles are checked by the
views (evidence/access.py); these functions keep the workflow and the data consistent.

Files: an upload is streamed through evidence.validation.check_upload into a temporary file,
stored under a generated name, and only then are the rows written. When anything fails nothing
remains: no row, no stored file, no temporary file.
"""

import logging
import os
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from core.concurrency import VersionConflict, is_current
from scoring import selectors as scoring_selectors

from . import matching, notify
from .models import (
    AUDIT_OBJECT_TYPE,
    OPEN_STATUSES,
    AuditAction,
    AuditEvent,
    Comment,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    EvidenceVersion,
    ReviewEvent,
)
from .scan import ScannerUnavailable, scan_file
from .validation import CheckedUpload, UploadPolicy, UploadRejected, check_upload

logger = logging.getLogger(__name__)


def upload_policy() -> UploadPolicy:
    return UploadPolicy(
        max_bytes=settings.EVIDENCE_MAX_BYTES,
        allowed_extensions=frozenset(settings.EVIDENCE_ALLOWED_EXTENSIONS),
        max_image_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS,
    )


def upload_tmp_dir() -> str:
    return settings.EVIDENCE_TMP_DIR or tempfile.gettempdir()


# --------------------------------------------------------------------------
# Items and versions
# --------------------------------------------------------------------------


def evidence_upload(*, assessment, question, user, upload, title: str = "", description: str = "",
                    document_date=None, expected_item: str = "", match_expected: bool = False,
                    ip_address: str | None = None) -> Evidence:
    """One uploaded file (anything with .name and .chunks()) becomes one new item in draft.

    match_expected (the quick upload, which asks nothing): the expected document is taken from the
    file name or title when they clearly name one; otherwise the item counts as "lainnya".
    """
    _ensure_writable(assessment, question)
    checked = _checked(upload)
    if match_expected and not expected_item:
        expected_item = matching.match_expected(question.expected_evidence, [title, checked.display_name])
    stored = _store(checked, assessment.unit)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                assessment=assessment, question=question, kind=EvidenceKind.FILE,
                title=(title or _title_from_name(checked.display_name))[:200], description=description,
                document_date=document_date, expected_item=expected_item, owner=user,
            )
            version = _add_version_row(evidence=evidence, checked=checked, stored=stored, user=user, number=1)
            _audit(evidence, user, AuditAction.UPLOAD, ip_address, version=version, detail=checked.display_name)
    except BaseException:
        _delete_stored(stored)
        raise
    return evidence


def evidence_add_version(*, evidence, user, upload, ip_address: str | None = None) -> EvidenceVersion:
    """Replace the file of an item still with the team: a new version; older ones are kept."""
    _ensure_writable(evidence.assessment, evidence.question)
    _ensure_open(evidence)
    if not evidence.is_file:
        raise ValidationError(_("Bukti berupa tautan tidak memiliki versi berkas."))
    checked = _checked(upload)
    stored = _store(checked, evidence.assessment.unit)
    try:
        with transaction.atomic():
            locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
            locked.assessment = evidence.assessment
            _ensure_open(locked)
            number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = _add_version_row(evidence=locked, checked=checked, stored=stored, user=user, number=number)
            _audit(locked, user, AuditAction.NEW_VERSION, ip_address, version=version,
                   detail=_("versi %(n)s: %(name)s") % {"n": number, "name": checked.display_name})
    except BaseException:
        _delete_stored(stored)
        raise
    return version


@transaction.atomic
def evidence_add_link(*, assessment, question, user, url: str, title: str, description: str = "",
                      document_date=None, expected_item: str = "", ip_address: str | None = None) -> Evidence:
    _ensure_writable(assessment, question)
    evidence = Evidence.objects.create(
        assessment=assessment, question=question, kind=EvidenceKind.LINK, url=url, title=title,
        description=description, document_date=document_date, expected_item=expected_item, owner=user,
    )
    _audit(evidence, user, AuditAction.LINK, ip_address, detail=url[:300])
    return evidence


@transaction.atomic
def evidence_update(*, evidence, user, title: str, description: str, document_date, expected_item: str,
                    expected_version: int | None = None, ip_address: str | None = None) -> Evidence:
    """Edit the description fields. expected_version is the version the user saw; a stale edit is
    refused (naming who changed it last) instead of overwriting."""
    _ensure_writable(evidence.assessment, evidence.question)
    assessment = evidence.assessment
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    evidence.assessment = assessment
    _ensure_open(evidence)
    if expected_version is not None and not is_current(evidence.version, expected_version):
        last = evidence.audit_events.select_related("actor").order_by("-id").first()
        raise VersionConflict(what=_("Bukti"), changed_by=last.actor if last else None, changed_at=evidence.updated_at)
    evidence.version += 1
    evidence.title = title
    evidence.description = description
    evidence.document_date = document_date
    evidence.expected_item = expected_item
    evidence.save(update_fields=["title", "description", "document_date", "expected_item", "version", "updated_at"])
    _audit(evidence, user, AuditAction.EDIT, ip_address, detail=title[:300])
    return evidence


@transaction.atomic
def evidence_withdraw(*, evidence, user, ip_address: str | None = None) -> Evidence:
    """Hide the item from lists and completeness; its versions and history stay."""
    _ensure_writable(evidence.assessment, evidence.question)
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    locked.assessment = evidence.assessment
    if locked.withdrawn:
        raise ValidationError(_("Bukti ini sudah ditarik."))
    locked.withdrawn = True
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn", "withdrawn_at"])
    _audit(locked, user, AuditAction.WITHDRAW, ip_address, detail=locked.title[:300])
    return locked


# --------------------------------------------------------------------------
# Review workflow: draft -> diajukan -> diterima | perlu_perbaikan -> diajukan ...
# --------------------------------------------------------------------------


@transaction.atomic
def evidence_submit(*, assessment, questions, user, ip_address: str | None = None) -> list[Evidence]:
    """Submit every open item of the given questions (one question, or all of an indicator).

    Blocked as a whole when a question answered positively by the unit has no evidence; the
    message names the question and the documents it expects.
    """
    questions = list(questions)
    active = Evidence.objects.for_assessment(assessment).active().filter(question__in=questions)
    with_evidence = set(active.values_list("question_id", flat=True))
    missing = [
        _missing_message(question) for question in questions
        if question.pk not in with_evidence
        and scoring_selectors.unit_answer_is_positive(assessment=assessment, question=question)
    ]
    if missing:
        raise ValidationError(missing)
    items = list(active.filter(status__in=OPEN_STATUSES).select_for_update().order_by("pk"))
    if not items:
        raise ValidationError(_("Tidak ada bukti berstatus draf atau perlu perbaikan untuk diajukan."))
    for evidence in items:
        evidence.assessment = assessment
        _transition(evidence, to_status=EvidenceStatus.DIAJUKAN, user=user, ip_address=ip_address)
    return items


@transaction.atomic
def evidence_accept(*, evidence, user, note: str = "", ip_address: str | None = None) -> Evidence:
    locked = _locked_for_review(evidence)
    _transition(locked, to_status=EvidenceStatus.DITERIMA, user=user, note=note.strip(), ip_address=ip_address)
    notify.review_decided(evidence=locked, user=user, note=note.strip(), accepted=True)
    return locked


@transaction.atomic
def evidence_request_revision(*, evidence, user, note: str, ip_address: str | None = None) -> Evidence:
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Catatan perbaikan wajib diisi."))
    locked = _locked_for_review(evidence)
    _transition(locked, to_status=EvidenceStatus.PERLU_PERBAIKAN, user=user, note=note, ip_address=ip_address)
    notify.review_decided(evidence=locked, user=user, note=note, accepted=False)
    return locked


@transaction.atomic
def comment_add(*, assessment, question, user, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Komentar tidak boleh kosong."))
    comment = Comment.objects.create(assessment=assessment, question=question, author=user, body=body)
    notify.comment_added(comment=comment, answer_authors=scoring_selectors.answer_authors(
        assessment=assessment, question=question))
    return comment


@transaction.atomic
def evidence_record_download(*, version, user, ip_address: str | None = None, preview: bool = False) -> AuditEvent:
    action = AuditAction.PREVIEW if preview else AuditAction.DOWNLOAD
    return _audit(version.evidence, user, action, ip_address, version=version,
                  detail=_("versi %(n)s") % {"n": version.number})


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _ensure_writable(assessment, question) -> None:
    if question.instrument_id != assessment.instrument_id:
        raise ValidationError(_("Pertanyaan ini bukan bagian dari instrumen penilaian."))


def _ensure_open(evidence) -> None:
    if evidence.withdrawn:
        raise ValidationError(_("Bukti ini sudah ditarik."))
    if evidence.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Bukti berstatus %(status)s tidak dapat diubah; hanya bukti draf atau perlu perbaikan.")
            % {"status": evidence.get_status_display().lower()}
        )


def _locked_for_review(evidence) -> Evidence:
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    locked.assessment = evidence.assessment
    if locked.withdrawn or locked.status != EvidenceStatus.DIAJUKAN:
        raise ValidationError(_("Hanya bukti berstatus diajukan yang dapat direviu."))
    return locked


def _transition(evidence, *, to_status, user, note: str = "", ip_address=None) -> None:
    from_status = evidence.status
    ReviewEvent.objects.create(evidence=evidence, from_status=from_status, to_status=to_status, actor=user,
                               note=note)
    evidence.status = to_status
    evidence.status_changed_at = timezone.now()
    evidence.save(update_fields=["status", "status_changed_at"])
    _audit(evidence, user, AuditAction.STATUS, ip_address,
           detail=f"{EvidenceStatus(from_status).label} → {EvidenceStatus(to_status).label}")


def _missing_message(question) -> str:
    expected = "; ".join(question.expected_evidence)
    if expected:
        return _("Pertanyaan %(path)s dijawab positif oleh unit tetapi belum memiliki bukti. "
                 "Bukti yang diharapkan: %(expected)s.") % {"path": question.path, "expected": expected}
    return _("Pertanyaan %(path)s dijawab positif oleh unit tetapi belum memiliki bukti. "
             "Unggah minimal satu bukti.") % {"path": question.path}


def _audit(evidence, user, action, ip_address, *, version=None, detail: str = "") -> AuditEvent:
    assessment = evidence.assessment
    data = {"assessment": str(assessment.code)}
    if version is not None:
        data.update(version=str(version.code), version_number=version.number)
    return audit.record(
        action=action, actor=user, unit_id=assessment.unit_id, object_type=AUDIT_OBJECT_TYPE,
        object_id=str(evidence.code), object_label=evidence.title, detail=detail, data=data,
        ip_address=ip_address or None,
    )


def _checked(upload) -> CheckedUpload:
    """Validate an upload into a temporary file; a refusal becomes a ValidationError."""
    try:
        checked = check_upload(name=upload.name or "", chunks=upload.chunks(), policy=upload_policy(),
                               tmp_dir=upload_tmp_dir())
    except UploadRejected as exc:
        raise ValidationError(exc.message) from None
    try:
        _scan(checked)
    except BaseException:
        try:
            os.remove(checked.path)
        except FileNotFoundError:
            pass
        raise
    return checked


def _scan(checked: CheckedUpload) -> None:
    """With CLAMD_SOCKET set, the bytes about to be stored go through clamd first (fail closed)."""
    if not settings.CLAMD_SOCKET:
        return
    try:
        found = scan_file(checked.path, address=settings.CLAMD_SOCKET, timeout=settings.CLAMD_TIMEOUT)
    except ScannerUnavailable:
        logger.exception("malware scanner unavailable; upload refused")
        raise ValidationError(
            _('Berkas "%(name)s" belum dapat diterima: pemindai virus tidak dapat dihubungi, sehingga '
              "berkas tidak diperiksa dan tidak disimpan. Coba lagi beberapa saat lagi; jika berulang, "
              "hubungi administrator.") % {"name": checked.display_name}) from None
    if found:
        logger.warning("upload %r refused: clamd found %s", checked.display_name, found)
        raise ValidationError(
            _('Berkas "%(name)s" ditolak: pemindai virus mendeteksi %(sig)s. Berkas tidak disimpan; periksa '
              "komputer asal berkas dan unggah salinan yang bersih.") % {"name": checked.display_name, "sig": found})


def _store(checked: CheckedUpload, unit) -> str:
    """Move the checked temporary file into storage under a generated name; returns the name."""
    name = f"evidence/{unit.code}/{uuid.uuid4()}{checked.extension}"
    try:
        with open(checked.path, "rb") as fh:
            return default_storage.save(name, File(fh, name=name))
    except BaseException:
        _delete_stored(name)
        raise
    finally:
        try:
            os.remove(checked.path)
        except FileNotFoundError:
            pass


def _delete_stored(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # the original error matters more; log this one
        logger.exception("could not delete stored evidence file %s", name)


def _add_version_row(*, evidence, checked: CheckedUpload, stored: str, user, number: int) -> EvidenceVersion:
    return EvidenceVersion.objects.create(
        evidence=evidence, number=number, file=stored, original_name=checked.display_name[:255],
        size=checked.size, sha256=checked.sha256, content_type=checked.content_type,
        warnings=checked.warnings, uploaded_by=user,
    )


def _title_from_name(display_name: str) -> str:
    stem = os.path.splitext(display_name)[0]
    return stem or display_name
