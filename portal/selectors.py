"""Reads for pengusulan: the persyaratan checklist, snapshots and their diff, the overview of an
instansi's units, and the pull log summary."""

from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Assessment
from areas.selectors import cached_sections
from evidence.models import Evidence, EvidenceKind
from scoring import predicate
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument, focus_side, score_sides

from . import rules
from .models import (
    INSTANSI_FACTS,
    InstansiFact,
    PredicateAward,
    PredicateKind,
    Prerequisite,
    PrerequisiteThreshold,
    Proposal,
    PullLog,
    UnitFact,
)

LABELS = {choice.value: str(choice.label) for choice in Prerequisite}


def current_year() -> int:
    from django.conf import settings

    return settings.PORTALRB_YEAR or timezone.localdate().year


# --- recorded values -------------------------------------------------------------------------


def _threshold_rows(regulation: str) -> list[PrerequisiteThreshold]:
    return list(PrerequisiteThreshold.objects.filter(regulation=regulation).order_by("order", "pk"))


def _thresholds(rows) -> list[rules.Threshold]:
    return [rules.Threshold(row.predicate, row.prerequisite, row.instansi_type, row.minimum, row.confirmed, row.note)
            for row in rows]


def _lke_sources(rows) -> dict[str, str]:
    return {row.prerequisite: row.lke_question_path for row in rows if row.lke_question_path}


def lke_percents(assessment, sources: dict[str, str], scored=None) -> dict[str, tuple[str, str]]:
    """prerequisite → (percentage, side label) computed from the counts of its ratio question, TPI
    side first; prerequisites whose counts are incomplete are left out (1 query, none when
    `scored`, the caller's (engine instrument, score_sides result), already holds the answers)."""
    if not sources:
        return {}
    if scored is not None:
        _ins, sides = scored
        _sections, questions = cached_sections(assessment.instrument)
        answers = {(path, side): (sides[side].answers[path].counts, questions[path].rule)
                   for side in (Side.TPI, Side.UNIT) for path in sources.values()
                   if path in sides[side].answers and path in questions}
    else:
        answers = {(a.question.path, a.side): (a.counts, a.question.rule) for a in Answer.objects.filter(
            assessment=assessment, question__path__in=sources.values()).select_related("question")}
    result = {}
    for kind, path in sources.items():
        for side in (Side.TPI, Side.UNIT):
            answer = answers.get((path, side))
            value = rules.ratio_percent(*answer) if answer else None
            if value is not None:
                result[kind] = (value, _("LKE (%(side)s)") % {"side": Side(side).label})
                break
    return result


def _document_url(kind: str, fact) -> str:
    if not fact.document:
        return ""
    return reverse("portal:document", args=[kind, fact.code])


@dataclass
class UnitPrerequisites:
    """Everything recorded for one assessment's checklist."""

    facts: dict[str, object]  # prerequisite → InstansiFact / UnitFact
    recorded: dict[str, dict[str, rules.Recorded]]  # predicate → prerequisite → value
    awards: list
    holds_wbk: bool


def gather(assessment, threshold_rows=None, scored=None) -> UnitPrerequisites:
    unit, year = assessment.unit, assessment.year
    if threshold_rows is None:
        threshold_rows = _threshold_rows(assessment.instrument.code)
    facts: dict[str, object] = {}
    recorded: dict[str, rules.Recorded] = {}
    for fact in InstansiFact.objects.filter(instansi_id=unit.instansi_id, year=year):
        facts[fact.kind] = fact
        recorded[fact.kind] = rules.Recorded(fact.value, _("data instansi"), _document_url("instansi", fact), fact.note)
    for fact in UnitFact.objects.filter(assessment=assessment):
        facts[fact.kind] = fact
        recorded[fact.kind] = rules.Recorded(fact.value, _("diisi"), _document_url("unit", fact), fact.note)
    for kind, (value, source) in lke_percents(assessment, _lke_sources(threshold_rows), scored).items():
        if value is not None:
            entered = recorded.get(kind)
            recorded[kind] = rules.Recorded(value, source, entered.document_url if entered else "",
                                            entered.note if entered else "")
    awards = list(PredicateAward.objects.filter(unit=unit).order_by("year"))
    earlier = [a for a in awards if a.year < year]
    wbk_years = [a.year for a in earlier if a.predicate in (PredicateKind.WBK, PredicateKind.WBBM)]
    holds_wbk = bool(wbk_years) or assessment.holds_wbk
    if wbk_years:
        first = min(wbk_years)
        source = _("SK %(sk)s (%(year)d)") % {"sk": next(a.sk_number for a in earlier if a.year == first),
                                              "year": first}
    else:
        source = _("penanda di penilaian") if assessment.holds_wbk else _("riwayat predikat")
    recorded[Prerequisite.HOLDS_WBK] = rules.Recorded("ya" if holds_wbk else "tidak", source)
    years = sorted(set(Assessment.objects.filter(unit=unit, year__lte=year).values_list("year", flat=True)))
    history = _("riwayat penilaian")
    per_predicate = {
        PredicateKind.WBK: {**recorded, Prerequisite.ZI_YEARS: rules.Recorded(str(len(years)), history)},
        PredicateKind.WBBM: {**recorded, Prerequisite.ZI_YEARS: rules.Recorded(
            str(len([y for y in years if wbk_years and y > min(wbk_years)])), history)},
    }
    return UnitPrerequisites(facts, per_predicate, awards, holds_wbk)


