"""Writes for notifications: create them, mark them read, set preferences, send their e-mail.

notify() is what other apps call, inside their own transaction: the in-app notification commits
together with the change it reports (so it is never lost), and the e-mail is handed to a Celery
task only after that commit (never sent inside the request's transaction). See docs/notifications.md.
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from .models import Delivery, EmailState, Kind, Notification, Preference

logger = logging.getLogger(__name__)

# An e-mail that could not be sent is tried again this many times by its task (then marked failed).
MAX_EMAIL_RETRIES = 5


def absolute_url(path: str) -> str:
    """The object's link as an e-mail needs it: the site address from settings plus the path."""
    if not path:
        return ""
    return settings.SITE_URL.rstrip("/") + path


def deliveries_for(users, kind: str) -> dict[int, str]:
    """Each user's chosen delivery of kind (one query); users without a preference get the default."""
    chosen = dict(Preference.objects.filter(user__in=[u.pk for u in users], kind=kind)
                  .values_list("user_id", "delivery"))
    return {user.pk: chosen.get(user.pk, Delivery.IMMEDIATE) for user in users}


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", object_label: str = "",
           unit=None, actor=None) -> list[Notification]:
    """One notification per recipient (the actor and inactive users excluded, duplicates merged).

    Call it inside the transaction of the change it reports. E-mails are queued after commit
    according to each recipient's preference for this kind.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {}
    for user in recipients:
        if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        people[user.pk] = user
    if not people:
        return []
    deliveries = deliveries_for(people.values(), kind)
    rows = []
    for user in people.values():
        delivery = deliveries[user.pk]
        if not user.email or delivery == Delivery.IN_APP:
            state = EmailState.NONE
        elif delivery == Delivery.DIGEST:
            state = EmailState.DIGEST
        else:
            state = EmailState.PENDING
        rows.append(Notification(
            recipient=user, kind=kind, unit=unit, title=title[:200], body=body, url=url[:500],
            object_label=object_label[:300], actor_name=actor.display_name[:200] if actor else "",
            email_state=state,
        ))
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        pending = [n.pk for n in created if n.email_state == EmailState.PENDING]
        if pending:
            transaction.on_commit(lambda: notification_enqueue_emails(pending))
    return created


def notification_enqueue_emails(ids) -> None:
    """Hand each e-mail to a Celery task; when the broker is down the rows stay pending and the
    sweeper (notifications.tasks.resend_unsent_emails) sends them later."""
    from .tasks import send_notification_email

    for pk in ids:
        try:
            send_notification_email.delay(pk)
        except OperationalError as exc:
            logger.warning("Notifikasi %s belum masuk antrean (broker tidak tersedia): %s", pk, exc)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user, deliveries: dict[str, str]) -> None:
    """deliveries: kind -> delivery; unknown kinds or deliveries are refused by the form first."""
    for kind, delivery in deliveries.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


# --- e-mail -----------------------------------------------------------------------------------


class EmailSendError(Exception):
    pass


def _message(*, to: str, subject: str, context: dict, template: str) -> EmailMultiAlternatives:
    with translation.override("id"):
        text = render_to_string(f"notifications/{template}.txt", context)
        html = render_to_string(f"notifications/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _send(messages) -> None:
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    except Exception as exc:  # smtplib, socket and TLS errors all mean "try again later"
        raise EmailSendError(f"{type(exc).__name__}: {exc}") from exc


def notification_send_email(notification_id: int) -> bool:
    """Send one pending notification's e-mail. True when sent (or nothing to send); raises
    EmailSendError when the mail server refused or could not be reached (the task retries)."""
    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_id, email_state=EmailState.PENDING).first())
    if notification is None or not notification.recipient.email:
        return True
    context = {"notification": notification, "link": absolute_url(notification.url),
               "preferences_link": absolute_url("/notifikasi/preferensi/"), "user": notification.recipient}
    with translation.override("id"):
        subject = _("[ZI Portal] %(title)s") % {"title": notification.title}
    message = _message(to=notification.recipient.email, subject=subject, context=context, template="email")
    try:
        _send([message])
    except EmailSendError as exc:
        Notification.objects.filter(pk=notification.pk).update(
            email_attempts=notification.email_attempts + 1, email_error=str(exc)[:300])
        raise
    Notification.objects.filter(pk=notification.pk, email_state=EmailState.PENDING).update(
        email_state=EmailState.SENT, emailed_at=timezone.now(), email_attempts=notification.email_attempts + 1,
        email_error="")
    return True


def notification_email_failed(notification_id: int, reason: str) -> None:
    """Retries are exhausted: the e-mail is given up, the in-app notification stays."""
    Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.FAILED, email_error=reason[:300])


def notification_send_digests(*, day) -> int:
    """One e-mail per user with every notification waiting for the digest created up to the end of
    day (local time), grouped by day. Returns the number of e-mails sent. A user whose e-mail fails
    keeps their notifications waiting for the next run; EmailSendError is raised after the others."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    waiting = (Notification.objects.filter(email_state=EmailState.DIGEST, created_at__lt=end)
               .select_related("recipient").order_by("recipient_id", "created_at", "pk"))
    by_user = defaultdict(list)
    for notification in waiting:
        by_user[notification.recipient_id].append(notification)
    sent, failures = 0, []
    for notifications in by_user.values():
        user = notifications[0].recipient
        if not user.email:
            continue
        days = defaultdict(list)
        for notification in notifications:
            days[timezone.localdate(notification.created_at)].append(notification)
        for notification in notifications:
            notification.link = absolute_url(notification.url)
        context = {"user": user, "days": sorted(days.items()), "count": len(notifications),
                   "preferences_link": absolute_url("/notifikasi/preferensi/")}
        with translation.override("id"):
            subject = _("[ZI Portal] Ringkasan harian: %(n)d pemberitahuan") % {"n": len(notifications)}
        try:
            _send([_message(to=user.email, subject=subject, context=context, template="digest")])
        except EmailSendError as exc:
            failures.append(exc)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications], email_state=EmailState.DIGEST).update(
            email_state=EmailState.SENT, emailed_at=timezone.now())
        sent += 1
    if failures:
        raise failures[0]
    return sent


def unsent_email_ids(*, older_than: timedelta) -> list[int]:
    """Pending e-mails never tried (their task was lost, e.g. the broker was down at commit)."""
    cutoff = timezone.now() - older_than
    return list(Notification.objects.filter(email_state=EmailState.PENDING, email_attempts=0,
                                            created_at__lt=cutoff).values_list("pk", flat=True)[:500])
