"""
The eligibility engine: does a learner's reviewed portfolio meet the course's attestation policy?

An evidence item counts for a requirement when the decision in force on it accepts it and
validates at least one competence at or below the required node (at or above the policy's
minimum level). A learner costs a fixed number of queries whatever their evidence; a course is
computed in bulk from one aggregate query, without a query per learner.
"""
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competency_plugin.attestation.data import EligibilityReport, RequirementProgress
from competency_plugin.attestation.policies import load_policy
from competency_plugin.evidence.course_blocks import course_blocks, submitted_in_course
from competency_plugin.evidence.models import Evidence, SituationType
from competency_plugin.frameworks.models import Competence, ProficiencyLevel
from competency_plugin.peer.moderation import feedback_given_counts
from competency_plugin.platform.keys import parse_course_key
from competency_plugin.review.services import validations_in_force


class _Rules:
    """A policy loaded once: its requirements (with tree paths) and the scale's order."""

    def __init__(self, policy):
        self.policy = policy
        self.requirements = list(policy.requirements.select_related("competence").order_by("competence__path"))
        orders = dict(ProficiencyLevel.objects.filter(framework_id=policy.framework_id).values_list("code", "order"))
        self.min_order = orders.get(policy.min_level) if policy.min_level else None
        self.level_orders = orders
        self.paths = dict(Competence.objects.filter(framework_id=policy.framework_id).values_list("id", "path"))
        self._matching = {}

    def counts(self, level):
        """Whether a validation at ``level`` reaches the policy's minimum level."""
        return self.min_order is None or self.level_orders.get(level, -1) >= self.min_order

    def matching(self, path):
        """The indices of the requirements whose node is ``path`` or one of its ancestors (memoised by path)."""
        found = self._matching.get(path)
        if found is None:
            found = self._matching[path] = [
                index for index, item in enumerate(self.requirements)
                if path == item.competence.path or path.startswith(item.competence.path + ".")
            ]
        return found


def _validations(rules, course_key, user_id=None):
    """
    Yield (user id, evidence id, situation type, competence path, level) of the validations in force.

    The decision in force on an item is its newest: no later decision exists on the same item. Only
    the course's accepted items (and their decisions) take part in the join, so that SQLite and
    MariaDB both start from the course's index: joining the competences too (for their framework or
    path) led them to read every decision on the framework's competences, in every course. Paths
    come from ``rules.paths`` instead.
    """
    rows = validations_in_force(course_key, user_id).values_list(
        "decision__evidence__user_id", "decision__evidence_id", "decision__evidence__situation_type",
        "competence_id", "level",
    )
    for user, evidence, situation_type, competence, level in rows.iterator(chunk_size=5000):
        path = rules.paths.get(competence)
        if path is not None:  # a competence of the policy's framework
            yield user, evidence, situation_type, path, level


def _completed_blocks(course_key, user_ids):
    """
    Return the learners (of ``user_ids``) who submitted evidence in every portfolio block of the course
    that holds evidence — the portfolio components the plugin knows of.
    """
    if len(user_ids) == 1:
        # The course's blocks (cached), and this learner's: one query over their own items.
        (user_id,) = user_ids
        blocks = course_blocks(course_key)
        mine = set(submitted_in_course(course_key, user_id).values_list("block", flat=True).distinct())
        return {user_id} if blocks and mine >= blocks else set()
    # A whole course: one scan gives every learner's blocks, and the course's.
    per_learner = defaultdict(set)
    for user_id, block in submitted_in_course(course_key).values_list("user_id", "block").distinct():
        per_learner[user_id].add(block)
    blocks = set().union(*per_learner.values())
    return {user_id for user_id in user_ids if blocks and per_learner[user_id] >= blocks}


def _label(requirement, language):
    competence = requirement.competence
    title = competence.title_fr if language.startswith("fr") else competence.title_en
    return f"{competence.code} {title or competence.title_fr or competence.title_en}".strip()


