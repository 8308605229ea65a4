"""Realistic dashboard data, fast enough for 50 units: answers on both sides in every area (some
questions left open), evidence in every review status (and a withdrawn item that must not count),
plan items done / on time / late in every area, and monev periods with entries.

Rows are written in bulk; the values go through the engine's own best/worst answers, so every
stored answer is valid for the instrument. Used by tests/dashboards, tests/e2e and tests/bench.
"""

from datetime import date, timedelta
from itertools import cycle

from django.utils import timezone

from areas.models import NodeKind
from evidence.models import Evidence, EvidenceKind, EvidenceStatus
from plans.models import MonevEntry, MonevPeriod, PeriodKind, PlanItem, PlanStatus
from scoring import engine
from scoring.models import Answer, Side
from scoring.selectors import engine_instrument

STATUSES = [EvidenceStatus.DITERIMA, EvidenceStatus.DIAJUKAN, EvidenceStatus.DRAFT, EvidenceStatus.DITERIMA,
            EvidenceStatus.PERLU_PERBAIKAN]


def _middle(ins, path):
    """A middle option where there is one (B of A–C), else the best answer."""
    options = list(ins.questions[path].options)
    return options[len(options) // 2] if len(options) > 2 else engine.best_answer(ins, path)


def build_answers(assessment, *, unit_user, tpi_user=None, seed=0, skip_every=7):
    """Unit answers on most questions (every `skip_every`-th left open); TPI answers when tpi_user is
    given, disagreeing with the unit on every third question."""
    ins = engine_instrument(assessment.instrument, with_thresholds=False)
    questions = {q.path: q for q in assessment.instrument.questions.all()}
    rows = []
    now = timezone.now()
    for number, path in enumerate(ins.questions):
        turn = (number + seed) % 4
        if skip_every and (number + seed) % skip_every == skip_every - 1:
            continue
        unit_value = (engine.worst_answer(ins, path) if turn == 0 else _middle(ins, path) if turn == 1
                      else engine.best_answer(ins, path))
        sides = [(Side.UNIT, unit_value, unit_user)]
        if tpi_user is not None:
            tpi_value = engine.worst_answer(ins, path) if number % 3 == 0 else unit_value
            sides.append((Side.TPI, tpi_value, tpi_user))
        for side, value, user in sides:
            rows.append(Answer(
                assessment=assessment, question=questions[path], side=side, updated_by=user, updated_at=now,
                version=1,
                option=value if isinstance(value, str) else "",
                counts=list(value) if isinstance(value, tuple) else None,
                index=value if isinstance(value, float) else None,
            ))
    Answer.objects.bulk_create(rows)
    return rows


def build_evidence(assessment, *, owner, count=10):
    """`count` link items spread over the questions of every area, statuses cycling through all four,
    plus one withdrawn accepted item (which no count may include)."""
    questions = list(assessment.instrument.questions.order_by("order"))
    statuses = cycle(STATUSES)
    items = [
        Evidence(assessment=assessment, question=questions[(number * 7) % len(questions)], kind=EvidenceKind.LINK,
                 title=f"Bukti {number + 1}", url=f"https://unit.example.go.id/bukti/{number + 1}",
                 status=next(statuses), owner=owner)
        for number in range(count)
    ]
    items.append(Evidence(assessment=assessment, question=questions[1], kind=EvidenceKind.LINK, title="Ditarik",
                          url="https://unit.example.go.id/ditarik", status=EvidenceStatus.DITERIMA, owner=owner,
                          withdrawn=True, withdrawn_at=timezone.now()))
    Evidence.objects.bulk_create(items)
    return items


def build_plans(assessment, *, user, today: date, per_indicator=1):
    """Plan items on every indicator, cycling through done, late (target ended, not done) and on time
    (target still ahead); the first hasil indicator too."""
    indicators = list(assessment.instrument.nodes.filter(kind=NodeKind.INDIKATOR).order_by("order"))
    kinds = cycle(["done", "late", "on_time", "late_running", "on_time_running"])
    items = []
    for indicator in indicators:
        for number in range(per_indicator):
            kind = next(kinds)
            late = kind.startswith("late")
            end = today - timedelta(days=45) if late or kind == "done" else today + timedelta(days=40)
            status = (PlanStatus.SELESAI if kind == "done" else PlanStatus.BERJALAN if kind.endswith("running")
                      else PlanStatus.BELUM)
            items.append(PlanItem(
                assessment=assessment, indicator=indicator, change_area_id=indicator.change_area_id,
                steps=f"Langkah aksi {indicator.path} {number + 1}",
                output="Laporan kegiatan", target_text=end.strftime("%m/%Y"), target_start=end.replace(day=1),
                target_end=end, status=status, progress=100 if status == PlanStatus.SELESAI else 40,
                order=number + 1, created_by=user,
            ))
    PlanItem.objects.bulk_create(items)
    return list(PlanItem.objects.for_assessment(assessment).order_by("pk"))


def build_monev(assessment, items, *, user, today: date, periods=2):
    """`periods` monthly periods ending before today, oldest first; in each, most items get an entry
    with growing progress (some reach 100), a few none."""
    created = []
    for back in range(periods, 0, -1):
        month_end = today.replace(day=1) - timedelta(days=1)
        for _step in range(back - 1):
            month_end = month_end.replace(day=1) - timedelta(days=1)
        start = month_end.replace(day=1)
        created.append(MonevPeriod.objects.create(
            assessment=assessment, kind=PeriodKind.MONTHLY, label=f"Periode {start:%m/%Y}", start=start,
            end=month_end, due_date=month_end + timedelta(days=10)))
    entries = []
    for number, period in enumerate(created):
        for position, item in enumerate(items):
            if position % 5 == 4:
                continue
            progress = min(100, 30 + 35 * number + (position % 3) * 20)
            entries.append(MonevEntry(period=period, plan_item=item, realisasi=f"Realisasi {position + 1}",
                                      progress=progress, updated_by=user))
    MonevEntry.objects.bulk_create(entries)
    return created


def set_deadlines(assessment, today: date):
    assessment.pembangunan_deadline = today - timedelta(days=30)
    assessment.mandiri_deadline = today + timedelta(days=12)
    assessment.reviu_deadline = today + timedelta(days=40)
    assessment.final_deadline = today + timedelta(days=70)
    assessment.save()


def build_assessment_data(assessment, *, unit_user, tpi_user, today: date, evidence=10, plans_per_indicator=1,
                          periods=2, seed=0):
    """Everything the unit dashboard shows, for one assessment."""
    build_answers(assessment, unit_user=unit_user, tpi_user=tpi_user, seed=seed)
    build_evidence(assessment, owner=unit_user, count=evidence)
    items = build_plans(assessment, user=unit_user, today=today, per_indicator=plans_per_indicator)
    build_monev(assessment, items, user=unit_user, today=today, periods=periods)
    set_deadlines(assessment, today)
