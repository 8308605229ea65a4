"""Deadline reminders: which days, to whom, once per person, object and day."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
import yaml
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Role
from areas.models import Stage
from notifications.models import Kind, Notification
from plans import services as plan_services
from plans.models import PlanItem
from queues.models import ReminderLog
from queues.reminders import reminders_send
from queues.tasks import send_reminders
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = date(2026, 10, 31)


def reminded(day) -> dict[str, list[str]]:
    """username -> titles of the reminders sent on day."""
    result = {}
    for reminder in reminders_send(today=day):
        result.setdefault(reminder.user.username, []).append(reminder.title)
    return result


@pytest.fixture
def reviu(cast):
    cast.assessment.stage = Stage.REVIU
    cast.assessment.reviu_deadline = DEADLINE
    cast.assessment.year = 2026
    cast.assessment.save()
    return cast


@pytest.mark.parametrize("days_before", [14, 7, 1, -1])
def test_stage_deadlines_remind_the_team_and_in_reviu_the_tpi(reviu, days_before):
    sent = reminded(DEADLINE - timedelta(days=days_before))
    assert set(sent) == {"koordinator", "timkerja", "tpi"}  # not the pimpinan, not another unit
    title = sent["timkerja"][0]
    assert "31-10-2026" in title and "Reviu TPI" in title
    if days_before == -1:
        assert "terlewati" in title


@pytest.mark.parametrize("days_before", [15, 13, 8, 6, 2, 0, -2, -8])
def test_other_days_remind_nobody(reviu, days_before):
    assert reminded(DEADLINE - timedelta(days=days_before)) == {}


def test_outside_the_reviu_stage_the_tpi_is_not_reminded(cast):
    cast.assessment.stage = Stage.PEMBANGUNAN
    cast.assessment.pembangunan_deadline = DEADLINE
    cast.assessment.save()
    assert set(reminded(DEADLINE - timedelta(days=7))) == {"koordinator", "timkerja"}


def test_a_final_assessment_reminds_nobody(cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.final_deadline = DEADLINE
    cast.assessment.save()
    assert reminded(DEADLINE - timedelta(days=1)) == {}


def _plan(cast, *, end, pic=None, pic_name="", status="belum"):
    item = plan_services.plan_item_create(
        assessment=cast.assessment, indicator=cast.assessment.instrument.nodes.get(path="A.I.1.i"),
        steps="Menyusun SK tim kerja", output="SK", target_text="Juni 2026", user=cast.koordinator, pic=pic,
        pic_name=pic_name)
    PlanItem.objects.filter(pk=item.pk).update(target_end=end, target_start=end - timedelta(days=30), status=status)
    return item


def test_plan_items_remind_the_pic_seven_days_before_and_when_late(cast):
    today = date(2026, 6, 1)
    pic = Membership.objects.get(user=cast.timkerja)
    _plan(cast, end=today + timedelta(days=7), pic=pic)
    _plan(cast, end=today - timedelta(days=1), pic=pic)  # first late day
    _plan(cast, end=today - timedelta(days=8), pic=pic)  # a week later: reminded again
    _plan(cast, end=today - timedelta(days=2), pic=pic)  # between: not
    _plan(cast, end=today + timedelta(days=6), pic=pic)  # not exactly 7 days: not
    _plan(cast, end=today + timedelta(days=7), pic=pic, status="selesai")  # done: never
    sent = reminded(today)
    assert list(sent) == ["timkerja"]
    assert sorted(t.split(":")[0] for t in sent["timkerja"]) == [
        "Rencana aksi jatuh tempo 08-06-2026", "Rencana aksi terlambat sejak 24-05-2026",
        "Rencana aksi terlambat sejak 31-05-2026"]


def test_a_plan_item_with_a_free_text_pic_reminds_the_koordinator(cast):
    today = date(2026, 6, 1)
    _plan(cast, end=today + timedelta(days=7), pic_name="Pak Joko (Subbag Umum)")
    assert list(reminded(today)) == ["koordinator"]


def test_monev_periods_closing_remind_the_team(cast):
    cast.assessment.year = 2026
    cast.assessment.save()
    [period, *_rest] = plan_services.monev_periods_generate(assessment=cast.assessment, kind="triwulan")
    sent = reminded(period.due_date - timedelta(days=3))
    assert set(sent) == {"koordinator", "timkerja"}
    assert period.label in sent["koordinator"][0]
    plan_services.monev_period_close(period=period, user=cast.koordinator)
    assert reminded(period.due_date - timedelta(days=1)) == {}


def test_running_twice_on_a_day_sends_nothing_twice(reviu, django_capture_on_commit_callbacks):
    day = DEADLINE - timedelta(days=7)
    _plan(reviu, end=day + timedelta(days=7), pic=Membership.objects.get(user=reviu.timkerja))
    first = reminders_send(today=day)
    assert len(first) == 4  # three stage reminders and the PIC's plan reminder
    notifications = Notification.objects.filter(kind=Kind.REMINDER).count()
    assert notifications == 4
    assert reminders_send(today=day) == []
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    assert "0 pengingat dikirim" in out.getvalue()
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 4
    assert ReminderLog.objects.filter(day=day).count() == 4
    # The next matching day is a new day: reminded again.
    assert len(reminders_send(today=DEADLINE - timedelta(days=1))) == 3


def test_the_command_dry_run_lists_and_sends_nothing(reviu):
    out = StringIO()
    call_command("send_reminders", "--today", "2026-10-24", "--dry-run", stdout=out)
    assert "3 pengingat akan dikirim" in out.getvalue() and "timkerja" in out.getvalue()
    assert not ReminderLog.objects.exists() and not Notification.objects.exists()
    call_command("send_reminders", "--today", "2026-10-24", stdout=out)
    assert ReminderLog.objects.count() == 3


def test_the_command_refuses_a_malformed_date(reviu):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "24-10-2026")


def test_the_beat_task_uses_the_day_in_jakarta(reviu):
    # 00:30 UTC on 17 Oct is 07:30 in Jakarta on 17 Oct: H-14.
    with time_machine.travel(datetime(2026, 10, 17, 0, 30, tzinfo=UTC), tick=False):
        assert timezone.localdate() == date(2026, 10, 17)
        send_reminders.delay()
    assert ReminderLog.objects.filter(day=date(2026, 10, 17)).count() == 3
    # 23:30 UTC on 16 Oct is already 17 Oct in Jakarta: the same day, nothing new.
    with time_machine.travel(datetime(2026, 10, 16, 23, 30, tzinfo=UTC), tick=False):
        send_reminders.delay()
    assert ReminderLog.objects.count() == 3


def test_the_beat_schedule_runs_reminders_at_seven_in_jakarta():
    entry = settings.CELERY_BEAT_SCHEDULE["queues-send-reminders"]
    assert entry["task"] == "queues.tasks.send_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"
    assert settings.CELERY_BEAT_SCHEDULE["notifications-send-digests"]["task"] == "notifications.tasks.send_digests"


def test_docker_compose_runs_one_beat_with_the_reminder_hour():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = compose["services"]["beat"]
    assert beat["command"][:4] == ["celery", "-A", "zi_portal", "beat"]
    assert beat["environment"]["REMINDER_HOUR"] == "${REMINDER_HOUR:-7}"
    assert "REDIS_URL" in beat["environment"]
    worker = compose["services"]["worker"]
    assert "celery" in worker["command"][worker["command"].index("--queues") + 1].split(",")


def test_a_membership_in_another_unit_is_never_reminded(reviu):
    MembershipFactory(user__username="lain", unit=reviu.other_unit, role=Role.TIM_KERJA)
    assert "lain" not in reminded(DEADLINE - timedelta(days=7))
