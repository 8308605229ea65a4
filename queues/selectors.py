"""Work queues ("Tugas saya"): what waits for each person, per assessment and role.

Every count shown on the landing page, the assessment overview and the dashboard is the count of
the very queryset the list page shows (evidence_queue, question_queue, plan_queue), so the two can
never disagree. Each count is one query, whatever the amount of evidence. Rules: docs/notifications.md.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.access import membership_in, remember_membership, team_area_ids
from accounts.models import Membership, Role
from areas.models import ChangeArea, Question
from evidence.models import Evidence, EvidenceStatus
from plans.models import PlanItem
from scoring.models import Answer, Side

# Plan items due within this many days (or already late) are in the PIC's queue.
PLAN_HORIZON_DAYS = 14
HASIL = "hasil"  # the area filter's value for questions and indicators outside the six areas

QUESTION_STATUSES = {
    "belum-dijawab": _("Belum dijawab unit"),
    "tanpa-bukti": _("Belum ada bukti"),
    "belum-dinilai": _("Belum dinilai TPI"),
    "jawaban-berubah": _("Jawaban unit berubah setelah dinilai TPI"),
}
PLAN_STATUSES = {
    "perhatian": _("Jatuh tempo ≤ 14 hari atau terlambat"),
    "jatuh-tempo": _("Jatuh tempo ≤ 14 hari"),
    "terlambat": _("Terlambat"),
    "semua": _("Semua yang belum selesai"),
}


# --- the three lists --------------------------------------------------------------------------


def _area_filter(queryset, prefix: str, area: str):
    if not area:
        return queryset
    if area == HASIL:
        return queryset.filter(**{f"{prefix}change_area": None})
    return queryset.filter(**{f"{prefix}change_area__code": area})


def evidence_queue(assessment, *, area_ids=None, status: str = "", area: str = "", query: str = ""):
    """Active evidence of the assessment, oldest status change first (the review order).

    area_ids: None for every question, or the change areas a tim kerja member holds.
    """
    items = (Evidence.objects.for_assessment(assessment).active()
             .select_related("question__change_area", "owner"))
    if area_ids is not None:
        items = items.filter(question__change_area_id__in=area_ids)
    if status in EvidenceStatus.values:
        items = items.filter(status=status)
    items = _area_filter(items, "question__", area)
    if query:
        items = items.filter(Q(title__icontains=query) | Q(question__path__istartswith=query)
                             | Q(question__text__icontains=query))
    return items.order_by(F("status_changed_at").asc(nulls_first=True), "created_at", "pk")


def _answered(assessment, side):
    return (Answer.objects.filter(assessment=assessment, question=OuterRef("pk"), side=side)
            .filter(~Q(option="") | Q(counts__isnull=False) | Q(index__isnull=False)))


def question_queue(assessment, *, area_ids=None, status: str = "", area: str = "", query: str = ""):
    """The assessment's questions in one of QUESTION_STATUSES, in instrument order."""
    questions = Question.objects.filter(instrument_id=assessment.instrument_id).select_related("change_area")
    if area_ids is not None:
        questions = questions.filter(change_area_id__in=area_ids)
    if status == "belum-dijawab":
        questions = questions.filter(~Exists(_answered(assessment, Side.UNIT)))
    elif status == "tanpa-bukti":
        questions = questions.filter(~Exists(
            Evidence.objects.for_assessment(assessment).active().filter(question=OuterRef("pk"))))
    elif status == "belum-dinilai":
        questions = questions.filter(~Exists(_answered(assessment, Side.TPI)))
    elif status == "jawaban-berubah":
        tpi_at = Subquery(_answered(assessment, Side.TPI).values("updated_at")[:1])
        questions = questions.filter(Exists(_answered(assessment, Side.TPI)), Exists(
            _answered(assessment, Side.UNIT).filter(updated_at__gt=tpi_at)))
    questions = _area_filter(questions, "", area)
    if query:
        questions = questions.filter(Q(path__istartswith=query) | Q(text__icontains=query))
    return questions.order_by("order")


def plan_queue(assessment, *, today, pic=None, status: str = "perhatian", area: str = "", query: str = ""):
    """Unfinished plan items by due date. pic: a Membership to keep only that person's items."""
    items = (PlanItem.objects.for_assessment(assessment).unfinished()
             .select_related("indicator__change_area", "pic__user"))
    horizon = today + timedelta(days=PLAN_HORIZON_DAYS)
    if pic is not None:
        items = items.filter(pic=pic)
    if status == "terlambat":
        items = items.filter(target_end__lt=today)
    elif status == "jatuh-tempo":
        items = items.filter(target_end__gte=today, target_end__lte=horizon)
    elif status != "semua":
        items = items.filter(target_end__lte=horizon)
    items = _area_filter(items, "indicator__", area)
    if query:
        items = items.filter(Q(steps__icontains=query) | Q(output__icontains=query) | Q(pic_name__icontains=query))
    return items.order_by(F("target_end").asc(nulls_last=True), "indicator__order", "order", "pk")


