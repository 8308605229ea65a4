"""Unit tests of reports.access: who requests and who fetches a report job (docs/roles.md)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from reports import access
from reports.models import ReportJob, job_fingerprint

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def job_of(cast, user):
    fingerprint = job_fingerprint(kind="lke", fmt="pdf", assessment_id=cast.assessment.pk, parameters={},
                                  requested_by_id=user.pk)
    return ReportJob.objects.create(kind="lke", format="pdf", assessment=cast.assessment, parameters={},
                                    requested_by=user, fingerprint=fingerprint)


@pytest.mark.parametrize("who", ["admin", "koordinator", "timkerja", "tpi", "pimpinan"])
def test_whoever_sees_the_assessment_may_request(cast, who):
    assert access.may_request(getattr(cast, who), cast.assessment) is True


def test_outsiders_may_not_request(cast):
    assert access.may_request(cast.outsider, cast.assessment) is False


def test_the_requester_and_admins_fetch_a_job(cast):
    job = job_of(cast, cast.tpi)
    assert access.get_job_for_user(request_for(cast.tpi), job.code) == job
    assert access.get_job_for_user(request_for(cast.admin), job.code) == job


def test_a_colleague_gets_403_and_an_outsider_404(cast):
    job = job_of(cast, cast.koordinator)
    with pytest.raises(PermissionDenied, match=r"^Laporan ini diminta oleh pengguna lain\.$"):
        access.get_job_for_user(request_for(cast.pimpinan), job.code)
    with pytest.raises(Http404, match=r"^Laporan tidak ditemukan\.$"):
        access.get_job_for_user(request_for(cast.outsider), job.code)
    with pytest.raises(Http404):
        access.get_job_for_user(request_for(cast.koordinator), uuid.uuid4())


def test_the_job_comes_with_its_unit_and_requester(cast, django_assert_num_queries):
    job = job_of(cast, cast.koordinator)
    request = request_for(cast.koordinator)
    access.may_request(cast.koordinator, cast.assessment)  # the membership is cached on the user
    with django_assert_num_queries(1):
        fetched = access.get_job_for_user(request, job.code)
        assert (fetched.assessment.unit, fetched.requested_by) == (cast.unit, cast.koordinator)


def audit_job_of(user):
    fingerprint = job_fingerprint(kind="audit_trail", fmt="xlsx", assessment_id=None, parameters={},
                                  requested_by_id=user.pk)
    return ReportJob.objects.create(kind="audit_trail", format="xlsx", assessment=None, parameters={},
                                    requested_by=user, fingerprint=fingerprint)


def test_the_audit_export_is_for_those_who_read_the_trail(cast):
    assert access.may_export_audit(cast.admin) is True
    assert access.may_export_audit(cast.koordinator) is True
    for who in (cast.timkerja, cast.tpi, cast.pimpinan):
        assert access.may_export_audit(who) is False


def test_an_audit_job_is_fetched_by_its_requester_and_admins_only(cast):
    job_of(cast, cast.koordinator)  # another job, so a lookup that ignored the code would be noticed
    job = audit_job_of(cast.koordinator)
    assert access.get_job_for_user(request_for(cast.koordinator), job.code) == job
    assert access.get_job_for_user(request_for(cast.admin), job.code) == job
    # Another koordinator may read a trail, but not this one; the others may read none: 404 for all.
    for who in (cast.outsider, cast.pimpinan, cast.tpi):
        with pytest.raises(Http404, match=r"^Laporan tidak ditemukan\.$"):
            access.get_job_for_user(request_for(who), job.code)


def test_an_audit_job_is_gone_once_its_requester_no_longer_reads_the_trail(cast):
    job = audit_job_of(cast.koordinator)
    cast.koordinator.memberships.update(role="pimpinan")
    with pytest.raises(Http404):
        access.get_job_for_user(request_for(cast.koordinator), job.code)
