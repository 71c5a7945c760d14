"""
``GET /api/competency/v1/me/portfolio/``: the signed-in learner downloads their portfolio as a ZIP.

Authenticated like the other views (JWT, then session); the learner is always the caller, so
no one reads another learner's portfolio here.
"""
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from competency_plugin import api
from competency_plugin.rest_api.v1.openapi import error_responses, operation
from competency_plugin.rest_api.v1.views import CompetencyAPIView


class PortfolioExportQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Input: ``course_id`` limits the export to one course; without it every course is exported."""

    course_id = api.TextField(required=False, max_length=255,
                              help_text="Export only this course's portfolio (`course-v1:Org+Course+Run`); "
                                        "every course otherwise.")


class LearnerPortfolioExportView(CompetencyAPIView):
    """
    ``GET /api/competency/v1/me/portfolio/[?course_id=course-v1:…]``: the caller's portfolio as a ZIP.

    The archive holds ``index.html`` (a readable summary in the caller's language),
    ``portfolio.json`` and the attached files under ``attachments/``. It is streamed: the
    response starts before the files are read, and memory does not grow with their size.
    Errors (401 anonymous, 400 invalid ``course_id``) have the API's standard JSON body.
    """

    permission_classes = (IsAuthenticated,)

    def perform_content_negotiation(self, request, force=False):
        """Answer ``Accept: application/zip`` too: errors fall back to JSON instead of a 406."""
        return super().perform_content_negotiation(request, force=True)

    @operation(
        tags=["portfolio"], operation_id="exportMyPortfolio",
        summary="Download the caller's portfolio as a ZIP archive",
        description="The archive holds `index.html` (a readable summary in the caller's language), "
                    "`portfolio.json` and the attached files under `attachments/`. It is streamed.",
        parameters=[PortfolioExportQuerySerializer],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The portfolio archive."),
            **error_responses(400, 401),
        },
    )
    def get(self, request):
        """Stream the caller's portfolio (of ``course_id``, or of every course)."""
        query = PortfolioExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        course_id = query.validated_data.get("course_id")
        archive = api.export_portfolio(
            user_id=request.user.id,
            course_key=api.parse_course_key(course_id, field="course_id") if course_id else None,
            language=translation.get_language(),
        )
        response = StreamingHttpResponse(archive.stream(), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, archive.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        return response