# --- the queues of one person ------------------------------------------------------------------


@dataclass
class Queue:
    key: str
    label: str
    count: int
    url: str
    tone: str = "secondary"


@dataclass
class AssessmentQueues:
    assessment: object
    membership: Membership
    queues: list[Queue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(queue.count for queue in self.queues)


def _url(name: str, assessment, **params) -> str:
    params = {key: value for key, value in params.items() if value}
    base = reverse(f"queues:{name}", args=[assessment.code])
    return f"{base}?{urlencode(params)}" if params else base


def queues_for(user, assessment, *, today) -> AssessmentQueues | None:
    """The queues one person has on one assessment (None for a final assessment or a non-member).

    Queries: the membership (cached per request) and one count per queue.
    """
    membership = membership_in(user, assessment.unit)
    if membership is None or assessment.is_final:
        return None
    result = AssessmentQueues(assessment=assessment, membership=membership)
    role = membership.role
    add = result.queues.append
    if role in (Role.TIM_KERJA, Role.KOORDINATOR):
        mine = role == Role.TIM_KERJA
        area_ids = team_area_ids(user, assessment.unit)
        add(Queue("perbaikan", _("Bukti perlu perbaikan"),
                  evidence_queue(assessment, area_ids=area_ids, status=EvidenceStatus.PERLU_PERBAIKAN).count(),
                  _url("evidence", assessment, status=EvidenceStatus.PERLU_PERBAIKAN, saya=int(mine)), "warning"))
        if role == Role.KOORDINATOR:
            add(Queue("draf", _("Bukti draf menunggu diajukan"),
                      evidence_queue(assessment, status=EvidenceStatus.DRAFT).count(),
                      _url("evidence", assessment, status=EvidenceStatus.DRAFT)))
        for status in ("belum-dijawab", "tanpa-bukti"):
            add(Queue(status, QUESTION_STATUSES[status],
                      question_queue(assessment, area_ids=area_ids, status=status).count(),
                      _url("questions", assessment, status=status, saya=int(mine))))
        label = _("Rencana aksi saya: jatuh tempo ≤ 14 hari atau terlambat") if mine else _(
            "Rencana aksi jatuh tempo ≤ 14 hari atau terlambat")
        add(Queue("rencana", label,
                  plan_queue(assessment, today=today, pic=membership if mine else None).count(),
                  _url("plans", assessment, status="perhatian", saya=int(mine)), "danger"))
    elif role == Role.TPI:
        add(Queue("reviu", _("Bukti menunggu reviu"),
                  evidence_queue(assessment, status=EvidenceStatus.DIAJUKAN).count(),
                  _url("evidence", assessment, status=EvidenceStatus.DIAJUKAN), "primary"))
        for status in ("belum-dinilai", "jawaban-berubah"):
            add(Queue(status, QUESTION_STATUSES[status], question_queue(assessment, status=status).count(),
                      _url("questions", assessment, status=status), "warning" if status == "jawaban-berubah"
                      else "secondary"))
    elif role == Role.PIMPINAN:
        add(Queue("terlambat", _("Rencana aksi terlambat"),
                  plan_queue(assessment, today=today, status="terlambat").count(),
                  _url("plans", assessment, status="terlambat"), "danger"))
        add(Queue("area", _("Bagian area di bawah batas WBK (jawaban unit)"), areas_below_wbk(assessment),
                  reverse("dashboards:unit", args=[assessment.code]) + "#judul-area", "warning"))
    return result


def areas_below_wbk(assessment) -> int:
    """How many area checks of the WBK predicate the unit's answers fail (the dashboard's red bars)."""
    from scoring.selectors import engine_instrument, score_sides

    sides = score_sides(assessment=assessment, ins=engine_instrument(assessment.instrument), people=False)
    result = sides[Side.UNIT].predicates.get("WBK")
    if result is None:
        return 0
    return sum(1 for check in result.checks if check.unit == "%" and not check.passed)


def landing_queues(user, memberships, *, today) -> list[AssessmentQueues]:
    """For the landing page: each unit's newest open assessment (memberships come with their
    unit's assessments prefetched, newest first)."""
    found = []
    for membership in memberships:
        remember_membership(user, membership)
        assessment = next((a for a in membership.unit.assessments.all() if not a.is_final), None)
        if assessment is not None:
            queues = queues_for(user, assessment, today=today)
            if queues is not None:
                found.append(queues)
    return found


def area_choices(user, assessment, *, mine: bool):
    """Areas the list's area filter offers: a tim kerja member's own areas when looking at their queue."""
    areas = list(ChangeArea.objects.all())
    if mine:
        allowed = team_area_ids(user, assessment.unit)
        if allowed is not None:
            areas = [area for area in areas if area.pk in allowed]
            return [(area.code, area.name) for area in areas]
    return [(area.code, area.name) for area in areas] + [(HASIL, _("Hasil"))]
