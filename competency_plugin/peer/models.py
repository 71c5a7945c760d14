"""
Peer feedback: which situations peers are given to read, what they answer, and its moderation.

Models of the ``competency_plugin`` app (``competency_plugin.models`` re-exports them for Django).
See docs/decisions/0015-peer-feedback.rst for the allocation's index.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from competency_plugin.evidence.models import Evidence

__all__ = [
    "PeerVerdict",
    "ModerationAction",
    "PeerSituation",
    "PeerAllocation",
    "PeerFeedback",
    "PeerModerationRecord",
]


class PeerVerdict(models.TextChoices):
    """A peer's reading of one competence the situation claims."""

    CONVINCING = "convincing", _("Convincing")
    NOT_YET = "not_yet", _("Not yet")


class ModerationAction(models.TextChoices):
    """What staff did with a peer's feedback."""

    HIDDEN = "hidden", _("Hidden")
    RELEASED = "released", _("Released to the author")
    KEPT = "kept", _("Report dismissed")


class PeerSituation(models.Model):
    """
    A submitted situation as the allocation sees it: its block, its author, whether staff reviewed
    it, how many peers answered it and until when it is reserved by a reader.

    The allocation reads one row of this table, found by an index in the order it wants (the
    least-read first, then the one whose reservation ends first): see ``peer.allocation``.

    .. pii: The author's account (the row goes with the author's evidence).
    .. pii_types: id
    .. pii_retirement: local_api
    """

    evidence = models.OneToOneField(
        Evidence, verbose_name=_("evidence item"), on_delete=models.CASCADE, related_name="peer_situation",
    )
    usage_key = UsageKeyField(verbose_name=_("component"), max_length=255)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+",
    )
    reviewed = models.BooleanField(verbose_name=_("reviewed by staff"), default=False)
    received = models.PositiveIntegerField(verbose_name=_("peer feedback received"), default=0)
    # Moved forward at each allocation: a situation given to a reader goes behind those given to nobody.
    reserved_until = models.DateTimeField(verbose_name=_("reserved until"))

    class Meta:
        verbose_name = _("situation open to peers")
        verbose_name_plural = _("situations open to peers")
        indexes = [
            models.Index(fields=["usage_key", "received", "reserved_until"], name="cp_peer_order"),
            models.Index(fields=["usage_key", "reviewed", "received", "reserved_until"], name="cp_peer_order_reviewed"),
        ]

    def __str__(self):
        return f"{self.evidence_id}: {self.received}"


class PeerAllocation(models.Model):
    """
    A situation given to a reader: at most once per reader and situation (answered or not).

    .. pii: The reader's account.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(verbose_name=_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.CASCADE, related_name="+",
    )
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence item"), on_delete=models.CASCADE, related_name="peer_allocations",
    )
    usage_key = UsageKeyField(verbose_name=_("component"), max_length=255)
    version = models.PositiveIntegerField(verbose_name=_("version read"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    answered = models.BooleanField(verbose_name=_("answered"), default=False)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer reading")
        verbose_name_plural = _("peer readings")
        constraints = [
            models.UniqueConstraint(fields=["reader", "evidence"], name="cp_peer_allocation_once"),
        ]
        indexes = [models.Index(fields=["reader", "usage_key", "answered", "expires_at"], name="cp_peer_reader")]

    def __str__(self):
        return f"{self.reader_id} → {self.evidence_id}"


class PeerFeedback(models.Model):
    """
    A peer's feedback on one version of a situation: a verdict and a comment per claimed competence,
    a general comment, a question; the author's one reply and whether they found it helpful.

    ``anonymous`` is the block's setting when it was written: the author never learns who wrote it
    (pages, exports, e-mails); staff always do. ``released`` is False while it waits for staff
    moderation; ``hidden`` once staff hid it: it then never reaches the author. Kept when the author
    or the reader is retired, without its text and without the retired person (anonymous counts).

    .. pii: The reader's account, the reader's comments and the author's reply.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(verbose_name=_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence item"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="peer_feedback",
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    course_key = CourseKeyField(verbose_name=_("course"), max_length=255)
    usage_key = UsageKeyField(verbose_name=_("component"), max_length=255)
    version = models.PositiveIntegerField(verbose_name=_("version read"))
    anonymous = models.BooleanField(verbose_name=_("anonymous to the author"), default=True)
    # [{"competence": identifier, "code", "verdict": "convincing" | "not_yet", "comment"}]
    verdicts = models.JSONField(verbose_name=_("verdicts per competence"), default=list, blank=True)
    comment = models.TextField(verbose_name=_("general comment"), blank=True)
    question = models.TextField(verbose_name=_("question to the author"), blank=True)
    reply = models.TextField(verbose_name=_("author's reply"), blank=True)
    replied_at = models.DateTimeField(verbose_name=_("replied at"), null=True, blank=True)
    helpful = models.BooleanField(verbose_name=_("helpful"), default=False)
    reported_at = models.DateTimeField(verbose_name=_("reported at"), null=True, blank=True)
    released = models.BooleanField(verbose_name=_("released to the author"), default=True)
    hidden = models.BooleanField(verbose_name=_("hidden by staff"), default=False)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer feedback")
        verbose_name_plural = _("peer feedback")
        ordering = ("created", "id")
        indexes = [
            models.Index(fields=["course_key", "reader"], name="cp_peer_feedback_reader"),
            models.Index(fields=["course_key", "reported_at"], name="cp_peer_feedback_reported"),
        ]

    def __str__(self):
        return f"{self.uuid} on {self.evidence_id}"


class PeerModerationRecord(models.Model):
    """
    What staff did with a peer's feedback, and when: the audit of moderation. Holds no text.

    .. pii: The moderator's account (cleared when the moderator is retired).
    .. pii_types: id
    .. pii_retirement: local_api
    """

    feedback = models.ForeignKey(
        PeerFeedback, verbose_name=_("peer feedback"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="moderation",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderator"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    course_key = CourseKeyField(verbose_name=_("course"), max_length=255, db_index=True)
    usage_key = UsageKeyField(verbose_name=_("component"), max_length=255)
    action = models.CharField(verbose_name=_("action"), max_length=16, choices=ModerationAction.choices)
    created = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer feedback moderation")
        verbose_name_plural = _("peer feedback moderation")
        ordering = ("created", "id")

    def __str__(self):
        return f"{self.feedback_id}: {self.action}"
