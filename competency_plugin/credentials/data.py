"""Plain data of verifiable credentials returned by ``competency_plugin.api``: frozen dataclasses."""
from __future__ import annotations

import dataclasses
import datetime
from uuid import UUID

from competency_plugin.platform.values import _Serialisable

__all__ = [
    "CredentialData",
    "CredentialVerification",
]


@dataclasses.dataclass(frozen=True)
class CredentialData(_Serialisable):
    """A credential issued to a learner: where it is published, whether it is revoked, and the signed document."""

    identifier: UUID
    course_key: str
    issued_at: datetime.datetime
    include_name: bool
    include_evidence: bool
    revoked: bool
    revoked_at: datetime.datetime | None
    revocation_reason: str
    url: str
    verification_url: str
    document: dict


@dataclasses.dataclass(frozen=True)
class CredentialVerification(_Serialisable):
    """
    What checking a credential found: ``status`` is ``valid``, ``revoked`` or ``invalid``; ``reason``
    says why, in the active language (empty when valid).
    """

    status: str
    reason: str
    credential_id: str = ""

    @property
    def valid(self):
        """Whether the credential holds and is not revoked."""
        return self.status == "valid"
