"""Serving private files (evidence versions, finished reports) from an access-checked view.

Files live in private storage and are never served from a public path. The response either
streams the file or, when EVIDENCE_X_ACCEL_PREFIX is set, hands it to nginx (X-Accel-Redirect
to an `internal` location). See docs/operations.md, "Private files".
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

FALLBACK_NAME = "berkas"


def content_disposition(name: str, *, attachment: bool) -> str:
    """Django's RFC 6266 header for `name`, after dropping control characters (CR/LF included)
    so that the header can be neither split nor refused."""
    clean = "".join(ch for ch in name if ch.isprintable()).strip() or FALLBACK_NAME
    return content_disposition_header(attachment, clean)


def private_file_response(storage_name: str, *, content_type: str, download_name: str,
                          attachment: bool = True) -> HttpResponse:
    if settings.EVIDENCE_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_X_ACCEL_PREFIX + quote(storage_name)
    else:
        response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_name, attachment=attachment)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
