"""Reads for the audit page: which events a person may see, filtered."""

from django.db.models import Q

from accounts.models import Membership, Role, Unit

from .models import AuditEvent


def audit_unit_ids(user) -> list[int] | None:
    """Units whose trail the user may read: None for administrators (all), else the units they
    coordinate (possibly none)."""
    if user.is_portal_admin:
        return None
    return list(Membership.objects.filter(user=user, role=Role.KOORDINATOR, unit__is_active=True)
                .values_list("unit_id", flat=True))


def visible_events(user):
    """Administrators: every event. A koordinator: the events of their units, and the sign-ins,
    failures and denials (no unit) of people who are members of those units."""
    unit_ids = audit_unit_ids(user)
    events = AuditEvent.objects.select_related("unit")
    if unit_ids is None:
        return events
    members = Membership.objects.filter(unit_id__in=unit_ids).values("user_id")
    return events.filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True, actor_id__in=members))


def filter_events(events, data: dict):
    """data: cleaned AuditFilterForm values."""
    if data.get("person"):
        events = events.filter(actor_label__icontains=data["person"])
    if data.get("obj"):
        events = events.filter(Q(object_label__icontains=data["obj"]) | Q(object_id__iexact=data["obj"]))
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("unit"):
        events = events.filter(unit=data["unit"])
    if data.get("start"):
        events = events.filter(created_at__date__gte=data["start"])
    if data.get("end"):
        events = events.filter(created_at__date__lte=data["end"])
    return events.order_by("-created_at", "-id")


def unit_choices(user):
    unit_ids = audit_unit_ids(user)
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=unit_ids)
    return units.order_by("name")
