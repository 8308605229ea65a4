"""Reads for the report pages and the renderers."""

from django.db.models import Prefetch

from evidence.models import Evidence, EvidenceStatus, EvidenceVersion

from .models import ReportJob


def user_jobs(user):
    """"Laporan saya": the user's jobs, newest first, with what the list shows (1 query per page)."""
    return ReportJob.objects.for_user(user).select_related("assessment__unit").order_by("-created_at", "-id")


def assessment_jobs(user, assessment, limit=10):
    """The user's latest jobs for one assessment, for its Laporan page."""
    return list(ReportJob.objects.for_user(user).filter(assessment=assessment).order_by("-created_at", "-id")[:limit])


def latest_started_period(periods, today):
    """The monev period offered first: the latest one that has begun (else the first)."""
    started = [period for period in periods if period.start <= today]
    return started[-1] if started else (periods[0] if periods else None)


def evidence_by_question(assessment, *, accepted_only=False) -> dict[int, list[Evidence]]:
    """Active evidence per question id, oldest first, each with `.current` (its latest version or None).

    Queries: evidence (1) and their versions (1), whatever the amount.
    """
    items = Evidence.objects.for_assessment(assessment).active()
    if accepted_only:
        items = items.filter(status=EvidenceStatus.DITERIMA)
    items = items.prefetch_related(
        Prefetch("versions", queryset=EvidenceVersion.objects.order_by("number"), to_attr="version_list")
    ).order_by("created_at", "pk")
    result: dict[int, list[Evidence]] = {}
    for item in items:
        item.current = item.version_list[-1] if item.version_list else None
        result.setdefault(item.question_id, []).append(item)
    return result
