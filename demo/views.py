"""
Demo-only views.

The demo has no login page: ``?student=NAME`` picks the learner, as in the workbench's
scenarios, and this module signs that learner in before showing a plugin page.
"""
from urllib.parse import urlencode

from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from workbench import scenarios as workbench_scenarios
from workbench.runtime import WorkbenchRuntime

from competency_plugin.learner_views import LearnerPortfolioView
from competency_plugin.staff_views import CourseReviewQueueView
from demo.services import get_demo_user
from portfolio_xblock.runtime_context import block_keys

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


def jump_to(request, course_id, location):  # pylint: disable=unused-argument
    """
    Open the workbench scenario holding the block ``location``: the demo's stand-in for the LMS's
    ``/courses/{course_id}/jump_to/{location}``, which the staff page links each item to.

    The signed-in user stays the viewer (``?student=``); an unknown block is a 404.
    """
    runtime = WorkbenchRuntime()
    for name, scenario in workbench_scenarios.get_scenarios().items():
        root = runtime.get_block(scenario.usage_id)
        blocks = [root] + [runtime.get_block(child) for child in getattr(root, "children", None) or []]
        if any(str(block_keys(block)[1]) == location for block in blocks):
            url = reverse("workbench_show_scenario", kwargs={"scenario_id": name})
            if request.user.is_authenticated:
                url += "?" + urlencode({"student": request.user.get_username()})
            return redirect(url)
    raise Http404("No scenario holds this block.")
