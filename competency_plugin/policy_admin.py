"""
Django admin of attestation policies: the policy, its requirements inline, its version history.

Saving goes through ``competency_plugin.api.set_policy``, as the REST API does: every change made
in the admin is validated the same way, bumps the version, is snapshotted in the history with its
author, and has the learners' eligibility recomputed once it commits. The admin's own saving of
the policy and of its requirement rows is therefore skipped. Registered by ``admin.py``.
"""
from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from competency_plugin import api
from competency_plugin.models import AttestationPolicy, AttestationPolicyVersion, PolicyRequirement


def _requirements(formset):
    """Return the requirements of the inline forms (deleted and empty ones left out), as ``set_policy`` takes them."""
    requirements = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("competence"):
            continue
        requirements.append({
            "competence": str(data["competence"].identifier),
            "min_validated": data.get("min_validated", 1),
            "min_authentic": data.get("min_authentic", 0),
        })
    return requirements


class RequirementFormSet(BaseInlineFormSet):
    """The requirement rows, checked together with the policy's fields by ``api.validate_policy``."""

    def clean(self):
        """Refuse what ``set_policy`` would refuse, with its message, before anything is saved."""
        super().clean()
        policy = self.instance  # already holds the policy form's values: the admin validates that form first
        if any(self.errors) or policy.framework_id is None:
            return
        try:
            api.validate_policy(
                framework=policy.framework.identifier, requirements=_requirements(self),
                min_authentic=policy.min_authentic, min_level=policy.min_level,
            )
        except api.CompetencyRequestError as error:
            messages = [message for field_messages in error.field_errors.values() for message in field_messages]
            raise forms.ValidationError(messages or [error.message]) from error


class PolicyRequirementInline(admin.TabularInline):
    """The domains or competences a policy requires, with their minimums."""

    model = PolicyRequirement
    formset = RequirementFormSet
    fields = ("competence", "min_validated", "min_authentic")
    autocomplete_fields = ("competence",)
    extra = 1
    min_num = 1
    validate_min = True


class PolicyVersionInline(admin.TabularInline):
    """The policy's history: every version as it was saved, and who saved it. Read-only."""

    model = AttestationPolicyVersion
    fields = ("version", "changed_by", "created", "requirements_summary")
    readonly_fields = fields
    ordering = ("-version",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """Versions are written by ``set_policy`` only."""
        return False

    def has_change_permission(self, request, obj=None):
        """Refuse: the history is never edited."""
        return False

    @admin.display(description=_("requirements"))
    def requirements_summary(self, version):
        """Return the version's requirements, one per line: code, minimum validated (of which authentic)."""
        rows = version.content.get("requirements", [])
        return format_html_join(
            "", "<div>{} ≥ {} ({} {})</div>",
            ((row.get("code", ""), row.get("min_validated", 0), row.get("min_authentic", 0), _("authentic"))
             for row in rows),
        )


class AttestationPolicyAdmin(admin.ModelAdmin):
    """Attestation policies by course; each save through the admin is a new version."""

    list_display = ("course_key", "framework", "version", "certificate_gate", "modified")
    list_filter = ("certificate_gate", "framework")
    search_fields = ("course_key",)
    list_select_related = ("framework",)
    fields = (
        "course_key", "framework", "min_authentic", "min_level", "min_peer_feedback", "require_blocks_completed",
        "certificate_gate", "version", "modified",
    )
    inlines = [PolicyRequirementInline, PolicyVersionInline]

    def get_readonly_fields(self, request, obj=None):
        """Keep the version the API's, and a policy with its course (create another for another course)."""
        return ("version", "modified", "course_key") if obj else ("version", "modified")

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` stores the policy and its requirements together, through the API."""

    def save_related(self, request, form, formsets, change):
        """Store the policy and its requirements with ``api.set_policy`` (new version, history, recomputation)."""
        policy = form.instance
        requirements = next(formset for formset in formsets if formset.model is PolicyRequirement)
        api.set_policy(
            course_key=policy.course_key, framework=policy.framework.identifier,
            requirements=_requirements(requirements), min_authentic=policy.min_authentic,
            min_level=policy.min_level, require_blocks_completed=policy.require_blocks_completed,
            certificate_gate=policy.certificate_gate, changed_by=request.user.pk,
            min_peer_feedback=policy.min_peer_feedback,
        )
        for formset in formsets:
            # Nothing saved row by row: the change message is the admin's, the version history the API's.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        saved = AttestationPolicy.objects.get(course_key=policy.course_key)
        # The admin's messages, history and redirect name the row the API saved.
        policy.pk, policy.version = saved.pk, saved.version
        policy.created, policy.modified = saved.created, saved.modified

    def delete_model(self, request, obj):
        """Delete the policy; its course's learners are then recomputed (without a policy, nobody is eligible)."""
        course_key = obj.course_key
        super().delete_model(request, obj)
        api.schedule_eligibility_refresh(course_key)

    def delete_queryset(self, request, queryset):
        """Delete policies from the list; their courses' learners are then recomputed."""
        course_keys = list(queryset.values_list("course_key", flat=True))
        super().delete_queryset(request, queryset)
        for course_key in course_keys:
            api.schedule_eligibility_refresh(course_key)


admin.site.register(AttestationPolicy, AttestationPolicyAdmin)
