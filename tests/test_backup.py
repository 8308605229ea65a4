"""`manage.py backup` and `manage.py restore`: a round trip on PostgreSQL gives the same rows and
byte-identical evidence files; a backup that does not match its manifest is refused untouched."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from tests.evidence.conftest import make_evidence
from tests.evidence.files import image, pdf


def all_rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (names from introspection)
            rows[table] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
        return rows


def all_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_the_same_rows_and_files_on_postgresql(cast, settings, tmp_path):
    assert connection.vendor == "postgresql", "the round trip is a PostgreSQL test: set DATABASE_URL"
    make_evidence(cast.assessment, cast.timkerja, name="laporan.pdf", data=pdf("Laporan triwulan"))
    make_evidence(cast.assessment, cast.koordinator, name="foto.png", data=image())
    media = Path(settings.MEDIA_ROOT)
    rows, files = all_rows(), all_files(media)
    assert len(files) == 2 and rows["evidence_evidence"] and rows["accounts_user"]

    call_command("backup", str(tmp_path / "cadangan"))
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert manifest["database"] == {"engine": "postgresql", "file": "database.dump"}
    assert {f"files/{rel}" for rel in files} | {"database.dump"} == set(manifest["files"])
    assert all(manifest["files"][f"files/{rel}"]["sha256"] == digest for rel, digest in files.items())

    # Wipe: every row, every file; then a change made after the backup.
    call_command("flush", "--no-input")
    shutil.rmtree(media)
    User.objects.create(username="sesudah-cadangan")
    assert all_rows() != rows and not media.exists()

    call_command("restore", str(tmp_path / "cadangan"), "--no-input")
    assert all_rows() == rows
    assert all_files(media) == files
    assert not User.objects.filter(username="sesudah-cadangan").exists()


# transaction=True: SQLite's backup API waits forever on a connection inside an open transaction
# (a running request never is: Django runs in autocommit).
@pytest.mark.django_db(transaction=True)
def test_a_backup_that_does_not_match_its_manifest_is_refused_and_nothing_changes(cast, settings, tmp_path):
    make_evidence(cast.assessment, cast.timkerja, name="laporan.pdf")
    call_command("backup", str(tmp_path / "cadangan"))
    [stored] = [p for p in (tmp_path / "cadangan" / "files").rglob("*") if p.is_file()]
    stored.write_bytes(stored.read_bytes() + b"%ubah")
    (tmp_path / "cadangan" / "files" / "tambahan.txt").write_text("x")
    User.objects.create(username="tetap-ada")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "cadangan"), "--no-input")
    message = str(refused.value)
    assert "tidak cocok dengan manifest" in message and "tidak ada yang dipulihkan" in message
    assert f"isi berbeda (SHA-256 tidak cocok): {stored.relative_to(tmp_path / 'cadangan').as_posix()}" in message
    assert "tidak tercantum di manifest: files/tambahan.txt" in message
    assert User.objects.filter(username="tetap-ada").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_directory_that_is_not_empty_and_restore_a_missing_manifest(tmp_path):
    (tmp_path / "lama.txt").write_text("x")
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("backup", str(tmp_path))
    with pytest.raises(CommandError, match="Manifest .* tidak dapat dibaca"):
        call_command("restore", str(tmp_path), "--no-input")
