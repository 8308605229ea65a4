"""Writes for pengusulan: facts with their documents, predicate history, proposals and snapshots,
PortalRB tokens, evaluator links and the access logs. Keyword arguments, one transaction each.
"""

import hashlib
import hmac
import os
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditAction
from core.concurrency import VersionConflict
from evidence.services import upload_policy, upload_tmp_dir
from evidence.validation import UploadRejected, check_upload

from . import rules, selectors
from .models import (
    INSTANSI_FACTS,
    UNIT_FACTS,
    ApiToken,
    EvaluatorAccess,
    EvaluatorAction,
    EvaluatorLink,
    InstansiFact,
    PredicateAward,
    Proposal,
    ProposalCategory,
    PullLog,
    Snapshot,
    UnitFact,
)

TOKEN_PREFIX = "zip"  # noqa: S105 - the public prefix of every token, not a secret


# --- supporting documents --------------------------------------------------------------------


def _store_document(upload, folder: str) -> dict:
    """Check an upload exactly as evidence is checked, store it privately, return the model fields."""
    try:
        checked = check_upload(name=upload.name, chunks=upload.chunks(), policy=upload_policy(),
                               tmp_dir=upload_tmp_dir())
    except UploadRejected as exc:
        raise ValidationError(exc.message) from None
    try:
        with open(checked.path, "rb") as handle:
            stored = default_storage.save(f"persyaratan/{folder}/{uuid.uuid4().hex}{checked.extension}",
                                          File(handle))
    finally:
        if os.path.exists(checked.path):
            os.remove(checked.path)
    return {"document": stored, "document_name": checked.display_name, "document_size": checked.size,
            "document_sha256": checked.sha256, "document_type": checked.content_type}


def _fact_values(kind: str, value: str) -> str:
    try:
        return rules.normalise(kind, value)
    except rules.InvalidValue as exc:
        raise ValidationError(str(exc)) from None


def fact_version(fact) -> str:
    """The version of a recorded fact a form sends back ("" when no value is recorded)."""
    return fact.version if fact is not None else ""


def _fact_save(model, *, lookup: dict, seen: str | None, values: dict, fields: dict):
    """Create or replace one fact under a row lock. `seen`: the version the user's form showed for
    this prerequisite (fact_version), or None for callers without a form (the demo, scripts); a
    fact changed since then is not overwritten (core.concurrency)."""
    try:
        with transaction.atomic():
            fact = model.objects.select_for_update().filter(**lookup).select_related("recorded_by").first()
            if seen is not None and seen != fact_version(fact):
                raise VersionConflict(what=_("Persyaratan"), changed_by=fact.recorded_by if fact else None,
                                      changed_at=fact.recorded_at if fact else None)
            if fact is None:
                fact = model(**lookup)
            for name, value in {**values, **fields}.items():
                setattr(fact, name, value)
            fact.save()
    except IntegrityError:  # created by someone else between our read and our insert
        if fields:
            default_storage.delete(fields["document"])
        raise ValidationError(_("Persyaratan ini baru saja diisi oleh pengguna lain. Muat ulang halaman, "
                                "periksa nilainya, lalu simpan lagi bila perlu."), code="conflict") from None
    except BaseException:
        if fields:
            default_storage.delete(fields["document"])
        raise
    return fact


def instansi_fact_set(*, instansi, year: int, kind: str, value: str, note: str = "", upload=None, user,
                      seen: str | None = None) -> InstansiFact:
    """Record (or replace) one yearly fact of an instansi; a new document replaces the old one."""
    if kind not in INSTANSI_FACTS:
        raise ValidationError(_("Persyaratan ini bukan data instansi."))
    value = _fact_values(kind, value)
    fields = _store_document(upload, str(instansi.code)) if upload else {}
    return _fact_save(InstansiFact, lookup={"instansi": instansi, "year": year, "kind": kind}, seen=seen,
                      values={"value": value, "note": note, "recorded_by": user, "recorded_at": timezone.now()},
                      fields=fields)


def unit_fact_set(*, assessment, kind: str, value: str, note: str = "", upload=None, user,
                  seen: str | None = None) -> UnitFact:
    if kind not in UNIT_FACTS:
        raise ValidationError(_("Persyaratan ini bukan data unit."))
    if assessment.is_final and not user.is_portal_admin:
        raise ValidationError(_("Penilaian sudah final; hanya administrator yang dapat mengubah persyaratan."))
    value = _fact_values(kind, value)
    fields = _store_document(upload, str(assessment.unit.code)) if upload else {}
    return _fact_save(UnitFact, lookup={"assessment": assessment, "kind": kind}, seen=seen,
                      values={"value": value, "note": note, "recorded_by": user, "recorded_at": timezone.now()},
                      fields=fields)


@transaction.atomic
def predicate_award_add(*, unit, year: int, predicate: str, sk_number: str, user) -> PredicateAward:
    sk_number = sk_number.strip()
    if not sk_number:
        raise ValidationError(_("Nomor SK wajib diisi."))
    if PredicateAward.objects.filter(unit=unit, year=year, predicate=predicate).exists():
        raise ValidationError(_("Predikat %(p)s tahun %(y)d sudah tercatat untuk unit ini.") % {
            "p": predicate, "y": year})
    return PredicateAward.objects.create(unit=unit, year=year, predicate=predicate, sk_number=sk_number,
                                         recorded_by=user)


# --- proposals and snapshots -----------------------------------------------------------------


