"""Plain data returned by ``competency_plugin.api``: frozen dataclasses, no models or querysets."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID


def _in_language(language, french, english):
    """Return ``french`` for a language starting with "fr", else ``english``; the other when empty."""
    if str(language or "").lower().startswith("fr"):
        return french or english
    return english or french


class _Titled:
    """A title held in French and English (fields of the dataclasses that use it)."""

    title_fr: str
    title_en: str

    def title(self, language):
        """The title in ``language`` ("fr…" or "en…"), else in the other language."""
        return _in_language(language, self.title_fr, self.title_en)


class _Described(_Titled):
    """A title and a description held in French and English."""

    description_fr: str
    description_en: str

    def description(self, language):
        """The description in ``language``, else in the other language."""
        return _in_language(language, self.description_fr, self.description_en)


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
class EvidenceCounts:
    """A learner's items in one block: how many are recorded, submitted at least once, and may be held."""

    recorded: int
    submitted: int
    limit: int | None  # None: no bound

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
class CompetenceOption(_Titled):
    """A competence a block lets learners claim, with what is needed to show it."""

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    depth: int


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


@dataclasses.dataclass(frozen=True)
class LevelData:
    """A value of a framework's proficiency scale, in scale order."""

    code: str
    label_fr: str
    label_en: str
    order: int
    proficient: bool

    def label(self, language):
        """The label in ``language`` ("fr…" or "en…"), else in the other language."""
        return _in_language(language, self.label_fr, self.label_en)

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class CompetenceData(_Described):
    """
    A node of a framework's tree; ``children`` is filled only by ``get_framework_tree``.

    ``retired`` nodes were removed from the framework by a re-import but kept because evidence
    claims them; they are not offered for new claims.
    """

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    item_type: str
    parent: UUID | None
    depth: int
    sort_order: int
    path: str
    retired: bool = False
    children: tuple[CompetenceData, ...] = ()

    def to_dict(self):
        """Return a JSON-serialisable dict (children nested)."""
        return {
            "identifier": str(self.identifier),
            "code": self.code,
            "title_fr": self.title_fr,
            "title_en": self.title_en,
            "description_fr": self.description_fr,
            "description_en": self.description_en,
            "item_type": self.item_type,
            "parent": str(self.parent) if self.parent else None,
            "depth": self.depth,
            "sort_order": self.sort_order,
            "path": self.path,
            "retired": self.retired,
            "children": [child.to_dict() for child in self.children],
        }


@dataclasses.dataclass(frozen=True)
class FrameworkData(_Described):
    """
    A competence framework: its metadata and scale; ``competences`` holds the top-level nodes
    (each with its ``children``) when returned by ``get_framework_tree``, else is empty.
    """

    identifier: UUID
    uri: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    version: str
    publisher: str
    source: str
    licence: str
    licence_uri: str
    language: str
    builtin: bool
    competence_count: int
    created: datetime.datetime
    modified: datetime.datetime
    levels: tuple[LevelData, ...] = ()
    competences: tuple[CompetenceData, ...] = ()

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "identifier": str(self.identifier),
            "uri": self.uri,
            "title_fr": self.title_fr,
            "title_en": self.title_en,
            "description_fr": self.description_fr,
            "description_en": self.description_en,
            "version": self.version,
            "publisher": self.publisher,
            "source": self.source,
            "licence": self.licence,
            "licence_uri": self.licence_uri,
            "language": self.language,
            "builtin": self.builtin,
            "competence_count": self.competence_count,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "levels": [level.to_dict() for level in self.levels],
            "competences": [competence.to_dict() for competence in self.competences],
        }


@dataclasses.dataclass(frozen=True)
class CompetenceDecisionData:
    """A reviewer's decision on one claimed competence."""

    competence: CompetenceOption
    status: str
    level: str

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "competence": str(self.competence.identifier),
            "code": self.competence.code,
            "title_fr": self.competence.title_fr,
            "title_en": self.competence.title_en,
            "status": self.status,
            "level": self.level,
        }


@dataclasses.dataclass(frozen=True)
class DecisionData:
    """A review decision on one version of an evidence item."""

    uuid: UUID
    version: int
    reviewer: str
    outcome: str
    feedback: str
    created: datetime.datetime
    competences: tuple[CompetenceDecisionData, ...] = ()

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "uuid": str(self.uuid),
            "version": self.version,
            "reviewer": self.reviewer,
            "outcome": self.outcome,
            "feedback": self.feedback,
            "created": self.created.isoformat(),
            "competences": [item.to_dict() for item in self.competences],
        }


