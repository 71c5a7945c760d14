"""
Attestation: a course's policy, its requirements and history, and the learners' stored eligibility.

Models of the ``competency_plugin`` app (``competency_plugin.models`` re-exports them for Django).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

from competency_plugin.frameworks.models import Competence, Framework

__all__ = [
    "AttestationPolicy",
    "PolicyRequirement",
    "AttestationPolicyVersion",
    "EligibilityRecord",
]


class AttestationPolicy(models.Model):
    """
    What a course requires for its attestation: validated evidence per domain or competence of a
    framework, authentic situations, a minimum level, completed portfolio blocks.

    Every change bumps ``version`` and is kept in ``AttestationPolicyVersion``; eligibility
    reports name the version they used.

    .. no_pii:
    """

    course_key = CourseKeyField(verbose_name=_("course"), max_length=255, unique=True)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="policies",
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1)
    min_authentic = models.PositiveIntegerField(
        verbose_name=_("minimum authentic situations"), default=0,
        help_text=_("Validated authentic professional situations required overall."),
    )
    min_level = models.CharField(
        verbose_name=_("minimum level"), max_length=50, blank=True,
        help_text=_("Lowest level of the framework's scale a validation must reach."),
    )
    min_peer_feedback = models.PositiveIntegerField(
        verbose_name=_("minimum peer feedback given"), default=0,
        help_text=_("Peer feedback the learner must have given in the course (feedback staff hid does not count)."),
    )
    require_blocks_completed = models.BooleanField(
        verbose_name=_("every portfolio activity completed"), default=False,
        help_text=_("Whether every portfolio component of the course must be completed."),
    )
    certificate_gate = models.BooleanField(
        verbose_name=_("certificate gate"), default=False,
        help_text=_("Whether certificates wait until the learner is eligible."),
    )
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    modified = models.DateTimeField(verbose_name=_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("attestation policy")
        verbose_name_plural = _("attestation policies")

    def __str__(self):
        return f"{self.course_key} v{self.version}"


class PolicyRequirement(models.Model):
    """
    One requirement of a policy: evidence validated within a domain (or one competence).

    .. no_pii:
    """

    policy = models.ForeignKey(
        AttestationPolicy, verbose_name=_("attestation policy"), on_delete=models.CASCADE, related_name="requirements",
    )
    competence = models.ForeignKey(Competence, verbose_name=_("competence"), on_delete=models.PROTECT, related_name="+")
    min_validated = models.PositiveIntegerField(verbose_name=_("minimum validated situations"), default=1)
    min_authentic = models.PositiveIntegerField(verbose_name=_("minimum authentic situations"), default=0)

    class Meta:
        verbose_name = _("policy requirement")
        verbose_name_plural = _("policy requirements")
        ordering = ("policy", "competence__path")
        constraints = [
            models.UniqueConstraint(fields=["policy", "competence"], name="cp_requirement_unique_competence"),
        ]

    def __str__(self):
        return f"{self.competence_id} ≥ {self.min_validated}"


class AttestationPolicyVersion(models.Model):
    """
    A policy as it was at one version: the append-only history of policy changes.

    .. pii: The account of the staff member who made the change (cleared when they are retired).
    .. pii_types: id
    .. pii_retirement: local_api
    """

    policy = models.ForeignKey(
        AttestationPolicy, verbose_name=_("attestation policy"), on_delete=models.CASCADE, related_name="versions",
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    content = models.JSONField(verbose_name=_("content"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attestation policy version")
        verbose_name_plural = _("attestation policy versions")
        ordering = ("policy", "-version")
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="cp_policy_version_unique"),
        ]

    def __str__(self):
        return f"{self.policy_id} v{self.version}"


class EligibilityRecord(models.Model):
    """
    The last computed eligibility of a learner in a course, kept to tell when it changes.

    It also remembers that the certificate gate stopped the learner's certificate
    (``certificate_refused_at``), so that the LMS, which does not retry, is asked again once the
    learner is eligible; such a record may then exist before the learner was ever eligible.

    .. pii: Links a learner's account to their attestation status.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+",
    )
    course_key = CourseKeyField(verbose_name=_("course"), max_length=255)
    eligible = models.BooleanField(verbose_name=_("eligible"), default=False)
    policy_version = models.PositiveIntegerField(verbose_name=_("policy version"), default=0)
    computed_at = models.DateTimeField(verbose_name=_("computed at"), auto_now=True)
    certificate_refused_at = models.DateTimeField(
        verbose_name=_("certificate refused at"), null=True, blank=True,
        help_text=_("When the certificate gate last stopped this learner's certificate; cleared once the LMS "
                    "is asked again."),
    )

    class Meta:
        verbose_name = _("eligibility record")
        verbose_name_plural = _("eligibility records")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="cp_eligibility_unique_learner"),
        ]
        # A course's records are read together (its recompute, its eligibility list).
        indexes = [models.Index(fields=["course_key", "user"], name="cp_eligibility_course_user")]

    def __str__(self):
        return f"{self.user_id} {self.course_key}: {self.eligible}"
