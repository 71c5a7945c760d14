"""
Django admin for the plugin's data: evidence items and their attachments, competence frameworks,
the anonymous review records kept after retirements (read only), and the verifiable credentials
issued (read only; revoked with a reason through the API).
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Registers the admin of attestation policies, which saves through the API (every change a version).
from competency_plugin import api, policy_admin  # noqa: F401  pylint: disable=unused-import
from competency_plugin.models import (
    Attachment,
    Competence,
    CredentialKey,
    Evidence,
    Framework,
    IssuedCredential,
    ProficiencyLevel,
    ReviewAuditRecord,
)


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


class ProficiencyLevelInline(admin.TabularInline):
    """The framework's proficiency scale, in order."""

    model = ProficiencyLevel
    extra = 0
    fields = ("order", "code", "label_fr", "label_en", "proficient")
    ordering = ("order", "id")


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """
    Competence frameworks with their scale.

    Import and export go through the management commands and the REST API; here operators
    correct metadata and level labels.
    """

    list_display = ("__str__", "title_en", "version", "publisher", "builtin", "competence_count", "modified")
    list_filter = ("builtin", "language")
    search_fields = ("title_fr", "title_en", "publisher", "identifier")
    readonly_fields = ("identifier", "builtin", "created", "modified")
    inlines = [ProficiencyLevelInline]

    def get_queryset(self, request):
        """Count each framework's competences in the same query."""
        return super().get_queryset(request).annotate(_competence_count=Count("competences"))

    @admin.display(description=_("competences"), ordering="_competence_count")
    def competence_count(self, framework):
        """Return the number of nodes in the framework's tree."""
        return framework._competence_count  # pylint: disable=protected-access


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    """
    Competences of every framework, listed in tree order, searchable by code and title.

    The tree's structure (framework, parent, position) is read-only: it comes from the imported
    file and is rebuilt on reimport; only the texts may be corrected here.
    """

    list_display = ("code", "short_title", "item_type", "depth", "framework")
    list_filter = ("framework",)
    search_fields = ("code", "title_fr", "title_en")
    ordering = ("framework", "path", "id")
    list_select_related = ("framework",)
    fields = (
        "framework", "parent", "identifier", "code", "title_fr", "title_en",
        "description_fr", "description_en", "item_type", "depth", "sort_order", "path",
    )
    readonly_fields = ("framework", "parent", "identifier", "depth", "sort_order", "path")

    def has_add_permission(self, request):
        """Competences are created by importing a framework, never one by one."""
        return False

    @admin.display(description=_("title"))
    def short_title(self, competence):
        """Return the French title (English when there is none), cut to fit the list."""
        return Truncator(competence.title_fr or competence.title_en).chars(90)


@admin.register(ReviewAuditRecord)
class ReviewAuditRecordAdmin(admin.ModelAdmin):
    """
    What stays of the reviews of retired learners: who decided, where, when and what, for the
    operators' reports. Read only: the records are written by the retirement alone (ADR 0007).
    """

    list_display = ("decided_on", "reviewer", "course_key", "usage_key", "situation_type", "version", "outcome")
    list_filter = ("outcome", "situation_type", "decided_on")
    search_fields = ("course_key", "reviewer__username")
    list_select_related = ("reviewer",)
    date_hierarchy = "decided_on"

    def has_add_permission(self, request):
        """Records come from retirements only."""
        return False

    def has_change_permission(self, request, obj=None):
        """A record is evidence of what was decided: it is never edited."""
        return False


class RevocationActionForm(ActionForm):
    """The admin's action bar, with the reason a revocation needs."""

    reason = forms.CharField(label=_("Reason for revocation"), max_length=500, required=False)


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(admin.ModelAdmin):
    """
    The credentials issued, read only. The action "Revoke" sets their bit in the revocation status
    list through ``api.revoke_credential``, with the reason typed beside it (required).
    """

    list_display = ("uuid", "user", "course_key", "issued_at", "revoked_at", "revocation_reason", "erased")
    list_filter = ("erased", "issued_at", "revoked_at")
    search_fields = ("uuid", "user__username", "course_key")
    list_select_related = ("user",)
    action_form = RevocationActionForm
    actions = ["revoke"]
    exclude = ("document",)

    def has_add_permission(self, request):
        """Credentials are claimed by learners only."""
        return False

    def has_change_permission(self, request, obj=None):
        """A credential is signed: it is never edited."""
        return False

    @admin.action(description=_("Revoke the selected credentials (reason required)"), permissions=["view"])
    def revoke(self, request, queryset):
        """Revoke each selected credential not revoked yet, with the reason of the action bar."""
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(request, _("Give a reason to revoke credentials."), messages.ERROR)
            return
        count = 0
        for identifier in queryset.filter(revoked_at__isnull=True).values_list("uuid", flat=True):
            api.revoke_credential(identifier=identifier, reason=reason, revoked_by_id=request.user.id)
            count += 1
        self.message_user(request, ngettext("{count} credential revoked.", "{count} credentials revoked.",
                                            count).format(count=count), messages.SUCCESS)


@admin.register(CredentialKey)
class CredentialKeyAdmin(admin.ModelAdmin):
    """The public halves of the signing keys, read only: created by ``create_credential_key``, kept for good."""

    list_display = ("name", "public_key_multibase", "created")

    def has_add_permission(self, request):
        """Keys are created by the management command, which writes the private key file."""
        return False

    def has_change_permission(self, request, obj=None):
        """A published key never changes."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Deleting a key would make the credentials it signed unverifiable."""
        return False
