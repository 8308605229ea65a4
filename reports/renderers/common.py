"""What every document shows: who it is about, when it was made, and who signs it."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role

UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def indonesian_date(day: date) -> str:
    """21 November 2026 (independent of the active locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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
        date_text=indonesian_date(today),
        position=f"Pimpinan {unit.name}",
        name=(user.full_name or user.display_name) if user else "",
        nip=user.nip if user else "",
    )


def heading_for(job, title: str, subtitle: str = "") -> Heading:
    assessment = job.assessment
    now = timezone.localtime()
    return Heading(
        title=title,
        instansi=assessment.unit.instansi,
        unit=assessment.unit.name,
        year=assessment.year,
        subtitle=subtitle,
        generated=f"{indonesian_date(now.date())} {now:%H.%M} {now.tzname()}",
        signature=signature_for(assessment.unit, now.date()),
    )


def site_url(path: str) -> str:
    """An absolute link into the portal for exported files (REPORT_SITE_URL), else the bare path."""
    return settings.REPORT_SITE_URL.rstrip("/") + path


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
