"""Two-factor sign-in: TOTP (authenticator app) and single-use recovery codes, on django-otp.

Who must use it, how the session remembers it and why: docs/security.md ("Two-factor sign-in").
The session carries one value under SESSION_KEY, computed once per sign-in, so that ordinary page
views cost no extra query:

- STATE_OK: the second factor was verified in this session, or the user has none and needs none;
- STATE_VERIFY: the user has a confirmed factor and has not entered a code yet;
- STATE_ENROL: the user's role requires a factor and none is confirmed yet.
"""

import base64
import time

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role

SESSION_KEY = "zi_2fa"
STATE_OK = "ok"
STATE_VERIFY = "verify"
STATE_ENROL = "enrol"
# Set when the password was re-entered to change the factor; valid this many seconds.
REAUTH_SESSION_KEY = "zi_2fa_reauth"
REAUTH_SECONDS = 600
# Recovery codes are shown once, right after they are made; they travel in the session to that page.
CODES_SESSION_KEY = "zi_2fa_codes"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Aplikasi autentikator"
PENDING_NAME = "pendaftaran"
RECOVERY_NAME = "Kode pemulihan"


def is_required(user) -> bool:
    """Administrators and anyone holding a TPI membership must use a second factor."""
    return bool(user.is_staff or user.is_superuser or user.memberships.filter(role=Role.TPI).exists())


def has_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_for(user) -> str:
    if has_factor(user):
        return STATE_VERIFY
    return STATE_ENROL if is_required(user) else STATE_OK


def session_state(request) -> str:
    """The session's state; computed and stored when missing (e.g. a session older than this feature)."""
    state = request.session.get(SESSION_KEY)
    if state not in (STATE_OK, STATE_VERIFY, STATE_ENROL):
        state = state_for(request.user)
        request.session[SESSION_KEY] = state
    return state


def mark_verified(request, device) -> None:
    """The code was right: a new session key (privilege changed) and the state that lets the user in."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = STATE_OK
    request.session.pop(REAUTH_SESSION_KEY, None)
    otp_login(request, device)


def mark_reauthenticated(request) -> None:
    request.session[REAUTH_SESSION_KEY] = int(time.time())


def recently_reauthenticated(request) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(at, int) and 0 <= time.time() - at <= REAUTH_SECONDS


# --------------------------------------------------------------------------
# Enrolment
# --------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (the same key until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_NAME).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=PENDING_NAME)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (an <img>, so the strict CSP holds)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@transaction.atomic
def second_factor_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an enrolment with a code from the app; replaces any earlier factor and recovery codes.

    Returns the new recovery codes, or None when the code is wrong (nothing changes then).
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = TOTP_NAME
    device.save(update_fields=["confirmed", "name"])
    return recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """New single-use recovery codes; earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, user) -> int:
    """Remove every factor and recovery code of ``user`` (an administrator's reset, or opting out)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + static


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------


class Throttled(Exception):
    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def second_factor_verify(*, user, code: str):
    """The device that accepts ``code`` (a 6-digit app code or a recovery code), or None.

    A used app code is refused again (django-otp keeps the last accepted time step); a recovery
    code is deleted when used. Repeated failures are throttled by django-otp (1, 2, 4... seconds);
    Throttled says how long to wait.
    """
    digits = _digits(code)
    if len(digits) == 6 and digits.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        digits = "".join(code.split()).replace("-", "").lower()
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, info = device.verify_is_allowed()
            if not allowed:
                wait = (info or {}).get("locked_until")
                raise Throttled(max(1, int((wait.timestamp() - time.time()) + 1)) if wait else 1)
            if digits and device.verify_token(digits):
                return device
    return None


def _digits(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")
