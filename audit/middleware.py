"""Permission denials (403) land in the audit trail, wherever a view or access helper raised them."""

from django.core.exceptions import PermissionDenied

from .models import AuditAction
from .services import record


class AuditDenialsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            record(action=AuditAction.DENIED, request=request, object_type="url", object_id="",
                   object_label=f"{request.method} {request.path}", detail=str(exception))
        return None
