"""HTTP details of serving evidence files: headers, hand-off to the reverse proxy, client address."""

from django.http import HttpResponse

from accounts.client import client_ip  # noqa: F401  (re-exported for the evidence views)
from core.files import private_file_response


def file_response(version, *, attachment: bool) -> HttpResponse:
    """The stored file of `version`: streamed, or handed to nginx when EVIDENCE_X_ACCEL_PREFIX is set."""
    return private_file_response(version.file.name, content_type=version.content_type,
                                 download_name=version.original_name, attachment=attachment)
