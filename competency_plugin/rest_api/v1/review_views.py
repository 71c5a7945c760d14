"""
``GET /api/competency/v1/courses/{course_id}/evidence/``: the course-wide review queue, for its staff.

Submitted evidence across every portfolio block of the course, newest submissions first, in
pages. Filters: ``status`` (repeated, or a comma-separated list, of ``submitted``,
``revision_requested``, ``accepted``; default ``submitted``), ``learner`` (part of a
username), ``usage_key`` (one block), ``page`` and ``page_size``. The cost does not grow with
the queue: one count and one page query, whatever its length.
"""
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response

from competency_plugin import api
from competency_plugin.platform import compat
from competency_plugin.rest_api.v1.openapi import error_responses, operation
from competency_plugin.rest_api.v1.permissions import IsCourseStaff
from competency_plugin.rest_api.v1.views import CompetencyAPIView

MAX_PAGE_SIZE = api.MAX_QUEUE_PAGE_SIZE


class QueueQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The queue's filters other than ``status`` (which may be repeated) and its page, as the OpenAPI
    document describes them; ``api.QueueFilter.parse`` reads them.
    """

    learner = api.TextField(required=False, allow_blank=True, max_length=api.MAX_QUEUE_LEARNER_FILTER, default="",
                            help_text="Part of a username.")
    usage_key = api.TextField(required=False, allow_blank=True, max_length=255, default="",
                              help_text="Only the evidence of this portfolio block.")
    page = serializers.IntegerField(required=False, min_value=1, default=1, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE,
                                         default=api.DEFAULT_QUEUE_PAGE_SIZE, help_text="Items per page.")


class QueueItemSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: one submitted evidence item of the queue, with the URL of the unit holding its block."""

    uuid = serializers.UUIDField()
    usage_key = serializers.CharField(help_text="The portfolio block holding the evidence.")
    learner = serializers.CharField(help_text="The learner's username.")
    title = serializers.CharField()
    situation_type = serializers.CharField()
    status = serializers.ChoiceField(choices=[str(status) for status in api.REVIEWABLE_STATUSES])
    version = serializers.IntegerField(help_text="How many times the learner submitted it.")
    submitted_at = serializers.DateTimeField(allow_null=True)
    unit_url = serializers.SerializerMethodField(help_text="The courseware URL of the unit holding the block.")

    def get_unit_url(self, item) -> str:
        """Return the courseware URL of the unit where the item's block is (the LMS's ``jump_to``)."""
        return compat.jump_to_url(self.context["course_key"], item.usage_key)


class QueuePageSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: one page of the queue."""

    count = serializers.IntegerField(help_text="How many items match the filters.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = QueueItemSerializer(many=True)


class CourseEvidenceQueueView(CompetencyAPIView):
    """
    The course's evidence awaiting review (course staff and global staff only).

    Body: ``{"count", "page", "pages", "results": [QueueItem…]}``. A ``course_id`` that is no
    course key, or an invalid filter, is a 400 whose ``field_errors`` name the field.
    """

    permission_classes = (IsCourseStaff,)

    @cached_property
    def course_key(self):
        """The course of the URL, read by ``IsCourseStaff`` once the caller is authenticated."""
        return api.parse_course_key(self.kwargs["course_id"], field="course_id")

    @operation(
        tags=["review"], operation_id="listCourseEvidenceQueue",
        summary="The course's evidence awaiting review (course staff)",
        description="Submitted evidence across every portfolio block of the course, newest submissions first, "
                    "in pages. For the course's staff and instructors, and global staff.",
        parameters=[
            OpenApiParameter("course_id", str, OpenApiParameter.PATH,
                             description="The course key; a value that is not one gives a 400 naming `course_id`."),
            OpenApiParameter(
                "status", {"type": "array", "items": {"type": "string", "enum": [
                    str(status) for status in api.REVIEWABLE_STATUSES]}},
                description="Statuses to list, repeated or comma-separated; default `submitted`.", explode=True,
            ),
            QueueQuerySerializer,
        ],
        responses={
            200: OpenApiResponse(QueuePageSerializer, description="One page of the queue."),
            **error_responses(400, 401, 403),
        },
    )
    def get(self, request, course_id):  # pylint: disable=unused-argument
        """Return one page of the queue."""
        filters = api.QueueFilter.parse(request.query_params)
        queue = api.review_queue(course_key=self.course_key, **filters.arguments())
        results = QueueItemSerializer(queue.items, many=True, context={"course_key": self.course_key}).data
        response = Response({"count": queue.count, "page": queue.page, "pages": queue.pages, "results": results})
        response["Cache-Control"] = "no-store, private"
        return response
