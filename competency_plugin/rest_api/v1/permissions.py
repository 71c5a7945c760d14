"""
Who may call each endpoint of the v1 REST API.

``competency_plugin.api`` enforces no permissions: these classes, set on each view, do.
"""
from rest_framework.permissions import IsAuthenticated

from competency_plugin import api


class CanViewFrameworks(IsAuthenticated):
    """
    Competence frameworks are reference data: any signed-in user may read them.

    Learners need them to claim competences, staff to review evidence and configure blocks.
    Anonymous callers get a 401 (DRF's ``NotAuthenticated``) with the standard error body.
    """


def _is_course_staff(user, view):
    """Whether ``user`` is staff of the view's course (``view.course_key``): the one rule, ``api.is_course_staff``."""
    return api.is_course_staff(user, view.course_key)


class IsCourseStaff(IsAuthenticated):
    """
    The course's staff, by the one rule of ``api.is_course_staff``: global staff, the course's staff,
    limited staff and instructors, its organisation's staff and instructors.

    The view must have a ``course_key`` attribute (``CourseAPIView`` parses the URL's ``course_id``).
    Anonymous callers get a 401, signed-in others a 403.
    """

    def has_permission(self, request, view):
        """Signed in, and staff of the course or global staff."""
        return super().has_permission(request, view) and _is_course_staff(request.user, view)


class IsLearnerOrCourseStaff(IsAuthenticated):
    """The learner named by the URL's ``username`` for themself; the course's staff and global staff for anyone."""

    def has_permission(self, request, view):
        """Signed in, and either the learner of the URL or staff."""
        if not super().has_permission(request, view):
            return False
        return request.user.get_username() == view.kwargs.get("username") or _is_course_staff(request.user, view)
