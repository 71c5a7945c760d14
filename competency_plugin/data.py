"""Plain data returned by ``competency_plugin.api``: frozen dataclasses, no models or querysets."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID


@dataclasses.dataclass(frozen=True)
class AttachmentData:
    """A file or link attached to an evidence item."""

    uuid: UUID
    kind: str
    title: str
    url: str
    content_type: str
    size: int
    created: datetime.datetime

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {**dataclasses.asdict(self), "uuid": str(self.uuid), "created": self.created.isoformat()}


@dataclasses.dataclass(frozen=True)
class EvidenceData:
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

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "uuid": str(self.uuid),
            "course_key": self.course_key,
            "usage_key": self.usage_key,
            "situation_type": self.situation_type,
            "title": self.title,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "school_level": self.school_level,
            "subject": self.subject,
            "description": self.description,
            "analysis": self.analysis,
            "status": self.status,
            "version": self.version,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "attachments": [item.to_dict() for item in self.attachments],
            "claims": [claim.to_dict() for claim in self.claims],
        }


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
class CompetenceOption:
    """A competence a block lets learners claim, with what is needed to show it."""

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    depth: int

    def title(self, language):
        """The title in ``language`` ("fr…" or "en…"), else in the other language."""
        if str(language).lower().startswith("fr"):
            return self.title_fr or self.title_en
        return self.title_en or self.title_fr


@dataclasses.dataclass(frozen=True)
class ClaimData:
    """A competence claimed on an evidence item, with the learner's justification."""

    competence: CompetenceOption
    justification: str

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "competence": str(self.competence.identifier),
            "code": self.competence.code,
            "title_fr": self.competence.title_fr,
            "title_en": self.competence.title_en,
            "justification": self.justification,
        }
