"""Plain data of learners' evidence returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.evidence.models import is_deletable, is_editable
from competency_plugin.frameworks.data import CompetenceOption
from competency_plugin.platform.values import _competence_ref, _Serialisable

__all__ = [
    "AttachmentData",
    "EvidenceData",
    "EvidenceCounts",
    "UploadLimits",
    "StoredFile",
    "ClaimData",
    "EvidencePage",
]


@dataclasses.dataclass(frozen=True)
class AttachmentData(_Serialisable):
    """A file or link attached to an evidence item."""

    uuid: UUID
    kind: str
    title: str
    url: str
    content_type: str
    size: int
    created: datetime.datetime


@dataclasses.dataclass(frozen=True)
class EvidenceData(_Serialisable):
    """An evidence item (a professional situation) as its owner sees it."""

    uuid: UUID
    course_key: str
    usage_key: str
    situation_type: str
    title: str
    occurred_on: datetime.date | None
    school_level: str
    subject: str
    description: str
    analysis: str
    status: str
    version: int
    submitted_at: datetime.datetime | None
    created: datetime.datetime
    modified: datetime.datetime
    # The edit this text is: what a save or a submission sends back (``Evidence.edit_version``).
    edit_version: int = 1
    attachments: tuple[AttachmentData, ...] = ()
    claims: tuple["ClaimData", ...] = ()

    @property
    def files(self):
        """The attachments that are uploaded files."""
        return tuple(item for item in self.attachments if item.kind == "file")

    @property
    def links(self):
        """The attachments that are links."""
        return tuple(item for item in self.attachments if item.kind == "link")

    @property
    def editable(self):
        """Whether the learner may still change the item (the rule the services enforce)."""
        return is_editable(self.status)

    @property
    def deletable(self):
        """Whether the learner may delete the item: a draft never submitted (the rule the services enforce)."""
        return is_deletable(self.status, self.version)


@dataclasses.dataclass(frozen=True)
class EvidenceCounts:
    """
    A learner's items in one block: how many are recorded, submitted at least once, and may be held;
    of those submitted, how many await review, are to revise and are accepted.
    """

    recorded: int
    submitted: int
    limit: int | None  # None: no bound
    awaiting_review: int = 0
    to_revise: int = 0
    accepted: int = 0

    @property
    def can_add(self):
        """Whether the learner may record one more item."""
        return self.limit is None or self.recorded < self.limit


@dataclasses.dataclass(frozen=True)
class UploadLimits:
    """What one block accepts: the instance's bounds, lowered by the block's own settings."""

    max_file_size: int
    max_files: int
    max_links: int
    file_kinds: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """An attachment's stored file opened for download."""

    attachment: AttachmentData
    file: object  # a Django File, to be closed by the caller


@dataclasses.dataclass(frozen=True)
class ClaimData:
    """A competence claimed on an evidence item, with the learner's justification."""

    competence: CompetenceOption
    justification: str

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {**_competence_ref(self.competence), "justification": self.justification}


@dataclasses.dataclass(frozen=True)
class EvidencePage:
    """One page of a learner's items in a block, newest first, and whether older ones follow."""

    items: list[EvidenceData]
    more: bool
