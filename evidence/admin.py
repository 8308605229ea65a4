"""Evidence in the admin: for looking things up. Changes go through the portal's pages (and their
services), so every model here is read-only. The audit log is in the audit app's admin."""

from django.contrib import admin
from django.db import models

from .models import Comment, Evidence, EvidenceVersion, ReviewEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = EvidenceVersion
    extra = 0
    fields = ("number", "original_name", "size", "sha256", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    fields = ("created_at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("title", "assessment", "question", "kind", "status", "withdrawn", "owner", "created_at")
    list_filter = ("status", "kind", "withdrawn", "assessment__unit")
    search_fields = ("title", "code", "question__path", "assessment__unit__name")
    list_select_related = ("assessment__unit", "question", "owner")
    inlines = [VersionInline, ReviewEventInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "author", "assessment", "question", "body")
    list_select_related = ("author", "assessment__unit", "question")
    search_fields = ("body", "question__path")
