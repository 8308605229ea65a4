"""What every document shows: who it is about, when it was made, and who signs it."""

import contextlib
import contextvars
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.formatting import format_date
from accounts.models import Membership, Role

UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def long_date(day: date) -> str:
    """"21 November 2026" in the document's language (accounts.formatting, docs/i18n.md)."""
    return format_date(day)


@dataclass
class Signature:
    place: str
    date_text: str
    position: str
    name: str
    nip: str


@dataclass
class Heading:
    """The header every document carries: instansi, unit, year and the document's title."""

    title: str
    instansi: str
    unit: str
    year: int
    subtitle: str
    generated: str  # "21 November 2026 14.05 WIB"
    signature: Signature

    @property
    def title_line(self) -> str:
        return f"{self.title} — {self.unit} — {self.year}"


def signature_for(unit, today: date) -> Signature:
    """The unit's pimpinan signs; place is the unit's city. Blank lines where nothing is known."""
    membership = (Membership.objects.filter(unit=unit, role=Role.PIMPINAN).select_related("user")
                  .order_by("created_at", "pk").first())
    user = membership.user if membership else None
    return Signature(
        place=unit.city,
        date_text=long_date(today),
        position=f"Pimpinan {unit.name}",
        name=(user.full_name or user.display_name) if user else "",
        nip=user.nip if user else "",
    )


def heading_for(job, title: str, subtitle: str = "") -> Heading:
    assessment = job.assessment
    now = timezone.localtime()
    return Heading(
        title=title,
        instansi=str(assessment.unit.instansi),
        unit=assessment.unit.name,
        year=assessment.year,
        subtitle=subtitle,
        generated=f"{long_date(now.date())} {now:%H.%M} {now.tzname()}",
        signature=signature_for(assessment.unit, now.date()),
    )


# The portal address of the request being rendered (set by reports.services.report_render).
_REQUEST_SITE_URL: contextvars.ContextVar[str] = contextvars.ContextVar("report_site_url", default="")


@contextlib.contextmanager
def links_to(request_site_url: str):
    token = _REQUEST_SITE_URL.set(request_site_url or "")
    try:
        yield
    finally:
        _REQUEST_SITE_URL.reset(token)


def site_url(path: str) -> str:
    """An absolute link into the portal for exported files: REPORT_SITE_URL when set, else the
    address the report was requested from (stored on the job), else the bare path."""
    base = settings.REPORT_SITE_URL or _REQUEST_SITE_URL.get()
    return base.rstrip("/") + path


def evidence_question_url(assessment, question_path: str) -> str:
    return site_url(reverse("evidence:question", args=[assessment.code, question_path]))


def evidence_version_url(version_code) -> str:
    return site_url(reverse("evidence:download", args=[version_code]))


def area_folder_title(change_area) -> str:
    return f"{change_area.number}. {change_area.name}" if change_area else "Hasil"


def safe_name(text: str, limit: int = 80) -> str:
    """A file or folder name valid on Windows, macOS and Linux that cannot leave its folder."""
    name = " ".join(UNSAFE_NAME.sub(" ", str(text)).split())[:limit].strip(" .")
    return name or "_"
