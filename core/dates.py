"""Indonesian calendar words used in labels, targets and monev periods."""

import calendar
from datetime import date

MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni",
               "Juli", "Agustus", "September", "Oktober", "November", "Desember")
# Quarters (triwulan) and halves (semester) are numbered with Roman numerals.
ROMAN = ("I", "II", "III", "IV")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_label(year: int, month: int) -> str:
    """"Juni 2026"."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def quarter_label(year: int, quarter: int) -> str:
    """"Triwulan II 2026" (quarter 1–4)."""
    return f"Triwulan {ROMAN[quarter - 1]} {year}"

