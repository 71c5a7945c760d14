"""
Scheduling of eligibility refreshes, once the current transaction commits.

Kept apart from the engine so that writers (reviews, policies) can schedule a refresh without
importing the engine that reads them. The job goes through ``platform.after_commit``; the task
module registers what runs it (the Celery task ``recompute_eligibility``).
"""
from competency_plugin.platform import after_commit
from competency_plugin.platform.keys import parse_course_key


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
    after_commit.schedule(after_commit.ELIGIBILITY_REFRESH, course_key, user_ids)
