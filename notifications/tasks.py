"""Thin Celery tasks for notification e-mail: they take ids and call notifications/services.py."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(bind=True, max_retries=services.MAX_EMAIL_RETRIES, acks_late=True, ignore_result=True)
def send_notification_email(self, notification_id: int) -> None:
    """Retried with growing delays while the mail server fails; then the e-mail is marked failed
    (the in-app notification is already committed and stays)."""
    try:
        services.notification_send_email(notification_id)
    except services.EmailSendError as exc:
        if self.request.retries >= self.max_retries:
            services.notification_email_failed(notification_id, str(exc))
            return
        if self.request.is_eager:
            # In-process mode (no broker): Celery's retry would raise into the caller, so try again
            # right away, counting the attempt the same way.
            send_notification_email.apply(args=[notification_id], retries=self.request.retries + 1)
            return
        raise self.retry(exc=exc, countdown=min(60 * 2 ** self.request.retries, 3600)) from exc


@shared_task(bind=True, max_retries=3, ignore_result=True)
def send_digests(self, day: str | None = None) -> int:
    """The daily digest of the day before (or of day, YYYY-MM-DD)."""
    from datetime import date

    target = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    try:
        return services.notification_send_digests(day=target)
    except services.EmailSendError as exc:
        if self.request.retries >= self.max_retries or self.request.is_eager:
            return 0  # the digest notifications stay waiting for the next run
        raise self.retry(exc=exc, countdown=600) from exc


@shared_task(ignore_result=True)
def resend_unsent_emails() -> int:
    ids = services.unsent_email_ids(older_than=timedelta(minutes=10))
    services.notification_enqueue_emails(ids)
    return len(ids)
