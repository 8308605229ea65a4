"""Keeps a signed-in user who still owes a second factor on the code or enrolment page."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor

# Pages a user may open before the second factor is settled (besides static files).
_OPEN_VIEWS = {"accounts:2fa-verify", "accounts:2fa-enrol", "accounts:logout", "accounts:login"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        state = two_factor.session_state(request)
        if state == two_factor.STATE_OK:
            return None
        match = request.resolver_match
        if (match and match.view_name in _OPEN_VIEWS) or request.path.startswith(settings.STATIC_URL):
            return None
        target = "accounts:2fa-verify" if state == two_factor.STATE_VERIFY else "accounts:2fa-enrol"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
