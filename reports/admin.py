from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through reports/services.py."""

    list_display = ["code", "kind", "format", "assessment", "requested_by", "status", "progress", "attempts",
                    "created_at", "finished_at"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["code", "assessment__unit__name", "requested_by__username"]
    list_select_related = ["assessment__unit", "requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
