"""The view side of "call a service, report its ValidationError"."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def call_service(request, service, /, *, success: str = "", **kwargs) -> tuple[bool, object]:
    """Call service(**kwargs) for a view that redirects afterwards.

    A ValidationError (the service's refusal, in Indonesian) is shown on the next page and
    (False, None) is returned; nothing was changed. Otherwise `success` (if given) is shown
    and (True, result) is returned.
    """
    try:
        result = service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False, None
    if success:
        messages.success(request, success)
    return True, result
