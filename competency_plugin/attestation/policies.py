"""Attestation policies: what a course requires, versioned at every change."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competency_plugin.attestation.data import PolicyData, RequirementData
from competency_plugin.attestation.models import AttestationPolicy, AttestationPolicyVersion, PolicyRequirement
from competency_plugin.attestation.refresh import schedule_eligibility_refresh
from competency_plugin.attestation.snapshots import policy_snapshot
from competency_plugin.evidence.claims import competence_option
from competency_plugin.exceptions import CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.frameworks.models import Competence, Framework
from competency_plugin.platform.keys import parse_course_key
from competency_plugin.platform.text import check_text

MAX_COUNT = 1000


def _error(field, message):
    return CompetencyRequestError(message, {field: [message]})


def _count(value, field):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise _error(field, _("Enter a whole number between 0 and {max}.").format(max=MAX_COUNT))
    return value


def policy_to_data(policy, requirements=None):
    """Return the plain data of a policy (requirements with their competences, prefetched or given)."""
    if requirements is None:
        requirements = policy.requirements.select_related("competence").order_by("competence__path")
    return PolicyData(
        course_key=str(policy.course_key),
        framework=policy.framework.identifier,
        version=policy.version,
        requirements=tuple(
            RequirementData(
                competence=competence_option(item.competence),
                min_validated=item.min_validated,
                min_authentic=item.min_authentic,
            )
            for item in requirements
        ),
        min_authentic=policy.min_authentic,
        min_level=policy.min_level,
        require_blocks_completed=policy.require_blocks_completed,
        certificate_gate=policy.certificate_gate,
        modified=policy.modified,
        min_peer_feedback=policy.min_peer_feedback,
    )


def load_policy(course_key):
    """Return the policy row of a course with its framework, or None (one query)."""
    return AttestationPolicy.objects.select_related("framework").filter(course_key=parse_course_key(course_key)).first()


def get_policy(*, course_key):
    """Return a course's ``PolicyData``, or raise ``CompetencyNotFoundError``."""
    policy = load_policy(course_key)
    if policy is None:
        raise CompetencyNotFoundError(_("This course has no attestation policy."))
    return policy_to_data(policy)


def _parse_requirements(framework, requirements):
    if not isinstance(requirements, list) or not requirements:
        raise _error("requirements", _("Add at least one required domain or competence."))
    parsed = {}
    for item in requirements:
        if not isinstance(item, dict) or not isinstance(item.get("competence"), str):
            raise _error("requirements", _("Each requirement must name a domain or competence of the framework."))
        parsed[item["competence"].strip().lower()] = (
            _count(item.get("min_validated", 1), "requirements"),
            _count(item.get("min_authentic", 0), "requirements"),
        )
    try:
        competences = Competence.objects.filter(framework=framework, identifier__in=list(parsed))
        rows = {str(row.identifier): row for row in competences}
    except ValidationError as error:
        message = _("Each requirement must name a domain or competence of the framework.")
        raise _error("requirements", message) from error
    if set(parsed) - set(rows):
        raise _error("requirements", _("Each requirement must name a domain or competence of the framework."))
    for identifier, (min_validated, min_authentic) in parsed.items():
        if min_authentic > min_validated:
            raise _error("requirements", _("A requirement cannot ask for more authentic situations than situations."))
    return [(rows[identifier], *counts) for identifier, counts in parsed.items()]


def _check_policy(framework, requirements, min_authentic, min_level):
    """
    Validate a policy's content.

    Returns:
        (framework row, [(competence, min validated, min authentic)], min_authentic)
    """
    try:
        framework_row = Framework.objects.get(identifier=str(framework))
    except (Framework.DoesNotExist, ValidationError, ValueError) as error:
        raise _error("framework", _("This framework does not exist.")) from error
    parsed = _parse_requirements(framework_row, requirements)
    min_authentic = _count(min_authentic, "min_authentic")
    check_text(min_level, "min_level")
    if min_level and not framework_row.levels.filter(code=min_level).exists():
        raise _error("min_level", _("The level chosen is not on the framework's scale."))
    return framework_row, parsed, min_authentic


def validate_policy(*, framework, requirements, min_authentic=0, min_level=""):
    """
    Check a policy's content as ``set_policy`` would, without storing anything (forms validate with it).

    Raises:
        CompetencyRequestError naming the field at fault.
    """
    _check_policy(framework, requirements, min_authentic, min_level)


@transaction.atomic
def set_policy(  # pylint: disable=too-many-arguments
        *, course_key, framework, requirements, min_authentic=0, min_level="", require_blocks_completed=False,
        certificate_gate=False, changed_by=None, min_peer_feedback=0):
    """
    Create or change a course's attestation policy; every change is a new version.

    Args:
        framework: the framework's identifier.
        requirements: ``[{"competence": identifier, "min_validated": n, "min_authentic": m}]`` — a domain counts
            the evidence validated on any competence below it.
        min_authentic: validated authentic situations required overall.
        min_level: code of the lowest level of the framework's scale a validation must reach ("" for any).
        changed_by: the user id of whoever changes it, for the history.
        min_peer_feedback: peer feedback each learner must have given in the course.

    Once the change commits, the eligibility of the course's learners is recomputed by the Celery
    task ``recompute_eligibility``.

    Returns:
        PolicyData

    Raises:
        CompetencyRequestError naming the field at fault.
    """
    course_key = parse_course_key(course_key)
    framework_row, parsed, min_authentic = _check_policy(framework, requirements, min_authentic, min_level)
    min_peer_feedback = _count(min_peer_feedback, "min_peer_feedback")
    policy = AttestationPolicy.objects.select_for_update().filter(course_key=course_key).first()
    if policy is None:
        policy = AttestationPolicy(course_key=course_key, version=0)
    policy.framework = framework_row
    policy.version += 1
    policy.min_authentic = min_authentic
    policy.min_level = min_level
    policy.require_blocks_completed = bool(require_blocks_completed)
    policy.certificate_gate = bool(certificate_gate)
    policy.min_peer_feedback = min_peer_feedback
    policy.save()
    policy.requirements.all().delete()
    PolicyRequirement.objects.bulk_create(
        PolicyRequirement(policy=policy, competence=competence, min_validated=min_validated, min_authentic=min_auth)
        for competence, min_validated, min_auth in parsed
    )
    data = policy_to_data(policy)
    AttestationPolicyVersion.objects.create(
        policy=policy, version=policy.version, content=policy_snapshot(data), changed_by_id=changed_by
    )
    schedule_eligibility_refresh(course_key)
    return data
