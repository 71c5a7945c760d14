"""Plain data of attestation returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.frameworks.data import CompetenceOption
from competency_plugin.platform.values import _competence_ref, _Serialisable, _Titled

__all__ = [
    "RequirementData",
    "PolicyData",
    "RequirementProgress",
    "EligibilityReport",
    "EligibilityChange",
    "DomainCoverage",
    "FrameworkCoverage",
]


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
    min_peer_feedback: int = 0


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
