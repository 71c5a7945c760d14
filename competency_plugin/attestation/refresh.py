"""
Queueing of eligibility refreshes: the Celery task runs once the current transaction commits.

Kept apart from the engine so that writers (reviews, policies) can schedule a refresh without
importing the engine that reads them.
"""
import functools
import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from competency_plugin.services.evidence import parse_course_key

log = logging.getLogger(__name__)


def schedule_eligibility_refresh(course_key, user_ids=None):
    """
    Queue ``recompute_eligibility`` for learners of a course once the current transaction commits.

    Args:
        course_key: a CourseKey or its string.
        user_ids: the learners concerned; None for the whole course (a policy change).
    """
    course_key = str(parse_course_key(course_key))
    if user_ids is not None:
        user_ids = sorted({int(user_id) for user_id in user_ids})
    transaction.on_commit(functools.partial(_enqueue, course_key, user_ids))


def _enqueue(course_key, user_ids):
    """Queue the recomputation; a broker outage is logged, not raised into the committed request."""
    # The task module imports this one: import it when the task is queued.
    from competency_plugin.tasks import recompute_eligibility  # pylint: disable=import-outside-toplevel,cyclic-import

    try:
        recompute_eligibility.delay(course_key, user_ids)
    except OperationalError:
        log.exception(
            "Could not queue the eligibility refresh of %s (learners %s): it will run at the course's next change, "
            "or run competency_plugin.api.refresh_eligibility(%r) by hand.", course_key, user_ids, course_key,
        )
