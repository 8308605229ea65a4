"""The project's Celery app plus test-only documents, for the worker the service tests start:

    celery -A tests.reports.worker_app worker -Q render,celery --concurrency 1 --pool prefork

The fault hooks live here, not in production code: "uji_lambat" waits until the test lets it
finish (so the test can kill the worker's child process mid-render), "uji_mati" kills its own
process every time. Both log what they do to files in the directory the job names.
"""

import os
import signal
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
django.setup()

from reports.renderers import Document, register  # noqa: E402
from zi_portal.celery import app  # noqa: E402, F401  (what `celery -A` loads)

SLOW, CRASH = "uji_lambat", "uji_mati"
WAIT_LIMIT = 60  # seconds a slow render waits for the test's go-ahead


def log(job, line: str) -> None:
    with open(Path(job.parameters["dir"]) / "log.txt", "a", encoding="utf-8") as handle:
        handle.write(f"{line} {os.getpid()}\n")


def slow_render(job, out_path, progress):
    log(job, "mulai")
    progress(20)
    release = Path(job.parameters["dir"]) / "lanjut"
    deadline = time.monotonic() + WAIT_LIMIT
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    out_path.write_bytes(b"%PDF-1.4 laporan uji\n")
    log(job, "selesai")


def crash_render(job, out_path, progress):
    log(job, "mulai")
    os.kill(os.getpid(), signal.SIGKILL)


def _as_given(assessment, raw):
    return {"dir": str(raw["dir"])}


register(Document(SLOW, "pdf", "Uji lambat", slow_render, clean=_as_given))
register(Document(CRASH, "pdf", "Uji mati", crash_render, clean=_as_given))
