import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.e2e.conftest import PASSWORD, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, step_after: int | None = None) -> str:
    """What an authenticator app shows for the secret typed in from the page."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time()
    if step_after is not None and totp.t() <= step_after:
        totp.time += 30 * (step_after + 1 - totp.t())
    return f"{totp.token():06d}"


def sign_in_with_password(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.parametrize("width, height, suffix", [(1366, 900, ""), (390, 844, "-phone")])
def test_a_tpi_enrols_at_the_first_sign_in_then_signs_in_with_a_code_or_a_recovery_code(
        browser, live_server, cast, width, height, suffix):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    cast.tpi.set_password(PASSWORD)
    cast.tpi.save()
    sign_in_with_password(page, live_server, "tpi")
    page.wait_for_url("**/akun/dua-langkah/daftar/**")
    assert page.is_visible("text=mewajibkan verifikasi dua langkah")
    assert page.locator("img.qr-code").evaluate("img => img.complete && img.naturalWidth > 0")
    # Trying to go elsewhere first leads back here.
    page.goto(f"{live_server.url}/penilaian/{cast.assessment.code}/")
    assert "/akun/dua-langkah/daftar/" in page.url
    screenshot(page, f"2fa-enrol{suffix}")
    secret = page.inner_text("#kunci-rahasia").strip()
    page.fill("input[name=code]", app_code(secret))
    page.click("main button:has-text('Aktifkan')")
    page.wait_for_url("**/akun/dua-langkah/kode-pemulihan/**")
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, f"2fa-recovery-codes{suffix}")
    page.click("text=Saya sudah menyimpannya, lanjutkan")
    page.wait_for_url(lambda url: f"/penilaian/{cast.assessment.code}/" in url)  # where they were going

    # Next sign-in: the code step; a recovery code works once.
    if width < 992:
        page.click("nav .navbar-toggler")
    page.click("nav .dropdown-toggle")
    page.click("nav button:has-text('Keluar')")
    sign_in_with_password(page, live_server, "tpi")
    page.wait_for_url("**/akun/dua-langkah/verifikasi/**")
    page.fill("input[name=code]", "000000" if app_code(secret) != "000000" else "111111")
    page.click("main button:has-text('Verifikasi')")
    assert page.is_visible("text=Kode salah atau sudah pernah dipakai")
    screenshot(page, f"2fa-verify{suffix}")
    time.sleep(1.2)  # django-otp's throttle after a wrong code
    page.fill("input[name=code]", codes[0])
    page.click("main button:has-text('Verifikasi')")
    page.wait_for_url(f"{live_server.url}/")
    assert page.is_visible("text=Tersisa 9 kode")
    context.close()
    assert problems == [], problems