def proposal_create(*, assessment, category: str, reason: str = "", user, check=None) -> Proposal:
    """Propose the unit for the year. Unmet prerequisites (WBK rules for WBK and WBK-afirmasi, WBBM
    rules for WBBM, plus the LKE predicate check) need a reason; the snapshot is frozen at once."""
    if category not in ProposalCategory.values:
        raise ValidationError(_("Pilih kategori usulan: WBK, WBK afirmasi atau WBBM."))
    check = check or selectors.checklist(assessment)
    rule_predicate = "WBBM" if category == ProposalCategory.WBBM else "WBK"
    unmet = check.unmet_labels(rule_predicate)
    reason = reason.strip()
    if unmet and not reason:
        raise ValidationError(_("Persyaratan %(p)s belum terpenuhi (%(list)s): tuliskan alasan pengusulan.") % {
            "p": rule_predicate, "list": "; ".join(unmet)})
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(assessment=assessment, category=category, reason=reason,
                                               unmet=unmet, proposed_by=user)
            snapshot_create(proposal=proposal, user=user, note=_("Snapshot saat pengusulan."))
            link_create(proposal=proposal, user=user)
    except IntegrityError:
        raise ValidationError(_("Unit ini sudah diusulkan untuk tahun %(y)d.") % {"y": assessment.year}) from None
    return proposal


@transaction.atomic
def snapshot_create(*, proposal, user, note: str = "") -> Snapshot:
    """Freeze the unit's answers (both sides) and evidence list now; PortalRB gets the newest."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("Usulan ini sudah ditarik."))
    number = (locked.snapshots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Snapshot.objects.create(
        proposal=locked, number=number, answers=selectors.live_answers(locked.assessment),
        evidence=selectors.live_evidence(locked.assessment), note=note, created_by=user,
    )


@transaction.atomic
def proposal_withdraw(*, proposal, user) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.withdrawn_at is None:
        proposal.withdrawn_at = timezone.now()
        proposal.save(update_fields=["withdrawn_at"])
        proposal.links.filter(revoked_at__isnull=True).update(revoked_at=proposal.withdrawn_at)
    return proposal


# --- PortalRB tokens -------------------------------------------------------------------------


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_issue(*, instansi, days: int | None = None, user=None, label: str = "") -> tuple[ApiToken, str]:
    """A new token for the instansi: (row, the secret to show once). Only its hash is stored."""
    days = settings.PORTALRB_TOKEN_DAYS if days is None else days
    if days < 1 or days > 3660:
        raise ValidationError(_("Masa berlaku token 1–3660 hari."))
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(instansi=instansi, label=label[:100], prefix=prefix,
                                    token_hash=token_hash(secret), created_by=user,
                                    expires_at=timezone.now() + timedelta(days=days))
    return token, secret


@transaction.atomic
def token_revoke(*, token) -> ApiToken:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def token_find(secret: str) -> ApiToken | None:
    """The token whose hash matches `secret` (compared in constant time), usable or not; None otherwise."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("instansi").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.token_hash, token_hash(secret)):
        return None
    return token


def token_touch(token) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def pull_record(*, token, instansi, endpoint: str, unit_id: str, status: int, error_code: str = "",
                ip_address: str | None = None) -> PullLog:
    return PullLog.objects.create(token=token, instansi=instansi, endpoint=endpoint, unit_id=unit_id[:80],
                                  status=status, error_code=error_code[:40], ip_address=ip_address)


# --- evaluator links -------------------------------------------------------------------------


@transaction.atomic
def link_create(*, proposal, user, days: int | None = None) -> EvaluatorLink:
    """A fresh link for the proposal; any earlier open link of it is revoked."""
    now = timezone.now()
    proposal.links.filter(revoked_at__isnull=True).update(revoked_at=now)
    days = settings.EVALUATOR_LINK_DAYS if days is None else days
    return EvaluatorLink.objects.create(proposal=proposal, created_by=user, expires_at=now + timedelta(days=days))


@transaction.atomic
def link_revoke(*, link) -> None:
    EvaluatorLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def links_revoke_all(*, instansi=None) -> int:
    """Revoke every open evaluator link (of one instansi's proposals, or of all)."""
    links = EvaluatorLink.objects.filter(revoked_at__isnull=True)
    if instansi is not None:
        links = links.filter(proposal__assessment__unit__instansi=instansi)
    return links.update(revoked_at=timezone.now())


AUDIT_OBJECT_LINK = "evaluator_link"


@transaction.atomic
def evaluator_record(*, link, question_path: str, action: str, version_code: str = "",
                     ip_address: str | None = None) -> EvaluatorAccess:
    """One open or download through an evaluator link: the proposal's own access log (shown on the
    proposal page) and the audit trail of the link's unit (docs/audit.md). `link` comes with
    proposal__assessment__unit selected, as portal.evaluator._resolve fetches it."""
    access = EvaluatorAccess.objects.create(link=link, question_path=question_path[:60], action=action,
                                            version_code=version_code, ip_address=ip_address)
    assessment = link.proposal.assessment
    opened = action == EvaluatorAction.OPEN
    audit.record(
        action=AuditAction.EVALUATOR_OPEN if opened else AuditAction.DOWNLOAD,
        unit_id=assessment.unit_id, object_type=AUDIT_OBJECT_LINK, object_id=str(link.code),
        object_label=f"Tautan evaluator {assessment.unit.name} {assessment.year}",
        detail=question_path if opened else f"{question_path} — versi {version_code}",
        data={"assessment": str(assessment.code), "question": question_path, "version": version_code},
        ip_address=ip_address,
    )
    return access
