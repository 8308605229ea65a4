"""Server memory while a 100 MB evidence file is uploaded.

    .venv/bin/python tests/bench/bench_upload_memory.py [size_mb]

Starts gunicorn (one sync worker, production settings, a temporary SQLite database and media
directory, EVIDENCE_MAX_BYTES raised) on 127.0.0.1, uploads a valid PDF padded to the size
with a large stream through a streamed multipart POST, and reads the worker's VmRSS/VmHWM from
/proc before and after. The peak is reset (clear_refs) after a warm-up upload so that it only
covers the large upload. Target: the worker grows by less than 32 MB.

A script, not a test: pytest does not collect it. Prints one Markdown section; exits 1 (with
the section on stderr) when the target is missed or the upload fails.
"""

import hashlib
import http.client
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.evidence.files import pdf, write_pdf  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TARGET_MB = 32
QUESTION = "A.I.1.i.a"

SETUP = """
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from accounts.models import Instansi, Membership, Role, Unit, User
from areas.models import Assessment, ChangeArea, Instrument
call_command("migrate", verbosity=0)
call_command("import_instrument", "fixtures/instruments/permenpanrb-90-2021.json", verbosity=0)
unit = Unit.objects.create(name="Balai Ukur", instansi=Instansi.objects.get_or_create(name="Kementerian Uji")[0])
user = User.objects.create_user("bench", password=None)
Membership.objects.create(user=user, unit=unit, role=Role.KOORDINATOR)
assessment = Assessment.objects.create(unit=unit, instrument=Instrument.objects.get(code="permenpanrb-90-2021"),
                                       year=2026)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"assessment": str(assessment.code), "session": session.session_key}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def upload(port: int, setup: dict, path: Path, name: str) -> tuple[int, dict, float]:
    """POST one file as multipart/form-data, read from disk and sent in 1 MB pieces."""
    csrf = secrets.token_hex(16)  # 32 letters and digits, the format Django expects
    boundary = "----zi-bench-" + secrets.token_hex(8)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"{name}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    conn.putrequest("POST", f"/bukti/penilaian/{setup['assessment']}/pertanyaan/{QUESTION}/unggah/")
    for header, value in [
        ("Content-Type", f"multipart/form-data; boundary={boundary}"), ("Content-Length", str(length)),
        ("Cookie", f"sessionid={setup['session']}; csrftoken={csrf}"), ("X-CSRFToken", csrf),
        ("X-Requested-With", "XMLHttpRequest"),
    ]:
        conn.putheader(header, value)
    conn.endheaders()
    conn.send(head)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            conn.send(block)
    conn.send(tail)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    try:
        payload = json.loads(body)
    except ValueError:
        payload = {"raw": body[:500].decode(errors="replace")}
    return response.status, payload, elapsed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def measure(port: int, pid: int, setup: dict, path: Path) -> dict:
    """Upload `path`; the worker's baseline RSS, its peak during the upload, and the outcome."""
    before = memory_kb(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    status, payload, elapsed = upload(port, setup, path, path.name)
    after = memory_kb(pid)
    return {"before": before["VmRSS"] / 1024, "peak": after["VmHWM"] / 1024, "after": after["VmRSS"] / 1024,
            "growth": (after["VmHWM"] - before["VmRSS"]) / 1024, "status": status, "payload": payload,
            "seconds": elapsed}


def main(size_mb: int = 100) -> int:
    with tempfile.TemporaryDirectory(prefix="zi-bench-upload-") as work:
        return run(Path(work), size_mb)


def run(work: Path, size_mb: int) -> int:
    (work / "tmp").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")},
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings", "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SQLITE_PATH": str(work / "db.sqlite3"),
        "MEDIA_ROOT": str(work / "media"), "EVIDENCE_TMP_DIR": str(work / "tmp"), "AXES_ENABLED": "false",
        "EVIDENCE_MAX_BYTES": str((size_mb + 10) * 1024 * 1024), "LOG_LEVEL": "WARNING",
    }
    setup = json.loads(subprocess.run([str(PYTHON), "-c", SETUP], cwd=ROOT, env=env, check=True,
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])
    small, big, on_page = work / "pemanasan.pdf", work / "laporan-besar.pdf", work / "halaman-besar.pdf"
    small.write_bytes(pdf("pemanasan"))
    padding = size_mb * 1024 * 1024 - 1024
    with big.open("wb") as fh:
        write_pdf(fh, text="Bukti besar", padding=padding)
    with on_page.open("wb") as fh:
        # pypdf refuses a reachable stream over 75 MB (as damaged), so this one stays below that.
        write_pdf(fh, text="Halaman besar", padding=min(padding, 70 * 1024 * 1024), padding_on_page=True)
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "zi_portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "600", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        pid = worker_pid(server.pid)
        started = memory_kb(pid)["VmRSS"] / 1024
        warm_status = upload(port, setup, small, small.name)[0]
        main_run = measure(port, pid, setup, big)
        page_run = measure(port, pid, setup, on_page)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(work / "db.sqlite3") as db:
        stored = db.execute("select sha256, size from evidence_evidenceversion where original_name = ?",
                            (big.name,)).fetchone()
    leftovers = list((work / "tmp").iterdir())
    size = big.stat().st_size
    right_hash = stored == (sha256_of(big), size)
    ok = warm_status == 200 and main_run["status"] == 200 and right_hash and not leftovers and \
        main_run["growth"] < TARGET_MB
    lines = [
        "## Evidence upload memory\n",
        f"Target: uploading a {size_mb} MB file grows the server process by less than {TARGET_MB} MB.\n",
        "gunicorn, one sync worker, production settings (DEBUG off), SQLite and media in a temporary "
        "directory; a valid PDF padded with a large stream, sent as a streamed multipart POST from "
        "127.0.0.1 (`tests/bench/bench_upload_memory.py`). Memory of the worker from /proc/<pid>/status; "
        "the peak (VmHWM) is reset before each upload, after a small warm-up upload.\n",
        f"Worker RSS at start: {started:.1f} MB.\n",
        "| upload | baseline RSS | peak RSS | growth | time | response |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, run in [(f"{size / 2**20:.0f} MB PDF, padding stream unreferenced", main_run),
                       (f"{on_page.stat().st_size / 2**20:.0f} MB PDF, padding stream in the page (informative)",
                        page_run)]:
        response = f"HTTP {run['status']}"
        if run is main_run:
            response += ", stored with the right SHA-256" if right_hash else f", {run['payload']}"
        lines.append(f"| {label} | {run['before']:.1f} MB | {run['peak']:.1f} MB | **{run['growth']:.1f} MB** "
                     f"| {run['seconds']:.1f} s | {response} |")
    lines += [
        "",
        f"Result: **{'PASS' if ok else 'FAIL'}** (target < {TARGET_MB} MB for the first upload; "
        f"{len(leftovers)} temporary files left).\n",
        "Django spools the request to a temporary file (FILE_UPLOAD_MAX_MEMORY_SIZE is 256 KB), the "
        "validator copies and hashes it in 64 KB chunks, pypdf reads it from the open file, and storage "
        "copies it in chunks, so the file itself never sits in memory. The second row is for information: "
        "the PDF checker resolves every object it can reach and pypdf reads a reachable stream whole, so a "
        "PDF whose page is one huge stream costs about that stream's size while it is checked (at most "
        "EVIDENCE_MAX_BYTES, 25 MB by default, per upload in progress; pypdf refuses a reachable stream over "
        "75 MB).",
    ]
    section = "\n".join(lines)
    print(section)
    if not ok:
        print(section, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(arg) for arg in sys.argv[1:2])))
