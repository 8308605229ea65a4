"""Unit tests of areas.access: who sees and who manages an assessment (docs/roles.md)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from areas import access
from areas.models import Stage

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_admin_and_koordinator_manage_a_running_assessment(cast):
    assert access.may_manage_assessment(cast.admin, cast.assessment) is True
    assert access.may_manage_assessment(cast.koordinator, cast.assessment) is True


@pytest.mark.parametrize("who", ["timkerja", "tpi", "pimpinan", "outsider"])
def test_other_roles_do_not_manage_it(cast, who):
    assert access.may_manage_assessment(getattr(cast, who), cast.assessment) is False


def test_only_the_admin_manages_a_final_assessment(cast):
    cast.assessment.stage = Stage.FINAL
    assert access.may_manage_assessment(cast.admin, cast.assessment) is True
    assert access.may_manage_assessment(cast.koordinator, cast.assessment) is False


@pytest.mark.parametrize("who", ["admin", "koordinator", "timkerja", "tpi", "pimpinan"])
def test_everyone_who_sees_the_unit_reads_the_assessment(cast, who):
    found = access.get_assessment_for_user(request_for(getattr(cast, who)), cast.assessment.code)
    assert found == cast.assessment


def test_another_units_assessment_and_an_unknown_code_answer_404(cast):
    with pytest.raises(Http404, match=r"^Penilaian tidak ditemukan\.$"):
        access.get_assessment_for_user(request_for(cast.outsider), cast.assessment.code)
    with pytest.raises(Http404):
        access.get_assessment_for_user(request_for(cast.admin), uuid.uuid4())
    with pytest.raises(Http404):  # visibility first: no 403 that would reveal the assessment
        access.get_assessment_for_user(request_for(cast.outsider), cast.assessment.code, write=True)


def test_write_access_follows_may_manage(cast):
    assert access.get_assessment_for_user(request_for(cast.koordinator), cast.assessment.code, write=True)
    with pytest.raises(PermissionDenied, match=r"^Anda tidak berwenang mengubah penilaian ini\.$"):
        access.get_assessment_for_user(request_for(cast.tpi), cast.assessment.code, write=True)
    cast.assessment.stage = Stage.FINAL
    cast.assessment.save(update_fields=["stage"])
    with pytest.raises(PermissionDenied):
        access.get_assessment_for_user(request_for(cast.koordinator), cast.assessment.code, write=True)
    assert access.get_assessment_for_user(request_for(cast.admin), cast.assessment.code, write=True)


def test_the_assessment_comes_with_its_unit_instansi_and_instrument(cast, django_assert_num_queries):
    request = request_for(cast.admin)
    with django_assert_num_queries(1):
        found = access.get_assessment_for_user(request, cast.assessment.code)
        assert (found.unit.instansi.name, found.instrument.code) == ("Kementerian Uji", cast.assessment.instrument.code)
