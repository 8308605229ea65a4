"""Writing the audit trail (docs/audit.md). Any app may call record(); it never raises for
bad input that would lose the event (labels are cut to size)."""

from accounts.client import client_ip

from .models import AuditAction, AuditEvent

__all__ = ["AuditAction", "record"]


def record(*, action: str, actor=None, request=None, unit=None, unit_id: int | None = None, obj=None,
           object_type: str = "",
           object_id: str = "", object_label: str = "", detail: str = "", data: dict | None = None,
           ip_address: str | None = None, actor_label: str = "") -> AuditEvent:
    """Append one event.

    actor: the user (default: request.user when signed in). obj: any model instance with a
    `code` (or pk); its class name and str() fill object_type and object_label unless given.
    ip_address: default from the request (EVIDENCE_CLIENT_IP_HEADER, like the login throttle).
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if ip_address is None and request is not None:
        ip_address = client_ip(request)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "code", None) or obj.pk)
        object_label = object_label or str(obj)
    if not actor_label and actor is not None:
        actor_label = actor.get_username()
    return AuditEvent.objects.create(
        action=action, actor=actor, actor_label=_clean(actor_label, 150),
        unit_id=unit.pk if unit is not None else unit_id,
        object_type=object_type[:30], object_id=str(object_id)[:64], object_label=_clean(object_label, 300),
        detail=_clean(detail, 300), data=data or {}, ip_address=ip_address or None,
    )


def _clean(text: str, limit: int) -> str:
    """Printable characters only (a NUL cannot be stored by PostgreSQL), cut to the column."""
    return "".join(ch for ch in str(text or "") if ch.isprintable())[:limit]
