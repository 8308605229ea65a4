"""Daily deadline reminders (docs/notifications.md): stage deadlines at H-14, H-7, H-1 and on the
first day overdue, plan items due in 7 days or late, monev periods about to close.

Each reminder goes to a person about an object at most once a day: a ReminderLog row is written
in the same transaction as the notification, and the unique constraint refuses a second one, so
running the job twice on a day (beat and the command, or two beat processes) sends nothing twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import TEAM_ROLES, Membership, Role
from areas.models import Assessment, Stage
from notifications.models import Kind
from notifications.services import notify
from plans.models import MonevPeriod, PlanItem

from .models import ReminderLog, ReminderRule

STAGE_DAYS = {14: ReminderRule.STAGE_H14, 7: ReminderRule.STAGE_H7, 1: ReminderRule.STAGE_H1,
              -1: ReminderRule.STAGE_OVERDUE}
PLAN_DUE_DAYS = 7
# A late plan item is reminded on its first late day and then every this many days.
PLAN_LATE_EVERY = 7
MONEV_DAYS = (3, 1)


@dataclass
class Reminder:
    user: object
    unit: object
    object_key: str
    rule: str
    title: str
    body: str
    url: str

    def __str__(self):
        return f"{self.user.username}: {self.title}"


def _members(unit_ids, roles):
    by_unit: dict[int, list] = {}
    for m in Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, unit__is_active=True,
                                       user__is_active=True).select_related("user"):
        by_unit.setdefault(m.unit_id, []).append(m.user)
    return by_unit


def stage_reminders(today: date) -> list[Reminder]:
    wanted = [today + timedelta(days=days) for days in STAGE_DAYS]
    found = []
    assessments = list(Assessment.objects.open().filter(unit__is_active=True).select_related("unit"))
    due = [(a, a.current_deadline) for a in assessments if a.current_deadline in wanted]
    team = _members({a.unit_id for a, _d in due}, TEAM_ROLES)
    tpi = _members({a.unit_id for a, _d in due if a.stage == Stage.REVIU}, [Role.TPI])
    for assessment, deadline in due:
        days = (deadline - today).days
        stage = Stage(assessment.stage).label
        if days < 0:
            title = _("Batas tahap %(stage)s %(unit)s terlewati (%(date)s)")
        elif days == 1:
            title = _("Besok batas tahap %(stage)s %(unit)s (%(date)s)")
        else:
            title = _("%(days)d hari lagi batas tahap %(stage)s %(unit)s (%(date)s)")
        title = title % {"stage": stage, "unit": assessment.unit.name, "date": deadline.strftime("%d-%m-%Y"),
                         "days": days}
        people = team.get(assessment.unit_id, []) + (tpi.get(assessment.unit_id, [])
                                                     if assessment.stage == Stage.REVIU else [])
        for user in people:
            found.append(Reminder(user, assessment.unit, f"stage:{assessment.code}:{assessment.stage}",
                                  STAGE_DAYS[days], title, _("Periksa Tugas saya untuk pekerjaan yang tersisa."),
                                  reverse("workspace:start", args=[assessment.code])))
    return found


def plan_reminders(today: date) -> list[Reminder]:
    items = (PlanItem.objects.unfinished().filter(assessment__unit__is_active=True, target_end__isnull=False,
                                                  target_end__lte=today + timedelta(days=PLAN_DUE_DAYS))
             .exclude(assessment__stage=Stage.FINAL).select_related("assessment__unit", "pic__user"))
    chosen = []
    for item in items:
        days_late = (today - item.target_end).days
        if item.target_end == today + timedelta(days=PLAN_DUE_DAYS):
            chosen.append((item, ReminderRule.PLAN_DUE, _("Rencana aksi jatuh tempo %(date)s: %(steps)s")))
        elif days_late >= 1 and (days_late - 1) % PLAN_LATE_EVERY == 0:
            chosen.append((item, ReminderRule.PLAN_LATE, _("Rencana aksi terlambat sejak %(date)s: %(steps)s")))
    koordinators = _members({item.assessment.unit_id for item, _r, _t in chosen if not item.pic_id},
                            [Role.KOORDINATOR])
    found = []
    for item, rule, title in chosen:
        people = [item.pic.user] if item.pic_id and item.pic.user.is_active else koordinators.get(
            item.assessment.unit_id, [])
        body = _("Target: %(target)s. PIC: %(pic)s. Progres: %(progress)d%%.") % {
            "target": item.target_label or item.target_text, "pic": item.pic_display or "—",
            "progress": item.progress}
        for user in people:
            found.append(Reminder(user, item.assessment.unit, f"plan:{item.code}", rule,
                                  title % {"date": item.target_end.strftime("%d-%m-%Y"), "steps": item.steps[:100]},
                                  body, reverse("plans:item", args=[item.code])))
    return found


def monev_reminders(today: date) -> list[Reminder]:
    days = [today + timedelta(days=d) for d in MONEV_DAYS]
    periods = list(MonevPeriod.objects.filter(closed_at__isnull=True, due_date__in=days,
                                              assessment__unit__is_active=True)
                   .exclude(assessment__stage=Stage.FINAL).select_related("assessment__unit"))
    team = _members({p.assessment.unit_id for p in periods}, TEAM_ROLES)
    found = []
    for period in periods:
        title = _("Monev %(period)s harus diisi paling lambat %(date)s") % {
            "period": period.label, "date": period.due_date.strftime("%d-%m-%Y")}
        for user in team.get(period.assessment.unit_id, []):
            found.append(Reminder(user, period.assessment.unit, f"monev:{period.code}", ReminderRule.MONEV_CLOSING,
                                  title, _("Isi realisasi dan progres setiap rencana aksi untuk periode ini."),
                                  reverse("plans:period", args=[period.code])))
    return found


def due_reminders(today: date) -> list[Reminder]:
    """Everything due today, before de-duplication against what was already sent."""
    return stage_reminders(today) + plan_reminders(today) + monev_reminders(today)


def reminders_send(*, today: date, dry_run: bool = False) -> list[Reminder]:
    """Send today's reminders not sent yet; returns those sent (or, with dry_run, those it would send)."""
    candidates = due_reminders(today)
    sent_keys = set(ReminderLog.objects.filter(day=today).values_list("user_id", "object_key"))
    fresh, seen = [], set()
    for reminder in candidates:
        key = (reminder.user.pk, reminder.object_key)
        if key in sent_keys or key in seen:
            continue
        seen.add(key)
        fresh.append(reminder)
    if dry_run:
        return fresh
    sent = []
    for reminder in fresh:
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=reminder.user, object_key=reminder.object_key, rule=reminder.rule,
                                           day=today)
                notify(recipients=[reminder.user], kind=Kind.REMINDER, title=reminder.title, body=reminder.body,
                       url=reminder.url, object_label=reminder.object_key, unit=reminder.unit)
        except IntegrityError:
            continue  # another run sent it meanwhile
        sent.append(reminder)
    return sent
