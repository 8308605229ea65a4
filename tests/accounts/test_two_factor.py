"""Two-factor sign-in: enrolment, the code step, recovery codes, re-authentication, the admin's reset.

These tests use the marker `second_factor_enforced`: the test client's force_login() does not mark
the session verified here, so the middleware's real enforcement is what is tested.
"""

import re
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.conftest import totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_enforced]

PASSWORD = "sandi-uji-123"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, confirmed=True)
    two_factor.recovery_codes_create(user=user)
    return device


def password_sign_in(client, user, next_url=""):
    user.set_password(PASSWORD)
    user.last_login = user.last_login or timezone.now()  # not a first sign-in unless a test says so
    user.save()
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def pages(cast):
    return [reverse("home"), reverse("accounts:manage"), reverse("accounts:password-change"),
            reverse("accounts:2fa-settings"), reverse("reports:mine"), reverse("admin:index"),
            reverse("workspace:overview", args=[cast.assessment.code]),
            reverse("dashboards:unit", args=[cast.assessment.code])]


@pytest.mark.parametrize("role", ["admin", "tpi"])
def test_admin_and_tpi_reach_no_page_before_enrolling(client, cast, role):
    user = getattr(cast, role)
    response = password_sign_in(client, user)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa-enrol"))
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa-enrol")), url
    assert client.post(reverse("accounts:password-change"), {}).url.startswith(reverse("accounts:2fa-enrol"))


@pytest.mark.parametrize("role", ["admin", "tpi"])
def test_admin_and_tpi_reach_no_page_before_entering_the_code(client, cast, role):
    user = getattr(cast, role)
    enrolled(user)
    response = password_sign_in(client, user)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa-verify"))
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa-verify")), url
    # Enrolling a new app instead of entering the code is not a way around it.
    assert client.get(reverse("accounts:2fa-enrol")).url.startswith(reverse("accounts:2fa-verify"))


