from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def bell(request):
    """The navigation's unread count; one query, only on pages that show the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(user))}
