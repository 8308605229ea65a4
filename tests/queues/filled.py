"""Checks on the filled demo (seed_demo --filled), called from tests/test_seed_demo.py so the slow
seed runs once: every "Tugas saya" count on the landing page equals a count computed here
independently in Python, and the demo users have e-mail addresses and some unread notifications."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from evidence.models import Evidence, EvidenceStatus
from notifications.models import Notification
from plans.models import PlanItem, PlanStatus
from scoring.models import Answer, Side


def landing_counts(client, user) -> dict[str, int]:
    client.force_login(user)
    html = client.get(reverse("home") + "?daftar=1").content.decode()
    return {key: int(n) for key, n in re.findall(
        r'data-queue="([\w-]+)">\s*<span>[^<]*</span>\s*<span class="[^"]*" data-count>(\d+)</span>', html)}


def expected_counts(assessment, membership, today) -> dict[str, int]:
    questions = {q.pk: q.change_area_id for q in assessment.instrument.questions.all()}
    evidence = list(Evidence.objects.filter(assessment=assessment, withdrawn=False)
                    .values_list("question_id", "status"))
    answers = {(a.question_id, a.side): a for a in Answer.objects.filter(assessment=assessment)}
    items = list(PlanItem.objects.filter(assessment=assessment))
    horizon = today + timedelta(days=14)
    mine = membership.role == Role.TIM_KERJA
    areas = {a.pk for a in membership.areas.all()} if mine else None

    def in_scope(question_id):
        return areas is None or questions[question_id] in areas

    def answered(question_id, side):
        answer = answers.get((question_id, side))
        return answer is not None and answer.value is not None

    with_evidence = {q for q, _s in evidence}
    unfinished = [i for i in items if i.status != PlanStatus.SELESAI and i.target_end is not None]
    if membership.role in (Role.TIM_KERJA, Role.KOORDINATOR):
        counts = {
            "perbaikan": sum(1 for q, s in evidence if s == EvidenceStatus.PERLU_PERBAIKAN and in_scope(q)),
            "belum-dijawab": sum(1 for q in questions if in_scope(q) and not answered(q, Side.UNIT)),
            "tanpa-bukti": sum(1 for q in questions if in_scope(q) and q not in with_evidence),
            "rencana": sum(1 for i in unfinished if i.target_end <= horizon
                           and (not mine or i.pic_id == membership.pk)),
        }
        if not mine:
            counts["draf"] = sum(1 for _q, s in evidence if s == EvidenceStatus.DRAFT)
        return counts
    if membership.role == Role.TPI:
        return {
            "reviu": sum(1 for _q, s in evidence if s == EvidenceStatus.DIAJUKAN),
            "belum-dinilai": sum(1 for q in questions if not answered(q, Side.TPI)),
            "jawaban-berubah": sum(
                1 for q in questions if answered(q, Side.UNIT) and answered(q, Side.TPI)
                and answers[(q, Side.UNIT)].updated_at > answers[(q, Side.TPI)].updated_at),
        }
    from dashboards.selectors import unit_dashboard

    dashboard = unit_dashboard(assessment, today=today)
    wbk = dict(dashboard.area_lines)["WBK"]
    below = sum(1 for area in dashboard.areas for part in area.parts if part and part.unit_percent < wbk)
    return {"terlambat": sum(1 for i in unfinished if i.target_end < today), "area": below}


def assert_demo_queues_and_notifications(assessment, today) -> None:
    client = Client()
    seen_nonzero = set()
    for membership in Membership.objects.filter(unit=assessment.unit).select_related("user"):
        expected = expected_counts(assessment, membership, today)
        assert landing_counts(client, membership.user) == expected, membership.user.username
        seen_nonzero |= {key for key, n in expected.items() if n}
        assert membership.user.email
        unread = Notification.objects.filter(recipient=membership.user, read_at__isnull=True).count()
        assert 0 < unread <= 5, (membership.user.username, unread)
    # The demo exercises the queues: most of them hold something.
    wanted = {"perbaikan", "draf", "reviu", "rencana", "terlambat"}
    assert wanted <= seen_nonzero, wanted - seen_nonzero
    # The seed mailed nobody.
    assert not Notification.objects.filter(unit=assessment.unit, email_state__in=["pending", "digest"]).exists()
