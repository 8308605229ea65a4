"""Start `make run` on a fresh SQLite database and sign in as every demo user.

Checks the README's first command end to end: install, migrate, import, seed, serve. Talks
only to 127.0.0.1, is bounded in time, and stops the server it started.
"""

import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("SMOKE_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "smoke-demo-2026"
LANDMARKS = {
    "admin": "Anda administrator",
    "koordinator": "Anda mengoordinasikan",
    "timkerja": "Area Anda:",
    "tpi": "menilai unit ini secara independen",
    "pimpinan": "Sekilas",  # a pimpinan of one unit lands on its dashboard
    "koordinator2": "Kantor Wilayah Demo Kedua",
}


def wait_for_server(deadline):
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/akun/masuk/", timeout=2)  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit("make run did not answer in time")


def totp(secret_base32, at=None):
    """RFC 6238 code (SHA-1, 30 s, 6 digits), what an authenticator app shows for the seed's secret."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret_base32), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def post_form(opener, url, fields):
    page = opener.open(url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
    return opener.open(urllib.request.Request(url, data=data.encode(), headers={"Referer": BASE}), timeout=10)


def sign_in(username, secrets):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    response = post_form(opener, f"{BASE}/akun/masuk/", {"username": username, "password": PASSWORD})
    if "/dua-langkah/verifikasi/" in response.url:
        if username not in secrets:
            raise SystemExit(f"{username}: asked for a second factor, but the seed printed no TOTP secret for it")
        response = post_form(opener, response.url, {"code": totp(secrets[username])})
    elif "/dua-langkah/daftar/" in response.url and username not in secrets:
        # First sign-in of an optional role: the enrolment offer; "Nanti saja" goes on.
        response = opener.open(BASE + "/", timeout=10)
    body = response.read().decode()
    if not response.url.startswith(BASE) or "/akun/masuk/" in response.url or LANDMARKS[username] not in body:
        raise SystemExit(f"{username}: did not reach the landing page ({response.url})")
    print(f"  {username}: landing page ok")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SQLITE_PATH": f"{tmp}/smoke.sqlite3", "MEDIA_ROOT": f"{tmp}/media", "PORT": str(PORT),
               "DEMO_PASSWORD": PASSWORD}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        server = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, start_new_session=True,  # noqa: S607
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
        reader.start()
        try:
            wait_for_server(time.monotonic() + 300)
            secrets = dict(re.findall(r"^\s+(\S+)\s+kunci TOTP: ([A-Z2-7]+)", "".join(lines), re.MULTILINE))
            for username in LANDMARKS:
                sign_in(username, secrets)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            reader.join(timeout=10)
            output = "".join(lines)
        if "kata sandi: " + PASSWORD not in output or "otpauth://totp/" not in output:
            print(output)
            raise SystemExit("make run did not print the demo logins")
        print("make run: serves, prints the logins, every demo login reaches its landing page")


if __name__ == "__main__":
    sys.exit(main())
