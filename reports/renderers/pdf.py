"""PDF documents with WeasyPrint, from the layouts in templates/reports/pdf/.

WeasyPrint may load only the project's own static files: the layouts refer to them as
/static/…, which resolves against STATIC_ORIGIN, and the fetcher below maps exactly that prefix
to files under the static directories. Every other URL (file://, http(s)://, data:, a path
escaping the static directories) is refused, so nothing a document contains can read local
files or reach the network.
"""

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

logger = logging.getLogger(__name__)

# A name that can never resolve: documents are rendered offline, never fetched from a server.
STATIC_ORIGIN = "https://zi-portal.invalid"


def static_roots() -> list[Path]:
    roots = [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_for(url: str) -> Path:
    """The file a /static/… URL names, or URLFetchingError for anything else."""
    prefix = STATIC_ORIGIN + settings.STATIC_URL
    if not url.startswith(prefix):
        raise URLFetchingError(f"Ditolak (bukan berkas statis proyek): {url[:200]}")
    relative = PurePosixPath(unquote(urlsplit(url).path)[len(settings.STATIC_URL):])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise URLFetchingError(f"Ditolak (jalur tidak sah): {url[:200]}")
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise URLFetchingError(f"Berkas statis tidak ditemukan: {url[:200]}")


class StaticFilesOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        try:
            path = static_file_for(url)
        except URLFetchingError:
            logger.warning("PDF: sumber ditolak: %s", url[:200])
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def write_pdf(template: str, context: dict, out_path: Path) -> None:
    html = render_to_string(template, context)
    HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=StaticFilesOnlyFetcher()).write_pdf(
        target=str(out_path))
