"""
The public Python API of the competency plugin: the only door into its data.

Callers (the Portfolio XBlock, the REST API, signal handlers, management commands) pass and
receive plain values and the dataclasses of ``competency_plugin.data``, and catch the errors of
``competency_plugin.exceptions``. Learner functions are scoped to the learner given: they never
return another learner's evidence. Staff permissions are checked by the callers, not here.
"""
from competency_plugin.data import AttachmentData, ClaimData, CompetenceOption, EvidenceData, StoredFile, UploadLimits
from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyError,
    CompetencyInternalError,
    CompetencyNotFoundError,
    CompetencyPermissionDenied,
    CompetencyRequestError,
)
from competency_plugin.filetypes import KINDS as FILE_KINDS
from competency_plugin.filetypes import allowed_extensions
from competency_plugin.models import EvidenceStatus, SituationType
from competency_plugin.services.claims import selectable_competences
from competency_plugin.services.evidence import (
    count_submitted,
    delete_evidence,
    get_evidence,
    list_evidence,
    save_draft,
    submit_evidence,
)
from competency_plugin.services.files import add_file, add_link, open_attachment, remove_attachment, upload_limits

__all__ = [
    # data
    "AttachmentData",
    "ClaimData",
    "CompetenceOption",
    "EvidenceData",
    "StoredFile",
    "UploadLimits",
    "EvidenceStatus",
    "SituationType",
    "FILE_KINDS",
    # errors
    "CompetencyError",
    "CompetencyRequestError",
    "CompetencyNotFoundError",
    "CompetencyPermissionDenied",
    "CompetencyConflictError",
    "CompetencyInternalError",
    # learners' evidence
    "list_evidence",
    "get_evidence",
    "count_submitted",
    "save_draft",
    "submit_evidence",
    "delete_evidence",
    # competences offered and claimed
    "selectable_competences",
    # attachments
    "upload_limits",
    "allowed_extensions",
    "add_file",
    "add_link",
    "remove_attachment",
    "open_attachment",
]