def _report(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    rules, user_id, username, course_key, rows, blocks_completed, language, peer_given=0
):
    """Build one learner's report from their validation rows."""
    per_requirement = [{} for _item in rules.requirements]
    authentic_overall = set()
    for _user, evidence_id, situation_type, path, level in rows:
        if not rules.counts(level):
            continue
        is_authentic = situation_type == SituationType.AUTHENTIC
        if is_authentic:
            authentic_overall.add(evidence_id)
        for index in rules.matching(path):
            per_requirement[index][evidence_id] = is_authentic
    progress, missing = [], []
    for item, evidence in zip(rules.requirements, per_requirement):
        line = RequirementProgress(
            key=str(item.competence.identifier),
            label=_label(item, language),
            have=len(evidence),
            need=item.min_validated,
            have_authentic=sum(evidence.values()),
            need_authentic=item.min_authentic,
        )
        progress.append(line)
        if line.have < line.need:
            count = line.need - line.have
            missing.append(ngettext(
                "{label}: {count} more validated situation needed.",
                "{label}: {count} more validated situations needed.", count,
            ).format(label=line.label, count=count))
        if line.have_authentic < line.need_authentic:
            count = line.need_authentic - line.have_authentic
            missing.append(ngettext(
                "{label}: {count} more validated authentic situation needed.",
                "{label}: {count} more validated authentic situations needed.", count,
            ).format(label=line.label, count=count))
    policy = rules.policy
    if policy.min_authentic:
        line = RequirementProgress(
            key="authentic", label=_("Authentic professional situations"), have=len(authentic_overall),
            need=policy.min_authentic,
        )
        progress.append(line)
        if not line.met:
            count = line.need - line.have
            missing.append(ngettext(
                "{count} more validated authentic professional situation needed.",
                "{count} more validated authentic professional situations needed.", count,
            ).format(count=count))
    if policy.min_peer_feedback:
        _peer_line(policy.min_peer_feedback, peer_given, progress, missing)
    if policy.require_blocks_completed:
        done = user_id in blocks_completed
        progress.append(RequirementProgress(
            key="blocks", label=_("Every portfolio activity completed"), have=int(done), need=1,
        ))
        if not done:
            missing.append(_("Complete every portfolio activity of the course."))
    return EligibilityReport(
        user_id=user_id,
        username=username,
        course_key=str(course_key),
        has_policy=True,
        eligible=not missing,
        policy_version=policy.version,
        requirements=tuple(progress),
        missing=tuple(missing),
    )


def _peer_line(need, have, progress, missing):
    """Add the peer feedback requirement's line (and what is missing) to a report's lists."""
    line = RequirementProgress(key="peer_feedback", label=_("Peer feedback given"), have=have, need=need)
    progress.append(line)
    if not line.met:
        count = line.need - line.have
        missing.append(ngettext(
            "{count} more peer feedback to give to a colleague.",
            "{count} more peer feedback to give to colleagues.", count,
        ).format(count=count))


def _no_policy(user_id, username, course_key):
    return EligibilityReport(
        user_id=user_id, username=username, course_key=str(course_key), has_policy=False, eligible=False,
        policy_version=0, requirements=(), missing=(_("This course has no attestation policy."),),
    )


def _user(user):
    if hasattr(user, "pk"):
        return user.pk, user.get_username()
    row = get_user_model().objects.filter(pk=int(user)).values_list("pk", "username").first()
    return row if row else (int(user), "")


def get_eligibility(user, course_key, *, language=None):
    """
    Return a learner's ``EligibilityReport`` for a course, with labels and messages in ``language``
    (default: the active language). Six queries at most, whatever the number of evidence items.

    Args:
        user: a User or a user id.
        course_key: a CourseKey or its string.
    """
    course_key = parse_course_key(course_key)
    user_id, username = _user(user)
    with translation.override(language or translation.get_language()):
        policy = load_policy(course_key)
        if policy is None:
            return _no_policy(user_id, username, course_key)
        rules = _Rules(policy)
        rows = list(_validations(rules, course_key, user_id=user_id))
        completed = _completed_blocks(course_key, [user_id]) if policy.require_blocks_completed else set()
        given = feedback_given_counts(course_key, user_id).get(user_id, 0) if policy.min_peer_feedback else 0
        return _report(rules, user_id, username, course_key, rows, completed, translation.get_language() or "en",
                       given)


def course_learners(course_key):
    """Return [(user id, username)] of the learners with evidence in a course, by username (one query)."""
    return list(
        Evidence.objects.filter(course_key=course_key).values_list("user_id", "user__username")
        .distinct().order_by("user__username")
    )


def get_course_eligibility(course_key, *, learners=None, language=None):
    """
    Return the ``EligibilityReport`` of every learner of a course (those with evidence, or ``learners``:
    [(user id, username)]), computed in bulk: a fixed number of queries whatever the course's size.
    """
    course_key = parse_course_key(course_key)
    with translation.override(language or translation.get_language()):
        learners = course_learners(course_key) if learners is None else list(learners)
        policy = load_policy(course_key)
        if policy is None:
            return [_no_policy(user_id, username, course_key) for user_id, username in learners]
        rules = _Rules(policy)
        rows_by_user = defaultdict(list)
        for row in _validations(rules, course_key):
            rows_by_user[row[0]].append(row)
        user_ids = [user_id for user_id, _username in learners]
        completed = _completed_blocks(course_key, user_ids) if policy.require_blocks_completed else set()
        active = translation.get_language() or "en"
        given = feedback_given_counts(course_key) if policy.min_peer_feedback else {}
        return [
            _report(rules, user_id, username, course_key, rows_by_user.get(user_id, ()), completed, active,
                    given.get(user_id, 0))
            for user_id, username in learners
        ]
