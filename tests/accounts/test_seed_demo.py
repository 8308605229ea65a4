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