@dataclasses.dataclass(frozen=True)
class QueueItem:
    """A line of a review queue."""

    uuid: UUID
    usage_key: str
    learner: str
    title: str
    situation_type: str
    status: str
    version: int
    submitted_at: datetime.datetime | None

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            **dataclasses.asdict(self),
            "uuid": str(self.uuid),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
        }


@dataclasses.dataclass(frozen=True)
class QueuePage:
    """One page of a review queue, newest submissions first."""

    items: tuple[QueueItem, ...]
    count: int
    page: int
    pages: int


@dataclasses.dataclass(frozen=True)
class VersionData:
    """What the learner submitted at one submission, frozen: ``content`` as ``EvidenceData.to_dict`` gives it."""

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

    @property
    def latest(self):
        """The decision in force, or None."""
        return self.decisions[0] if self.decisions else None


@dataclasses.dataclass(frozen=True)
class RequirementData:
    """One requirement of an attestation policy."""

    competence: CompetenceOption
    min_validated: int
    min_authentic: int

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "competence": str(self.competence.identifier),
            "code": self.competence.code,
            "title_fr": self.competence.title_fr,
            "title_en": self.competence.title_en,
            "min_validated": self.min_validated,
            "min_authentic": self.min_authentic,
        }


@dataclasses.dataclass(frozen=True)
class PolicyData:
    """A course's attestation policy at its current version."""

    course_key: str
    framework: UUID
    version: int
    requirements: tuple[RequirementData, ...]
    min_authentic: int
    min_level: str
    require_blocks_completed: bool
    certificate_gate: bool
    modified: datetime.datetime

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "course_key": self.course_key,
            "framework": str(self.framework),
            "version": self.version,
            "requirements": [item.to_dict() for item in self.requirements],
            "min_authentic": self.min_authentic,
            "min_level": self.min_level,
            "require_blocks_completed": self.require_blocks_completed,
            "certificate_gate": self.certificate_gate,
            "modified": self.modified.isoformat(),
        }


@dataclasses.dataclass(frozen=True)
class RequirementProgress:
    """How far a learner is on one requirement: have / need, overall and for authentic situations."""

    key: str
    label: str
    have: int
    need: int
    have_authentic: int = 0
    need_authentic: int = 0

    @property
    def met(self):
        """Whether the requirement is satisfied."""
        return self.have >= self.need and self.have_authentic >= self.need_authentic

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {**dataclasses.asdict(self), "met": self.met}


@dataclasses.dataclass(frozen=True)
class EligibilityReport:
    """Whether a learner meets a course's attestation requirements, and what is missing."""

    user_id: int
    username: str
    course_key: str
    has_policy: bool
    eligible: bool
    policy_version: int
    requirements: tuple[RequirementProgress, ...]
    missing: tuple[str, ...]

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "user_id": self.user_id,
            "username": self.username,
            "course_key": self.course_key,
            "has_policy": self.has_policy,
            "eligible": self.eligible,
            "policy_version": self.policy_version,
            "requirements": [item.to_dict() for item in self.requirements],
            "missing": list(self.missing),
        }


@dataclasses.dataclass(frozen=True)
class EligibilityChange:
    """A learner whose stored eligibility has just changed, as ``refresh_eligibility`` reports it."""

    user_id: int
    username: str
    course_key: str
    eligible: bool
    policy_version: int
    changed_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class DomainCoverage(_Titled):
    """
    How much of a learner's course portfolio falls in one top-level domain of a framework.

    ``validated`` counts the evidence items with a validation in force on the domain or below it
    (at the course policy's minimum level, for the policy's framework); ``claimed`` the submitted
    items claiming it; ``required`` is the policy's minimum on this domain, None when not required.
    """

    identifier: UUID
    code: str
    title_fr: str
    title_en: str
    validated: int
    claimed: int
    required: int | None = None

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {**dataclasses.asdict(self), "identifier": str(self.identifier)}


@dataclasses.dataclass(frozen=True)
class FrameworkCoverage(_Titled):
    """A learner's coverage of one framework in a course, domain by domain in the framework's order."""

    identifier: UUID
    title_fr: str
    title_en: str
    in_policy: bool
    domains: tuple[DomainCoverage, ...]

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {
            "identifier": str(self.identifier),
            "title_fr": self.title_fr,
            "title_en": self.title_en,
            "in_policy": self.in_policy,
            "domains": [domain.to_dict() for domain in self.domains],
        }
