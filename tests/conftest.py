"""The fixed cast every view test uses, and test-wide speed-ups (one place)."""

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from accounts import two_factor
from accounts.models import Role
from areas.catalogue import ensure_change_areas
from areas.models import ChangeArea, Instrument
from areas.services import instrument_import
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT_FILES = {
    "permenpanrb-90-2021": ROOT / "fixtures" / "instruments" / "permenpanrb-90-2021.json",
    "permenpanrb-10-2019": ROOT / "fixtures" / "instruments" / "permenpanrb-10-2019.json",
}


def pytest_configure(config):
    """Compile the English catalogue when it is missing or older than its source (*.mo are not
    committed; `make messages` builds them too)."""
    for po in (ROOT / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607


def load_instrument_data(code: str) -> dict:
    return json.loads(INSTRUMENT_FILES[code].read_text(encoding="utf-8"))


def ensure_instrument(code: str) -> Instrument:
    """Import once; transactional tests flush the database, so re-import when missing."""
    ensure_change_areas(ChangeArea)
    instrument = Instrument.objects.filter(code=code).first()
    return instrument or instrument_import(data=load_instrument_data(code)).instrument


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    from areas import selectors as area_selectors

    area_selectors._SECTIONS_CACHE.clear()  # rows change between tests without a new instrument stamp
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_TMP_DIR = str(tmp_path / "render-tmp")  # the sweeper removes what it finds there
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}


@pytest.fixture(autouse=True)
def _second_factor_passed_on_login(request, monkeypatch):
    """Sessions made by the test client's force_login()/login() count as second-factor verified.

    Most tests sign administrators and TPI in with force_login and test something else; two-factor
    sign-in is tested on its own (tests/accounts/test_two_factor.py), with the marker
    `second_factor_enforced`, which turns this off so the real enforcement runs.
    """
    if request.node.get_closest_marker("second_factor_enforced"):
        return
    original_force_login, original_login = Client.force_login, Client.login

    def mark_verified(client):
        session = client.session
        session[two_factor.SESSION_KEY] = two_factor.STATE_OK
        session.save()

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        mark_verified(self)

    def login(self, **credentials):
        logged_in = original_login(self, **credentials)
        if logged_in:
            mark_verified(self)
        return logged_in

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for code in INSTRUMENT_FILES:
            ensure_instrument(code)


@pytest.fixture
def instrument_90(db):
    return ensure_instrument("permenpanrb-90-2021")


@pytest.fixture
def instrument_10(db):
    return ensure_instrument("permenpanrb-10-2019")


@pytest.fixture
def cast(instrument_90):
    """One user per role in one unit, an admin, and an outsider who coordinates another unit."""
    unit = UnitFactory(name="Balai Uji")
    other_unit = UnitFactory(name="Unit Lain")
    areas = {a.code: a for a in ChangeArea.objects.all()}
    people = SimpleNamespace(unit=unit, other_unit=other_unit, areas=areas)
    people.admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    people.koordinator = MembershipFactory(user__username="koordinator", unit=unit, role=Role.KOORDINATOR).user
    people.timkerja = MembershipFactory(
        user__username="timkerja", unit=unit, role=Role.TIM_KERJA, areas=[areas["MP"], areas["PT"]]
    ).user
    people.tpi = MembershipFactory(user__username="tpi", unit=unit, role=Role.TPI).user
    people.pimpinan = MembershipFactory(user__username="pimpinan", unit=unit, role=Role.PIMPINAN).user
    people.outsider = MembershipFactory(user__username="outsider", unit=other_unit, role=Role.KOORDINATOR).user
    people.assessment = AssessmentFactory(unit=unit, instrument=instrument_90)
    people.other_assessment = AssessmentFactory(unit=other_unit, instrument=instrument_90)
    return people


def totp_code(device) -> str:
    """The code an authenticator app shows now for ``device`` (the next one if this one was used)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():06d}"


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client
