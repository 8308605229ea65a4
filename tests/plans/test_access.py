"""Unit tests of plans.access: plan items, monev periods and plan imports (docs/roles.md)."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from accounts.access import team_area_ids
from areas.models import Stage
from plans import access
from plans.models import MonevPeriod, PeriodKind, PlanImport

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def item(cast, make_item):
    return make_item(path="A.I.1.i", pic=cast.timkerja.memberships.get())  # area MP: timkerja's area


@pytest.fixture
def period(cast):
    return MonevPeriod.objects.create(assessment=cast.assessment, kind=PeriodKind.MONTHLY, label="Januari 2026",
                                      start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31),
                                      due_date=datetime.date(2026, 2, 10))


def finalise(cast):
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save(update_fields=["stage"])


# --- plan items -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "koordinator", "timkerja", "tpi", "pimpinan"])
def test_plan_item_is_read_by_whoever_sees_the_unit(cast, item, who):
    assert access.get_plan_item_for_user(request_for(getattr(cast, who)), item.code) == item


def test_plan_item_of_another_unit_or_unknown_answers_404(cast, item):
    with pytest.raises(Http404, match=r"^Tidak ditemukan\.$"):
        access.get_plan_item_for_user(request_for(cast.outsider), item.code)
    with pytest.raises(Http404):
        access.get_plan_item_for_user(request_for(cast.outsider), item.code, write=True)
    with pytest.raises(Http404):
        access.get_plan_item_for_user(request_for(cast.admin), uuid.uuid4())


def test_plan_item_is_changed_by_the_team_of_its_area(cast, item, make_item):
    assert access.get_plan_item_for_user(request_for(cast.timkerja), item.code, write=True) == item
    assert access.get_plan_item_for_user(request_for(cast.koordinator), item.code, write=True) == item
    other_area = make_item(path="A.I.3.i")  # SDM: not one of timkerja's areas
    with pytest.raises(PermissionDenied, match=r"^Anda tidak berwenang mengubah rencana aksi ini\.$"):
        access.get_plan_item_for_user(request_for(cast.timkerja), other_area.code, write=True)
    for who in (cast.tpi, cast.pimpinan, cast.admin):
        with pytest.raises(PermissionDenied):
            access.get_plan_item_for_user(request_for(who), item.code, write=True)


# --- monev periods --------------------------------------------------------------------------


def test_period_is_read_by_the_unit_and_hidden_from_others(cast, period):
    MonevPeriod.objects.create(assessment=cast.assessment, kind=PeriodKind.MONTHLY, label="Februari 2026",
                               start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 28),
                               due_date=datetime.date(2026, 3, 10))
    assert access.get_period_for_user(request_for(cast.pimpinan), period.code) == period
    with pytest.raises(Http404, match=r"^Tidak ditemukan\.$"):
        access.get_period_for_user(request_for(cast.outsider), period.code)
    with pytest.raises(Http404):
        access.get_period_for_user(request_for(cast.outsider), period.code, write=True, manage=True)


def test_period_entries_are_written_by_the_team_while_open(cast, period):
    for who in (cast.timkerja, cast.koordinator):
        assert access.get_period_for_user(request_for(who), period.code, write=True) == period
    for who in (cast.tpi, cast.pimpinan, cast.admin):
        with pytest.raises(PermissionDenied, match=r"^Periode ini tidak dapat diubah oleh Anda\.$"):
            access.get_period_for_user(request_for(who), period.code, write=True)
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    with pytest.raises(PermissionDenied):
        access.get_period_for_user(request_for(cast.koordinator), period.code, write=True)


def test_period_is_closed_or_reopened_by_koordinator_and_admin(cast, period):
    assert access.get_period_for_user(request_for(cast.koordinator), period.code, manage=True) == period
    assert access.get_period_for_user(request_for(cast.admin), period.code, manage=True) == period
    for who in (cast.timkerja, cast.tpi, cast.pimpinan):
        with pytest.raises(PermissionDenied, match=r"^Hanya koordinator yang dapat menutup atau membuka periode\.$"):
            access.get_period_for_user(request_for(who), period.code, manage=True)
    finalise(cast)
    with pytest.raises(PermissionDenied):
        access.get_period_for_user(request_for(cast.koordinator), period.code, manage=True)


# --- plan imports ---------------------------------------------------------------------------


def test_plan_import_is_for_the_koordinator_only(cast):
    PlanImport.objects.create(assessment=cast.other_assessment, file_name="lain.xlsx", uploaded_by=cast.outsider)
    plan_import = PlanImport.objects.create(assessment=cast.assessment, file_name="rencana.xlsx",
                                            uploaded_by=cast.koordinator)
    assert access.get_plan_import_for_user(request_for(cast.koordinator), plan_import.code) == plan_import
    for who in (cast.timkerja, cast.tpi, cast.pimpinan, cast.admin):
        with pytest.raises(PermissionDenied, match=r"^Hanya koordinator yang dapat mengimpor rencana aksi\.$"):
            access.get_plan_import_for_user(request_for(who), plan_import.code)
    with pytest.raises(Http404):
        access.get_plan_import_for_user(request_for(cast.outsider), plan_import.code)
    finalise(cast)
    with pytest.raises(PermissionDenied, match=r"^Penilaian ini sudah final; rencana aksi tidak dapat diimpor\.$"):
        access.get_plan_import_for_user(request_for(cast.koordinator), plan_import.code)
    for who in (cast.timkerja, cast.tpi, cast.admin):  # not the koordinator: the role, not the stage, says no
        with pytest.raises(PermissionDenied, match=r"^Hanya koordinator yang dapat mengimpor rencana aksi\.$"):
            access.get_plan_import_for_user(request_for(who), plan_import.code)


def test_plan_import_comes_with_its_unit_and_instrument(cast, django_assert_num_queries):
    plan_import = PlanImport.objects.create(assessment=cast.assessment, file_name="rencana.xlsx",
                                            uploaded_by=cast.koordinator)
    request = request_for(cast.koordinator)
    team_area_ids(cast.koordinator, cast.unit)  # the membership is cached on the user
    with django_assert_num_queries(1):
        found = access.get_plan_import_for_user(request, plan_import.code)
        assert (found.assessment.unit, found.assessment.instrument) == (cast.unit, cast.assessment.instrument)


def test_period_and_plan_item_come_with_what_their_pages_show(cast, period, item, django_assert_num_queries):
    request = request_for(cast.koordinator)
    team_area_ids(cast.koordinator, cast.unit)  # the membership is cached on the user
    with django_assert_num_queries(1):
        found = access.get_period_for_user(request, period.code)
        assert (found.assessment.unit, found.assessment.instrument) == (cast.unit, cast.assessment.instrument)
    with django_assert_num_queries(1):
        found = access.get_plan_item_for_user(request, item.code)
        assert (found.assessment.unit, found.assessment.instrument) == (cast.unit, cast.assessment.instrument)
        assert (found.indicator.path, found.change_area.code) == ("A.I.1.i", "MP")
        assert found.pic.user == cast.timkerja
