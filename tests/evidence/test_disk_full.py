"""A full disk while uploading: the upload spool (EVIDENCE_TMP_DIR) or the evidence storage
(MEDIA_ROOT). The answer is 507 with an Indonesian message; no row, no partial file and no open
handle remain; the next upload that fits succeeds.

Two ways to fill a disk: a small tmpfs mounted for the test (services suite; needs root, which CI
has), and, where mounting is not allowed, a wrapper that lets the first bytes through and then
fails with ENOSPC, as a full filesystem does. The wrapper tests always run.
"""

import errno
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from evidence.models import AuditEvent, Evidence, EvidenceVersion
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import files_under, post_files, upload_url

pytestmark = pytest.mark.django_db

DISK_FULL_MESSAGE = "Ruang penyimpanan server sedang penuh"


def open_handles_under(path: Path) -> list[str]:
    """Files under `path` that this process still holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def assert_nothing_left(*directories):
    assert Evidence.objects.count() == 0 and EvidenceVersion.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="evidence").count() == 0
    for directory in directories:
        assert files_under(directory) == [], f"a partial file was left in {directory}"
        assert open_handles_under(directory) == [], f"a handle is still open in {directory}"


def assert_disk_full_answer(response, *, xhr: bool):
    assert response.status_code == 507
    if xhr:
        [result] = response.json()["results"]
        assert result["ok"] is False and result["message"].startswith(DISK_FULL_MESSAGE)
    else:
        assert DISK_FULL_MESSAGE in response.content.decode()


# --- the wrapper: ENOSPC after a byte budget ----------------------------------------------------


def _enospc():
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def small_spool(monkeypatch, dirs):
    """Django's spool files accept 64 KiB, then the "disk" is full."""
    import django.core.files.uploadedfile as uploadedfile

    real = tempfile.NamedTemporaryFile

    def limited(*args, **kwargs):
        handle = real(*args, **kwargs)
        budget = [64 * 1024]
        write = handle.file.write

        def write_until_full(data):
            if len(data) > budget[0]:
                write(data[: budget[0]])
                budget[0] = 0
                raise _enospc()
            budget[0] -= len(data)
            return write(data)

        handle.write = write_until_full
        return handle

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", limited)
    return dirs


class FullStorage(FileSystemStorage):
    """Writes the first chunk of a file, then fails like a full disk."""

    def _save(self, name, content):
        chunks = content.chunks

        def first_then_full(chunk_size=None):
            for number, chunk in enumerate(chunks(chunk_size)):
                if number == 1:
                    raise _enospc()
                yield chunk

        content.chunks = first_then_full
        return super()._save(name, content)


@pytest.fixture
def full_media(settings, dirs):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "tests.evidence.test_disk_full.FullStorage", "OPTIONS": {"location": str(dirs.media)}}}
    return dirs


@pytest.mark.parametrize("xhr", [True, False])
def test_a_full_upload_spool_answers_507_and_leaves_nothing(client, cast, small_spool, xhr):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("laporan.pdf", files.pdf_of_size(600_000))],
                          xhr=xhr)
    assert_disk_full_answer(response, xhr=xhr)
    assert_nothing_left(small_spool.tmp, small_spool.media)


def test_after_a_full_spool_the_next_upload_that_fits_succeeds(client, cast, small_spool):
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("besar.pdf", files.pdf_of_size(600_000))], xhr=True)
    response = post_files(client, upload_url(cast.assessment), [("kecil.pdf", files.pdf())], xhr=True)
    assert response.status_code == 200 and Evidence.objects.count() == 1


@pytest.mark.parametrize("xhr", [True, False])
def test_a_full_evidence_storage_answers_507_and_leaves_nothing(client, cast, full_media, xhr):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("laporan.pdf", files.pdf_of_size(600_000))],
                          xhr=xhr)
    assert_disk_full_answer(response, xhr=xhr)
    assert_nothing_left(full_media.tmp, full_media.media)


def test_the_disk_full_page_has_no_inline_code(client, cast, small_spool):
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("laporan.pdf", files.pdf_of_size(600_000))])
    page = response.content.decode()
    assert "<script>" not in page and "style=" not in page and "<style" not in page


# --- a real full filesystem: a small tmpfs ------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path_factory):
    """Mount a tmpfs of the given size (needs root, as in CI); unmounted when the test ends."""
    mounted = []

    def mount(size: str) -> Path:
        point = tmp_path_factory.mktemp("tmpfs")
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True)
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def used_bytes(point: Path) -> int:
    stats = os.statvfs(point)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


@pytest.mark.services
def test_a_full_tmpfs_spool_answers_507_and_frees_the_space(client, cast, dirs, settings, tmpfs):
    spool = tmpfs("1m")
    settings.EVIDENCE_TMP_DIR = settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("besar.pdf", files.pdf_of_size(2_000_000))],
                          xhr=True)
    assert_disk_full_answer(response, xhr=True)
    assert_nothing_left(spool, dirs.media)
    assert used_bytes(spool) < 64 * 1024, "the partial spool file still takes the space"
    # The space is free again: a file that fits goes through the same spool.
    response = post_files(client, upload_url(cast.assessment), [("sedang.pdf", files.pdf_of_size(400_000))],
                          xhr=True)
    assert response.status_code == 200, response.content
    assert Evidence.objects.count() == 1 and files_under(spool) == []


@pytest.mark.services
def test_a_full_tmpfs_evidence_storage_answers_507_and_frees_the_space(client, cast, dirs, settings, tmpfs):
    media = tmpfs("1m")
    settings.MEDIA_ROOT = media
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}}
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("besar.pdf", files.pdf_of_size(2_000_000))])
    assert_disk_full_answer(response, xhr=False)
    assert_nothing_left(dirs.tmp, media)
    assert used_bytes(media) < 64 * 1024
    response = post_files(client, upload_url(cast.assessment), [("sedang.pdf", files.pdf_of_size(400_000))],
                          xhr=True)
    assert response.status_code == 200, response.content
    assert Evidence.objects.count() == 1 and len(files_under(media)) == 1
