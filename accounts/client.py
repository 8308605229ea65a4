"""The client's address, as the login throttle and the audit trail see it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address in EVIDENCE_CLIENT_IP_HEADER (behind a proxy that sets it) or REMOTE_ADDR."""
    value = request.META.get(settings.EVIDENCE_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR") or ""
    value = value.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
