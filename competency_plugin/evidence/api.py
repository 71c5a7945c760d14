"""The evidence room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.evidence.claims import claimable_identifiers, competences_by_framework, selectable_competences
from competency_plugin.evidence.counts import count_evidence, count_submitted, evidence_limit
from competency_plugin.evidence.data import (
    AttachmentData,
    ClaimData,
    EvidenceCounts,
    EvidenceData,
    EvidencePage,
    StoredFile,
    UploadLimits,
)
from competency_plugin.evidence.files import (
    add_file,
    add_link,
    handler_upload_max_size,
    open_attachment,
    open_course_attachment,
    remove_attachment,
    upload_limits,
)
from competency_plugin.evidence.models import EvidenceStatus, SituationType
from competency_plugin.evidence.pages import list_evidence_page
from competency_plugin.evidence.services import (
    delete_evidence,
    get_evidence,
    list_evidence,
    save_draft,
    submit_evidence,
)
from competency_plugin.evidence.submitting import save_and_submit
from competency_plugin.evidence.uploads import (
    UploadOffsetError,
    add_chunk,
    cancel_upload,
    finish_upload,
    remove_abandoned_uploads,
    start_upload,
    upload_chunk_size,
)

__all__ = [
    "claimable_identifiers",
    "competences_by_framework",
    "selectable_competences",
    "AttachmentData",
    "ClaimData",
    "EvidenceCounts",
    "EvidenceData",
    "StoredFile",
    "UploadLimits",
    "add_file",
    "add_link",
    "handler_upload_max_size",
    "open_attachment",
    "open_course_attachment",
    "remove_attachment",
    "upload_limits",
    "EvidenceStatus",
    "SituationType",
    "count_evidence",
    "count_submitted",
    "delete_evidence",
    "evidence_limit",
    "get_evidence",
    "list_evidence",
    "save_draft",
    "submit_evidence",
    "save_and_submit",
    "EvidencePage",
    "list_evidence_page",
    "UploadOffsetError",
    "add_chunk",
    "cancel_upload",
    "finish_upload",
    "remove_abandoned_uploads",
    "start_upload",
    "upload_chunk_size",
]
