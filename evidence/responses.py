"""HTTP details of serving evidence files: headers, hand-off to the reverse proxy, client address."""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control

from accounts.client import client_ip  # noqa: F401  (re-exported for the evidence views)

FALLBACK_NAME = "berkas"


def content_disposition(name: str, *, attachment: bool) -> str:
    """RFC 6266: a plain ASCII `filename` for old clients and the exact name as UTF-8 `filename*`.

    Control characters (CR/LF included) are dropped, so the header cannot be split or extended.
    """
    kind = "attachment" if attachment else "inline"
    clean = "".join(ch for ch in name if ch.isprintable()).strip() or FALLBACK_NAME
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in clean)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def file_response(version, *, attachment: bool) -> HttpResponse:
    """The stored file of `version`: streamed, or handed to nginx when EVIDENCE_X_ACCEL_PREFIX is set."""
    if settings.EVIDENCE_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_X_ACCEL_PREFIX + quote(version.file.name)
    else:
        response = FileResponse(default_storage.open(version.file.name, "rb"), content_type=version.content_type)
    response["Content-Disposition"] = content_disposition(version.original_name, attachment=attachment)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
