"""Cross-cutting request and response rules, each in one place (docs/operations.md):

- RequestGuardMiddleware: a query string with characters no database column can hold (NUL) is
  refused with 400 before any view or admin changelist sees it; an upload that found the disk
  full, and any write that fails with ENOSPC, answers 507 with a clear message.
- SecurityHeadersMiddleware: `Cache-Control: no-store` on every response to a signed-in user and
  a `Permissions-Policy` on every response.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .uploads import is_disk_full

logger = logging.getLogger(__name__)

# Browser features no page of the portal uses. File inputs with `capture` open the phone's own
# camera app and need no permission here.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb", "xr-spatial-tracking",
))


def _is_xhr(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest" or request.headers.get("HX-Request") == "true"


def bad_query_response(request) -> HttpResponse:
    message = _("Alamat halaman memuat karakter yang tidak sah. Periksa kembali filter atau kata pencarian.")
    if _is_xhr(request):
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


def disk_full_response(request) -> HttpResponse:
    message = _("Ruang penyimpanan server sedang penuh, sehingga berkas tidak disimpan. Tidak ada data yang "
                "berubah. Coba lagi nanti, atau hubungi administrator.")
    if _is_xhr(request):
        return JsonResponse({"results": [{"ok": False, "message": message}], "error": message}, status=507)
    return HttpResponse(render_to_string("507.html", {"message": message}), status=507)


def has_forbidden_characters(query) -> bool:
    """NUL anywhere in a key or value (PostgreSQL text cannot hold it)."""
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_forbidden_characters(request.GET):
            return bad_query_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Placed after CsrfViewMiddleware, which has read the body already for POSTs; reading it
        # here covers views exempt from CSRF too.
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018  (parses the upload; the spool handler sets the flag)
            if getattr(request, "upload_disk_full", False):
                logger.error("Upload refused: the upload spool directory is full")
                return disk_full_response(request)
        return None

    def process_exception(self, request, exception):
        if is_disk_full(exception):
            logger.error("Disk full while handling %s %s: %s", request.method, request.path, exception)
            return disk_full_response(request)
        return None


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
