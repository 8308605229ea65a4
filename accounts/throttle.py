"""Failed-login throttling with two limits (docs/operations.md).

django-axes compares the largest failure count over its lockout parameters with one limit. The
settings list two parameters, in this order: username with address (AXES_FAILURE_LIMIT, the
per-account lock) and address alone (AXES_ADDRESS_FAILURE_LIMIT, against one address trying a
password on many accounts). The address count is scaled so that reaching its own limit reaches
axes' limit; an office behind one NAT address can still absorb a few typos per person.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AddressThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        per_account = counts[0] if counts else 0
        per_address = counts[1] if len(counts) > 1 else 0
        limit = settings.AXES_FAILURE_LIMIT
        scaled = per_address * limit // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(per_account, scaled)
