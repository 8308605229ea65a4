from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Role, Unit, User
from areas.models import Assessment

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_without_debug(settings, instrument_90):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--password", "x" * 12)
    assert not User.objects.filter(username="koordinator").exists()


def test_seed_demo_creates_one_user_per_role_and_prints_the_logins(settings, instrument_90):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--password", "demo-sandi-123", stdout=out)
    printed = out.getvalue()
    for username in ["admin", "koordinator", "timkerja", "tpi", "pimpinan", "koordinator2"]:
        assert username in printed
        assert User.objects.get(username=username).check_password("demo-sandi-123")
    assert "demo-sandi-123" in printed
    assert User.objects.get(username="admin").is_portal_admin
    timkerja = Membership.objects.get(user__username="timkerja")
    assert timkerja.role == Role.TIM_KERJA
    assert set(timkerja.areas.values_list("code", flat=True)) == {"MP", "PT"}
    assert Membership.objects.get(user__username="koordinator2").unit != timkerja.unit
    assert Assessment.objects.filter(instrument=instrument_90).count() == 2


def test_seed_demo_enrols_admin_and_tpi_and_prints_the_same_totp_secret_every_run(settings, instrument_90):
    import base64
    import re

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    settings.DEBUG = True
    printed = []
    for _ in range(2):
        out = StringIO()
        call_command("seed_demo", "--password", "demo-sandi-123", stdout=out)
        found = re.findall(r"^\s+(\S+)\s+kunci TOTP: ([A-Z2-7]+)\s+(otpauth://\S+)", out.getvalue(), re.MULTILINE)
        printed.append({username: (secret, uri) for username, secret, uri in found})
    assert printed[0] == printed[1] and set(printed[0]) == {"admin", "tpi"}
    for username, (secret, uri) in printed[0].items():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert two_factor.secret_base32(device) == secret and f"secret={secret}" in uri
        # The code an authenticator app computes from the printed secret is accepted.
        code = TOTP(base64.b32decode(secret)).token()
        assert two_factor.second_factor_verify(user=device.user, code=f"{code:06d}") == device
    assert not TOTPDevice.objects.filter(user__username__in=["koordinator", "timkerja", "pimpinan"]).exists()


def test_seed_demo_runs_again_without_duplicates_and_with_a_new_generated_password(settings, instrument_90):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Unit.objects.count(), Membership.objects.count(), Assessment.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts == (User.objects.count(), Unit.objects.count(), Membership.objects.count(),
                      Assessment.objects.count())
    password = out.getvalue().split("kata sandi:")[1].split()[0]
    assert User.objects.get(username="tpi").check_password(password)


