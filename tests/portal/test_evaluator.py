"""Evaluator links: opened and downloaded without an account; tampered, expired, revoked refused."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from portal import services
from portal.models import EvaluatorAccess
from tests.portal.conftest import YES_NO

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(proposed):
    _row, secret = services.token_issue(instansi=proposed.unit.instansi, user=proposed.admin)
    client = Client()
    answers = client.get(f"/api/portalrb/lke/jawaban-unit/{proposed.unit.code}",
                         HTTP_AUTHORIZATION=f"Bearer {secret}").json()["answers"]
    return [a["bukti_dukung_unit"] for a in answers if a["bukti_dukung_unit"]]


def test_every_bukti_url_opens_without_a_session_and_its_file_downloads(proposed, urls):
    anonymous = Client()
    assert urls and len(set(urls)) == 1  # one question with evidence in the fixture
    for url in set(urls):
        page = anonymous.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "SK di situs" in html and "https://contoh.go.id/sk" in html
        assert "/akun/" not in html and "/bukti/" not in html  # nothing else reachable
        download = next(line.split('href="')[1].split('"')[0] for line in html.splitlines() if "data-download" in line)
        response = anonymous.get(download)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == proposed.file_item.versions.get().sha256
        assert response["Content-Disposition"].startswith("attachment")
    actions = list(EvaluatorAccess.objects.order_by("id").values_list("action", "question_path", "ip_address"))
    assert actions == [("open", YES_NO, "127.0.0.1"), ("download", YES_NO, "127.0.0.1")]


def test_every_open_and_download_lands_in_the_audit_trail_of_the_unit(client, proposed, urls):
    from django.urls import reverse

    from audit.models import AuditAction, AuditEvent

    anonymous = Client()
    url = urls[0]
    anonymous.get(url, REMOTE_ADDR="203.0.113.9")
    anonymous.get(url, REMOTE_ADDR="198.51.100.4")
    html = anonymous.get(url).content.decode()
    download = next(line.split('href="')[1].split('"')[0] for line in html.splitlines() if "data-download" in line)
    anonymous.get(download, REMOTE_ADDR="203.0.113.9")
    link = proposed.proposal.links.get()
    events = AuditEvent.objects.filter(object_type="evaluator_link").order_by("id")
    assert [(e.action, e.ip_address, e.unit_id, e.object_id, e.actor_id) for e in events] == [
        (AuditAction.EVALUATOR_OPEN, "203.0.113.9", proposed.unit.pk, str(link.code), None),
        (AuditAction.EVALUATOR_OPEN, "198.51.100.4", proposed.unit.pk, str(link.code), None),
        (AuditAction.EVALUATOR_OPEN, "127.0.0.1", proposed.unit.pk, str(link.code), None),
        (AuditAction.DOWNLOAD, "203.0.113.9", proposed.unit.pk, str(link.code), None),
    ]
    assert events[0].detail == YES_NO and events[3].data["version"] == str(proposed.file_item.versions.get().code)
    # The unit's koordinator reads them on the audit page.
    client.force_login(proposed.koordinator)
    page = client.get(reverse("audit:trail"), {"action": AuditAction.EVALUATOR_OPEN}).content.decode()
    assert page.count("203.0.113.9") == 1 and page.count("198.51.100.4") == 1


def test_a_refused_link_leaves_no_audit_row(proposed, urls):
    from audit.models import AuditEvent

    url = urls[0]
    *head, sig, _empty = url.split("/")
    Client().get(url.replace(sig, "0" * len(sig)))
    services.link_revoke(link=proposed.proposal.links.get())
    Client().get(url)
    assert not AuditEvent.objects.filter(object_type="evaluator_link").exists()


def test_a_tampered_url_is_403_and_leaks_nothing(proposed, urls):
    url = urls[0]
    anonymous = Client()
    *head, sig, _empty = url.split("/")
    for bad in (url.replace(sig, "0" * len(sig)), url.replace(YES_NO, "A.I.1.i.b")):
        response = anonymous.get(bad)
        assert response.status_code == 403
        text = response.content.decode()
        assert "Balai Uji" not in text and "SK di situs" not in text
    assert not EvaluatorAccess.objects.exists()


def test_a_download_outside_the_snapshot_is_refused(proposed, urls):
    from tests.evidence.conftest import make_evidence

    later = make_evidence(proposed.assessment, proposed.koordinator, path=YES_NO, name="baru.pdf")
    page_url = urls[0]
    response = Client().get(page_url + f"berkas/{later.versions.get().code}/")
    assert response.status_code == 404
    assert "baru.pdf" not in Client().get(page_url).content.decode()  # frozen list


def test_an_expired_link_is_410(proposed, urls, settings):
    with time_machine.travel(timezone.now() + timedelta(days=settings.EVALUATOR_LINK_DAYS + 1)):
        response = Client().get(urls[0])
    assert response.status_code == 410
    assert "Balai Uji" not in response.content.decode()


def test_revoking_one_unit_or_all_links_gives_410(proposed, urls):
    services.link_revoke(link=proposed.proposal.links.get())
    assert Client().get(urls[0]).status_code == 410
    fresh = services.link_create(proposal=proposed.proposal, user=proposed.admin)
    from portal.links import evaluator_path

    assert Client().get(evaluator_path(fresh, YES_NO)).status_code == 200
    assert services.links_revoke_all(instansi=proposed.unit.instansi) == 1
    response = Client().get(evaluator_path(fresh, YES_NO))
    assert response.status_code == 410
    assert "SK di situs" not in response.content.decode()


def test_a_revoked_link_leaves_bukti_dukung_unit_empty_in_the_api(proposed, urls):
    services.link_revoke(link=proposed.proposal.links.get())
    _row, secret = services.token_issue(instansi=proposed.unit.instansi, user=proposed.admin)
    answers = Client().get(f"/api/portalrb/lke/jawaban-unit/{proposed.unit.code}",
                           HTTP_AUTHORIZATION=f"Bearer {secret}").json()["answers"]
    assert all(a["bukti_dukung_unit"] is None for a in answers)


def test_the_evaluator_bundle_holds_the_snapshot_files_by_lke_code_with_sha256(proposed, tmp_path):
    import csv
    import io
    import zipfile
    from types import SimpleNamespace

    from portal.bundle import clean_bundle_parameters, evaluator_bundle_zip

    params = clean_bundle_parameters(proposed.assessment, {})
    out = tmp_path / "bundle.zip"
    evaluator_bundle_zip(SimpleNamespace(parameters=params, assessment=proposed.assessment), out, lambda p: None)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        files = [n for n in names if n != "manifest.csv"]
        assert len(files) == 1 and files[0].startswith(YES_NO + "/")
        digest = hashlib.sha256(archive.read(files[0])).hexdigest()
    assert digest == proposed.file_item.versions.get().sha256
    rows = {row[1]: row for row in manifest[1:]}
    assert rows[proposed.file_item.title][5] == digest
    assert rows["SK di situs"][3] == "https://contoh.go.id/sk"


def test_the_bundle_is_refused_for_a_unit_not_proposed(cast):
    from django.core.exceptions import ValidationError

    from portal.bundle import clean_bundle_parameters

    with pytest.raises(ValidationError):
        clean_bundle_parameters(cast.assessment, {})


def test_the_proposal_page_requests_the_bundle_through_the_report_jobs(client, proposed,
                                                                        django_capture_on_commit_callbacks):
    import zipfile

    from django.core.files.storage import default_storage
    from django.urls import reverse

    from reports.models import JobStatus, ReportJob
    from zi_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    try:
        client.force_login(proposed.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:request", args=[proposed.assessment.code]),
                                   {"kind": "evaluator_bundle", "format": "zip"})
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert "manifest.csv" in archive.namelist()
        assert any(name.startswith(YES_NO + "/") for name in archive.namelist())
