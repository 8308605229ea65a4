"""Reads for the rencana aksi and monev pages, each in a fixed number of queries."""

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext

from areas.models import ChangeArea, NodeKind

from .models import MonevEntry, MonevPeriod, PlanItem, PlanStatus


@dataclass
class IndicatorGroup:
    indicator: object
    items: list = field(default_factory=list)


@dataclass
class AreaGroup:
    title: str
    code: str
    indicators: list = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(g.items) for g in self.indicators)


def plan_items(assessment, *, area="", pic="", status="", late=False, today=None):
    """The assessment's plan items with everything the table shows (3 queries with the M2M)."""
    items = (PlanItem.objects.for_assessment(assessment)
             .select_related("indicator__parent", "change_area", "pic__user")
             .prefetch_related("questions"))
    if area:
        items = items.filter(change_area__code=area) if area != "hasil" else items.filter(change_area=None)
    if pic:
        items = items.filter(pic__code=pic) if _is_uuid(pic) else items.filter(pic_name__icontains=pic)
    if status in PlanStatus.values:
        items = items.filter(status=status)
    if late:
        items = items.late(today)
    return items.order_by("indicator__order", "order", "id")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def group_by_area(items) -> list[AreaGroup]:
    """Area → indicator → items, in instrument order (the table shape units know)."""
    groups: dict[str, AreaGroup] = {}
    for area in ChangeArea.objects.all():
        groups[area.code] = AreaGroup(title=f"{area.number}. {area.name}", code=area.code.lower())
    groups["hasil"] = AreaGroup(title="Hasil", code="hasil")
    groups["lainnya"] = AreaGroup(title=gettext("Area belum ditentukan"), code="lainnya")
    by_indicator: dict[tuple, IndicatorGroup] = {}
    for item in items:
        if item.change_area_id:
            key = item.change_area.code
        else:
            key = "hasil" if item.indicator_id else "lainnya"
        # Imported items whose indicator is still unknown gather under "indikator belum ditentukan".
        group = by_indicator.get((key, item.indicator_id))
        if group is None:
            group = by_indicator[(key, item.indicator_id)] = IndicatorGroup(indicator=item.indicator)
            groups[key].indicators.append(group)
        group.items.append(item)
    return [g for g in groups.values() if g.indicators]


def indicator_choices(assessment):
    """Indicators a plan item can point to, labelled with their path and sub-komponen."""
    nodes = (assessment.instrument.nodes.filter(kind=NodeKind.INDIKATOR)
             .select_related("parent__parent", "change_area").order_by("order"))
    return nodes


def period_rows(period: MonevPeriod, *, today):
    """Every plan item of the period's assessment with its entry for this period (or None), and the
    evidence items that can be linked to it (those of its indicator's questions)."""
    items = list(plan_items(period.assessment))
    entries = {e.plan_item_id: e for e in MonevEntry.objects.filter(period=period)
               .select_related("updated_by").prefetch_related("evidence")}
    choices = evidence_by_indicator(period.assessment)
    progress = {plan_item_id: entry.progress for plan_item_id, entry in entries.items()}
    day = min(today, period.end)
    for item in items:
        item.entry = entries.get(item.pk)
        item.late_at_period = not _done_at(item, progress) and item.target_end is not None and item.target_end < day
        item.evidence_choices = choices.get(item.indicator_id, [])
    return items


def _done_at(item, progress: dict) -> bool:
    """Done at a period: its monev entry says 100%, or, without an entry, the item is marked done."""
    if item.pk in progress:
        return progress[item.pk] >= 100
    return item.status == PlanStatus.SELESAI


def evidence_by_indicator(assessment) -> dict[int, list]:
    """Active evidence of the assessment, grouped by the indicator its question belongs to (1 query).

    A question under a sub-indicator counts for the sub-indicator's parent indicator too.
    """
    from evidence.models import Evidence

    grouped: dict[int, list] = {}
    evidence = (Evidence.objects.for_assessment(assessment).active()
                .select_related("question__node").order_by("question__order", "created_at"))
    for item in evidence:
        node = item.question.node
        for node_id in {node.pk, node.parent_id}:
            grouped.setdefault(node_id, []).append(item)
    return grouped


def period_summary(period: MonevPeriod, *, today):
    """Per area: items done / late / on track at this period, and the change since the previous one."""
    items = list(PlanItem.objects.for_assessment(period.assessment).select_related("change_area"))
    previous = (MonevPeriod.objects.filter(assessment=period.assessment, start__lt=period.start)
                .order_by("-start").first())
    current = _counts(items, _progress_map(period), min(today, period.end))
    before = _counts(items, _progress_map(previous), min(today, previous.end)) if previous else None
    rows = []
    for code, counts in current.items():
        prev = before.get(code) if before else None
        rows.append({
            "area": counts["area"], "done": counts["done"], "late": counts["late"], "on_track": counts["on_track"],
            "total": counts["total"],
            "done_change": counts["done"] - prev["done"] if prev else None,
            "late_change": counts["late"] - prev["late"] if prev else None,
        })
    return {"rows": rows, "previous": previous}


def _progress_map(period):
    if period is None:
        return {}
    return dict(MonevEntry.objects.filter(period=period).values_list("plan_item_id", "progress"))


def _counts(items, progress, day):
    areas = {a.code: a.name for a in ChangeArea.objects.all()}
    result = {code: {"area": name, "done": 0, "late": 0, "on_track": 0, "total": 0} for code, name in areas.items()}
    result["hasil"] = {"area": "Hasil", "done": 0, "late": 0, "on_track": 0, "total": 0}
    for item in items:
        code = item.change_area.code if item.change_area_id else "hasil"
        row = result[code]
        row["total"] += 1
        if _done_at(item, progress):
            row["done"] += 1
        elif item.target_end is not None and item.target_end < day:
            row["late"] += 1
        else:
            row["on_track"] += 1
    return {code: row for code, row in result.items() if row["total"]}


def imported_items_to_complete(plan_import):
    """Items of one import that are still flagged, in file order (2 queries)."""
    items = (PlanItem.objects.filter(plan_import=plan_import)
             .select_related("indicator", "change_area", "pic__user").order_by("id"))
    return [item for item in items if item.needs_completion]
