"""Optimistic concurrency: a write based on a version the user no longer sees is refused.

Every edited row that can be changed by two people at once (answers, evidence descriptions,
plan items, monev entries) carries an integer `version`. The form sends back the version the
user saw; the service locks the row, calls check_version and only then writes.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class VersionConflict(ValidationError):
    """The row changed since the user loaded it; nothing was saved."""

    def __init__(self, *, what: str, changed_by, changed_at):
        who = changed_by.display_name if changed_by is not None else _("pengguna lain")
        when = date_format(timezone.localtime(changed_at), "j F Y H:i") if changed_at else "-"
        super().__init__(
            _(
                "%(what)s ini sudah diubah oleh %(who)s pada %(when)s setelah Anda membukanya. "
                "Perubahan Anda tidak disimpan; periksa versi terbaru lalu simpan lagi bila perlu."
            )
            % {"what": what, "who": who, "when": when},
            code="conflict",
        )


def is_current(current: int, expected) -> bool:
    """Whether the version a form sent back (an int, a numeric string or None) is `current`."""
    try:
        return expected is not None and int(expected) == current
    except (TypeError, ValueError):
        return False


def check_version(*, current: int, expected, what: str, changed_by, changed_at, required: bool = True) -> None:
    """Raise VersionConflict unless `expected` (as sent by the form) equals `current`.

    required=False lets callers without a form (imports, scripts) pass expected=None to skip the
    check; with required=True a missing version is a conflict too.
    """
    if expected is None and not required:
        return
    if not is_current(current, expected):
        raise VersionConflict(what=what, changed_by=changed_by, changed_at=changed_at)
