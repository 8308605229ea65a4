"""Writes for the rencana aksi and monev. Each function is one transaction."""

import hashlib
import os
import tempfile
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from areas.models import ChangeArea
from core.concurrency import check_version
from core.dates import month_end, month_label, quarter_label
from evidence.validation import UploadPolicy, UploadRejected, check_upload
from notifications.models import Kind
from notifications.services import notify

from . import importing
from .importing import messages as import_messages
from .importing import pipeline
from .models import (
    ImportMapping,
    MonevEntry,
    MonevPeriod,
    PeriodEvent,
    PeriodKind,
    PlanImport,
    PlanItem,
    PlanStatus,
)


def _target_fields(target_text: str, year: int) -> dict:
    try:
        target = importing.parse_target(target_text, default_year=year)
    except importing.TargetError as exc:
        raise ValidationError({"target_text": str(exc)}) from exc
    return {"target_text": target.text, "target_label": target.label, "target_start": target.start,
            "target_end": target.end}


def _check_progress(status: str, progress: int) -> int:
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progres harus antara 0 dan 100.")})
    if status == PlanStatus.SELESAI:
        return 100
    return progress


def plan_status_for(status: str, progress: int) -> str:
    """The status that agrees with the progress: 100% is done, anything above 0 is running; at 0%
    the chosen status stands ("belum" or "berjalan"). docs/usability.md."""
    if status == PlanStatus.SELESAI or progress >= 100:
        return PlanStatus.SELESAI
    if progress > 0:
        return PlanStatus.BERJALAN
    return status


@transaction.atomic
def plan_item_create(*, assessment, indicator, steps, output, target_text, user, pic=None, pic_name="",
                     status=PlanStatus.BELUM, progress=0, questions=()) -> PlanItem:
    next_order = (PlanItem.objects.filter(assessment=assessment, indicator=indicator)
                  .aggregate(m=Max("order"))["m"] or 0) + 1
    item = PlanItem(
        assessment=assessment, indicator=indicator, change_area_id=indicator.change_area_id,
        steps=steps.strip(), output=output.strip(),
        pic=pic, pic_name="" if pic else pic_name.strip(), status=plan_status_for(status, progress),
        progress=_check_progress(status, progress), order=next_order, created_by=user,
        **_target_fields(target_text, assessment.year),
    )
    item.full_clean()
    item.save()
    item.questions.set(questions)
    _notify_assigned([item], user)
    return item


def _notify_assigned(items, user) -> None:
    """Each PIC with an account hears about the plan items newly assigned to them (one notification
    per person). Rules: docs/notifications.md."""
    by_pic: dict[int, list] = {}
    for item in items:
        if item.pic_id:
            by_pic.setdefault(item.pic_id, []).append(item)
    memberships = {m.pk: m for m in Membership.objects.filter(pk__in=by_pic).select_related("user", "unit")}
    for pic_id, assigned in by_pic.items():
        member = memberships[pic_id]
        first = assigned[0]
        if len(assigned) == 1:
            title = _("Rencana aksi ditugaskan kepada Anda: %(steps)s") % {"steps": first.steps[:120]}
            url = reverse("plans:item", args=[first.code])
        else:
            title = _("%(n)d rencana aksi ditugaskan kepada Anda") % {"n": len(assigned)}
            url = reverse("plans:list", args=[first.assessment.code]) + f"?pic={member.code}"
        body = "\n".join(f"- {item.steps[:120]} ({item.target_label or item.target_text})" for item in assigned[:20])
        notify(recipients=[member.user], kind=Kind.PLAN_ASSIGNED, title=title, body=body, url=url,
               object_label=first.steps[:120], unit=member.unit, actor=user)


