"""Evidence on S3-compatible storage (django-storages), against a local S3 double (moto server on
127.0.0.1), and the settings that switch it on."""

import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from evidence.models import Evidence, EvidenceVersion
from tests.conftest import client_for
from tests.evidence import files
from tests.evidence.conftest import MP_QUESTION, post_files, upload_url

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "bukti-uji"
CREDENTIALS = {"access_key": "uji", "secret_key": "rahasia-uji", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(settings):
    """A moto S3 server on a free loopback port for this test, with the default storage pointed at it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=CREDENTIALS["access_key"],
                              aws_secret_access_key=CREDENTIALS["secret_key"], region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "default_acl": None,
                        "file_overwrite": False, "max_memory_size": 1024 * 1024, **CREDENTIALS},
        }}
        yield client
    finally:
        server.stop()


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.services
@pytest.mark.django_db
def test_evidence_is_stored_in_and_downloaded_from_s3(client, cast, dirs, s3, monkeypatch):
    data = files.pdf("di S3")
    client_for(client, cast.timkerja)
    response = post_files(client, upload_url(cast.assessment), [("sk.pdf", data)], xhr=True)
    assert response.status_code == 200, response.content
    version = EvidenceVersion.objects.get()
    assert keys(s3) == [version.file.name]
    assert version.file.name.startswith(f"evidence/{cast.unit.code}/") and version.file.name.endswith(".pdf")
    assert s3.get_object(Bucket=BUCKET, Key=version.file.name)["Body"].read() == data
    assert not dirs.media.exists() or not any(dirs.media.rglob("*.pdf"))  # nothing on local disk

    client_for(client, cast.tpi)
    download = client.get(reverse("evidence:download", args=[version.code]))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == version.sha256

    # A refusal stores nothing; a failed database write removes the object it stored.
    client_for(client, cast.timkerja)
    post_files(client, upload_url(cast.assessment), [("palsu.pdf", files.HTML)], xhr=True)
    monkeypatch.setattr(EvidenceVersion.objects, "create", lambda **kwargs: 1 / 0)
    client.raise_request_exception = False
    assert post_files(client, upload_url(cast.assessment), [("dua.pdf", files.pdf())], xhr=True).status_code == 500
    assert keys(s3) == [version.file.name]
    assert Evidence.objects.count() == 1
    assert list(dirs.tmp.iterdir()) == []
    assert client.get(reverse("evidence:question", args=[cast.assessment.code, MP_QUESTION])).status_code == 200


def settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EVIDENCE_", "AWS_", "DATABASE_URL"))}
    code = ("import json; from django.conf import settings as s; "
            "print(json.dumps({'storage': s.STORAGES['default'], 'accel': s.EVIDENCE_X_ACCEL_PREFIX, "
            "'max': s.EVIDENCE_MAX_BYTES, 'memory': s.FILE_UPLOAD_MAX_MEMORY_SIZE, "
            "'extensions': s.EVIDENCE_ALLOWED_EXTENSIONS}, default=str))")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "true", **env}, timeout=60)


def test_s3_storage_is_configured_from_the_environment():
    result = settings_in_subprocess(EVIDENCE_S3_BUCKET="bukti", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
                                    AWS_ACCESS_KEY_ID="kunci", AWS_SECRET_ACCESS_KEY="rahasia")
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "bukti"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert storage["OPTIONS"]["access_key"] == "kunci" and storage["OPTIONS"]["default_acl"] is None


def test_by_default_evidence_stays_on_private_local_disk_with_a_25_mb_limit():
    result = settings_in_subprocess()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["max"] == 25 * 1024 * 1024 and values["memory"] <= 1024 * 1024 and values["accel"] == ""
    assert values["extensions"] == [".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx", ".odt", ".ods"]


def test_allowed_extensions_are_normalised():
    result = settings_in_subprocess(EVIDENCE_ALLOWED_EXTENSIONS="PDF, .Docx")
    assert json.loads(result.stdout)["extensions"] == [".pdf", ".docx"]


@pytest.mark.parametrize("env, message", [
    ({"EVIDENCE_X_ACCEL_PREFIX": "_bukti"}, "EVIDENCE_X_ACCEL_PREFIX must start and end with '/'"),
    ({"EVIDENCE_X_ACCEL_PREFIX": "/_bukti/", "EVIDENCE_S3_BUCKET": "b"}, "works with local storage only"),
    ({"EVIDENCE_MAX_BYTES": "banyak"}, "EVIDENCE_MAX_BYTES must be an integer"),
])
def test_a_misconfigured_evidence_setting_fails_loudly(env, message):
    result = settings_in_subprocess(**env)
    assert result.returncode != 0 and message in result.stderr
