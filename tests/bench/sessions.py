"""Signed-in sessions for the benchmark scripts, made directly: they measure pages, not password
hashes (a second of CPU each, by design) nor one-time codes (each usable once per 30 s). A user
with a second factor gets a session in which it was verified, as after the code page."""


def signed_in_sessions(username: str, count: int) -> list[str]:
    """`count` new session keys of `username`."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    keys = []
    for _number in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[two_factor.SESSION_KEY] = two_factor.STATE_OK
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys.append(session.session_key)
    return keys


def signed_in_client(username: str):
    """A django.test.Client signed in as `username`."""
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = signed_in_sessions(username, 1)[0]
    return client
