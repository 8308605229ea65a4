"""The nginx configuration in deploy/nginx/: rendered like the container does, checked by `nginx -t`,
and run in front of a real gunicorn to serve an evidence download through X-Accel-Redirect.

Debian's nginx (scripts/system-deps.sh --services). The test starts and stops nginx and gunicorn
itself, on 127.0.0.1, with its pid, logs and temporary files in a temporary directory.
"""

import getpass
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from tests.conftest import client_for
from tests.evidence.conftest import make_evidence

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "zi-portal.conf.template"
GUNICORN_PORT = int(os.environ.get("PROXY_TEST_GUNICORN_PORT", "8662"))
NGINX_PORT = int(os.environ.get("PROXY_TEST_NGINX_PORT", "8663"))
MIB = 1024 * 1024


def body_limit(max_bytes: int) -> str:
    """EVIDENCE_MAX_BYTES plus 1 MB for the multipart form around the file, in nginx's units."""
    return f"{-(-max_bytes // MIB) + 1}m"


def render(template: str, values: dict[str, str]) -> str:
    """What envsubst does in the nginx image: replace ${NAME} for the names given, nothing else."""
    rendered = re.sub(r"\$\{(NGINX_[A-Z_]+)\}", lambda m: values[m.group(1)], template)
    assert "${" not in rendered
    return rendered


def write_config(tmp: Path, *, media_root: Path, limit: str, static_root: Path = ROOT / "static") -> Path:
    server = render(TEMPLATE.read_text(), {
        "NGINX_LISTEN": f"127.0.0.1:{NGINX_PORT}", "NGINX_SERVER_NAME": "127.0.0.1",
        "NGINX_UPSTREAM": f"127.0.0.1:{GUNICORN_PORT}", "NGINX_CLIENT_MAX_BODY_SIZE": limit,
        "NGINX_STATIC_ROOT": f"{static_root}/", "NGINX_EVIDENCE_PREFIX": "/_bukti/",
        "NGINX_EVIDENCE_ROOT": f"{media_root}/",
    })
    (tmp / "zi-portal.conf").write_text(server)
    # Run as root (CI), the workers would otherwise switch to nobody, who cannot read pytest's
    # private temporary directories.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(f"    {kind}_temp_path {tmp / kind};\n" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log {tmp / 'access.log'};\n{temp_paths}    include {tmp / 'zi-portal.conf'};\n}}\n"
    )
    return main


