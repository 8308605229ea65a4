"""The load mix of tests/bench/bench_pages.py (run by it; needs BENCH_LOCUST_CONFIG).

Each simulated person holds two signed-in sessions: the TPI's (reads the LKE pages, saves TPI
answers on questions no other simulated person touches, so saves never conflict) and the
koordinator's (uploads a real small PDF, requests a report, opens the dashboard).
"""

import itertools
import json
import os
import random
import string
import sys
from pathlib import Path

from locust import HttpUser, between, task
from locust.clients import HttpSession

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.evidence.files import pdf  # noqa: E402

CONFIG = json.loads(Path(os.environ["BENCH_LOCUST_CONFIG"]).read_text(encoding="utf-8"))
NUMBERS = itertools.count()
NOTES = itertools.count()
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
PDF = pdf("Bukti uji beban")


CSRF = "".join(random.choices(string.ascii_letters + string.digits, k=32))  # noqa: S311 (a cookie secret)


def sign_in(session, username, number):
    """Use a session the benchmark signed in beforehand, and a CSRF cookie of our own."""
    session.cookies.set("sessionid", CONFIG["sessions"][username][number % len(CONFIG["sessions"][username])])
    session.cookies.set("csrftoken", CSRF)


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.number = next(NUMBERS)
        self.team = HttpSession(self.host, self.environment.events.request, self)
        sign_in(self.client, "tpi", self.number)
        sign_in(self.team, "koordinator", self.number)
        targets = CONFIG["answer_targets"]
        self.targets = [dict(t) for i, t in enumerate(targets) if i % USERS == self.number % USERS] or [
            dict(targets[self.number % len(targets)])]

    @task(40)
    def lke_page(self):
        path = random.choice(CONFIG["lke_pages"])  # noqa: S311
        headers = {"HX-Request": "true"} if "/pertanyaan/" in path and random.random() < 0.5 else {}  # noqa: S311
        self.client.get(path, headers=headers, name="LKE page")

    @task(20)
    def evidence_page(self):
        self.client.get(random.choice(CONFIG["evidence_pages"]), name="evidence page")  # noqa: S311

    @task(15)
    def dashboard(self):
        self.team.get(CONFIG["dashboard"], name="unit dashboard")

    @task(10)
    def upload(self):
        url = random.choice(CONFIG["upload_urls"])  # noqa: S311
        self.team.post(url, data={"csrfmiddlewaretoken": CSRF, "title": "Bukti beban"},
                       files={"berkas": ("bukti-beban.pdf", PDF, "application/pdf")},
                       headers={"Accept": "application/json", "X-Requested-With": "XMLHttpRequest",
                                "Referer": self.host}, name="upload")

    @task(10)
    def answer_save(self):
        target = random.choice(self.targets)  # noqa: S311
        option = random.choice(target["options"])  # noqa: S311
        with self.client.post(target["url"], data={
            "csrfmiddlewaretoken": CSRF, "option": option,
            "note": f"Uji beban {next(NOTES)}",  # a new note each time: every save really writes
            "version": target["version"],
        }, headers={"HX-Request": "true", "Referer": self.host}, name="answer save", catch_response=True) as response:
            if response.status_code == 200:
                target["version"] += 1
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(5)
    def report_request(self):
        self.team.post(CONFIG["report_url"], data={
            "csrfmiddlewaretoken": CSRF, "kind": "rencana_aksi", "format": "xlsx",
        }, headers={"Referer": self.host}, name="report request")
