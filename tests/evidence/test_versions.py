"""Replacing a file adds a version; no version is lost, not even when the item is withdrawn."""

import hashlib

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import AuditAction, Evidence, EvidenceStatus
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, FakeUpload, files_under, make_evidence, post_files

pytestmark = pytest.mark.django_db


def download(client, version) -> bytes:
    response = client.get(reverse("evidence:download", args=[version.code]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_file_replaced_three_times_keeps_every_version_downloadable(client, cast, dirs):
    contents = [files.pdf(f"versi {n}") for n in range(1, 5)]
    evidence = make_evidence(cast.assessment, cast.timkerja, data=contents[0])
    client_for(client, cast.timkerja)
    for number, data in enumerate(contents[1:], start=2):
        response = post_files(client, reverse("evidence:add-version", args=[evidence.code]),
                              [(f"laporan-v{number}.pdf", data)], xhr=True)
        assert response.status_code == 200, response.content
    versions = list(evidence.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4]
    assert len({v.file.name for v in versions}) == 4 and len(files_under(dirs.media)) == 4
    for reader in (cast.tpi, cast.pimpinan, cast.koordinator):
        client_for(client, reader)
        for version, data in zip(versions, contents, strict=True):
            body = download(client, version)
            assert hashlib.sha256(body).hexdigest() == version.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.audit_events.filter(action=AuditAction.NEW_VERSION).count() == 3
    assert evidence.audit_events.filter(action=AuditAction.DOWNLOAD).count() == 12


def test_the_item_page_lists_every_version_newest_first(client, cast):
    evidence = make_evidence(cast.assessment, cast.timkerja, name="v1.pdf")
    services.evidence_add_version(evidence=evidence, user=cast.koordinator,
                                  upload=_upload("v2.pdf", files.pdf("dua")))
    client_for(client, cast.pimpinan)
    page = client.get(reverse("evidence:detail", args=[evidence.code])).content.decode()
    assert page.index("v2.pdf") < page.index("v1.pdf")
    assert "Unduh versi 2" in page


def test_a_withdrawn_item_keeps_its_versions_and_history(client, cast, dirs):
    evidence = make_evidence(cast.assessment, cast.timkerja)
    services.evidence_add_version(evidence=evidence, user=cast.timkerja, upload=_upload("v2.pdf", files.pdf("2")))
    client_for(client, cast.timkerja)
    response = client.post(reverse("evidence:withdraw", args=[evidence.code]))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn and evidence.withdrawn_at is not None
    assert evidence.versions.count() == 2 and len(files_under(dirs.media)) == 2
    for version in evidence.versions.all():
        assert hashlib.sha256(download(client, version)).hexdigest() == version.sha256
    # Hidden from the lists and from completeness, but still reachable.
    panel = client.get(reverse("workspace:question", args=[cast.assessment.code, MP_QUESTION])).content.decode()
    assert reverse("evidence:detail", args=[evidence.code]) not in panel
    question_page = client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION]))
    assert "1 bukti ditarik" in question_page.content.decode()
    assert "ditarik pada" in client.get(reverse("evidence:detail", args=[evidence.code])).content.decode()
    assert evidence.audit_events.filter(action=AuditAction.WITHDRAW).count() == 1


def test_withdrawing_twice_is_refused(cast):
    evidence = make_evidence(cast.assessment, cast.timkerja)
    services.evidence_withdraw(evidence=evidence, user=cast.timkerja)
    with pytest.raises(Exception, match="sudah ditarik"):
        services.evidence_withdraw(evidence=evidence, user=cast.timkerja)


@pytest.mark.parametrize("status", [EvidenceStatus.DIAJUKAN, EvidenceStatus.DITERIMA])
def test_a_submitted_or_accepted_file_cannot_be_replaced(client, cast, dirs, status):
    evidence = make_evidence(cast.assessment, cast.timkerja)
    Evidence.objects.filter(pk=evidence.pk).update(status=status)
    client_for(client, cast.timkerja)
    response = post_files(client, reverse("evidence:add-version", args=[evidence.code]),
                          [("baru.pdf", files.pdf("baru"))], xhr=True)
    assert response.status_code == 400
    assert "tidak dapat diubah; hanya bukti draf atau perlu perbaikan" in response.json()["results"][0]["message"]
    assert evidence.versions.count() == 1 and len(files_under(dirs.media)) == 1 and files_under(dirs.tmp) == []


def test_a_refused_replacement_leaves_nothing(client, cast, dirs):
    evidence = make_evidence(cast.assessment, cast.timkerja)
    client_for(client, cast.timkerja)
    response = post_files(client, reverse("evidence:add-version", args=[evidence.code]),
                          [("baru.pdf", files.HTML)], xhr=True)
    assert response.json()["results"][0]["message"] == (
        'Berkas "baru.pdf" ditolak: isinya bukan PDF (terdeteksi text/html).')
    assert evidence.versions.count() == 1 and len(files_under(dirs.media)) == 1 and files_under(dirs.tmp) == []


def test_a_link_has_no_file_versions(cast):
    link = services.evidence_add_link(assessment=cast.assessment, question=_question(cast), user=cast.timkerja,
                                      url="https://example.go.id/sk", title="SK di situs")
    with pytest.raises(Exception, match="tautan tidak memiliki versi"):
        services.evidence_add_version(evidence=link, user=cast.timkerja, upload=_upload("a.pdf", files.pdf()))


def _question(cast):
    return cast.assessment.instrument.questions.get(path=MP_QUESTION)


def _upload(name, data):
    return FakeUpload(name, data)
