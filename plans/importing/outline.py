"""Plan rows from a numbered outline (Word paragraphs, a pasted block, a sheet without a header).

The shape units write: a roman area heading ("I. Manajemen Perubahan"), indicators numbered one
way ("1." or "a."), statements under them numbered the other way, "Target" and "Bukti pendukung"
blocks, explanatory sentences ending in ":" between them. Every statement becomes a row. Pure
Python; the rules are described in docs/plan-import.md.
"""

import re
from dataclasses import dataclass, field

from .names import area_exact, match_area
from .sources import Paragraph
from .tables import RawRow

_BULLET_RE = re.compile(r"^[-•·*–—▪]\s*")
_ROMAN_RE = re.compile(r"^(?P<n>[IVX]{1,4})\s*[.)]\s*(?P<t>.+)$")
_ARABIC_RE = re.compile(r"^\(?(?P<n>\d{1,2})\s*[.)]\s*(?P<t>\S.*)$")
_LETTER_RE = re.compile(r"^\(?(?P<n>[a-z])\s*[.)]\s*(?P<t>\S.*)$")
_SECTION_RE = re.compile(r"^(?:BAB\s+[IVX]+\b|\d+\.\d+\.?\s)", re.IGNORECASE)
_TARGET_LABEL_RE = re.compile(r"^(?:target|sasaran)\s*[:;.]?\s*$", re.IGNORECASE)
_EVIDENCE_LABEL_RE = re.compile(r"^(?:bukti\s+(?:pendukung|dukung|fisik)|data\s+dukung|output)\s*[:;.]?\s*$",
                                re.IGNORECASE)
_INDICATOR_LABEL_RE = re.compile(r"^indikator\s*[:;.]?\s*$", re.IGNORECASE)
_INLINE_STATEMENT_RE = re.compile(r"\b(?:seperti|yaitu|antara lain)\b\s*:?\s*(?P<t>.+)$", re.IGNORECASE)


@dataclass
class _Indicator:
    text: str
    number: int
    statements: int = 0
    intro: str = ""


@dataclass
class OutlineResult:
    rows: list[RawRow] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, why)


def _numbered(text: str) -> tuple[str, str, str] | None:
    """(family, number, text) for a numbered paragraph: family "roman", "arabic" or "letter"."""
    for family, pattern in (("roman", _ROMAN_RE), ("arabic", _ARABIC_RE), ("letter", _LETTER_RE)):
        match = pattern.match(text)
        if match:
            return family, match["n"], match["t"].strip()
    return None


def _where(paragraph: Paragraph) -> str:
    what = "paragraf" if paragraph.source == "Dokumen" else "baris"
    return f"{paragraph.source} {what} {paragraph.number}"


def read_outline(paragraphs: list[Paragraph]) -> OutlineResult:
    result = OutlineResult()
    area_text = ""
    area_rows: list[RawRow] = []  # statements of the current area (for a "Bukti pendukung" block)
    indicator: _Indicator | None = None
    indicator_family = statement_family = None
    mode = "normal"  # "normal" | "target" | "evidence"
    evidence_lines: list[str] = []
    last: RawRow | None = None

    def close_indicator(paragraph_number: int, source: str) -> None:
        # An indicator written with its one statement inline ("... seperti pelaksanaan aturan
        # disiplin telah dilaksanakan;") and no numbered statements gives that statement.
        if indicator is None or indicator.statements or not indicator.intro:
            return
        match = _INLINE_STATEMENT_RE.search(indicator.intro)
        if match and len(match["t"].split()) >= 3:
            row = RawRow(indicator.number, area=area_text, indicator=indicator.text, steps=match["t"].strip(),
                         source=source)
            result.rows.append(row)
            area_rows.append(row)

    def close_evidence() -> None:
        if evidence_lines:
            text = "\n".join(evidence_lines)
            for row in area_rows:
                if not row.output:
                    row.output = text
        evidence_lines.clear()

    for paragraph in paragraphs:
        raw = paragraph.text.strip()
        text = _BULLET_RE.sub("", raw).strip()
        if not text:
            continue
        numbered = _numbered(text)
        if _SECTION_RE.match(text) and not (numbered and numbered[0] == "roman"):
            if area_text:
                close_indicator(paragraph.number, paragraph.source)
                close_evidence()
            area_text, indicator, mode, last = "", None, "normal", None
            continue
        if numbered and numbered[0] == "roman" and (area_exact(numbered[2]) or match_area(numbered[2])):
            if area_text:
                close_indicator(paragraph.number, paragraph.source)
                close_evidence()
            area_text, indicator, mode, last = numbered[2], None, "normal", None
            area_rows = []
            indicator_family = statement_family = None
            continue
        if not area_text:
            continue  # before the first area heading: title pages, legal basis, purposes
        if _TARGET_LABEL_RE.match(text):
            mode = "target"
            continue
        if _EVIDENCE_LABEL_RE.match(text):
            mode = "evidence"
            continue
        if _INDICATOR_LABEL_RE.match(text):
            mode = "normal"
            continue

        if mode == "evidence":
            evidence_lines.append(text if not numbered else f"{numbered[1]}. {numbered[2]}")
            continue
        if mode == "target":
            if not numbered and text.endswith(":"):
                mode = "normal"  # "Indikator ... sebagai berikut :" closes the area's targets
            else:
                result.skipped.append((_where(paragraph), text, "target"))
                continue

        if not numbered:
            if text[:1].islower() and last is not None:
                last.steps = f"{last.steps} {text}"  # a sentence broken over two paragraphs
            elif indicator is not None and not indicator.statements:
                indicator.intro = f"{indicator.intro} {text}".strip()
            else:
                result.skipped.append((_where(paragraph), text, "keterangan"))
            continue

        family, _number, body = numbered
        if indicator_family is None:
            indicator_family = family
        if family == indicator_family:
            close_indicator(paragraph.number, paragraph.source)
            indicator = _Indicator(body, paragraph.number)
            last = None
            continue
        if statement_family is None:
            statement_family = family
        if family != statement_family:
            result.skipped.append((_where(paragraph), text, "keterangan"))
            continue
        if body.rstrip().endswith(":"):
            # "1. Implementasi ... terdiri dari komponen ... :" introduces a block, it is no statement.
            result.skipped.append((_where(paragraph), text, "keterangan"))
            last = None
            continue
        row = RawRow(paragraph.number, area=area_text, indicator=indicator.text if indicator else "",
                     steps=body, source=paragraph.source)
        if indicator is not None:
            indicator.statements += 1
        result.rows.append(row)
        area_rows.append(row)
        last = row
    close_indicator(0, "")
    close_evidence()
    return result
