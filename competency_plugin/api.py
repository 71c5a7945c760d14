"""
The public Python API of the competency plugin: the only door into its data.

Callers (the Portfolio XBlock, the REST API, signal handlers, management commands) pass and
receive plain values and the dataclasses of ``competency_plugin.data``, and catch the errors of
``competency_plugin.exceptions``. Learner functions are scoped to the learner given: they never
return another learner's evidence. Staff permissions are checked by the callers, not here, with
the one rule ``is_course_staff``.
"""
from competency_plugin.data import (
    AttachmentData,
    ClaimData,
    CompetenceData,
    CompetenceDecisionData,
    CompetenceOption,
    DecisionData,
    DomainCoverage,
    EligibilityChange,
    EligibilityReport,
    EvidenceCounts,
    EvidenceData,
    FrameworkCoverage,
    FrameworkData,
    LevelData,
    PolicyData,
    QueueItem,
    QueuePage,
    RequirementData,
    RequirementProgress,
    ReviewItem,
    StoredFile,
    UploadLimits,
    VersionData,
)
from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyError,
    CompetencyInternalError,
    CompetencyNotFoundError,
    CompetencyPermissionDenied,
    CompetencyRequestError,
    CompetencyStaleEditError,
)
from competency_plugin.filetypes import KINDS as FILE_KINDS
from competency_plugin.filetypes import allowed_extensions
from competency_plugin.models import EvidenceStatus, SituationType
from competency_plugin.services.builtin import load_builtin_frameworks
from competency_plugin.services.certificates import (
    certificate_gate_applies,
    record_certificate_refusal,
    request_refused_certificates,
)
from competency_plugin.services.claims import competences_by_framework, selectable_competences
from competency_plugin.services.course_queue import review_blocks
from competency_plugin.services.database import RETRY_AFTER_SECONDS, busy_error, database_busy
from competency_plugin.services.eligibility import course_learners, get_course_eligibility, get_eligibility
from competency_plugin.services.eligibility_records import list_course_learners, refresh_eligibility
from competency_plugin.services.evidence import (
    count_evidence,
    count_submitted,
    delete_evidence,
    evidence_limit,
    get_evidence,
    list_evidence,
    save_draft,
    submit_evidence,
)
from competency_plugin.services.export import PortfolioArchive, export_portfolio
from competency_plugin.services.files import (
    add_file,
    add_link,
    handler_upload_max_size,
    open_attachment,
    open_course_attachment,
    remove_attachment,
    upload_limits,
)
from competency_plugin.services.formats import EXPORT_FORMATS as FRAMEWORK_EXPORT_FORMATS
from competency_plugin.services.formats import IMPORT_FORMATS as FRAMEWORK_IMPORT_FORMATS
from competency_plugin.services.framework_spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.services.frameworks import (
    export_framework,
    framework_to_spec,
    get_framework_data,
    get_framework_tree,
    import_framework,
    list_frameworks,
    save_framework,
)
from competency_plugin.services.grades import publish_score
from competency_plugin.services.learner_portfolio import get_domain_coverage, list_course_evidence
from competency_plugin.services.notifications import notify_learner_of_decision, queue_learner_notification
from competency_plugin.services.policies import get_policy, set_policy, validate_policy
from competency_plugin.services.refresh_queue import schedule_eligibility_refresh
from competency_plugin.services.retirement import RetirementSummary, retire_learner
from competency_plugin.services.review import DEFAULT_PAGE_SIZE as DEFAULT_QUEUE_PAGE_SIZE
from competency_plugin.services.review import (
    REVIEWABLE_STATUSES,
    count_accepted,
    decide,
    get_review_item,
    latest_decisions,
    learner_of,
    review_queue,
)
from competency_plugin.services.staff import is_course_staff
from competency_plugin.services.validation import TextField, check_text, text_problem

__all__ = [
    # data
    "AttachmentData",
    "ClaimData",
    "CompetenceOption",
    "EvidenceCounts",
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
    "CompetencyStaleEditError",
    "CompetencyInternalError",
    # input checks: the one check of every text a person sends
    "text_problem",
    "check_text",
    "TextField",
    # a busy database (contention): a 503 with a retry hint
    "RETRY_AFTER_SECONDS",
    "database_busy",
    "busy_error",
    # learners' evidence
    "list_evidence",
    "get_evidence",
    "count_evidence",
    "count_submitted",
    "evidence_limit",
    "save_draft",
    "submit_evidence",
    "delete_evidence",
    # competences offered and claimed
    "selectable_competences",
    "competences_by_framework",
    # attachments
    "upload_limits",
    "handler_upload_max_size",
    "allowed_extensions",
    "add_file",
    "add_link",
    "remove_attachment",
    "open_attachment",
    "open_course_attachment",
    # staff review
    "is_course_staff",
    "DecisionData",
    "CompetenceDecisionData",
    "QueueItem",
    "QueuePage",
    "ReviewItem",
    "VersionData",
    "review_queue",
    "get_review_item",
    "decide",
    "latest_decisions",
    "count_accepted",
    "learner_of",
    # learners' scores, sent to the LMS's grades app
    "publish_score",
    # the course-wide queue and the learners' notification
    "REVIEWABLE_STATUSES",
    "DEFAULT_QUEUE_PAGE_SIZE",
    "review_blocks",
    "notify_learner_of_decision",
    "queue_learner_notification",
    # attestation
    "PolicyData",
    "RequirementData",
    "RequirementProgress",
    "EligibilityReport",
    "get_policy",
    "set_policy",
    "validate_policy",
    "get_eligibility",
    "get_course_eligibility",
    "course_learners",
    "certificate_gate_applies",
    "record_certificate_refusal",
    "request_refused_certificates",
    # the learner's course portfolio (the "My portfolio" course tab)
    "DomainCoverage",
    "FrameworkCoverage",
    "list_course_evidence",
    "get_domain_coverage",
    "EligibilityChange",
    "list_course_learners",
    "refresh_eligibility",
    "schedule_eligibility_refresh",
    # learners' data rights
    "PortfolioArchive",
    "export_portfolio",
    "RetirementSummary",
    "retire_learner",
    # built-in frameworks
    "load_builtin_frameworks",
    # competence frameworks
    "FrameworkData",
    "CompetenceData",
    "LevelData",
    "FrameworkSpec",
    "CompetenceSpec",
    "LevelSpec",
    "AssociationSpec",
    "FRAMEWORK_IMPORT_FORMATS",
    "FRAMEWORK_EXPORT_FORMATS",
    "save_framework",
    "import_framework",
    "export_framework",
    "framework_to_spec",
    "list_frameworks",
    "get_framework_data",
    "get_framework_tree",
]
