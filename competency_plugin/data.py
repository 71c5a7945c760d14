"""Plain data returned by ``competency_plugin.api``: frozen dataclasses, no models or querysets."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID


def _json(value):
    """A JSON-serialisable copy of ``value``: data as dicts, UUIDs as text, dates in ISO 8601."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    return value


class _Serialisable:
    """Data that turns into a JSON-serialisable dict of its fields."""

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {field.name: _json(getattr(self, field.name)) for field in dataclasses.fields(self)}


def _competence_ref(option):
    """How a claim, a decision or a requirement names its competence in JSON."""
    return {
        "competence": str(option.identifier),
        "code": option.code,
        "title_fr": option.title_fr,
        "title_en": option.title_en,
    }


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
        return {**_competence_ref(self.competence), "justification": self.justification}


@dataclasses.dataclass(frozen=True)
class LevelData(_Serialisable):
    """A value of a framework's proficiency scale, in scale order."""

    code: str
    label_fr: str
    label_en: str
    order: int
    proficient: bool

    def label(self, language):
        """The label in ``language`` ("fr…" or "en…"), else in the other language."""
        return _in_language(language, self.label_fr, self.label_en)


@dataclasses.dataclass(frozen=True)
class CompetenceData(_Described, _Serialisable):
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


@dataclasses.dataclass(frozen=True)
class FrameworkData(_Described, _Serialisable):
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
        counts = {"min_validated": self.min_validated, "min_authentic": self.min_authentic}
        return {**_competence_ref(self.competence), **counts}


@dataclasses.dataclass(frozen=True)
class PolicyData(_Serialisable):
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


@dataclasses.dataclass(frozen=True)
class RequirementProgress(_Serialisable):
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
        """Return a JSON-serialisable dict, with whether the requirement is met."""
        return {**super().to_dict(), "met": self.met}


@dataclasses.dataclass(frozen=True)
class EligibilityReport(_Serialisable):
    """Whether a learner meets a course's attestation requirements, and what is missing."""

    user_id: int
    username: str
    course_key: str
    has_policy: bool
    eligible: bool
    policy_version: int
    requirements: tuple[RequirementProgress, ...]
    missing: tuple[str, ...]


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
class DomainCoverage(_Titled, _Serialisable):
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


@dataclasses.dataclass(frozen=True)
class FrameworkCoverage(_Titled, _Serialisable):
    """A learner's coverage of one framework in a course, domain by domain in the framework's order."""

    identifier: UUID
    title_fr: str
    title_en: str
    in_policy: bool
    domains: tuple[DomainCoverage, ...]
