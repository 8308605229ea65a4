from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from audit.models import AuditAction
from notifications.models import Kind
from notifications.services import notify

from . import instrument_format
from .access import may_manage_assessment
from .models import (
    Assessment,
    ChangeArea,
    Instrument,
    InstrumentNode,
    Question,
    QuestionInput,
    QuestionOption,
    Stage,
    StageChange,
    ThresholdRule,
)


class InstrumentInUseError(ValidationError):
    pass


@dataclass
class ImportResult:
    instrument: Instrument
    created: bool
    structure_replaced: bool
    nodes: int
    questions: int


@transaction.atomic
def instrument_import(*, data: dict) -> ImportResult:
    """Create or update an instrument from ZI Portal's instrument format.

    Idempotent. Texts and thresholds are updated in place; a change of structure or weights
    replaces the tree only while no assessment uses the instrument, and is refused after.
    """
    try:
        instrument_format.validate(data)
    except instrument_format.InstrumentFormatError as exc:
        raise ValidationError(str(exc)) from exc
    fingerprint = instrument_format.fingerprint(data)
    instrument = Instrument.objects.select_for_update().filter(code=data["code"]).first()
    created = instrument is None
    replace = created or instrument.fingerprint != fingerprint
    if not created and replace:
        used = instrument.assessments.count()
        if used:
            raise InstrumentInUseError(
                _(
                    "Instrumen %(code)s sudah dipakai oleh %(n)d penilaian; perubahan struktur atau bobot "
                    "ditolak. Regulasi baru diimpor sebagai instrumen baru dengan kode lain."
                )
                % {"code": data["code"], "n": used}
            )
    if created:
        instrument = Instrument(code=data["code"])
    instrument.title = data["title"]
    instrument.regulation = data.get("regulation", "")
    instrument.year_from = data.get("year_from")
    instrument.status_note = data.get("status", "")
    instrument.sources = data.get("sources", [])
    instrument.area_threshold_mode = data.get("area_threshold_mode", "parts")
    instrument.fingerprint = fingerprint
    instrument.save()

    if replace:
        instrument.questions.all().delete()
        instrument.nodes.all().delete()
        _create_tree(instrument, data)
    else:
        _update_texts(instrument, data)
    _replace_thresholds(instrument, data["thresholds"])
    return ImportResult(
        instrument=instrument,
        created=created,
        structure_replaced=replace,
        nodes=instrument.nodes.count(),
        questions=instrument.questions.count(),
    )


def _create_tree(instrument, data):
    areas = {a.code: a for a in ChangeArea.objects.all()}
    by_path = {}
    order = 0
    q_order = 0
    for path, node, parent_path in instrument_format.iter_nodes(data):
        order += 1
        obj = InstrumentNode.objects.create(
            instrument=instrument,
            parent=by_path.get(parent_path),
            kind=node["kind"],
            code=node["code"],
            path=path,
            name=node["name"],
            weight=Decimal(str(node["weight"])),
            change_area=areas.get(node.get("change_area") or ""),
            status=node.get("status", ""),
            note=node.get("note", ""),
            aliases=list(node.get("aliases") or []),
            lke_row=node.get("lke_row"),
            order=order,
        )
        by_path[path] = obj
        for q in node.get("questions", []):
            q_order += 1
            question = Question.objects.create(
                instrument=instrument,
                node=obj,
                code=q["code"],
                path=f"{path}.{q['code']}",
                text=q["text"],
                answer_type=q["answer_type"],
                criteria=q.get("criteria", ""),
                change_area=obj.change_area,
                rule=q.get("rule"),
                rule_text=q.get("rule_text", ""),
                status=q.get("status", ""),
                expected_evidence=q.get("expected_evidence", []),
                equivalent_90_2021=q.get("equivalent_90_2021", ""),
                lke_row=q.get("lke_row"),
                portalrb_soal_id=q.get("portalrb_soal_id"),
                portalrb_excel_row=q.get("portalrb_excel_row"),
                order=q_order,
            )
            QuestionOption.objects.bulk_create(
                QuestionOption(question=question, key=o["key"], label=o["label"],
                               value=Decimal(str(o["value"])), order=i)
                for i, o in enumerate(q.get("options", []))
            )
            QuestionInput.objects.bulk_create(
                QuestionInput(question=question, label=item["label"], order=i, lke_row=item.get("lke_row"),
                              portalrb_soal_id=item.get("portalrb_soal_id"),
                              portalrb_excel_row=item.get("portalrb_excel_row"))
                for i, item in enumerate(q.get("inputs", []))
            )


