"""Admin pages for pengusulan data. The thresholds are the editable regulation data; tokens, pulls
and accesses are read-only here (tokens are issued on the portal's instansi page or by command)."""

from django.contrib import admin

from .models import ApiToken, EvaluatorAccess, PrerequisiteThreshold, PullLog


@admin.register(PrerequisiteThreshold)
class PrerequisiteThresholdAdmin(admin.ModelAdmin):
    list_display = ("regulation", "predicate", "prerequisite", "instansi_type", "minimum", "confirmed")
    list_filter = ("regulation", "predicate", "confirmed")
    list_editable = ("minimum", "confirmed")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("instansi", "prefix", "label", "created_at", "expires_at", "revoked_at", "last_used_at")
    exclude = ("token_hash",)


@admin.register(PullLog)
class PullLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "instansi", "endpoint", "unit_id", "status", "error_code", "ip_address")
    list_filter = ("status", "endpoint")


@admin.register(EvaluatorAccess)
class EvaluatorAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "link", "question_path", "action", "ip_address")
