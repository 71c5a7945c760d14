"""
Staff review: the decisions on evidence, per competence, and the anonymous audit kept after retirement.

Models of the ``competency_plugin`` app (``competency_plugin.models`` re-exports them for Django).
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from competency_plugin.evidence.models import Evidence, SituationType
from competency_plugin.frameworks.models import Competence

__all__ = [
    "ReviewOutcome",
    "CompetenceStatus",
    "ReviewDecision",
    "CompetenceDecision",
    "ReviewAuditRecord",
]


class ReviewOutcome(models.TextChoices):
    """What a reviewer decides on the evidence as a whole."""

    ACCEPTED = "accepted", _("Accepted")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")


class CompetenceStatus(models.TextChoices):
    """What a reviewer decides on one claimed competence."""

    VALIDATED = "validated", _("Validated")
    NOT_YET = "not_yet", _("Not yet demonstrated")


class ReviewDecision(models.Model):
    """
    A reviewer's decision on one version of an evidence item. Append-only: a new decision
    supersedes the previous one, which stays as the audit trail.

    .. pii: The reviewer's account and the feedback written to the learner.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(verbose_name=_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence item"), on_delete=models.CASCADE, related_name="decisions",
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    outcome = models.CharField(verbose_name=_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    feedback = models.TextField(verbose_name=_("feedback"), blank=True)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ("evidence", "-id")

    def __str__(self):
        return f"{self.evidence_id} v{self.version}: {self.outcome}"


class CompetenceDecision(models.Model):
    """
    A reviewer's decision on one competence claimed by the evidence, within a ``ReviewDecision``.

    .. no_pii:
    """

    decision = models.ForeignKey(
        ReviewDecision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="competence_decisions",
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.PROTECT, related_name="decisions",
    )
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=CompetenceStatus.choices)
    level = models.CharField(
        verbose_name=_("level"), max_length=50, blank=True, help_text=_("Code of the framework's proficiency level."),
    )

    class Meta:
        verbose_name = _("competence decision")
        verbose_name_plural = _("competence decisions")
        ordering = ("decision", "competence__path")
        constraints = [
            models.UniqueConstraint(fields=["decision", "competence"], name="cp_competence_decision_unique"),
        ]

    def __str__(self):
        return f"{self.competence_id}: {self.status}"


class ReviewAuditRecord(models.Model):
    """
    What stays of a review decision once the learner it was about is retired: who decided,
    where, on which day, with which outcome, competence by competence. Nothing links it to
    the learner, and it holds no text (see docs/decisions/0007-retirement-keeps-anonymous-audit.rst).

    .. pii: The reviewer's account (cleared when the reviewer is retired).
    .. pii_types: id
    .. pii_retirement: local_api
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    course_key = CourseKeyField(verbose_name=_("course"), max_length=255, db_index=True)
    usage_key = UsageKeyField(verbose_name=_("component"), max_length=255)
    situation_type = models.CharField(
        verbose_name=_("kind of situation"), max_length=16, choices=SituationType.choices, blank=True,
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    outcome = models.CharField(verbose_name=_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    # [{"competence": identifier, "code": code, "status": status, "level": level code}]
    competences = models.JSONField(verbose_name=_("competences decided"), default=list, blank=True)
    # The day only: an exact time would be easier to match against other logs.
    decided_on = models.DateField(verbose_name=_("decided on"))
    recorded_on = models.DateField(verbose_name=_("recorded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonymous review record")
        verbose_name_plural = _("anonymous review records")
        ordering = ("course_key", "decided_on", "id")
        indexes = [models.Index(fields=["reviewer", "decided_on"], name="cp_audit_reviewer_day")]

    def __str__(self):
        return f"{self.course_key} {self.decided_on}: {self.outcome}"
