"""Reads for the inbox and the bell."""

from django.core.paginator import Paginator

from .models import Delivery, Kind, Notification, Preference


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def inbox_page(user, *, unread_only: bool, page):
    """One page of the user's notifications, newest first (a count and a page query)."""
    notifications = Notification.objects.for_user(user).only(
        "code", "kind", "title", "body", "url", "object_label", "actor_name", "created_at", "read_at")
    if unread_only:
        notifications = notifications.unread()
    return Paginator(notifications.order_by("-created_at", "-id"), 25).get_page(page)


def preference_rows(user) -> list[tuple[str, str, str]]:
    """(kind, label, delivery) for every kind, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return [(kind.value, kind.label, chosen.get(kind.value, Delivery.IMMEDIATE)) for kind in Kind]
