"""Start and stop real service processes for the service tests: a Celery worker on the test
database, and a throwaway redis-server. Every wait is bounded; every process started is stopped."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60
STOP_TIMEOUT = 15


def wait_for(condition, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def database_url_for_tests() -> str:
    """The URL of pytest's test database (test_<name>), for processes started by a test."""
    db = connection.settings_dict
    assert db["ENGINE"] == "django.db.backends.postgresql", "the service tests need PostgreSQL"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop a process started with start_new_session=True, and the children in its group."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # pool children left behind, if any
    except ProcessLookupError:
        pass
    process.wait(STOP_TIMEOUT)


class Worker:
    """`celery -A tests.reports.worker_app worker -Q render,celery --concurrency 1 --pool prefork`."""

    def __init__(self, redis_url: str, log_dir: Path, **env):
        self.redis_url = redis_url
        self.log_path = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.env = env
        self.process = None

    def start(self) -> "Worker":
        env = {
            **os.environ, "DATABASE_URL": database_url_for_tests(), "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT), "REPORT_TMP_DIR": str(settings.REPORT_TMP_DIR),
            "DEBUG": "true", "DB_CONN_MAX_AGE": "0",
            "PYTHONPATH": str(ROOT), "REPORT_RESEND_AFTER_SECONDS": "0", **self.env,
        }
        command = [sys.executable, "-m", "celery", "-A", "tests.reports.worker_app", "worker", "-Q", "render,celery",
                   "--concurrency", "1", "--pool", "prefork", "--loglevel", "INFO", "-n",
                   f"uji-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        wait_for(lambda: self.process.poll() is not None or " ready." in self.log(), READY_TIMEOUT, "the worker")
        assert self.process.poll() is None, self.log()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


class RedisServer:
    """A redis-server of our own on a free port, so a test can stop and restart "the broker"."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for(self.answers, 10, "redis-server")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None
