"""Unit tests of portal.access: proposals, instansi pages and supporting documents (docs/roles.md)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from areas.models import Stage
from portal import access, services
from portal.models import InstansiFact, Proposal, UnitFact
from tests.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_unit_facts_are_edited_by_admin_and_koordinator_while_not_final(cast):
    assert access.may_edit_unit_facts(cast.admin, cast.assessment) is True
    assert access.may_edit_unit_facts(cast.koordinator, cast.assessment) is True
    for who in (cast.timkerja, cast.tpi, cast.pimpinan, cast.outsider):
        assert access.may_edit_unit_facts(who, cast.assessment) is False
    cast.assessment.stage = Stage.FINAL
    assert access.may_edit_unit_facts(cast.koordinator, cast.assessment) is False
    assert access.may_edit_unit_facts(cast.admin, cast.assessment) is True


def test_proposal_is_for_admins_403_inside_404_outside(cast):
    Proposal.objects.create(assessment=cast.other_assessment, category="WBK", proposed_by=cast.admin)
    proposal = Proposal.objects.create(assessment=cast.assessment, category="WBK", proposed_by=cast.admin)
    assert access.get_proposal_for_user(request_for(cast.admin), proposal.code) == proposal
    with pytest.raises(PermissionDenied, match=r"^Usulan dikelola oleh administrator\.$"):
        access.get_proposal_for_user(request_for(cast.koordinator), proposal.code)
    with pytest.raises(Http404, match=r"^Usulan tidak ditemukan\.$"):
        access.get_proposal_for_user(request_for(cast.outsider), proposal.code)


def test_instansi_page_is_admin_only(cast):
    instansi = cast.unit.instansi
    assert access.get_instansi_for_admin(request_for(cast.admin), instansi.code) == instansi
    with pytest.raises(PermissionDenied, match=r"^Halaman ini khusus administrator\.$"):
        access.get_instansi_for_admin(request_for(cast.koordinator), instansi.code)
    with pytest.raises(Http404):
        access.get_instansi_for_admin(request_for(cast.admin), uuid.uuid4())


def test_unit_fact_is_seen_by_whoever_sees_the_unit(cast):
    services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="100", user=cast.koordinator)
    services.unit_fact_set(assessment=cast.assessment, kind="lhkpn", value="90", user=cast.koordinator)
    fact = UnitFact.objects.get(assessment=cast.assessment, kind="tlhp")
    assert access.get_fact_for_user(request_for(cast.pimpinan), "unit", fact.code) == fact
    assert access.get_fact_for_user(request_for(cast.admin), "unit", fact.code) == fact
    with pytest.raises(Http404):
        access.get_fact_for_user(request_for(cast.outsider), "unit", fact.code)
    with pytest.raises(Http404):  # the kind decides the table: a unit fact is no instansi fact
        access.get_fact_for_user(request_for(cast.admin), "instansi", fact.code)


def test_instansi_fact_is_seen_by_admins_and_members_of_its_units(cast):
    instansi = cast.unit.instansi
    services.instansi_fact_set(instansi=instansi, year=2026, kind="sakip", value="BB", user=cast.admin)
    services.instansi_fact_set(instansi=instansi, year=2026, kind="spip", value="3", user=cast.admin)
    fact = InstansiFact.objects.get(instansi=instansi, kind="sakip")
    assert access.get_fact_for_user(request_for(cast.admin), "instansi", fact.code) == fact
    assert access.get_fact_for_user(request_for(cast.tpi), "instansi", fact.code) == fact
    stranger = MembershipFactory(unit=UnitFactory(instansi="Pemerintah Kota Lain")).user
    with pytest.raises(Http404):
        access.get_fact_for_user(request_for(stranger), "instansi", fact.code)
    with pytest.raises(Http404):
        access.get_fact_for_user(request_for(cast.admin), "lain", fact.code)


def test_the_proposal_comes_with_its_unit_instansi_and_instrument(cast, django_assert_num_queries):
    proposal = Proposal.objects.create(assessment=cast.assessment, category="WBK", proposed_by=cast.admin)
    request = request_for(cast.admin)
    with django_assert_num_queries(1):
        found = access.get_proposal_for_user(request, proposal.code)
        assert found.assessment.unit.instansi.name == "Kementerian Uji"
        assert found.assessment.instrument.code == cast.assessment.instrument.code


def test_a_unit_fact_comes_with_its_unit(cast, django_assert_num_queries):
    services.unit_fact_set(assessment=cast.assessment, kind="tlhp", value="100", user=cast.koordinator)
    fact = UnitFact.objects.get(assessment=cast.assessment, kind="tlhp")
    request = request_for(cast.admin)
    with django_assert_num_queries(1):
        assert access.get_fact_for_user(request, "unit", fact.code).assessment.unit == cast.unit
