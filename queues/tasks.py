"""Thin Celery task: the daily reminders (beat, CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.utils import timezone

from .reminders import reminders_send


@shared_task(ignore_result=True)
def send_reminders() -> int:
    return len(reminders_send(today=timezone.localdate()))
