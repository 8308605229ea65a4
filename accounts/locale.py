"""The interface language: Indonesian for everyone unless the person chose English.

The browser's Accept-Language is deliberately ignored (office PCs often run an English
browser for people who work in Indonesian); see docs/i18n.md.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SESSION_KEY = "portal_language"


def supported(code: str | None) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def language_for(request) -> str:
    """The user's saved choice, else the session's or cookie's (anonymous), else Indonesian."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = supported(getattr(user, "language", None))
        if chosen:
            return chosen
    session = getattr(request, "session", None)
    chosen = supported(session.get(SESSION_KEY)) if session is not None else None
    return chosen or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class PortalLocaleMiddleware:
    """Activates the language chosen by language_for() for the whole request.

    Placed after AuthenticationMiddleware so a signed-in person's saved choice wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response
