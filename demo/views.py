"""
Demo-only views.

The demo has no login page: ``?student=NAME`` picks the learner, as in the workbench's
scenarios, and this module signs that learner in before showing a plugin page.
"""
from django.contrib.auth import login

from competency_plugin.learner_views import LearnerPortfolioView
from competency_plugin.staff_views import CourseReviewQueueView
from demo.services import get_demo_user

_portfolio_page = LearnerPortfolioView.as_view()
_review_page = CourseReviewQueueView.as_view()


def learner_portfolio(request, course_id):
    """
    Show the plugin's learner page signed in as ``?student=NAME`` (created on first use).

    ``/competency/courses/{course_id}/portfolio/?student=NAME``; without ``student``, the session's user.
    """
    user = get_demo_user(request.GET.get("student", ""))
    if user is not None and request.user != user:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _portfolio_page(request, course_id=course_id)


def course_review_queue(request, course_id):
    """
    Show the plugin's course-wide review page signed in as ``?student=NAME`` (``staff…``: staff).

    ``/competency/courses/{course_id}/review/?student=staff_ana``; without ``student``, the session's user.
    """
    user = get_demo_user(request.GET.get("student", ""))
    if user is not None and request.user != user:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _review_page(request, course_id=course_id)
