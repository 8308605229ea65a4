"""Which documents exist: (kind, format) → the function that renders it.

The table is in reports/renderers/__init__.py. Renderers are named by dotted path and imported
only when a worker renders, so web processes never load WeasyPrint.

A renderer is `render(job, out_path, progress)`: it reads what the job's assessment and
parameters name, writes the finished document to out_path and may call progress(percent).
It raises RenderError with a message for the requester (Bahasa Indonesia) when the document
cannot be made; any other exception is a bug and is logged.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

Progress = Callable[[int], None]
Renderer = Callable[[object, Path, Progress], None]

PERIOD = "period"
ACCEPTED_ONLY = "accepted_only"

# What a document is about. ASSESSMENT: one assessment (the Laporan page of that assessment).
# AUDIT: the audit trail as the requester sees it, requested from the audit page
# (reports/audit_export.py); its job has no assessment.
ASSESSMENT = "assessment"
AUDIT = "audit"


class RenderError(Exception):
    """A document that cannot be made; the message is shown to the requester."""


@dataclass(frozen=True)
class Document:
    kind: str
    fmt: str
    title: str  # of the kind, e.g. "Rencana aksi"
    render: str | Renderer  # dotted path, or the function itself
    options: tuple[str, ...] = ()  # PERIOD, ACCEPTED_ONLY
    order: int = 100
    button: str = ""  # label of the format's button; default "PDF", "XLSX", "ZIP"
    description: str = ""
    clean: Callable | None = field(default=None, compare=False)  # custom parameter cleaning (tests)
    scope: str = ASSESSMENT

    @property
    def button_label(self) -> str:
        return self.button or self.fmt.upper()

    def renderer(self) -> Renderer:
        return import_string(self.render) if isinstance(self.render, str) else self.render

    def clean_parameters(self, assessment, raw: Mapping) -> dict:
        """Only the options this document takes, validated against the assessment."""
        if self.clean is not None:
            return self.clean(assessment, raw)
        parameters = {}
        if PERIOD in self.options:
            parameters[PERIOD] = _clean_period(assessment, raw.get(PERIOD))
        if ACCEPTED_ONLY in self.options:
            parameters[ACCEPTED_ONLY] = str(raw.get(ACCEPTED_ONLY, "")).lower() in ("1", "true", "on", "yes")
        return parameters

    def describe(self, parameters: Mapping, assessment=None) -> str:
        """A short human description of the options, stored on the job for the history list."""
        parts = []
        if PERIOD in self.options and assessment is not None:
            period = assessment.monev_periods.filter(code=parameters.get(PERIOD)).first()
            if period is not None:
                parts.append(_("Periode %(label)s") % {"label": period.label})
        if ACCEPTED_ONLY in self.options:
            parts.append(_("hanya bukti diterima") if parameters.get(ACCEPTED_ONLY) else _("semua bukti aktif"))
        return ", ".join(parts)


def _clean_period(assessment, value) -> str:
    from plans.models import MonevPeriod

    try:
        period = MonevPeriod.objects.filter(assessment=assessment, code=value).first() if value else None
    except ValidationError:  # not a UUID
        period = None
    if period is None:
        raise ValidationError(_("Pilih periode monev dari penilaian ini."))
    return str(period.code)


_documents: dict[tuple[str, str], Document] = {}


def register(document: Document) -> Document:
    _documents[(document.kind, document.fmt)] = document
    return document


def get_document(kind: str, fmt: str) -> Document | None:
    return _documents.get((kind, fmt))


def documents(scope: str = ASSESSMENT) -> list[Document]:
    return sorted((d for d in _documents.values() if d.scope == scope), key=lambda d: (d.order, d.kind, d.fmt))


@dataclass
class DocumentGroup:
    """One kind on the Laporan page: its title, options and a button per format."""

    kind: str
    title: str
    description: str
    options: tuple[str, ...]
    formats: list[Document]

    @property
    def needs_period(self) -> bool:
        return PERIOD in self.options

    @property
    def has_accepted_only(self) -> bool:
        return ACCEPTED_ONLY in self.options


def document_groups() -> list[DocumentGroup]:
    groups: dict[str, DocumentGroup] = {}
    for document in documents():
        group = groups.get(document.kind)
        if group is None:
            group = groups[document.kind] = DocumentGroup(document.kind, document.title, document.description,
                                                          document.options, [])
        group.formats.append(document)
    return list(groups.values())
