"""Evidence test helpers: private temp directories, raw multipart uploads, stored-file listings."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Role
from evidence import services
from tests.factories import MembershipFactory

MP_QUESTION = "A.I.1.i.a"  # Manajemen Perubahan: the tim kerja's own area
SDM_QUESTION = "A.I.3.i.a"  # Penataan Sistem Manajemen SDM: not theirs


@pytest.fixture(autouse=True)
def dirs(settings, tmp_path_factory):
    """Upload temp files (Django's and the validator's) in a directory the tests can inspect
    (outside tmp_path, which test_validation.py inspects on its own)."""
    upload_tmp = tmp_path_factory.mktemp("upload-tmp")
    settings.EVIDENCE_TMP_DIR = str(upload_tmp)
    settings.FILE_UPLOAD_TEMP_DIR = str(upload_tmp)
    return SimpleNamespace(media=Path(settings.MEDIA_ROOT), tmp=upload_tmp)


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


def multipart(fields: dict, files: list[tuple[str, bytes]], field_name: str = "berkas") -> tuple[bytes, str]:
    """A multipart body written by hand, so file names reach the server exactly as given
    (Django's test client would strip paths and break on quotes or CR/LF)."""
    boundary = b"----zi-portal-uji-7d1f"
    body = b""
    for key, value in fields.items():
        body += b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (
            boundary, key.encode(), str(value).encode())
    for name, data in files:
        raw_name = name.encode("utf-8") if isinstance(name, str) else name
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                 b"Content-Type: application/octet-stream\r\n\r\n%s\r\n") % (
            boundary, field_name.encode(), raw_name, data)
    body += b"--%s--\r\n" % boundary
    return body, "multipart/form-data; boundary=" + boundary.decode()


def post_files(client, url, files, fields=None, xhr=False):
    body, content_type = multipart(fields or {}, files)
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(url, data=body, content_type=content_type, headers=headers)


def upload_url(assessment, path=MP_QUESTION):
    return reverse("evidence:upload", args=[assessment.code, path])


def question_of(assessment, path=MP_QUESTION):
    return assessment.instrument.questions.get(path=path)


class FakeUpload:
    """What services.evidence_upload reads from an upload: a name and chunks."""

    def __init__(self, name, data):
        self.name = name
        self.data = data

    def chunks(self):
        for start in range(0, len(self.data), 64 * 1024):
            yield self.data[start:start + 64 * 1024]


def make_evidence(assessment, user, *, path=MP_QUESTION, name="bukti.pdf", data=None, **kwargs):
    """An uploaded item through the real service (validation, storage and all)."""
    from tests.evidence.files import pdf

    return services.evidence_upload(
        assessment=assessment, question=question_of(assessment, path), user=user,
        upload=FakeUpload(name, data if data is not None else pdf()), **kwargs,
    )


@pytest.fixture
def timkerja_sdm(cast):
    """A tim kerja member assigned to SDM only (for the "other area" column of access matrices)."""
    return MembershipFactory(user__username="timkerja_sdm", unit=cast.unit, role=Role.TIM_KERJA,
                             areas=[cast.areas["SDM"]]).user
