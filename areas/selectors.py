"""Reads of instrument trees and assessments, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from accounts.models import Membership, Role, Unit

from . import instrument_format
from .models import Assessment, ChangeArea, Instrument, InstrumentNode, NodeKind


def instrument_tree(instrument: Instrument) -> list[InstrumentNode]:
    """The instrument's root nodes, each with `.child_nodes` and `.question_list` filled in.

    Queries: nodes, questions, options, inputs (4), whatever the instrument's size.
    """
    nodes = list(instrument.nodes.select_related("change_area").order_by("order"))
    questions = list(
        instrument.questions.prefetch_related("options", "inputs").select_related("change_area").order_by("order")
    )
    by_id = {}
    roots = []
    for node in nodes:
        node.child_nodes = []
        node.question_list = []
        by_id[node.pk] = node
    for node in nodes:
        if node.parent_id is None:
            roots.append(node)
        else:
            by_id[node.parent_id].child_nodes.append(node)
    for question in questions:
        by_id[question.node_id].question_list.append(question)
    for node in reversed(nodes):
        node.question_count = len(node.question_list) + sum(c.question_count for c in node.child_nodes)
    return roots


def iter_tree(roots):
    for node in roots:
        yield node
        yield from iter_tree(node.child_nodes)


def filter_tree(roots, query: str):
    """Keep questions (and their ancestors) whose code, text or criteria contain the query."""
    needle = query.strip().lower()
    if not needle:
        return roots, None
    matches = 0

    def keep(node) -> bool:
        nonlocal matches
        node_hit = needle in node.name.lower() or needle == node.path.lower()
        node.question_list = [
            q for q in node.question_list
            if node_hit or needle in q.text.lower() or needle in q.criteria.lower() or q.path.lower() == needle
        ]
        matches += len(node.question_list)
        node.child_nodes = [c for c in node.child_nodes if keep(c)]
        return bool(node.question_list or node.child_nodes)

    return [r for r in roots if keep(r)], matches


@dataclass
class AreaPart:
    """One area node of an instrument (e.g. Manajemen Perubahan under Pemenuhan)."""

    node: InstrumentNode
    sub_komponen: str


@dataclass
class AreaSection:
    change_area: ChangeArea | None
    title: str
    parts: list[AreaPart] = field(default_factory=list)
    indicators: list[InstrumentNode] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(p.node.question_count for p in self.parts) + sum(i.question_count for i in self.indicators)

    def questions(self):
        """Every question of the section, in instrument order."""
        for node in [p.node for p in self.parts] + self.indicators:
            for item in iter_tree([node]):
                yield from item.question_list

    @property
    def slug(self) -> str:
        return self.change_area.code.lower() if self.change_area else "hasil"


def assessment_sections(instrument: Instrument) -> list[AreaSection]:
    """The six change areas (each with its pemenuhan and reform parts), then hasil."""
    roots = instrument_tree(instrument)
    sections = {area.pk: AreaSection(change_area=area, title=area.name) for area in ChangeArea.objects.all()}
    hasil = AreaSection(change_area=None, title="Hasil")
    for node in iter_tree(roots):
        if node.kind == NodeKind.AREA:
            parent_name = _parent_name(roots, node)
            sections[node.change_area_id].parts.append(AreaPart(node=node, sub_komponen=parent_name))
        elif node.kind == NodeKind.INDIKATOR and node.change_area_id is None:
            hasil.indicators.append(node)
    result = [s for s in sections.values() if s.parts]
    if hasil.indicators:
        result.append(hasil)
    return result


# Sections by (pk, fingerprint, imported_at), as the scoring engine caches its instrument: an
# import or an edit in the admin saves the instrument and so makes a new key.
_SECTIONS_CACHE: dict[tuple, tuple] = {}
_SECTIONS_CACHE_SIZE = 16


def cached_sections(instrument: Instrument) -> tuple[list[AreaSection], dict]:
    """(sections, questions by path), built once per instrument version and process.

    The objects are shared between requests: callers read them and never set attributes on them
    (copy a question first, as the workspace's question panel does). 0 queries when warm.
    """
    key = (instrument.pk, instrument.fingerprint, instrument.imported_at)
    cached = _SECTIONS_CACHE.get(key)
    if cached is None:
        sections = assessment_sections(instrument)
        by_path = {q.path: q for section in sections for q in section.questions()}
        if len(_SECTIONS_CACHE) >= _SECTIONS_CACHE_SIZE:
            _SECTIONS_CACHE.clear()
        cached = _SECTIONS_CACHE[key] = (sections, by_path)
    return cached


def _parent_name(roots, node) -> str:
    for candidate in iter_tree(roots):
        if candidate.pk == node.parent_id:
            return candidate.name.title()
    return ""


def instrument_data(instrument: Instrument) -> dict:
    """The instrument in ZI Portal's file format, rebuilt from the database (for the engine)."""
    roots = instrument_tree(instrument)

    def node_dict(node):
        return {
            "kind": node.kind,
            "code": node.code,
            "name": node.name,
            "weight": float(node.weight),
            "change_area": node.change_area.code if node.change_area else "",
            "aliases": list(node.aliases or []),
            "children": [node_dict(c) for c in node.child_nodes],
            "questions": [
                {
                    "code": q.code,
                    "text": q.text,
                    "answer_type": q.answer_type,
                    "options": [{"key": o.key, "label": o.label, "value": float(o.value)} for o in q.options.all()],
                    "inputs": [{"label": i.label} for i in q.inputs.all()],
                    "rule": q.rule,
                }
                for q in node.question_list
            ],
        }

    return {
        "format": instrument_format.FORMAT,
        "code": instrument.code,
        "title": instrument.title,
        "area_threshold_mode": instrument.area_threshold_mode,
        "thresholds": [
            {
                "predicate": t.predicate, "kind": t.kind, "label": t.label, "path": t.path,
                "min": float(t.minimum), "confirmed": t.confirmed, "note": t.note, "fact": t.fact,
            }
            for t in instrument.thresholds.all()
        ],
        "nodes": [node_dict(r) for r in roots],
    }


def instrument_summary(instrument: Instrument) -> dict:
    """Counts and weight sums per level, for administrators and scripted checks."""
    nodes = list(instrument.nodes.all())
    questions = list(instrument.questions.select_related("node").prefetch_related("inputs"))
    per_kind = {}
    for kind in NodeKind.values:
        members = [n for n in nodes if n.kind == kind]
        per_kind[kind] = {"count": len(members), "weight_sum": float(sum(n.weight for n in members))}
    komponen = {n.path: {"name": n.name, "weight": float(n.weight)} for n in nodes if n.kind == NodeKind.KOMPONEN}
    sub_komponen = {
        n.path: {"name": n.name, "weight": float(n.weight)} for n in nodes if n.kind == NodeKind.SUB_KOMPONEN
    }
    areas = {
        n.path: {"name": n.name, "change_area": n.change_area.code, "weight": float(n.weight)}
        for n in instrument.nodes.filter(kind=NodeKind.AREA).select_related("change_area")
    }
    by_type = {}
    for q in questions:
        by_type[q.answer_type] = by_type.get(q.answer_type, 0) + 1
    per_komponen, per_sub_komponen = {}, {}
    sub_paths = set(sub_komponen)
    for q in questions:
        parts = q.path.split(".")
        per_komponen[parts[0]] = per_komponen.get(parts[0], 0) + 1
        prefix = ".".join(parts[:2])
        if prefix in sub_paths:
            per_sub_komponen[prefix] = per_sub_komponen.get(prefix, 0) + 1
    return {
        "instrument": instrument.code,
        "fingerprint": instrument.fingerprint,
        "questions": len(questions),
        "questions_by_komponen": per_komponen,
        "questions_by_sub_komponen": per_sub_komponen,
        "questions_by_answer_type": by_type,
        "counted_inputs": sum(len(q.inputs.all()) for q in questions),
        "unconfirmed": {
            "nodes": sum(1 for n in nodes if n.status),
            "questions": sum(1 for q in questions if q.status),
        },
        "levels": per_kind,
        "komponen": komponen,
        "sub_komponen": sub_komponen,
        "areas": areas,
        "total_weight": float(sum(n.weight for n in nodes if n.parent_id is None)),
    }


def landing(user, *, query: str = "", page=None) -> dict:
    """What a user's landing page lists: their units with roles and assessments.

    Queries: memberships (+ areas prefetch) and assessments, or for admins one unit page
    with its assessments; constant in the number of units.
    """
    assessments = Prefetch(
        "assessments", queryset=Assessment.objects.select_related("instrument").order_by("-year")
    )
    if user.is_portal_admin:
        units = Unit.objects.select_related("instansi").prefetch_related(assessments).order_by("instansi__name", "name")
        query = query.strip()
        if query:
            units = units.filter(Q(name__icontains=query) | Q(instansi__name__icontains=query))
        unit_page = Paginator(units, 20).get_page(page)
        return {"is_admin": True, "unit_page": unit_page, "query": query, "memberships": []}
    memberships = list(
        Membership.objects.for_user(user)
        .select_related("unit__instansi")
        .prefetch_related("areas", Prefetch("unit__assessments", queryset=assessments.queryset))
        .order_by("unit__name")
    )
    roles = {m.role for m in memberships}
    return {
        "is_admin": False,
        "memberships": memberships,
        "roles": roles,
        "is_tpi": Role.TPI in roles,
        "query": "",
    }


def leader_home_assessment(context: dict):
    """A pimpinan who leads exactly one unit (and holds no other role) starts on that unit's
    latest dashboard instead of a one-line list; None for everyone else."""
    memberships = context.get("memberships") or []
    if context.get("is_admin") or len(memberships) != 1 or memberships[0].role != Role.PIMPINAN:
        return None
    assessments = list(memberships[0].unit.assessments.all())  # prefetched, newest first
    return assessments[0] if assessments else None