# --- the checklist ---------------------------------------------------------------------------


@dataclass
class LkeCheck:
    side_label: str
    eligible: bool
    reasons: list[str]


@dataclass
class Checklist:
    assessment: object
    instansi_type: str
    predicates: dict[str, rules.PredicateChecklist]
    lke: dict[str, LkeCheck]
    prerequisites: UnitPrerequisites
    unconfirmed: bool = False
    rows: list = field(default_factory=list)  # [(label, [(predicate, line or None), ...])] side by side

    def ready(self, predicate_name: str) -> bool:
        return self.predicates[predicate_name].all_met and self.lke[predicate_name].eligible

    def unmet_labels(self, predicate_name: str) -> list[str]:
        labels = [line.label for line in self.predicates[predicate_name].unmet]
        if not self.lke[predicate_name].eligible:
            labels.append(_("Nilai LKE memenuhi syarat %(p)s") % {"p": predicate_name})
        return labels


def checklist(assessment, *, with_lke: bool = True, scored=None) -> Checklist:
    """WBK and WBBM side by side for one assessment (unit and year). `scored`: (engine instrument,
    scoring.selectors.score_sides result) when the caller has already scored the assessment."""
    instansi_type = assessment.unit.instansi.type
    rows = _threshold_rows(assessment.instrument.code)
    thresholds = _thresholds(rows)
    gathered = gather(assessment, rows, scored)
    predicates = {
        name: rules.evaluate(predicate=name, instansi_type=instansi_type, thresholds=thresholds,
                             recorded=gathered.recorded[name], labels=LABELS)
        for name in (PredicateKind.WBK, PredicateKind.WBBM)
    }
    lke = _lke_checks(assessment, gathered.holds_wbk, scored) if with_lke else {
        name: LkeCheck("", True, []) for name in predicates}
    order = list(dict.fromkeys(line.prerequisite for p in predicates.values() for line in p.lines))
    by_kind = {name: {line.prerequisite: line for line in p.lines} for name, p in predicates.items()}
    rows = [(LABELS[kind], [(name, by_kind[name].get(kind)) for name in predicates]) for kind in order]
    unconfirmed = any(not line.confirmed for p in predicates.values() for line in p.lines)
    return Checklist(assessment, instansi_type, predicates, lke, gathered, unconfirmed, rows)


def _lke_checks(assessment, holds_wbk: bool, scored=None) -> dict[str, LkeCheck]:
    if scored is None:
        ins = engine_instrument(assessment.instrument)
        sides = score_sides(assessment=assessment, ins=ins)
    else:
        ins, sides = scored
    focus = focus_side(assessment, sides)
    results = predicate.evaluate(ins, sides[focus].score, {"holds_wbk": holds_wbk})
    label = Side(focus).label
    answered = sides[focus].answered
    checks = {}
    for name in (PredicateKind.WBK, PredicateKind.WBBM):
        result = results.get(name, predicate.PredicateResult(eligible=False, reasons=[_("Tidak ada ambang.")]))
        reasons = list(result.reasons) if answered else [_("Belum ada jawaban LKE.")]
        checks[name] = LkeCheck(label, result.eligible and bool(answered), reasons)
    return checks


def active_proposal(assessment) -> Proposal | None:
    return Proposal.objects.active().filter(assessment=assessment).first()


# --- snapshots and diffs ---------------------------------------------------------------------


def live_answers(assessment) -> dict:
    """The assessment's answers now, in the snapshot's shape (1 query)."""
    data: dict[str, dict] = {}
    rows = Answer.objects.for_assessment(assessment).select_related("question")
    for answer in rows:
        if answer.value is None and not answer.note:
            continue
        data.setdefault(answer.question.path, {})[answer.side] = {"value": answer.value, "note": answer.note}
    return data


