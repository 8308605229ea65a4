"""Backup and restore of the whole portal: the database and the evidence files, with a manifest.

A backup directory holds `database.dump` (pg_dump custom format) or `database.sqlite3` (SQLite's
online backup API), `files/` (a copy of MEDIA_ROOT), and `manifest.json` with the size and SHA-256
of every other file in the directory. A restore checks the whole manifest before it touches
anything. The procedure and the schedule: docs/operations.md ("Backups").
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FILES = "files"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    if getattr(settings, "EVIDENCE_S3_BUCKET", ""):
        raise BackupError("Berkas bukti disimpan di S3 (EVIDENCE_S3_BUCKET): cadangkan bucket dengan versioning "
                          "atau replikasi penyedia S3; perintah ini hanya menangani MEDIA_ROOT lokal.")
    return Path(settings.MEDIA_ROOT)


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db["USER"] or "", "PGHOST": db["HOST"] or "",
           "PGPORT": str(db["PORT"] or "")}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (fixed arguments)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} gagal (kode {result.returncode}): {result.stderr.strip()[:2000]}")


def backup_create(*, target: Path) -> dict:
    """Write a backup into ``target`` (new or empty); returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Direktori {target} tidak kosong: pilih direktori baru untuk setiap cadangan.")
    media = _media_root()
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database = "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / database)],
             _pg_env())
    elif vendor == "sqlite":
        database = "database.sqlite3"
        # Through Django's own connection: a consistent copy even while it holds a transaction.
        connection.ensure_connection()
        copy = sqlite3.connect(target / database)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        raise BackupError(f"Basis data {vendor} tidak didukung.")
    if media.exists():
        shutil.copytree(media, target / FILES, symlinks=False)
    else:
        (target / FILES).mkdir()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"engine": vendor, "file": database},
        "files": {rel: {"size": (target / rel).stat().st_size, "sha256": sha256_of(target / rel)}
                  for rel in _listing(target)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def backup_verify(*, source: Path) -> dict:
    """The manifest, after every file it lists was found with its size and SHA-256, and nothing else."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        listed, database = manifest["files"], manifest["database"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"Manifest {source / MANIFEST} tidak dapat dibaca: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan {manifest.get('format')!r} tidak dikenal.")
    problems = []
    present = set(_listing(source))
    for rel in sorted(set(listed) - present):
        problems.append(f"hilang: {rel}")
    for rel in sorted(present - set(listed)):
        problems.append(f"tidak tercantum di manifest: {rel}")
    for rel in sorted(set(listed) & present):
        path = source / rel
        if path.stat().st_size != listed[rel]["size"] or sha256_of(path) != listed[rel]["sha256"]:
            problems.append(f"isi berbeda (SHA-256 tidak cocok): {rel}")
    if database.get("file") not in listed:
        problems.append("berkas basis data tidak tercantum di manifest")
    if problems:
        shown = "\n  ".join(problems[:20]) + ("\n  …" if len(problems) > 20 else "")
        raise BackupError(f"Cadangan {source} tidak cocok dengan manifest-nya; tidak ada yang dipulihkan:\n  {shown}")
    return manifest


def backup_restore(*, source: Path) -> dict:
    """Verify ``source``, then replace the database with its dump and write its evidence files back."""
    source = Path(source)
    manifest = backup_verify(source=source)
    media = _media_root()
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(f"Cadangan ini dari basis data {engine}, sedangkan portal memakai {connection.vendor}.")
    dump = source / manifest["database"]["file"]
    if engine == "postgresql":
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--dbname", connection.settings_dict["NAME"], str(dump)], _pg_env())
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(dump)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    prefix = FILES + "/"
    for rel, entry in manifest["files"].items():
        if not rel.startswith(prefix):
            continue
        destination = media / rel[len(prefix):]
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(destination.name + ".pulih")
        shutil.copyfile(source / rel, temporary)
        if sha256_of(temporary) != entry["sha256"]:
            temporary.unlink()
            raise BackupError(f"Berkas {rel} berubah saat disalin; pemulihan berkas dihentikan.")
        os.replace(temporary, destination)
    return manifest


def _listing(root: Path) -> list[str]:
    """Every regular file under ``root`` except the manifest, as POSIX paths relative to it."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise BackupError(f"Tautan simbolik tidak diizinkan dalam cadangan: {path}")
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST:
            found.append(path.relative_to(root).as_posix())
    return found
