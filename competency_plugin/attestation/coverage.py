"""
A learner's portfolio across a whole course.

Every evidence item, and its coverage of the frameworks domain by domain: what the learner's
"My portfolio" course tab shows.

Both functions are scoped to the learner given and cost a fixed number of queries, whatever
the number of evidence items.
"""
from collections import defaultdict

from competency_plugin.attestation.data import DomainCoverage, FrameworkCoverage
from competency_plugin.attestation.policies import load_policy
from competency_plugin.evidence.convert import evidence_list_data
from competency_plugin.evidence.models import Evidence, EvidenceCompetence
from competency_plugin.frameworks.models import Competence, Framework, ProficiencyLevel
from competency_plugin.platform.keys import parse_course_key
from competency_plugin.review.services import validations_in_force


def list_course_evidence(*, user_id, course_key):
    """Return the learner's evidence items in every block of a course, newest first (three queries)."""
    course_key = parse_course_key(course_key)
    return evidence_list_data(Evidence.objects.filter(user_id=user_id, course_key=course_key))


def _domain_of(path):
    """Return the path of the top-level node a competence path lies under."""
    return path.split(".", 1)[0]


def _validated_rows(user_id, course_key):
    """Rows (evidence id, framework id, competence path, level) validated by the decisions in force."""
    return validations_in_force(course_key, user_id).values_list(
        "decision__evidence_id", "competence__framework_id", "competence__path", "level"
    )


def _level_filter(policy):
    """Return a predicate telling whether a validation's level counts under the policy's minimum level."""
    if policy is None or not policy.min_level:
        return lambda framework_id, level: True
    orders = dict(ProficiencyLevel.objects.filter(framework_id=policy.framework_id).values_list("code", "order"))
    minimum = orders.get(policy.min_level, -1)
    return lambda framework_id, level: framework_id != policy.framework_id or orders.get(level, -1) >= minimum


def get_domain_coverage(*, user_id, course_key):
    """
    Return the learner's coverage of each framework of a course, as ``FrameworkCoverage`` items.

    The frameworks are the course policy's (first, even when nothing is claimed yet) and those
    the learner's submitted items claim. Each lists its top-level domains in the framework's
    order, with the validated and claimed item counts and the policy's minimum when the policy
    requires the domain itself. Seven queries at most.
    """
    course_key = parse_course_key(course_key)
    policy = load_policy(course_key)
    counts_level = _level_filter(policy)
    validated = defaultdict(set)  # (framework id, domain path) -> evidence ids
    for evidence_id, framework_id, path, level in _validated_rows(user_id, course_key):
        if counts_level(framework_id, level):
            validated[(framework_id, _domain_of(path))].add(evidence_id)
    claimed = defaultdict(set)
    claims = EvidenceCompetence.objects.filter(
        evidence__user_id=user_id, evidence__course_key=course_key, evidence__version__gt=0
    ).values_list("evidence_id", "competence__framework_id", "competence__path")
    for evidence_id, framework_id, path in claims:
        claimed[(framework_id, _domain_of(path))].add(evidence_id)

    framework_ids = {framework_id for framework_id, _domain in [*validated, *claimed]}
    required = {}
    if policy is not None:
        framework_ids.add(policy.framework_id)
        for path, minimum in policy.requirements.filter(competence__depth=0).values_list(
            "competence__path", "min_validated"
        ):
            required[path] = minimum
    frameworks = {row.id: row for row in Framework.objects.filter(id__in=framework_ids)}
    domains = defaultdict(list)
    for row in Competence.objects.filter(framework_id__in=framework_ids, depth=0).order_by("path", "id"):
        key = (row.framework_id, row.path)
        retired = (row.extra or {}).get("retired")
        if retired and key not in validated and key not in claimed:
            continue
        domains[row.framework_id].append(DomainCoverage(
            identifier=row.identifier, code=row.code, title_fr=row.title_fr, title_en=row.title_en,
            validated=len(validated.get(key, ())), claimed=len(claimed.get(key, ())),
            required=required.get(row.path) if policy is not None and row.framework_id == policy.framework_id else None,
        ))

    def order(framework):
        return (policy is None or framework.id != policy.framework_id, framework.title_fr or framework.title_en)

    return [
        FrameworkCoverage(
            identifier=framework.identifier, title_fr=framework.title_fr, title_en=framework.title_en,
            in_policy=policy is not None and framework.id == policy.framework_id,
            domains=tuple(domains[framework.id]),
        )
        for framework in sorted(frameworks.values(), key=order)
    ]
