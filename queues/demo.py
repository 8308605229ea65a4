"""The filled demo's notifications (called by seed_demo --filled inside its transaction).

Filling the demo goes through the real services, so it notifies like real work would. The seed
must not mail anyone for that: its notifications are made in-app only (the e-mail tasks queued
after commit then find nothing to send), and all but the newest few per person are marked read,
so every demo user opens the portal with a short unread list and a bell count.
"""

from django.utils import timezone

from notifications.models import EmailState, Notification

UNREAD_PER_USER = 5


def demo_notifications_settle(*, unit) -> int:
    """Returns how many notifications stay unread."""
    seeded = Notification.objects.filter(unit=unit)
    seeded.filter(email_state__in=[EmailState.PENDING, EmailState.DIGEST]).update(email_state=EmailState.NONE)
    keep = []
    for user_id in seeded.values_list("recipient_id", flat=True).distinct():
        keep += list(seeded.filter(recipient_id=user_id).order_by("-created_at", "-id")
                     .values_list("pk", flat=True)[:UNREAD_PER_USER])
    seeded.exclude(pk__in=keep).filter(read_at__isnull=True).update(read_at=timezone.now())
    return len(keep)