def nginx_binary() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(binary), "nginx missing: bash scripts/system-deps.sh --services"
    return binary


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited with {process.returncode}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(path: str, *, cookie: str = "", data: bytes | None = None, headers: dict | None = None):
    """One request to nginx (redirects not followed): status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", NGINX_PORT, timeout=30)
    try:
        conn.request("POST" if data is not None else "GET", path, body=data,
                     headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def test_compose_runs_the_proxy_with_the_apps_limits_and_paths():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    proxy, web = compose["services"]["proxy"], compose["services"]["web"]
    env = proxy["environment"]
    assert proxy["image"].startswith("nginx")
    assert "./deploy/nginx/zi-portal.conf.template:/etc/nginx/templates/default.conf.template:ro" in proxy["volumes"]
    assert f"evidence:{env['NGINX_EVIDENCE_ROOT'].rstrip('/')}:ro" in proxy["volumes"]
    assert f"static:{env['NGINX_STATIC_ROOT'].rstrip('/')}:ro" in proxy["volumes"]
    assert env["NGINX_CLIENT_MAX_BODY_SIZE"] == body_limit(django_settings.EVIDENCE_MAX_BYTES)
    assert "EVIDENCE_MAX_BYTES" not in web["environment"]  # the app keeps the default the limit matches
    assert web["environment"]["EVIDENCE_X_ACCEL_PREFIX"] == env["NGINX_EVIDENCE_PREFIX"]
    assert web["environment"]["EVIDENCE_CLIENT_IP_HEADER"] == "HTTP_X_REAL_IP"
    assert env["NGINX_UPSTREAM"] == "web:8000" and "ports" not in web


@pytest.mark.services
def test_nginx_accepts_the_configuration(tmp_path):
    config = write_config(tmp_path, media_root=tmp_path / "media", limit="26m")
    result = subprocess.run([nginx_binary(), "-t", "-c", str(config), "-p", f"{tmp_path}/"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_download_goes_through_nginx_with_x_accel_redirect(client, cast, settings, tmp_path):
    assert connection.vendor == "postgresql", "needs a database gunicorn can share: set DATABASE_URL"
    settings.EVIDENCE_X_ACCEL_PREFIX = "/_bukti/"
    evidence = make_evidence(cast.assessment, cast.timkerja, name="Laporan Triwulan.pdf")
    version = evidence.versions.get()
    stored = Path(settings.MEDIA_ROOT) / version.file.name
    client_for(client, cast.timkerja)
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"

    db = connection.settings_dict
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": django_settings.SECRET_KEY,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false",
           "SECURE_HSTS_SECONDS": "0", "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "EVIDENCE_X_ACCEL_PREFIX": "/_bukti/", "EVIDENCE_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}", "DB_CONN_MAX_AGE": "0"}
    env.pop("REDIS_URL", None)
    env["STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    config = write_config(tmp_path, media_root=Path(settings.MEDIA_ROOT),
                          limit=body_limit(settings.EVIDENCE_MAX_BYTES), static_root=tmp_path / "static")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zi_portal.wsgi:application", "--bind", f"127.0.0.1:{GUNICORN_PORT}",
         "--workers", "1", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        nginx = subprocess.Popen([nginx_binary(), "-c", str(config), "-p", f"{tmp_path}/", "-g", "daemon off;"])
    except BaseException:
        stop(gunicorn)
        raise
    try:
        wait_for_port(GUNICORN_PORT, gunicorn)
        wait_for_port(NGINX_PORT, nginx)
        base = ""

        status, headers, body = fetch(base + reverse("evidence:download", args=[version.code]), cookie=cookie)
        assert status == 200, body[:500]
        assert body == stored.read_bytes() and len(body) == version.size
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"].startswith('attachment; filename="Laporan Triwulan.pdf"')
        assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
        assert "sandbox" in headers["Content-Security-Policy"] and "default-src 'none'" in headers[
            "Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "no-store" in headers["Cache-Control"]
        assert "X-Accel-Redirect" not in headers
        assert headers["Server"] == "nginx"  # no version

        # The preview keeps the app's own framing rule (framed by the portal only).
        status, headers, body = fetch(base + reverse("evidence:preview", args=[version.code]), cookie=cookie)
        assert status == 200 and body == stored.read_bytes()
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]

        # The internal location cannot be asked for directly, and nobody downloads without a session.
        status, _, body = fetch(f"{base}/_bukti/{version.file.name}", cookie=cookie)
        assert status == 404 and body != stored.read_bytes()
        status, headers, body = fetch(base + reverse("evidence:download", args=[version.code]))
        assert status == 302 and headers["Location"].startswith("/akun/masuk/") and body != stored.read_bytes()

        # Static files come from nginx; pages from gunicorn, with the security headers once each.
        status, headers, body = fetch(f"{base}/static/css/portal.css")
        assert status == 200 and body == (tmp_path / "static" / "css" / "portal.css").read_bytes()
        assert headers["Content-Type"].startswith("text/css")
        status, headers, body = fetch(f"{base}/akun/masuk/")
        assert status == 200 and "Masuk ke ZI Portal" in body.decode()
        assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
        assert headers.get_all("Referrer-Policy") == ["same-origin"]
        assert len(headers.get_all("Permissions-Policy")) == 1
        assert "script-src 'self'" in headers["Content-Security-Policy"]

        # An upload past the limit is refused by nginx before it reaches the app.
        too_big = b"x" * (settings.EVIDENCE_MAX_BYTES + 2 * MIB)
        upload_url = reverse("evidence:upload", args=[cast.assessment.code, "A.I.1.i.a"])
        status, _, _ = fetch(base + upload_url, cookie=cookie, data=too_big,
                             headers={"Content-Type": "application/octet-stream"})
        assert status == 413
    finally:
        stop(nginx)
        stop(gunicorn)
