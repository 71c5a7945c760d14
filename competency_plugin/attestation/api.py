"""The attestation room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.attestation.certificates import (
    certificate_gate_applies,
    record_certificate_refusal,
    request_refused_certificates,
)
from competency_plugin.attestation.coverage import get_domain_coverage, list_course_evidence
from competency_plugin.attestation.data import (
    DomainCoverage,
    EligibilityChange,
    EligibilityReport,
    FrameworkCoverage,
    PolicyData,
    RequirementData,
    RequirementProgress,
)
from competency_plugin.attestation.eligibility import course_learners, get_course_eligibility, get_eligibility
from competency_plugin.attestation.policies import get_policy, set_policy, validate_policy
from competency_plugin.attestation.records import list_course_learners, refresh_eligibility
from competency_plugin.attestation.refresh import schedule_eligibility_refresh

__all__ = [
    "certificate_gate_applies",
    "record_certificate_refusal",
    "request_refused_certificates",
    "get_domain_coverage",
    "list_course_evidence",
    "DomainCoverage",
    "EligibilityChange",
    "EligibilityReport",
    "FrameworkCoverage",
    "PolicyData",
    "RequirementData",
    "RequirementProgress",
    "course_learners",
    "get_course_eligibility",
    "get_eligibility",
    "get_policy",
    "set_policy",
    "validate_policy",
    "list_course_learners",
    "refresh_eligibility",
    "schedule_eligibility_refresh",
]
