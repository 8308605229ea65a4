"""Exported links are absolute even without REPORT_SITE_URL (the address the request came to is
kept on the job), and documents follow the requester's language for dates and numbers."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from reports import services
from reports.models import JobStatus, ReportJob
from tests.conftest import client_for
from tests.reports.conftest import job_for

pytestmark = pytest.mark.django_db


def _lke_links(job) -> str:
    job = services.report_run(job.pk)
    assert job.status == JobStatus.DONE, job.error
    book = openpyxl.load_workbook(io.BytesIO(default_storage.open(job.file.name).read()))
    return "\n".join(str(c.value) for row in book["LKE"].iter_rows() for c in row if c.value)


def test_the_request_address_is_stored_and_links_become_absolute(client, realistic, settings, eager):
    settings.REPORT_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["zi.unit.go.id"]
    client_for(client, realistic.koordinator)
    client.post(reverse("reports:request", args=[realistic.assessment.code]),
                {"kind": "lke", "format": "xlsx"}, HTTP_HOST="zi.unit.go.id")
    job = ReportJob.objects.get(kind="lke")
    assert job.site_url == "http://zi.unit.go.id"
    version = realistic.evidence[0].versions.last()
    job.status = JobStatus.PENDING
    job.save()
    text = _lke_links(job)
    assert f"http://zi.unit.go.id/bukti/berkas/{version.code}/unduh/" in text
    assert " /bukti/berkas/" not in text


def test_the_configured_site_url_wins_over_the_request(realistic, settings):
    settings.REPORT_SITE_URL = "https://zi.example.go.id"
    job = job_for(realistic, "lke", "xlsx")
    ReportJob.objects.filter(pk=job.pk).update(site_url="http://10.0.0.5:8000")
    text = _lke_links(job)
    assert "https://zi.example.go.id/bukti/berkas/" in text and "10.0.0.5" not in text


def test_the_requesters_language_is_kept_and_used_for_the_document(client, realistic, settings):
    from django.utils import translation

    client_for(client, realistic.koordinator)
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    client.post(reverse("reports:request", args=[realistic.assessment.code]), {"kind": "rencana_aksi",
                                                                                "format": "xlsx"})
    job = ReportJob.objects.get(kind="rencana_aksi")
    assert job.language == "en"
    seen = {}
    from reports.renderers import common

    original = common.long_date

    def spy(day):
        seen["language"] = translation.get_language()
        return original(day)

    common.long_date = spy
    try:
        job = services.report_run(job.pk)
    finally:
        common.long_date = original
    assert job.status == JobStatus.DONE and seen["language"] == "en"
