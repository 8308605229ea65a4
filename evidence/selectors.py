"""Reads for evidence: the assessment page summary, the question page and the item timeline."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from areas.models import NodeKind

from .access import may_comment, may_review, may_see_audit, may_upload
from .models import AuditAction, Comment, Evidence, EvidenceStatus, EvidenceVersion


@dataclass
class ExpectedItem:
    """One document the instrument expects for a question, and how far the unit has it."""

    text: str
    present: bool = False
    accepted: bool = False
    count: int = 0


@dataclass
class QuestionEvidence:
    """What the assessment page and the question page show about one question's evidence."""

    items: list = field(default_factory=list)  # active (not withdrawn) items, oldest first
    expected: list[ExpectedItem] = field(default_factory=list)
    # Items that name none of the expected documents ("lainnya"), e.g. a quick upload whose name
    # said nothing: they count for the question (it has evidence) but fill no expected document.
    other: ExpectedItem | None = None
    may_upload: bool = False
    comment_count: int = 0

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def accepted_count(self) -> int:
        return sum(1 for item in self.items if item.status == EvidenceStatus.DITERIMA)

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if item.is_open)

    @property
    def revision_count(self) -> int:
        return sum(1 for item in self.items if item.status == EvidenceStatus.PERLU_PERBAIKAN)

    @property
    def expected_present(self) -> int:
        return sum(1 for item in self.expected if item.present)

    @property
    def expected_accepted(self) -> int:
        return sum(1 for item in self.expected if item.accepted)

    @property
    def other_count(self) -> int:
        return self.other.count if self.other else 0

    @property
    def is_complete(self) -> bool:
        """Every expected document is there and accepted (or, with none listed, one accepted item)."""
        if self.expected:
            return self.expected_accepted == len(self.expected)
        return self.accepted_count > 0


def question_evidence(question, items, *, may_upload_here: bool, comment_count: int = 0) -> QuestionEvidence:
    state = QuestionEvidence(items=items, may_upload=may_upload_here, comment_count=comment_count)
    expected = question.expected_evidence or []
    for text in expected:
        matching = [item for item in items if item.expected_item == text]
        state.expected.append(ExpectedItem(
            text=text, present=bool(matching), count=len(matching),
            accepted=any(item.status == EvidenceStatus.DITERIMA for item in matching),
        ))
    others = [item for item in items if item.expected_item not in expected]
    if expected and others:
        state.other = ExpectedItem(text=_("Lainnya"), present=True, count=len(others),
                                   accepted=any(item.status == EvidenceStatus.DITERIMA for item in others))
    return state


def attach_to_questions(*, assessment, questions, user) -> dict:
    """Set `question.evidence_state` (a QuestionEvidence) on every question; return page context.

    Queries: the assessment's active items, comment counts per question, and the user's
    membership (cached per request) — the same number whatever the amount of evidence.
    """
    items_by_question: dict[int, list] = {}
    items = (
        Evidence.objects.for_assessment(assessment).active()
        .only("code", "question_id", "kind", "title", "status", "withdrawn", "expected_item")
        .order_by("created_at", "pk")
    )
    for item in items:
        items_by_question.setdefault(item.question_id, []).append(item)
    comments = dict(
        Comment.objects.filter(assessment=assessment).order_by().values("question_id")
        .annotate(n=Count("pk")).values_list("question_id", "n")
    )
    totals = {"items": 0, "accepted": 0, "submitted": 0, "revision": 0, "complete": 0}
    for question in questions:
        state = question_evidence(
            question, items_by_question.get(question.pk, []),
            may_upload_here=may_upload(user, assessment, question), comment_count=comments.get(question.pk, 0),
        )
        question.evidence_state = state
        totals["items"] += state.count
        totals["accepted"] += state.accepted_count
        totals["submitted"] += sum(1 for item in state.items if item.status == EvidenceStatus.DIAJUKAN)
        totals["revision"] += state.revision_count
        totals["complete"] += state.is_complete
    from .forms import accept_attribute

    return {"evidence_totals": totals, "evidence_may_review": may_review(user, assessment),
            "evidence_accept": accept_attribute()}


def indicator_of(question):
    """The indikator node a question belongs to (questions may sit under a sub-indikator)."""
    node = question.node
    while node.kind != NodeKind.INDIKATOR and node.parent_id is not None:
        node = node.parent
    return node


def question_page(*, assessment, question, user) -> dict:
    """Everything the question page shows: items with versions, withdrawn items, completeness, thread."""
    items = list(
        Evidence.objects.for_assessment(assessment).for_question(question)
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=EvidenceVersion.objects.select_related("uploaded_by")))
        .order_by("created_at", "pk")
    )
    for item in items:
        versions = list(item.versions.all())
        item.current_version = versions[-1] if versions else None
    active = [item for item in items if not item.withdrawn]
    state = question_evidence(question, active, may_upload_here=may_upload(user, assessment, question))
    return {
        "state": state,
        "withdrawn_items": [item for item in items if item.withdrawn],
        "comments": Comment.objects.filter(assessment=assessment, question=question).select_related("author"),
        "may_comment": may_comment(user, assessment, question),
        "may_review": may_review(user, assessment),
        "indicator": indicator_of(question),
    }


@dataclass
class TimelineEntry:
    when: object
    who: object
    text: str
    note: str = ""
    kind: str = "review"  # "review" or "audit"


def evidence_page(*, evidence, user) -> dict:
    """The item page: versions (newest first), the current one, and the timeline."""
    versions = list(evidence.versions.select_related("uploaded_by").order_by("-number"))
    review_events = list(evidence.review_events.select_related("actor"))
    entries = [
        TimelineEntry(when=e.created_at, who=e.actor,
                      text=f"{EvidenceStatus(e.from_status).label} → {EvidenceStatus(e.to_status).label}",
                      note=e.note)
        for e in review_events
    ]
    show_audit = may_see_audit(user, evidence.assessment)
    if show_audit:
        audit = evidence.audit_events.select_related("actor").exclude(action=AuditAction.STATUS)
        entries += [
            TimelineEntry(when=e.created_at, who=e.actor, kind="audit",
                          text=f"{e.get_action_display()}: {e.detail}" if e.detail else e.get_action_display(),
                          note=e.ip_address or "")
            for e in audit
        ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return {
        "versions": versions,
        "current": versions[0] if versions else None,
        "revision_request": _revision_request(evidence, review_events),
        "timeline": entries,
        "show_audit": show_audit,
        "may_upload": may_upload(user, evidence.assessment, evidence.question),
        "may_review": may_review(user, evidence.assessment),
    }



def _revision_request(evidence, review_events):
    """The review event that asked for the revision the item is waiting for, if any."""
    if evidence.status != EvidenceStatus.PERLU_PERBAIKAN:
        return None
    return next((e for e in reversed(review_events) if e.to_status == EvidenceStatus.PERLU_PERBAIKAN), None)


def same_file_elsewhere(version) -> list:
    """Other active items of the same question (and assessment) holding a file with the same
    SHA-256: the upload stays, but the person is told (docs/usability.md)."""
    evidence = version.evidence
    return list(
        Evidence.objects.active()
        .filter(assessment_id=evidence.assessment_id, question_id=evidence.question_id,
                versions__sha256=version.sha256)
        .exclude(pk=evidence.pk).distinct().order_by("created_at")
    )
