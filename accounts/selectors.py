from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from areas.models import Assessment

from .models import Membership, Role, Unit


def landing(user, *, query: str = "", page=None) -> dict:
    """What a user's landing page lists: their units with roles and assessments.

    Queries: memberships (+ areas prefetch) and assessments, or for admins one unit page
    with its assessments; constant in the number of units.
    """
    assessments = Prefetch(
        "assessments", queryset=Assessment.objects.select_related("instrument").order_by("-year")
    )
    if user.is_portal_admin:
        units = Unit.objects.select_related("instansi").prefetch_related(assessments).order_by("instansi__name", "name")
        query = query.strip()
        if query:
            units = units.filter(Q(name__icontains=query) | Q(instansi__name__icontains=query))
        unit_page = Paginator(units, 20).get_page(page)
        return {"is_admin": True, "unit_page": unit_page, "query": query, "memberships": []}
    memberships = list(
        Membership.objects.for_user(user)
        .select_related("unit__instansi")
        .prefetch_related("areas", Prefetch("unit__assessments", queryset=assessments.queryset))
        .order_by("unit__name")
    )
    roles = {m.role for m in memberships}
    return {
        "is_admin": False,
        "memberships": memberships,
        "roles": roles,
        "is_tpi": Role.TPI in roles,
        "query": "",
    }


def leader_home_assessment(context: dict):
    """A pimpinan who leads exactly one unit (and holds no other role) starts on that unit's
    latest dashboard instead of a one-line list; None for everyone else."""
    memberships = context.get("memberships") or []
    if context.get("is_admin") or len(memberships) != 1 or memberships[0].role != Role.PIMPINAN:
        return None
    assessments = list(memberships[0].unit.assessments.all())  # prefetched, newest first
    return assessments[0] if assessments else None