@transaction.atomic
def plan_item_update(*, item: PlanItem, user, expected_version: int, **fields) -> PlanItem:
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    check_version(current=item.version, expected=expected_version, what=_("Rencana aksi"),
                  changed_by=item.updated_by or item.created_by, changed_at=item.updated_at)
    old_pic = item.pic_id
    questions = fields.pop("questions", None)
    if "target_text" in fields:
        fields.update(_target_fields(fields["target_text"], item.assessment.year))
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.pic_id:
        item.pic_name = ""
    if item.indicator_id:
        item.change_area_id = item.indicator.change_area_id
    if item.flags and item.indicator_id and item.target_end:
        item.flags = []  # completed in place: an indicator and a readable time now
    item.progress = _check_progress(item.status, item.progress)
    item.status = plan_status_for(item.status, item.progress)
    item.version += 1
    item.updated_by = user
    item.full_clean()
    item.save()
    if questions is not None:
        item.questions.set(questions)
    if item.pic_id and item.pic_id != old_pic:
        _notify_assigned([item], user)
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem) -> None:
    if item.monev_entries.exists():
        raise ValidationError(_("Rencana aksi ini sudah memiliki catatan monev; ubah statusnya, jangan dihapus."))
    item.delete()


@transaction.atomic
def plan_item_move(*, item: PlanItem, direction: str) -> None:
    """Swap the item with its neighbour under the same indicator ("up" or "down")."""
    siblings = list(PlanItem.objects.select_for_update()
                    .filter(assessment=item.assessment, indicator=item.indicator).order_by("order", "id"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            sibling.save(update_fields=["order"])


# --- import -------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# The same checks as evidence uploads (type sniffed from the bytes, zip bombs, macros), for the two
# formats a rencana aksi comes in.
IMPORT_POLICY = UploadPolicy(max_bytes=MAX_IMPORT_BYTES, allowed_extensions=frozenset({".xlsx", ".docx"}))


def _indicator_refs(assessment):
    from areas.selectors import instrument_data

    return importing.indicator_refs_from_instrument(instrument_data(assessment.instrument))


def _read_upload(upload) -> tuple[importing.Document, str]:
    """The checked upload read as a document, and its SHA-256; ValidationError (Indonesian) if not."""
    tmp_dir = settings.EVIDENCE_TMP_DIR or tempfile.gettempdir()
    try:
        checked = check_upload(name=getattr(upload, "name", "") or "berkas", chunks=upload.chunks(),
                               policy=IMPORT_POLICY, tmp_dir=tmp_dir)
    except UploadRejected as exc:
        raise ValidationError(exc.message) from exc
    try:
        with open(checked.path, "rb") as file:
            return importing.read_document(file), checked.sha256
    except importing.TableError as exc:
        raise ValidationError(str(exc)) from exc
    finally:
        os.remove(checked.path)


def _remembered_columns(unit) -> dict:
    mapping = ImportMapping.objects.filter(unit=unit).first()
    return mapping.columns if mapping else {}


def _analyse(plan_import: PlanImport, *, mapping=None) -> None:
    """Read the stored document with the mapping and fill the preview's rows (nothing saved here)."""
    assessment = plan_import.assessment
    document = importing.Document.from_json(plan_import.source["document"])
    refs = _indicator_refs(assessment)
    try:
        result = pipeline.read_rows(document, refs=refs, year=assessment.year, mapping=mapping,
                                    remembered=_remembered_columns(assessment.unit))
    except ValueError as exc:
        raise ValidationError(_("Pemetaan kolom tidak valid.")) from exc
    if not result.rows:
        raise ValidationError(_(
            "Tidak ada baris rencana aksi yang terbaca di %(f)s: tidak ada tabel dengan judul kolom seperti "
            "INDIKATOR, LANGKAH AKSI/KEGIATAN, dan tidak ada kerangka bernomor dengan judul area (I. Manajemen "
            "Perubahan, II. Penataan Tatalaksana, ...).") % {"f": plan_import.file_name or _("teks")})
    if len(result.rows) > MAX_IMPORT_ROWS:
        raise ValidationError(_("Berkas berisi %(n)d baris rencana aksi, lebih dari %(max)d. Bagi menjadi beberapa "
                                "berkas lalu impor satu per satu.") % {"n": len(result.rows), "max": MAX_IMPORT_ROWS})
    rows = pipeline.analyse(result.rows, refs=refs, year=assessment.year)
    for row in rows:
        row["messages"] = [import_messages.message(row["row"], code, params) for code, params in row["flags"]]
        row["short"] = [import_messages.short(code) for code, _params in row["flags"]]
    plan_import.rows = rows
    plan_import.error_count = sum(1 for row in rows if row["needs_completion"])
    plan_import.skipped = [list(item) for item in result.skipped]
    plan_import.mapping = {str(layout.grid_index): {str(c.index): c.guess for c in layout.columns}
                           for layout in result.layouts}
    plan_import.source["layouts"] = [
        {"grid": layout.grid_index, "name": layout.name,
         "columns": [{"index": c.index, "header": c.header} for c in layout.columns]}
        for layout in result.layouts
    ]


@transaction.atomic
def plan_import_preview(*, assessment, user, upload=None, text: str = "", mapping=None) -> PlanImport:
    """Read an upload (XLSX/DOCX) or a pasted text, guess the columns, match every row and record
    the preview; nothing is imported yet."""
    if upload is not None:
        document, sha256 = _read_upload(upload)
        name = (getattr(upload, "name", "") or "")[:200]
    else:
        if not text.strip():
            raise ValidationError(_("Teks rencana aksi kosong."))
        document = importing.read_text(text)
        sha256, name = hashlib.sha256(text.encode()).hexdigest(), ""
    plan_import = PlanImport(assessment=assessment, file_name=name, sha256=sha256, uploaded_by=user,
                             source={"document": document.to_json()})
    _analyse(plan_import, mapping=mapping)
    plan_import.save()
    return plan_import


@transaction.atomic
def plan_import_remap(*, plan_import: PlanImport, mapping: dict) -> PlanImport:
    """Read the same document again with the columns the user chose."""
    plan_import = PlanImport.objects.select_for_update().select_related("assessment__unit").get(pk=plan_import.pk)
    if plan_import.status != PlanImport.Status.PREVIEW:
        raise ValidationError(_("Impor ini sudah diproses."))
    _analyse(plan_import, mapping=mapping)
    plan_import.save()
    return plan_import


def _date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def plan_import_commit(*, plan_import: PlanImport, user) -> PlanImport:
    """Create an item for every row of the preview in one transaction; rows already imported from
    the same content are left out. Rows with flags are created "perlu dilengkapi"."""
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.status != PlanImport.Status.PREVIEW:
        raise ValidationError(_("Impor ini sudah diproses."))
    assessment = plan_import.assessment
    if assessment.is_final:
        raise ValidationError(_("Penilaian ini sudah final; rencana aksi tidak dapat diimpor."))
    indicators = {n.path: n for n in assessment.instrument.nodes.all()}
    areas = {a.code: a for a in ChangeArea.objects.all()}
    members = {m.user.display_name.lower(): m for m in assessment.unit.memberships.select_related("user")}
    existing = set(PlanItem.objects.filter(assessment=assessment).exclude(import_key="")
                   .values_list("import_key", flat=True))
    orders = dict(PlanItem.objects.filter(assessment=assessment).values("indicator_id")
                  .annotate(m=Max("order")).values_list("indicator_id", "m"))
    items, duplicates = [], 0
    for row in plan_import.rows:
        if row["key"] in existing:
            duplicates += 1
            continue
        existing.add(row["key"])
        indicator = indicators.get(row["indicator"]) if row["indicator"] else None
        area = areas.get(row["area"]) if row["area"] else None
        key = indicator.pk if indicator else None
        orders[key] = (orders.get(key) or 0) + 1
        pic = members.get(row["pic"].strip().lower())
        blocking = {code for code, _params in row["flags"] if code in pipeline.BLOCKING}
        items.append(PlanItem(
            assessment=assessment, indicator=indicator, change_area=area, steps=row["steps"].strip(),
            output=row["output"].strip(), note=row["note"], pic=pic,
            pic_name="" if pic else row["pic"].strip()[:200], order=orders[key], created_by=user,
            target_text=row["time_text"][:200], target_label=row["time_label"][:200],
            target_start=_date(row["start"]), target_end=_date(row["end"]),
            flags=[{"code": code, "message": message, "blocking": code in blocking}
                   for (code, _params), message in zip(row["flags"], row["messages"], strict=True)],
            plan_import=plan_import, import_key=row["key"],
        ))
    PlanItem.objects.bulk_create(items, batch_size=500)
    _notify_assigned(items, user)
    plan_import.status = PlanImport.Status.COMMITTED
    plan_import.created_count, plan_import.duplicate_count = len(items), duplicates
    plan_import.save(update_fields=["status", "created_count", "duplicate_count"])
    _remember_columns(plan_import, user)
    return plan_import


def _remember_columns(plan_import: PlanImport, user) -> None:
    columns = {}
    for layout in plan_import.source.get("layouts", []):
        chosen = plan_import.mapping.get(str(layout["grid"]), {})
        for column in layout["columns"]:
            key = importing.tables.header_key(column["header"])
            if key and str(column["index"]) in chosen:
                columns[key] = chosen[str(column["index"])]
    if columns:
        ImportMapping.objects.update_or_create(unit=plan_import.assessment.unit,
                                               defaults={"columns": columns, "updated_by": user})

# --- monev ----------------------------------------------------------------------------------


@transaction.atomic
def monev_periods_generate(*, assessment, kind: str, due_days: int = 10, only_starts=None) -> list[MonevPeriod]:
    """Create the year's monthly or quarterly periods that don't exist yet (idempotent);
    only_starts limits it to the periods starting on those dates."""
    year = assessment.year
    if kind == PeriodKind.MONTHLY:
        spans = [(month_label(year, m), date(year, m, 1), month_end(year, m)) for m in range(1, 13)]
    elif kind == PeriodKind.QUARTERLY:
        spans = [(quarter_label(year, q + 1), date(year, 3 * q + 1, 1), month_end(year, 3 * q + 3))
                 for q in range(4)]
    else:
        raise ValidationError(_("Jenis periode tidak dikenal."))
    other = assessment.monev_periods.exclude(kind=kind).first()
    if other is not None:
        raise ValidationError(_("Penilaian ini sudah memakai periode %(kind)s; satu penilaian memakai satu jenis "
                                "periode.") % {"kind": other.get_kind_display().lower()})
    existing = set(assessment.monev_periods.values_list("start", flat=True))
    created = []
    for label, start, end in spans:
        if start in existing or (only_starts is not None and start not in only_starts):
            continue
        created.append(MonevPeriod.objects.create(assessment=assessment, kind=kind, label=label, start=start,
                                                  end=end, due_date=end + timedelta(days=due_days)))
    return created


def monev_periods_open(*, assessment, kind: str, today: date) -> list[MonevPeriod]:
    """Create the period running today and the next one, when missing: periods are opened as
    they are needed, never a year of past ones at once (docs/usability.md). Outside the
    assessment's year, its first (before) or last (after) period stands for "today"."""
    year = assessment.year
    day = min(max(today, date(year, 1, 1)), date(year, 12, 31))
    step = 1 if kind == PeriodKind.MONTHLY else 3
    first_month = (day.month - 1) // step * step + 1
    starts = {date(year, first_month, 1)}
    if first_month + step <= 12:
        starts.add(date(year, first_month + step, 1))
    return monev_periods_generate(assessment=assessment, kind=kind, only_starts=starts)


def _evidence_of(assessment, evidence_ids):
    """The assessment's active evidence items among evidence_ids; any other id is refused."""
    from evidence.models import Evidence

    wanted = {str(i) for i in evidence_ids}
    found = list(Evidence.objects.for_assessment(assessment).active().filter(code__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"evidence": _("Bukti yang dipilih tidak ditemukan pada penilaian ini.")})
    return found


@transaction.atomic
def plan_item_link_evidence(*, item: PlanItem, evidence_codes) -> None:
    item.evidence.set(_evidence_of(item.assessment, evidence_codes))


@transaction.atomic
def monev_entry_set(*, period: MonevPeriod, plan_item: PlanItem, user, realisasi: str, progress: int,
                    kendala: str, tindak_lanjut: str, evidence=None, expected_version: int | None = None
                    ) -> MonevEntry:
    """Record a plan item's monev for a period. expected_version is the entry's version the user
    saw (0: there was no entry yet); None skips the check (imports, scripts)."""
    period = MonevPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("Periode %(p)s sudah ditutup.") % {"p": period.label})
    if plan_item.assessment_id != period.assessment_id:
        raise ValidationError(_("Rencana aksi bukan milik penilaian ini."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progres harus antara 0 dan 100.")})
    entry = MonevEntry.objects.select_for_update().filter(period=period, plan_item=plan_item).first()
    check_version(current=entry.version if entry else 0, expected=expected_version, what=_("Catatan monev"),
                  changed_by=entry.updated_by if entry else None, changed_at=entry.updated_at if entry else None,
                  required=False)
    if entry is None:
        entry = MonevEntry(period=period, plan_item=plan_item, version=0)
    entry.realisasi, entry.progress, entry.kendala = realisasi.strip(), progress, kendala.strip()
    entry.tindak_lanjut, entry.updated_by = tindak_lanjut.strip(), user
    entry.version += 1
    entry.save()
    if evidence is not None:
        entry.evidence.set(_evidence_of(period.assessment, evidence))
    _progress_from_monev(plan_item=plan_item, entry=entry, user=user)
    return entry


def _progress_from_monev(*, plan_item: PlanItem, entry: MonevEntry, user) -> None:
    """The newest monev entry of a plan item is its progress: the item takes the entry's progress
    and the status that follows from it (100 % done, more than 0 % running, else not started).
    An entry of an older period, while a newer one exists, changes nothing. docs/notifications.md."""
    newer = MonevEntry.objects.filter(plan_item=plan_item, period__start__gt=entry.period.start).exists()
    if newer:
        return
    item = PlanItem.objects.select_for_update().get(pk=plan_item.pk)
    status = (PlanStatus.SELESAI if entry.progress >= 100
              else PlanStatus.BERJALAN if entry.progress > 0 else PlanStatus.BELUM)
    if item.progress == entry.progress and item.status == status:
        return
    item.progress, item.status, item.updated_by = entry.progress, status, user
    item.version += 1
    item.save(update_fields=["progress", "status", "updated_by", "version", "updated_at"])


@transaction.atomic
def monev_period_close(*, period: MonevPeriod, user) -> None:
    period = MonevPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("Periode ini sudah ditutup."))
    period.closed_at, period.closed_by = timezone.now(), user
    period.save(update_fields=["closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action=PeriodEvent.Action.CLOSE, by=user)


@transaction.atomic
def monev_period_reopen(*, period: MonevPeriod, user, reason: str) -> None:
    period = MonevPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise ValidationError(_("Periode ini masih terbuka."))
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan membuka kembali wajib diisi.")})
    period.closed_at, period.closed_by = None, None
    period.save(update_fields=["closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action=PeriodEvent.Action.REOPEN, by=user, reason=reason.strip())


# --- carry-over -----------------------------------------------------------------------------


@transaction.atomic
def plans_carry_over(*, source, target, items, user) -> list[PlanItem]:
    """Copy unfinished plan items of last year's assessment into this one, matched by indicator path.

    The old items, their monev and evidence links stay on the old assessment.
    """
    if source is None:
        raise ValidationError(_("Penilaian ini tidak memiliki penilaian tahun sebelumnya, jadi tidak ada rencana "
                                "aksi yang dapat dibawa. Rencana aksi baru dapat ditambahkan di halaman rencana "
                                "aksi."))
    if target.previous_id != source.pk:
        raise ValidationError(_("Penilaian ini tidak dibuat dari penilaian tersebut."))
    indicators = {n.path: n for n in target.instrument.nodes.all()}
    already = set(target.plan_items.exclude(carried_from=None).values_list("carried_from_id", flat=True))
    created = []
    for item in items:
        if item.assessment_id != source.pk or item.status == PlanStatus.SELESAI or item.pk in already:
            continue
        indicator = indicators.get(item.indicator.path) if item.indicator_id else None
        if indicator is None:
            continue
        copy = PlanItem.objects.create(
            assessment=target, indicator=indicator, change_area_id=indicator.change_area_id, steps=item.steps,
            output=item.output,
            target_text=item.target_text, target_label=item.target_label, target_start=None, target_end=None,
            pic=item.pic if item.pic and item.pic.unit_id == target.unit_id else None,
            pic_name=item.pic_name, status=PlanStatus.BELUM, progress=item.progress, order=item.order,
            carried_from=item, created_by=user,
        )
        created.append(copy)
    return created
