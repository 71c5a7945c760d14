"""Plain data of staff review returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.evidence.data import EvidenceData
from competency_plugin.frameworks.data import CompetenceOption, LevelData
from competency_plugin.platform.values import _competence_ref, _Serialisable

__all__ = [
    "CompetenceDecisionData",
    "DecisionData",
    "DecisionResult",
    "QueueItem",
    "QueuePage",
    "VersionData",
    "ReviewItem",
]


@dataclasses.dataclass(frozen=True)
class CompetenceDecisionData:
    """A reviewer's decision on one claimed competence."""

    competence: CompetenceOption
    status: str
    level: str

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {**_competence_ref(self.competence), "status": self.status, "level": self.level}


@dataclasses.dataclass(frozen=True)
class DecisionData(_Serialisable):
    """A review decision on one version of an evidence item."""

    uuid: UUID
    version: int
    reviewer: str
    outcome: str
    feedback: str
    created: datetime.datetime
    competences: tuple[CompetenceDecisionData, ...] = ()


@dataclasses.dataclass(frozen=True)
class QueueItem(_Serialisable):
    """A line of a review queue."""

    uuid: UUID
    usage_key: str
    learner: str
    title: str
    situation_type: str
    status: str
    version: int
    submitted_at: datetime.datetime | None
    # The block's display name as recorded at a submission, else its block id.
    block_name: str = ""


@dataclasses.dataclass(frozen=True)
class QueuePage:
    """One page of a review queue, newest submissions first."""

    items: tuple[QueueItem, ...]
    count: int
    page: int
    pages: int


@dataclasses.dataclass(frozen=True)
class VersionData:
    """What the learner submitted at one submission, frozen: ``content`` a snapshot (``evidence.snapshots``)."""

    number: int
    submitted_at: datetime.datetime
    content: dict


@dataclasses.dataclass(frozen=True)
class ReviewItem:
    """Everything a reviewer sees of one evidence item: its content, history and scale."""

    evidence: EvidenceData
    learner: str
    decisions: tuple[DecisionData, ...]
    levels: tuple["LevelData", ...]
    # Every submitted version, newest first.
    versions: tuple[VersionData, ...] = ()
    # Peers' feedback on the item (``PeerFeedbackData``), readers named, oldest first.
    peer_feedback: tuple = ()

    @property
    def latest(self):
        """The decision in force, or None."""
        return self.decisions[0] if self.decisions else None


@dataclasses.dataclass(frozen=True)
class DecisionResult:
    """
    What one staff decision gives back, in one call: the decision recorded, whose item it was, how
    many of that learner's items in the block are accepted before and after it (the score sent to the
    LMS changes with it), and the item as the reviewer now sees it, for rendering.
    """

    decision: DecisionData
    learner_id: int
    accepted_before: int
    accepted_after: int
    review: ReviewItem
