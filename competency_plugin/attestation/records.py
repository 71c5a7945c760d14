"""
Stored eligibility: each learner's last computed attestation status, refreshed after each change.

An ``EligibilityRecord`` keeps, per learner and course, whether they were eligible and under
which policy version, so that a change can be told and announced once. No record means "not
eligible": records are created when a learner first becomes eligible, then kept up to date.

``refresh_eligibility`` recomputes and stores (what the Celery task ``recompute_eligibility``
runs); ``refresh.schedule_eligibility_refresh`` queues that task once the current transaction commits,
so that the worker reads the decision or policy that triggered it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from competency_plugin.attestation.data import EligibilityChange
from competency_plugin.attestation.eligibility import course_learners, get_course_eligibility
from competency_plugin.attestation.models import AttestationPolicy, EligibilityRecord
from competency_plugin.platform import compat
from competency_plugin.platform.keys import parse_course_key

BATCH_SIZE = 500


def list_course_learners(course_key):
    """
    Return [(user id, username)] of a course's learners, by username.

    They are the learners enrolled (in the LMS) and those with evidence in the course (outside the
    LMS, only the latter). Two queries.
    """
    course_key = parse_course_key(course_key)
    learners = dict(course_learners(course_key))
    learners.update(compat.enrolled_learners(course_key))
    return sorted(learners.items(), key=lambda learner: (learner[1], learner[0]))


def _records(course_key, user_ids):
    """Return {user id: (record id, eligible, policy version)} of the stored records (one query)."""
    records = EligibilityRecord.objects.filter(course_key=course_key)
    if user_ids is not None:
        records = records.filter(user_id__in=user_ids)
    return {
        user_id: (pk, eligible, version)
        for pk, user_id, eligible, version in records.values_list("pk", "user_id", "eligible", "policy_version")
    }


def _learners(course_key, user_ids, records):
    """
    Return [(user id, username)] to recompute.

    They are ``user_ids``, or every learner of the course with evidence or a stored record (the only
    ones whose status can differ from "not eligible").
    """
    users = get_user_model().objects
    if user_ids is not None:
        return list(users.filter(pk__in=user_ids).values_list("pk", "username"))
    learners = course_learners(course_key)
    known = {user_id for user_id, _username in learners}
    others = [user_id for user_id in records if user_id not in known]
    if others:
        learners += list(users.filter(pk__in=others).values_list("pk", "username"))
    return learners


def _store(course_key, reports, records):
    """Write the records that differ from ``reports``; return the changes of eligibility."""
    now = timezone.now()
    created, updated, changes = [], [], []
    for report in reports:
        pk, was_eligible, version = records.get(report.user_id, (None, False, 0))
        if pk is None:
            if not report.eligible:
                continue
            created.append(EligibilityRecord(
                user_id=report.user_id, course_key=course_key, eligible=True, policy_version=report.policy_version,
            ))
        elif (was_eligible, version) != (report.eligible, report.policy_version):
            updated.append(EligibilityRecord(
                pk=pk, eligible=report.eligible, policy_version=report.policy_version, computed_at=now,
            ))
        if report.eligible != was_eligible:
            changes.append(EligibilityChange(
                user_id=report.user_id, username=report.username, course_key=str(course_key),
                eligible=report.eligible, policy_version=report.policy_version, changed_at=now,
            ))
    EligibilityRecord.objects.bulk_create(created, batch_size=BATCH_SIZE)
    EligibilityRecord.objects.bulk_update(updated, ["eligible", "policy_version", "computed_at"], batch_size=BATCH_SIZE)
    return changes


def refresh_eligibility(course_key, user_ids=None):
    """
    Recompute the eligibility of learners of a course and store it; return who changed.

    The whole course is computed in bulk, in a number of queries that does not grow with its
    size (writes go by batches of ``BATCH_SIZE`` changed records). Refreshes of one course are
    serialised by locking its policy row, so that two workers never announce the same change twice.

    Args:
        course_key: a CourseKey or its string.
        user_ids: the learners to recompute; None for every learner with evidence or a record.

    Returns:
        [EligibilityChange] for the learners whose ``eligible`` changed; the caller announces them
        once the transaction commits.
    """
    course_key = parse_course_key(course_key)
    if user_ids is not None:
        user_ids = sorted({int(user_id) for user_id in user_ids})
    with transaction.atomic():
        # Lock first: what follows reads the state left by any refresh that held the lock before.
        list(AttestationPolicy.objects.select_for_update().filter(course_key=course_key).values_list("pk"))
        records = _records(course_key, user_ids)
        learners = _learners(course_key, user_ids, records)
        reports = get_course_eligibility(course_key, learners=learners, language="en")
        return _store(course_key, reports, records)
