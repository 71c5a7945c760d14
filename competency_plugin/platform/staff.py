"""
Who is staff of a course: the one rule the block, the REST API and the pages apply.

The rule itself is ``compat.is_course_staff`` (the LMS's roles, or global staff outside the
platform); this module lets callers that know only a user id (the XBlock, which gets ids from its
runtime) apply it. See ``docs/decisions/0010-one-rule-for-course-staff.rst``.
"""
from django.contrib.auth import get_user_model

from competency_plugin.platform import compat


def is_course_staff(user=None, course_key=None, *, user_id=None):
    """
    Return whether a user is staff of the course ``course_key`` (a CourseKey or its string).

    Give ``user`` (a Django user: the request's, no query for the account) or ``user_id`` (one query
    for the account). The LMS's roles add one query per user object, which the platform caches on it.
    An unknown id, an anonymous or inactive user, or a malformed course key give False.
    """
    if user is None:
        if user_id is None:
            return False
        try:
            user = get_user_model().objects.filter(pk=int(user_id)).first()
        except (TypeError, ValueError):
            return False
    return compat.is_course_staff(user, course_key)
