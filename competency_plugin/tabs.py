"""
The "My portfolio" course tab, declared through the ``openedx.course_tab`` entry point.

The LMS lists it among a course's tabs for learners enrolled in the course (and course staff);
it opens the learner's portfolio page (``learner_views.LearnerPortfolioView``). The tab is
dynamic: it needs no change to the course's saved tabs.
"""
from django.utils.translation import gettext_noop

from competency_plugin.platform import compat


class PortfolioCourseTab(compat.course_tab_class()):
    """A course tab linking to the signed-in learner's portfolio of the course."""

    type = "competency_portfolio"
    # Translated when the LMS displays it, in the learner's language.
    title = gettext_noop("My portfolio")
    priority = 60
    view_name = "competency_plugin:learner-portfolio"
    is_dynamic = True
    is_default = False
    is_hideable = False
    is_movable = False
    allow_multiple = False

    @classmethod
    def is_enabled(cls, course, user=None):
        """Shown to signed-in learners enrolled in the course, and to its staff."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        # The API (and its models) is imported when a tab is listed: the LMS may load tab types early.
        from competency_plugin import api  # pylint: disable=import-outside-toplevel

        return compat.is_enrolled(user, course.id) or api.is_course_staff(user, course.id)
