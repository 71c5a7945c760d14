"""Plain data of peer feedback returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.platform.values import _Serialisable

__all__ = [
    "PeerSettings",
    "PeerVerdictData",
    "PeerFeedbackData",
    "PeerReading",
    "PeerSummary",
]


@dataclasses.dataclass(frozen=True)
class PeerSettings:
    """
    A block's peer feedback settings, as its author chose them in Studio.

    Attributes:
        enabled: whether learners read each other's situations in the block.
        peers: how many peers should read each situation.
        anonymous: readers and authors do not learn each other's names (staff always do).
        after_review: situations are offered to peers only once staff reviewed them.
        moderated: feedback reaches the author only once staff released it.
    """

    enabled: bool = False
    peers: int = 2
    anonymous: bool = True
    after_review: bool = False
    moderated: bool = False


@dataclasses.dataclass(frozen=True)
class PeerVerdictData(_Serialisable):
    """A peer's verdict on one claimed competence: "convincing" or "not_yet", with a comment."""

    competence: str
    code: str
    title_fr: str
    title_en: str
    verdict: str
    comment: str


@dataclasses.dataclass(frozen=True)
class PeerFeedbackData(_Serialisable):
    """
    One peer's feedback, as the person asking may see it.

    ``reader`` is the reader's username, or "" when it is hidden from the person asking (anonymous
    feedback read by its author, or a retired reader). ``reported``, ``released`` and ``hidden``
    are the moderation state (the author never receives hidden or unreleased feedback).
    """

    uuid: UUID
    evidence_uuid: UUID | None
    title: str
    version: int
    reader: str
    anonymous: bool
    verdicts: tuple[PeerVerdictData, ...]
    comment: str
    question: str
    reply: str
    replied_at: datetime.datetime | None
    helpful: bool
    reported: bool
    released: bool
    hidden: bool
    created: datetime.datetime


@dataclasses.dataclass(frozen=True)
class PeerReading(_Serialisable):
    """
    A colleague's situation given to a reader, as submitted (the version read), until ``expires_at``.

    ``content`` is the submitted snapshot's text (``evidence.snapshots``) with its claims and links;
    files are not shared with peers. ``author`` is "" when the block is anonymous.
    """

    uuid: UUID
    evidence_uuid: UUID
    version: int
    author: str
    expires_at: datetime.datetime
    content: dict


@dataclasses.dataclass(frozen=True)
class PeerSummary(_Serialisable):
    """What the learner's peer section shows: the reading in progress, feedback given and received."""

    reading: PeerReading | None
    given: tuple[PeerFeedbackData, ...]
    received: tuple[PeerFeedbackData, ...]
    can_read: bool
