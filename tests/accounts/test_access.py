"""Unit tests of accounts.access itself: each guard on its own, not through the views or the
services that repeat some of its rules (docs/roles.md)."""

import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts import access
from accounts.models import Role
from areas.catalogue import ensure_change_areas
from areas.models import ChangeArea
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    ensure_change_areas(ChangeArea)
    return list(ChangeArea.objects.order_by("pk")[:3])


def admin():
    return UserFactory(is_staff=True)


def member(role, unit=None, areas=()):
    return MembershipFactory(role=role, unit=unit or UnitFactory(), areas=list(areas)).user


def request_for(user):
    request = RequestFactory().get("/x/")
    request.user = user
    return request


def assessment_of(unit, final=False):
    """A stand-in with the two attributes the rule reads: the guard, not the model, is tested."""
    return SimpleNamespace(unit=unit, is_final=final)


# --- membership_in / role_in_unit ----------------------------------------------------------


def test_membership_in_finds_the_users_membership_of_that_unit_only():
    unit, other = UnitFactory(), UnitFactory()
    membership = MembershipFactory(role=Role.TPI, unit=unit)
    assert access.membership_in(membership.user, unit) == membership
    assert access.membership_in(membership.user, other) is None
    assert access.membership_in(UserFactory(), unit) is None


def test_membership_in_is_none_for_an_anonymous_user():
    assert access.membership_in(AnonymousUser(), UnitFactory()) is None


def test_membership_in_ignores_an_inactive_unit():
    unit = UnitFactory(is_active=False)
    user = member(Role.KOORDINATOR, unit)
    assert access.membership_in(user, unit) is None


def test_membership_in_is_cached_per_user_object(django_assert_num_queries):
    unit = UnitFactory()
    user = member(Role.PIMPINAN, unit)
    with django_assert_num_queries(2):  # the membership and its prefetched areas
        access.membership_in(user, unit)
    with django_assert_num_queries(0):
        assert access.membership_in(user, unit).role == Role.PIMPINAN
        assert access.role_in_unit(user, unit) == Role.PIMPINAN


def test_a_remembered_membership_is_answered_without_a_query(django_assert_num_queries):
    unit = UnitFactory()
    membership = MembershipFactory(role=Role.TPI, unit=unit)
    user = UserFactory.build(pk=membership.user.pk)  # a fresh object, nothing cached yet
    access.remember_membership(user, membership)
    access.remember_membership(user, MembershipFactory(user=membership.user, role=Role.PIMPINAN))
    with django_assert_num_queries(0):
        assert access.membership_in(user, unit) is membership
        assert access.is_tpi_of(user, unit) is True


def test_role_in_unit():
    unit = UnitFactory()
    assert access.role_in_unit(member(Role.TIM_KERJA, unit), unit) == Role.TIM_KERJA
    assert access.role_in_unit(UserFactory(), unit) is None


# --- may_see_unit ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TIM_KERJA, Role.KOORDINATOR, Role.TPI, Role.PIMPINAN])
def test_members_of_every_role_see_their_unit_and_no_other(role):
    unit = UnitFactory()
    user = member(role, unit)
    assert access.may_see_unit(user, unit) is True
    assert access.may_see_unit(user, UnitFactory()) is False


def test_admin_sees_every_unit_without_a_membership():
    assert access.may_see_unit(admin(), UnitFactory()) is True


def test_anonymous_and_inactive_users_see_nothing():
    unit = UnitFactory()
    assert access.may_see_unit(AnonymousUser(), unit) is False
    inactive = member(Role.KOORDINATOR, unit)
    inactive.is_active = False
    assert access.may_see_unit(inactive, unit) is False
    inactive_admin = UserFactory(is_superuser=True, is_active=False)
    assert access.may_see_unit(inactive_admin, unit) is False


# --- admin_required -------------------------------------------------------------------------


def _view(request, value):
    return HttpResponse(f"ok {value}")


def test_admin_required_lets_an_admin_through_with_the_view_arguments():
    view = access.admin_required(_view)
    response = view(request_for(admin()), value=7)
    assert response.content == b"ok 7"
    assert view.__name__ == "_view"


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.PIMPINAN])
def test_admin_required_refuses_other_signed_in_users_with_403(role):
    view = access.admin_required(_view)
    with pytest.raises(PermissionDenied, match=r"^Halaman ini khusus administrator\.$"):
        view(request_for(member(role)), value=1)


def test_admin_required_sends_anonymous_users_to_sign_in():
    response = access.admin_required(_view)(request_for(AnonymousUser()), value=1)
    assert response.status_code == 302
    assert "next=/x/" in response["Location"]


# --- get_unit_for_user ----------------------------------------------------------------------


def test_get_unit_for_user_returns_a_visible_unit():
    unit = UnitFactory()
    assert access.get_unit_for_user(request_for(member(Role.PIMPINAN, unit)), unit.code) == unit
    assert access.get_unit_for_user(request_for(admin()), unit.code, write=True) == unit


