"""`num` and `day`: the template side of accounts.formatting (loaded as a builtin)."""

from django import template

from accounts.formatting import format_date, format_number

register = template.Library()


@register.filter
def num(value, decimals=2):
    """{{ x|num }} two decimals; {{ x|num:0 }}; {{ x|num:"-2" }} up to two, trailing zeros dropped."""
    if isinstance(decimals, int):
        return format_number(value, abs(decimals), trim=decimals < 0)
    text = str(decimals)
    return format_number(value, int(text.lstrip("-") or 0), trim=text.startswith("-"))


@register.filter
def day(value):
    """{{ d|day }}: "30 Juni 2026" in Indonesian, "30 June 2026" in English."""
    return format_date(value)