def _update_texts(instrument, data):
    """Same structure: refresh names, criteria and labels; keep expected evidence edited by admins."""
    nodes = {n.path: n for n in instrument.nodes.all()}
    questions = {q.path: q for q in instrument.questions.prefetch_related("options", "inputs")}
    for path, node, _parent in instrument_format.iter_nodes(data):
        obj = nodes[path]
        obj.name, obj.status, obj.note = node["name"], node.get("status", ""), node.get("note", "")
        obj.aliases = list(node.get("aliases") or [])
        obj.save(update_fields=["name", "status", "note", "aliases"])
        for q in node.get("questions", []):
            question = questions[f"{path}.{q['code']}"]
            question.text = q["text"]
            question.criteria = q.get("criteria", "")
            question.rule_text = q.get("rule_text", "")
            question.status = q.get("status", "")
            if not question.expected_evidence:
                question.expected_evidence = q.get("expected_evidence", [])
            question.save(update_fields=["text", "criteria", "rule_text", "status", "expected_evidence"])
            for option, raw in zip(question.options.all(), q.get("options", []), strict=True):
                if option.label != raw["label"]:
                    option.label = raw["label"]
                    option.save(update_fields=["label"])
            for item, raw in zip(question.inputs.all(), q.get("inputs", []), strict=True):
                if item.label != raw["label"]:
                    item.label = raw["label"]
                    item.save(update_fields=["label"])


def _replace_thresholds(instrument, thresholds):
    instrument.thresholds.all().delete()
    ThresholdRule.objects.bulk_create(
        ThresholdRule(
            instrument=instrument,
            predicate=t["predicate"],
            kind=t["kind"],
            label=t["label"],
            path=t.get("path", ""),
            minimum=Decimal(str(t["min"])),
            fact=t.get("fact", ""),
            confirmed=t.get("confirmed", True),
            note=t.get("note", ""),
            order=i,
        )
        for i, t in enumerate(thresholds)
    )


@transaction.atomic
def assessment_create(*, unit, instrument, year: int, previous=None, **deadlines) -> Assessment:
    if Assessment.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(_("Unit %(unit)s sudah memiliki penilaian tahun %(year)d.") % {
            "unit": unit, "year": year})
    assessment = Assessment(unit=unit, instrument=instrument, year=year, previous=previous, **deadlines)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_set_stage(*, assessment: Assessment, to_stage: str, user, note: str = "") -> StageChange:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if to_stage not in Stage.values:
        raise ValidationError(_("Tahap tidak dikenal."))
    if to_stage == assessment.stage:
        raise ValidationError(_("Penilaian sudah berada pada tahap itu."))
    if not may_manage_assessment(user, assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengubah tahap penilaian ini."))
    if assessment.is_final and not note.strip():
        raise ValidationError(_("Membuka kembali penilaian final wajib disertai alasan."))
    change = StageChange.objects.create(
        assessment=assessment, from_stage=assessment.stage, to_stage=to_stage, changed_by=user, note=note.strip()
    )
    audit.record(
        action=AuditAction.STAGE, actor=user, unit_id=assessment.unit_id, object_type="assessment",
        object_id=str(assessment.code), object_label=_("Penilaian %(year)s") % {"year": assessment.year},
        detail=f"{Stage(assessment.stage).label} → {Stage(to_stage).label}", data={"note": note.strip()[:500]},
    )
    assessment.stage = to_stage
    assessment.stage_changed_at = timezone.now()
    assessment.save(update_fields=["stage", "stage_changed_at"])
    _notify_stage_changed(assessment, change, user)
    return change


def _notify_stage_changed(assessment, change, user) -> None:
    """Everyone in the unit hears about a stage change (docs/notifications.md)."""
    people = User.objects.filter(memberships__unit_id=assessment.unit_id)
    title = _("Tahap penilaian %(unit)s %(year)s: %(stage)s") % {
        "unit": assessment.unit.name, "year": assessment.year, "stage": Stage(change.to_stage).label}
    body = _("Tahap berubah dari %(old)s menjadi %(new)s.") % {
        "old": Stage(change.from_stage).label, "new": Stage(change.to_stage).label}
    if change.note:
        body += "\n" + _("Catatan: %(note)s") % {"note": change.note}
    notify(recipients=list(people), kind=Kind.STAGE_CHANGED, title=title, body=body,
           url=reverse("workspace:start", args=[assessment.code]), object_label=str(assessment),
           unit=assessment.unit, actor=user)