def test_get_unit_for_user_answers_404_for_another_unit_and_an_unknown_code():
    user = member(Role.KOORDINATOR)
    with pytest.raises(Http404, match=r"^Unit tidak ditemukan\.$"):
        access.get_unit_for_user(request_for(user), UnitFactory().code)
    with pytest.raises(Http404):
        access.get_unit_for_user(request_for(user), uuid.uuid4())


def test_get_unit_for_user_write_is_admin_only_403():
    unit = UnitFactory()
    with pytest.raises(PermissionDenied, match=r"^Hanya administrator yang dapat mengubah unit\.$"):
        access.get_unit_for_user(request_for(member(Role.KOORDINATOR, unit)), unit.code, write=True)


def test_get_unit_for_user_checks_visibility_before_the_write_rule():
    # Another unit's koordinator asking to write learns nothing: 404, not 403.
    with pytest.raises(Http404):
        access.get_unit_for_user(request_for(member(Role.KOORDINATOR)), UnitFactory().code, write=True)


# --- team_area_ids / team_may_edit ----------------------------------------------------------


def test_team_area_ids_per_role(areas):
    unit = UnitFactory()
    assert access.team_area_ids(member(Role.KOORDINATOR, unit), unit) is None
    assert access.team_area_ids(member(Role.TIM_KERJA, unit, areas[:2]), unit) == {a.pk for a in areas[:2]}
    assert access.team_area_ids(member(Role.TIM_KERJA, unit), unit) == set()
    assert access.team_area_ids(member(Role.TPI, unit), unit) == set()
    assert access.team_area_ids(member(Role.PIMPINAN, unit), unit) == set()
    assert access.team_area_ids(UserFactory(), unit) == set()
    assert access.team_area_ids(admin(), unit) == set()


@pytest.mark.parametrize("role", [Role.TPI, Role.PIMPINAN])
def test_areas_left_on_a_non_team_membership_grant_nothing(areas, role):
    # The forms clear areas when the role changes; the rule does not rely on it.
    unit = UnitFactory()
    user = member(role, unit, areas[:1])
    assert access.team_area_ids(user, unit) == set()
    assert access.team_may_edit(user, assessment_of(unit), areas[0].pk) is False


def test_koordinator_edits_every_area_and_the_results_part(areas):
    unit = UnitFactory()
    user = member(Role.KOORDINATOR, unit)
    assessment = assessment_of(unit)
    assert access.team_may_edit(user, assessment, areas[0].pk) is True
    assert access.team_may_edit(user, assessment, None) is True
    assert access.team_may_edit(user, assessment, any_area=True) is True


def test_tim_kerja_edits_only_its_own_areas(areas):
    unit = UnitFactory()
    user = member(Role.TIM_KERJA, unit, [areas[0]])
    assessment = assessment_of(unit)
    assert access.team_may_edit(user, assessment, areas[0].pk) is True
    assert access.team_may_edit(user, assessment, areas[1].pk) is False
    assert access.team_may_edit(user, assessment, None) is False
    assert access.team_may_edit(user, assessment, any_area=True) is True


def test_tim_kerja_without_areas_edits_nothing(areas):
    unit = UnitFactory()
    user = member(Role.TIM_KERJA, unit)
    assessment = assessment_of(unit)
    assert access.team_may_edit(user, assessment, areas[0].pk) is False
    assert access.team_may_edit(user, assessment, any_area=True) is False


@pytest.mark.parametrize("role", [Role.TPI, Role.PIMPINAN])
def test_other_roles_never_edit_the_unit_side(areas, role):
    unit = UnitFactory()
    user = member(role, unit)
    assessment = assessment_of(unit)
    assert access.team_may_edit(user, assessment, areas[0].pk) is False
    assert access.team_may_edit(user, assessment, None) is False
    assert access.team_may_edit(user, assessment, any_area=True) is False


def test_admin_and_outsiders_do_not_edit_the_unit_side(areas):
    unit = UnitFactory()
    assessment = assessment_of(unit)
    for user in (admin(), member(Role.KOORDINATOR)):
        assert access.team_may_edit(user, assessment, areas[0].pk) is False
        assert access.team_may_edit(user, assessment, None) is False


def test_nobody_edits_a_final_assessment(areas):
    unit = UnitFactory()
    final = assessment_of(unit, final=True)
    koordinator = member(Role.KOORDINATOR, unit)
    tim = member(Role.TIM_KERJA, unit, [areas[0]])
    assert access.team_may_edit(koordinator, final, areas[0].pk) is False
    assert access.team_may_edit(koordinator, final, None) is False
    assert access.team_may_edit(koordinator, final, any_area=True) is False
    assert access.team_may_edit(tim, final, areas[0].pk) is False
    assert access.team_may_edit(tim, final, any_area=True) is False


# --- is_tpi_of ------------------------------------------------------------------------------


def test_is_tpi_of_only_for_the_tpi_of_that_unit():
    unit = UnitFactory()
    tpi = member(Role.TPI, unit)
    assert access.is_tpi_of(tpi, unit) is True
    assert access.is_tpi_of(tpi, UnitFactory()) is False
    assert access.is_tpi_of(member(Role.KOORDINATOR, unit), unit) is False
    assert access.is_tpi_of(admin(), unit) is False
