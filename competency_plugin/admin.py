"""Django admin for the plugin's data: evidence items and their attachments."""
from django.contrib import admin

from competency_plugin.models import Attachment, Evidence


class AttachmentInline(admin.TabularInline):
    """Attachments shown inside their evidence item."""

    model = Attachment
    extra = 0
    fields = ("kind", "title", "url", "content_type", "size", "created")
    readonly_fields = fields
    can_delete = False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence items, searchable by learner and title, filterable by status and type."""

    list_display = ("title", "user", "course_key", "situation_type", "status", "version", "modified")
    list_filter = ("status", "situation_type")
    search_fields = ("title", "user__username", "course_key", "uuid")
    list_select_related = ("user",)
    readonly_fields = ("uuid", "user", "course_key", "usage_key", "client_key", "version", "created", "modified")
    raw_id_fields = ()
    inlines = [AttachmentInline]
