import pytest
from django.db import IntegrityError, transaction

from accounts.forms import MembershipForm
from accounts.models import Membership, Role
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_tpi_who_is_on_the_team_of_the_same_unit(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.timkerja, unit=cast.unit, role=Role.TPI)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.tpi, unit=cast.unit, role=Role.KOORDINATOR)


def test_the_database_refuses_an_unknown_role(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), unit=cast.unit, role="raja")


def test_a_person_may_be_tpi_of_one_unit_and_on_the_team_of_another(cast):
    MembershipFactory(user=cast.timkerja, unit=cast.other_unit, role=Role.TPI)
    assert Membership.objects.filter(user=cast.timkerja).count() == 2


def test_the_form_explains_tpi_independence(cast):
    form = MembershipForm(data={"user": cast.timkerja.pk, "role": Role.TPI}, unit=cast.unit)
    assert not form.is_valid()
    assert "TPI harus independen" in str(form.errors)
    form = MembershipForm(data={"user": cast.tpi.pk, "role": Role.TIM_KERJA,
                                "areas": [cast.areas["MP"].pk]}, unit=cast.unit)
    assert not form.is_valid()
    assert "TPI harus independen" in str(form.errors)


def test_the_form_refuses_a_second_role_in_the_same_unit(cast):
    form = MembershipForm(data={"user": cast.koordinator.pk, "role": Role.PIMPINAN}, unit=cast.unit)
    assert not form.is_valid()
    assert "satu orang memegang satu peran per unit" in str(form.errors)


def test_a_tim_kerja_needs_areas_and_other_roles_have_none(cast):
    user = UserFactory()
    form = MembershipForm(data={"user": user.pk, "role": Role.TIM_KERJA}, unit=cast.unit)
    assert not form.is_valid() and "minimal satu area" in str(form.errors)
    form = MembershipForm(data={"user": user.pk, "role": Role.PIMPINAN, "areas": [cast.areas["MP"].pk]},
                          unit=cast.unit)
    assert not form.is_valid() and "hanya berlaku untuk tim kerja" in str(form.errors)


def test_the_form_accepts_an_independent_tpi(cast):
    form = MembershipForm(data={"user": UserFactory().pk, "role": Role.TPI}, unit=UnitFactory())
    assert form.is_valid(), form.errors