def live_evidence(assessment) -> dict:
    """Active evidence items now (current version of files), by question path (2 queries)."""
    data: dict[str, list] = {}
    items = (Evidence.objects.for_assessment(assessment).active().select_related("question")
             .prefetch_related("versions").order_by("question__order", "created_at", "pk"))
    for item in items:
        versions = sorted(item.versions.all(), key=lambda v: v.number)
        current = versions[-1] if versions else None
        entry = {"code": str(item.code), "title": item.title, "kind": item.kind, "url": item.url,
                 "version": "", "number": None, "name": "", "size": None, "sha256": "", "content_type": ""}
        if item.kind == EvidenceKind.FILE:
            if current is None:
                continue
            entry.update(version=str(current.code), number=current.number, name=current.original_name,
                         size=current.size, sha256=current.sha256, content_type=current.content_type)
        data.setdefault(item.question.path, []).append(entry)
    return data


@dataclass
class Change:
    path: str
    what: str
    before: str
    after: str


def _answer_text(entry) -> str:
    from scoring.selectors import value_display

    if not entry:
        return ""
    return value_display(entry.get("value"))


def snapshot_diff(snapshot, assessment) -> list[Change]:
    """What changed since the snapshot: answers and notes of both sides, evidence added, removed or
    replaced by a new version."""
    changes: list[Change] = []
    now_answers, then_answers = live_answers(assessment), snapshot.answers
    side_labels = {Side.UNIT: _("jawaban unit"), Side.TPI: _("jawaban TPI")}
    note_labels = {Side.UNIT: _("catatan unit"), Side.TPI: _("catatan TPI")}
    for path in sorted(set(now_answers) | set(then_answers), key=path_key):
        for side in (Side.UNIT, Side.TPI):
            before = (then_answers.get(path) or {}).get(side)
            after = (now_answers.get(path) or {}).get(side)
            if _answer_text(before) != _answer_text(after):
                changes.append(Change(path, side_labels[side], _answer_text(before), _answer_text(after)))
            if (before or {}).get("note", "") != (after or {}).get("note", ""):
                changes.append(Change(path, note_labels[side], (before or {}).get("note", ""),
                                      (after or {}).get("note", "")))
    now_evidence, then_evidence = live_evidence(assessment), snapshot.evidence
    for path in sorted(set(now_evidence) | set(then_evidence), key=path_key):
        before = {e["code"]: e for e in then_evidence.get(path, [])}
        after = {e["code"]: e for e in now_evidence.get(path, [])}
        for code in before.keys() - after.keys():
            changes.append(Change(path, _("bukti dihapus/ditarik"), before[code]["title"], ""))
        for code in after.keys() - before.keys():
            changes.append(Change(path, _("bukti baru"), "", after[code]["title"]))
        for code in before.keys() & after.keys():
            if before[code]["version"] != after[code]["version"] or before[code]["url"] != after[code]["url"]:
                changes.append(Change(path, _("bukti diganti"), _version_text(before[code]),
                                      _version_text(after[code])))
    return changes


def _version_text(entry) -> str:
    if entry["kind"] == EvidenceKind.LINK:
        return entry["url"]
    return _("%(title)s (versi %(n)s)") % {"title": entry["title"], "n": entry["number"]}


def path_key(path: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in path.split(".")]


def latest_snapshot(proposal):
    return proposal.snapshots.order_by("-number").first()


# --- instansi overview -----------------------------------------------------------------------


@dataclass
class UnitRow:
    assessment: object
    checklist: Checklist
    proposal: Proposal | None
    last_pull: object = None


def instansi_overview(instansi, year: int) -> list[UnitRow]:
    """Every unit of the instansi with an assessment in `year`, its checklist and proposal."""
    assessments = list(Assessment.objects.filter(unit__instansi=instansi, year=year)
                       .select_related("unit__instansi", "instrument").order_by("unit__name"))
    proposals = {p.assessment_id: p for p in Proposal.objects.active().filter(assessment__in=assessments)}
    pulls = last_successful_pulls(instansi)
    return [UnitRow(a, checklist(a), proposals.get(a.pk), pulls.get(str(a.unit.code))) for a in assessments]


def instansi_facts(instansi, year: int) -> dict[str, InstansiFact]:
    return {f.kind: f for f in InstansiFact.objects.filter(instansi=instansi, year=year)}


def instansi_fact_kinds():
    return [(kind.value, kind.label) for kind in INSTANSI_FACTS]


def last_successful_pulls(instansi) -> dict[str, object]:
    """unit id → time of the last 200 answer pull of that unit (1 query)."""
    rows = (PullLog.objects.filter(instansi=instansi, status=200, endpoint="jawaban-unit")
            .values("unit_id").annotate(last=Max("at")))
    return {row["unit_id"]: row["last"] for row in rows}

