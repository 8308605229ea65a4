"""Numbers and dates in the active language: the one helper behind pages, PDFs and XLSX files.

Indonesian writes 1.234,56 and "30 Juni 2026"; English writes 1,234.56 and "30 June 2026".
Rounding is half away from zero on the decimal a float stands for, as the official LKE
spreadsheet displays it (1.775 shows as 1,78). See docs/i18n.md.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation

# Excel picks month names from a locale tag in the number format, not from the file's text.
XLSX_LOCALE_TAGS = {"id": "[$-421]", "en": "[$-409]"}


# Quantizers for the usual decimal places, built once: `num` runs for every number on a page.
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(7)}


def round_half_up(number, decimals: int) -> Decimal:
    step = _STEPS.get(decimals) or Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(number))).quantize(step, rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 2, *, trim: bool = False) -> str:
    """1234.5 -> "1.234,50" (id) or "1,234.50" (en); trim=True drops trailing zeros ("75")."""
    if value is None or value == "":
        return ""
    try:
        number = round_half_up(value, decimals)
    except (TypeError, ValueError, InvalidOperation):
        return str(value)
    places = decimals
    if trim and places:
        # Drop trailing zeros: 75.00 -> 75, 0.50 -> 0.5 (number_format cuts the zeros past `places`).
        places = min(decimals, max(0, -number.normalize().as_tuple().exponent))
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_date(value, fmt: str = "DATE_FORMAT") -> str:
    """A date (or datetime, in local time) in the active language: "30 Juni 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    return formats.date_format(value, fmt, use_l10n=True)


def xlsx_number_format(decimals: int = 2) -> str:
    """Excel number format with grouping; Excel itself shows the reader's separators."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def xlsx_date_format() -> str:
    """A long date in the active language, e.g. "30 Juni 2026" in Indonesian Excel and LibreOffice."""
    tag = XLSX_LOCALE_TAGS.get(translation.get_language() or "id", XLSX_LOCALE_TAGS["id"])
    return f"{tag}d mmmm yyyy"


XLSX_INTEGER = xlsx_number_format(0)
XLSX_DECIMAL = xlsx_number_format(2)
