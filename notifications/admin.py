from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_state", "email_attempts"]
    list_filter = ["kind", "email_state"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "unit"]
    readonly_fields = ["code", "created_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    raw_id_fields = ["user"]