def test_a_session_without_the_two_factor_state_is_checked_too(client, cast):
    """E.g. a session made by the Django admin's own login form: the middleware works it out."""
    enrolled(cast.admin)
    client.force_login(cast.admin)
    assert two_factor.SESSION_KEY not in client.session
    response = client.get(reverse("accounts:manage"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa-verify"))


def test_enrolment_with_a_qr_code_then_recovery_codes_shown_once(client, cast):
    response = password_sign_in(client, cast.tpi, next_url=reverse("reports:mine"))
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "Aktifkan verifikasi dua langkah" in html
    assert 'src="data:image/svg+xml;base64,' in html and "Nanti saja" not in html  # TPI may not skip
    pending = TOTPDevice.objects.get(user=cast.tpi, confirmed=False)
    assert two_factor.secret_base32(pending) in html
    assert "otpauth://totp/ZI%20Portal%3Atpi?secret=" + two_factor.secret_base32(pending) in pending.config_url

    wrong = client.post(response.url, {"code": "000000" if totp_code(pending) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Kode tidak cocok" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.tpi, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302

    with time_machine.travel(time.time() + 3, tick=True):  # past django-otp's 1 s throttle
        done = client.post(response.url, {"code": totp_code(pending), "next": reverse("reports:mine")})
    assert done.status_code == 302 and done.url.startswith(reverse("accounts:2fa-codes"))
    assert TOTPDevice.objects.get(user=cast.tpi, confirmed=True).pk == pending.pk
    shown = client.get(done.url).content.decode()
    codes = list(StaticToken.objects.filter(device__user=cast.tpi).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in shown for code in codes)
    assert 'href="/laporan/saya/"' in shown or reverse("reports:mine") in shown
    assert not any(code in client.get(done.url).content.decode() for code in codes)  # only once
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_with_the_code_and_a_wrong_code_refused(client, cast):
    device = enrolled(cast.admin)
    password_sign_in(client, cast.admin, next_url=reverse("accounts:manage"))
    url = f"{reverse('accounts:2fa-verify')}?next={reverse('accounts:manage')}"
    page = client.get(url).content.decode()
    assert "Verifikasi dua langkah" in page and "kode pemulihan" in page
    right = totp_code(device)
    wrong = client.post(url, {"code": "123456" if right != "123456" else "654321"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    with time_machine.travel(time.time() + 3, tick=True):
        response = client.post(url, {"code": totp_code(device), "next": reverse("accounts:manage")})
    assert response.status_code == 302 and response.url == reverse("accounts:manage")
    assert client.get(reverse("accounts:manage")).status_code == 200


def test_a_used_code_is_refused_the_second_time(client, cast):
    device = enrolled(cast.tpi)
    code = totp_code(device)
    password_sign_in(client, cast.tpi)
    assert client.post(reverse("accounts:2fa-verify"), {"code": code}).url == reverse("home")
    client.post(reverse("accounts:logout"))
    password_sign_in(client, cast.tpi)
    replay = client.post(reverse("accounts:2fa-verify"), {"code": code})
    assert replay.status_code == 200 and "sudah pernah dipakai" in replay.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_wrong_codes_are_throttled(client, cast):
    device = enrolled(cast.tpi)
    password_sign_in(client, cast.tpi)
    right = totp_code(device)
    client.post(reverse("accounts:2fa-verify"), {"code": "000000" if right != "000000" else "111111"})
    response = client.post(reverse("accounts:2fa-verify"), {"code": right})
    assert response.status_code == 200 and "Terlalu banyak kode yang salah" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(client, cast):
    enrolled(cast.admin)
    code = StaticToken.objects.filter(device__user=cast.admin).first().token
    password_sign_in(client, cast.admin)
    response = client.post(reverse("accounts:2fa-verify"), {"code": code.upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Tersisa 9 kode" in response.content.decode()
    client.post(reverse("accounts:logout"))
    password_sign_in(client, cast.admin)
    again = client.post(reverse("accounts:2fa-verify"), {"code": code})
    assert again.status_code == 200 and "Kode salah" in again.content.decode()
    assert StaticToken.objects.filter(device__user=cast.admin).count() == 9


def test_optional_roles_are_offered_enrolment_at_the_first_sign_in_and_may_skip(client, cast):
    cast.koordinator.set_password(PASSWORD)
    cast.koordinator.save()
    assert cast.koordinator.last_login is None
    response = client.post(reverse("accounts:login"), {"username": "koordinator", "password": PASSWORD})
    assert response.url.startswith(reverse("accounts:2fa-enrol"))
    assert "Nanti saja" in client.get(response.url).content.decode()
    assert client.get(reverse("home")).status_code == 200  # optional: skipping is allowed
    client.post(reverse("accounts:logout"))
    assert password_sign_in(client, cast.koordinator).url == reverse("home")  # offered only once


def test_an_optional_role_with_a_factor_must_enter_it(client, cast):
    enrolled(cast.timkerja)
    assert password_sign_in(client, cast.timkerja).url.startswith(reverse("accounts:2fa-verify"))
    assert client.get(reverse("home")).status_code == 302


def _verified(client, user):
    device = enrolled(user)
    password_sign_in(client, user)
    assert client.post(reverse("accounts:2fa-verify"), {"code": totp_code(device)}).status_code == 302
    return device


def test_changing_the_app_needs_the_password_again(client, cast):
    old = _verified(client, cast.admin)
    assert client.get(reverse("accounts:2fa-enrol")).url == reverse("accounts:2fa-settings")
    refused = client.post(reverse("accounts:2fa-change"), {"action": "app", "password": "bukan-sandinya"})
    assert refused.status_code == 400 and "Kata sandi salah" in refused.content.decode()
    assert client.get(reverse("accounts:2fa-enrol")).url == reverse("accounts:2fa-settings")
    ok = client.post(reverse("accounts:2fa-change"), {"action": "app", "password": PASSWORD})
    assert ok.url == reverse("accounts:2fa-enrol")
    assert client.get(reverse("accounts:2fa-enrol")).status_code == 200
    new = TOTPDevice.objects.get(user=cast.admin, confirmed=False)
    assert client.post(reverse("accounts:2fa-enrol"), {"code": totp_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=cast.admin).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(client, cast):
    _verified(client, cast.tpi)
    old = set(StaticToken.objects.filter(device__user=cast.tpi).values_list("token", flat=True))
    assert client.post(reverse("accounts:2fa-change"), {"action": "codes", "password": "x"}).status_code == 400
    assert set(StaticToken.objects.filter(device__user=cast.tpi).values_list("token", flat=True)) == old
    response = client.post(reverse("accounts:2fa-change"), {"action": "codes", "password": PASSWORD})
    assert response.url == reverse("accounts:2fa-codes")
    new = set(StaticToken.objects.filter(device__user=cast.tpi).values_list("token", flat=True))
    assert len(new) == 10 and not (new & old)


def test_required_roles_cannot_switch_it_off_but_others_can_with_their_password(client, cast):
    _verified(client, cast.tpi)
    client.post(reverse("accounts:2fa-change"), {"action": "off", "password": PASSWORD})
    assert TOTPDevice.objects.filter(user=cast.tpi, confirmed=True).exists()
    client.post(reverse("accounts:logout"))

    _verified(client, cast.pimpinan)
    assert client.post(reverse("accounts:2fa-change"), {"action": "off", "password": "x"}).status_code == 400
    assert TOTPDevice.objects.filter(user=cast.pimpinan).exists()
    client.post(reverse("accounts:2fa-change"), {"action": "off", "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=cast.pimpinan).exists()
    assert not StaticDevice.objects.filter(user=cast.pimpinan).exists()


def test_an_admin_resets_a_users_second_factor_in_the_admin(client, cast):
    enrolled(cast.tpi)
    _verified(client, cast.admin)
    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "reset_second_factor", "_selected_action": [cast.tpi.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.tpi).exists()
    assert not StaticDevice.objects.filter(user=cast.tpi).exists()
    assert TOTPDevice.objects.filter(user=cast.admin).exists()
    client.post(reverse("accounts:logout"))
    assert password_sign_in(client, cast.tpi).url.startswith(reverse("accounts:2fa-enrol"))


def test_the_two_factor_pages_carry_the_strict_csp_and_no_inline_code(client, cast):
    password_sign_in(client, cast.admin)
    enrol = client.get(reverse("accounts:2fa-enrol"))
    enrolled(cast.tpi)
    other = client.__class__()
    password_sign_in(other, cast.tpi)
    verify = other.get(reverse("accounts:2fa-verify"))
    for response in (enrol, verify, client.__class__().get(reverse("accounts:login"))):
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert 'lang="id"' in html
