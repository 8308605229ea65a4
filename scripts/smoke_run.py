"""Start `make run` on a fresh SQLite database and sign in as every demo user.

Checks the README's first command end to end: install, migrate, import, seed, serve. Talks
only to 127.0.0.1, is bounded in time, and stops the server it started.
"""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
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


def sign_in(username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/akun/masuk/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{BASE}/akun/masuk/", data=data.encode(), headers={"Referer": BASE})
    response = opener.open(request, timeout=10)
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
        try:
            wait_for_server(time.monotonic() + 300)
            for username in LANDMARKS:
                sign_in(username)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            output, _ = server.communicate(timeout=30)
        if "kata sandi: " + PASSWORD not in output:
            print(output)
            raise SystemExit("make run did not print the demo logins")
        print("make run: serves, prints the logins, every demo login reaches its landing page")


if __name__ == "__main__":
    sys.exit(main())