def test_seed_demo_filled_looks_like_a_unit_in_the_reviu_stage(settings, instrument_90):
    """--filled: both answer sides, five real evidence items per question in every review state,
    100 plan items (done, late, running), four quarterly monev periods, deadlines around today;
    --units adds units with assessments; a second run changes nothing."""
    from collections import Counter
    from datetime import date

    import time_machine
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from areas.models import Stage, StageChange
    from evidence.models import Comment, Evidence, EvidenceStatus, EvidenceVersion
    from plans.models import MonevEntry, MonevPeriod, PlanItem, PlanStatus
    from scoring.models import Answer, Side
    from tests.queues.filled import assert_demo_queues_and_notifications

    settings.DEBUG = True
    today = date(2026, 11, 30)
    with time_machine.travel(date(2026, 11, 30), tick=False):
        out = StringIO()
        call_command("seed_demo", "--password", "demo-sandi-123", "--filled", "--units", "3", stdout=out)
    assessment = Assessment.objects.get(unit__name="Balai Pelayanan Publik Demo", year=2026)
    questions = assessment.instrument.questions.count()
    assert assessment.stage == Stage.REVIU
    assert list(StageChange.objects.filter(assessment=assessment).order_by("changed_at", "id")
                .values_list("to_stage", flat=True)) == [Stage.MANDIRI, Stage.REVIU]

    # Answers: every question on both sides, with notes, and some differences.
    answers = Answer.objects.filter(assessment=assessment)
    assert answers.filter(side=Side.UNIT).exclude(note="").count() == questions
    assert answers.filter(side=Side.TPI).exclude(note="").count() == questions
    unit_values = {a.question_id: a.value for a in answers.filter(side=Side.UNIT)}
    differences = sum(1 for a in answers.filter(side=Side.TPI) if a.value != unit_values[a.question_id])
    assert 5 <= differences <= questions // 3
    assert all(a.value is not None for a in answers)

    # Evidence: five per question, files stored for real, every review state, review notes.
    evidence = Evidence.objects.filter(assessment=assessment)
    assert evidence.count() == 5 * questions
    per_question = Counter(evidence.values_list("question_id", flat=True))
    assert len(per_question) == questions and set(per_question.values()) == {5}
    statuses = dict(evidence.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(EvidenceStatus.values)
    versions = EvidenceVersion.objects.filter(evidence__assessment=assessment)
    assert versions.filter(evidence__versions__number=2).exists()
    magic = {"pdf": b"%PDF-", "jpg": b"\xff\xd8\xff"}
    kinds = Counter()
    for version in versions:
        extension = version.file.name.rsplit(".", 1)[-1]
        kinds[extension] += 1
        with default_storage.open(version.file.name, "rb") as stored:
            assert stored.read(len(magic[extension])) == magic[extension]
    assert kinds["pdf"] >= 2 * questions and kinds["jpg"] == questions
    assert evidence.filter(kind="link").count() == 2 * questions
    assert evidence.filter(status=EvidenceStatus.PERLU_PERBAIKAN, review_events__note__gt="").exists()
    assert Comment.objects.filter(assessment=assessment).count() >= 8

    # Plans: 100 items in all six areas, with PICs, done / late / not yet due.
    items = PlanItem.objects.filter(assessment=assessment)
    assert items.count() == 100
    assert set(items.values_list("indicator__change_area__code", flat=True)) == {"MP", "PT", "SDM", "AK", "PW", "PP"}
    assert items.filter(pic__isnull=False).exists() and items.exclude(pic_name="").exists()
    assert items.filter(status=PlanStatus.SELESAI).count() >= 20
    late = items.filter(target_end__lt=today).exclude(status=PlanStatus.SELESAI)
    assert late.count() >= 10
    assert items.filter(target_end__gte=today).exists()

    # Monev: four quarterly periods, entries where the period has started, the first two closed.
    periods = MonevPeriod.objects.filter(assessment=assessment).order_by("start")
    assert periods.count() == 4 and {p.kind for p in periods} == {"triwulan"}
    assert MonevEntry.objects.filter(period=periods[3]).exists()
    assert [p.is_closed for p in periods] == [True, True, False, False]

    # Deadlines: one passed, the others within a month.
    deadlines = [d for _stage, d in assessment.stage_deadlines()]
    assert sum(1 for d in deadlines if d < today) == 1
    assert all((d - today).days <= 30 for d in deadlines)

    # Users have e-mail addresses; the extra units have filled assessments.
    assert not User.objects.filter(email="").exists()
    with time_machine.travel(date(2026, 11, 30), tick=False):
        assert_demo_queues_and_notifications(assessment, today)
    extra = Assessment.objects.filter(unit__name__startswith="Unit Layanan Demo", year=2026)
    assert extra.count() == 3
    assert all(Answer.objects.filter(assessment=a).exists() for a in extra)

    # Idempotent.
    before = (Answer.objects.count(), Evidence.objects.count(), EvidenceVersion.objects.count(),
              PlanItem.objects.count(), MonevEntry.objects.count(), Comment.objects.count(), Unit.objects.count())
    with time_machine.travel(date(2026, 11, 30), tick=False):
        out = StringIO()
        call_command("seed_demo", "--password", "demo-sandi-123", "--filled", "--units", "3", stdout=out)
    assert "sudah terisi" in out.getvalue()
    assert before == (Answer.objects.count(), Evidence.objects.count(), EvidenceVersion.objects.count(),
                      PlanItem.objects.count(), MonevEntry.objects.count(), Comment.objects.count(),
                      Unit.objects.count())


def test_seed_demo_refuses_a_negative_unit_count(settings, instrument_90):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="negatif"):
        call_command("seed_demo", "--units", "-1", stdout=StringIO())
