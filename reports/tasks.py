"""Thin Celery tasks: they take ids and call a service (reports/services.py)."""

from celery import shared_task
from celery.signals import worker_ready

from . import services


@shared_task(name=services.RENDER_TASK, bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_report(self, job_id: int) -> None:
    """Routed to the "render" queue (CELERY_TASK_ROUTES). A worker lost mid-render puts the
    message back; report_claim lets that same message take the job over and counts attempts."""
    services.report_run(job_id, task_id=self.request.id or "")


@shared_task(ignore_result=True)
def sweep_reports() -> dict:
    return services.report_sweep()


@shared_task(ignore_result=True)
def purge_expired_reports() -> int:
    return services.report_purge_expired()


@worker_ready.connect
def _sweep_tmp_at_start(**kwargs) -> None:
    """Directories a killed render left on this host go when its worker starts again."""
    services.report_sweep_tmp()
