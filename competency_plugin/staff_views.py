"""
The staff's course-wide review queue page: ``/competency/courses/{course_id}/review/``.

It lists the evidence submitted in every portfolio block of the course, newest first, with the
filters of the REST endpoint (status, learner, block) and pages; each line links to the unit
holding its block, where the staff open the item and decide. Server-rendered, no JavaScript,
in the request's language. The course's staff only (the one rule, ``api.is_course_staff``):
others signed in get a 403 page, anonymous visitors the login page.
"""
import dataclasses
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from competency_plugin import api
from competency_plugin.platform import compat

PAGE_SIZE = 25


class CourseReviewQueueView(LoginRequiredMixin, View):
    """``GET /competency/courses/{course_id}/review/``: the course-wide queue, for the course's staff."""

    template_name = "competency_plugin/review_queue.html"
    forbidden_template_name = "competency_plugin/review_forbidden.html"

    def dispatch(self, request, *args, **kwargs):
        """A busy database (another request holds a lock) gets a 503 saying to retry, not a server error."""
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception as error:  # pylint: disable=broad-except  # only contention is answered here
            busy = api.database_busy(error) or getattr(error, "retry_after", None)
            if not busy:
                raise
            response = HttpResponse(str(api.busy_error().message), status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(api.RETRY_AFTER_SECONDS)
            return self._no_store(response)

    def get(self, request, course_id):
        """Render one page of the queue, filtered by ``status``, ``learner``, ``usage_key`` and ``page``."""
        try:
            course_key = api.parse_course_key(course_id, field="course_id")
        except api.CompetencyRequestError as error:  # the one answer to a bad course id: a 400
            raise BadRequest(error.message) from error
        if not api.is_course_staff(request.user, course_key):
            return self._no_store(TemplateResponse(
                request, self.forbidden_template_name,
                {"language": translation.get_language() or "en", "course_key": str(course_key)}, status=403,
            ))
        # A page shows no field errors: an invalid filter falls back to its default.
        query = api.QueueFilter.parse(request.GET, strict=False, course_key=course_key)
        queue_filter = dataclasses.replace(query, page_size=PAGE_SIZE)
        statuses, learner, usage_key = queue_filter.statuses, queue_filter.learner, queue_filter.usage_key
        queue = api.review_queue(course_key=course_key, **queue_filter.arguments())
        filters = [("status", status) for status in statuses]
        filters += [(name, value) for name, value in (("learner", learner), ("usage_key", usage_key)) if value]
        context = {
            "language": translation.get_language() or "en",
            "course_key": str(course_key),
            "course_name": compat.course_display_name(course_key),
            "queue": queue,
            "rows": self._rows(queue, course_key),
            "status_choices": [
                {"value": value, "label": label, "checked": value in statuses}
                for value, label in api.EvidenceStatus.choices if value in api.REVIEWABLE_STATUSES
            ],
            "learner": learner,
            "blocks": [
                {"value": key, "label": label, "selected": key == str(usage_key)}
                for key, label in api.review_blocks(course_key=course_key)
            ],
            "previous_url": self._page_url(filters, queue.page - 1) if queue.page > 1 else "",
            "next_url": self._page_url(filters, queue.page + 1) if queue.page < queue.pages else "",
        }
        return self._no_store(TemplateResponse(request, self.template_name, context))

    @staticmethod
    def _rows(queue, course_key):
        statuses = dict(api.EvidenceStatus.choices)
        types = dict(api.SituationType.choices)
        return [
            {
                "item": item,
                "status_label": statuses.get(item.status, item.status),
                "situation_type": types.get(item.situation_type, ""),
                "unit_url": api.situation_url(course_key, item.usage_key, item.uuid),
            }
            for item in queue.items
        ]

    @staticmethod
    def _page_url(filters, page):
        return "?" + urlencode(filters + [("page", page)])

    @staticmethod
    def _no_store(response):
        response["Cache-Control"] = "no-store, private"
        return response
