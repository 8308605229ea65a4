"""Configuration fails loudly, the CSP holds, and production wiring is declared."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from zi_portal import settings as project_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("off", False), ("", True)])
def test_booleans_are_parsed_strictly(monkeypatch, value, expected):
    monkeypatch.setenv("ZI_FLAG", value)
    assert project_settings.env_bool("ZI_FLAG", True) is expected


def test_a_bad_boolean_or_integer_fails_loudly(monkeypatch):
    monkeypatch.setenv("ZI_FLAG", "mungkin")
    with pytest.raises(ImproperlyConfigured, match="ZI_FLAG must be a boolean"):
        project_settings.env_bool("ZI_FLAG", False)
    monkeypatch.setenv("ZI_NUMBER", "dua")
    with pytest.raises(ImproperlyConfigured, match="ZI_NUMBER must be an integer"):
        project_settings.env_int("ZI_NUMBER", 1)


def test_a_secret_may_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("dari-berkas\n")
    monkeypatch.setenv("ZI_SECRET_FILE", str(secret))
    assert project_settings.env_str("ZI_SECRET") == "dari-berkas"


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


def test_production_without_a_secret_key_refuses_to_start():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_database_url_refuses_to_start():
    result = run_check(DEBUG="true", DATABASE_URL="nonsense://")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_defaults_are_indonesian_and_sqlite_with_wal(settings):
    assert settings.LANGUAGE_CODE == "id" and settings.TIME_ZONE == "Asia/Jakarta" and settings.USE_TZ
    assert project_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" or os.environ.get(
        "DATABASE_URL")
    if not os.environ.get("DATABASE_URL"):
        assert "journal_mode=WAL" in project_settings.DATABASES["default"]["OPTIONS"]["init_command"]
        assert project_settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5


def test_tasks_run_in_process_without_redis():
    if not os.environ.get("REDIS_URL"):
        assert project_settings.CELERY_TASK_ALWAYS_EAGER is True


def test_indonesian_number_format():
    from django.utils import formats, translation

    with translation.override("id"):
        assert formats.number_format(1234.5, 2, force_grouping=True) == "1.234,50"


@pytest.mark.django_db
def test_every_page_is_served_under_a_strict_csp(client):
    header = client.get("/akun/masuk/")["Content-Security-Policy"]
    assert "script-src 'self'" in header and "style-src 'self'" in header
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_no_template_carries_inline_script_style_or_cdn():
    offenders = []
    pattern = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\sstyle=\"|\son[a-z]+=\"|"
                         r"https?://(cdn\.|unpkg|cdnjs|fonts\.googleapis)")
    for path in (ROOT / "templates").rglob("*.html"):
        if "reports" in path.parts or "admin" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_front_end_libraries_are_vendored_with_their_version():
    names = {p.name for p in (ROOT / "static" / "vendor").iterdir()}
    assert {"bootstrap-5.3.8.min.css", "bootstrap-5.3.8.bundle.min.js", "htmx-2.0.11.min.js"} <= names


def test_docker_compose_declares_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "beat", "migrate"):
        service = services[name]
        assert service["build"] == "." and service["image"] == "zi-portal:latest"
        env = service["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT"} <= set(env)
        assert "evidence:/data/evidence" in service["volumes"]
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "render,celery" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert {"db", "redis", "evidence"} <= set(compose["volumes"])
    assert "db:/var/lib/postgresql/data" in services["db"]["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile and "requirements.txt" in dockerfile


@pytest.mark.django_db
def test_a_forbidden_action_explains_itself_in_indonesian(client, cast):
    from django.urls import reverse

    client.force_login(cast.timkerja)
    response = client.post(reverse("areas:stage", args=[cast.assessment.code]), {"stage": "mandiri"})
    assert response.status_code == 403
    assert "tidak berwenang mengubah penilaian ini" in response.content.decode()
    missing = client.get(reverse("workspace:overview", args=["00000000-0000-0000-0000-000000000000"]))
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()
