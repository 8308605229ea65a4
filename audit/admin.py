"""The audit trail in the Django admin: look only. Nobody, superusers included, may add, change or
delete a row here (the model and, on PostgreSQL, a trigger refuse as well)."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "action", "unit", "object_type", "object_label", "detail",
                    "ip_address")
    list_filter = ("action", "object_type", "unit")
    search_fields = ("actor_label", "object_label", "object_id", "ip_address")
    list_select_related = ("unit",)
    date_hierarchy = "created_at"
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
