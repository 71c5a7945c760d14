"""
Attestation eligibility and policy of a course, for the LMS, its staff and learners.

- ``GET courses/{course_id}/eligibility/{username}/``: one learner's report (the learner for
  themself; course staff and global staff for anyone).
- ``GET courses/{course_id}/eligibility/``: every learner's report, in pages (course staff), or as
  CSV with ``?format=csv`` (or ``Accept: text/csv``).
- ``GET|PUT courses/{course_id}/policy/``: the course's attestation policy (course staff).

Labels and messages are in the caller's language (the request's active language). Errors have the
API's standard JSON body, CSV requests included.
"""
import csv

from django.contrib.auth import get_user_model
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from competency_plugin import api
from competency_plugin.rest_api.v1 import serializers
from competency_plugin.rest_api.v1.openapi import error_responses, operation
from competency_plugin.rest_api.v1.permissions import IsCourseStaff, IsLearnerOrCourseStaff
from competency_plugin.rest_api.v1.views import CompetencyAPIView


def course_id_parameter(when_invalid="a 400"):
    """The ``course_id`` path parameter, as described in the OpenAPI document."""
    return OpenApiParameter("course_id", str, OpenApiParameter.PATH,
                            description=f"The course key; a value that is not one gives {when_invalid}.")


class CSVRenderer(BaseRenderer):
    """Lets ``?format=csv`` and ``Accept: text/csv`` through content negotiation; the view writes the CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """Never used: the view answers CSV requests with a streamed response, errors in JSON."""
        raise NotImplementedError


class EligibilityPagination(PageNumberPagination):
    """Pages of 50 learners (``?page=N``, ``?page_size=`` up to 500): ``count``, ``next``, ``previous``, ``results``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CourseAPIView(CompetencyAPIView):
    """A view of one course: ``course_key`` parsed from the URL's ``course_id`` (a 400 when it is no course key)."""

    @cached_property
    def course_key(self):
        """The course of the URL (read by the permission classes, after authentication)."""
        return api.parse_course_key(self.kwargs["course_id"], field="course_id")


class LearnerEligibilityView(CourseAPIView):
    """
    ``GET /api/competency/v1/courses/{course_id}/eligibility/{username}/``: one learner's report.

    Whether the learner meets the course's attestation policy, their progress on each requirement
    (have / need) and what is still missing, in the caller's language. The learner may read their
    own; the course's staff and global staff anyone's (404 for an unknown username). Others: 403.
    """

    permission_classes = (IsLearnerOrCourseStaff,)

    @operation(
        tags=["eligibility"], operation_id="getLearnerEligibility",
        summary="A learner's eligibility in a course",
        description="Whether the learner meets the course's attestation policy, their progress on each "
                    "requirement and what is missing. The learner may read their own; the course's staff and "
                    "instructors, and global staff, anyone's. Others get a 403; an unknown username a 404 "
                    "(for staff).",
        parameters=[course_id_parameter(),
                    OpenApiParameter("username", str, OpenApiParameter.PATH, description="The learner's username.")],
        responses={
            200: OpenApiResponse(serializers.EligibilityReportSerializer, description="The learner's report."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request, course_id, username):  # pylint: disable=unused-argument
        """Return the learner's ``EligibilityReport``."""
        user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
        if user_id is None:
            raise NotFound(_("No learner has this username."))
        report = api.get_eligibility(user_id, self.course_key, language=translation.get_language())
        return Response(serializers.EligibilityReportSerializer(report).data)


# What makes a spreadsheet read a cell as a formula when it comes first (after spaces): the ASCII
# signs, their full-width forms, and the control characters some applications skip.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value):
    """
    Return ``value`` as the text of a CSV cell no spreadsheet reads as a formula: one starting with
    a formula sign gets a leading apostrophe. Every cell of every CSV the plugin writes goes through it.
    """
    text = str(value)
    return "'" + text if text.lstrip(" ")[:1] in _FORMULA_STARTS else text


def eligibility_table(reports):
    """
    Return the CSV rows (header first) of ``reports``, in the active language.

    Columns: username, eligible, policy version, one have/need column per requirement (and one for
    its authentic situations when it asks for some), then what is missing.
    """
    lines = reports[0].requirements if reports else ()
    header = [
        pgettext("eligibility CSV column", "Username"),
        pgettext("eligibility CSV column", "Eligible"),
        pgettext("eligibility CSV column", "Policy version"),
    ]
    for line in lines:
        header.append(line.label)
        if line.need_authentic:
            header.append(pgettext("eligibility CSV column", "{label} (authentic situations)").format(label=line.label))
    header.append(pgettext("eligibility CSV column", "Missing"))
    rows = [header]
    for report in reports:
        if report.eligible:
            eligible = pgettext("eligibility CSV value", "yes")
        else:
            eligible = pgettext("eligibility CSV value", "no")
        row = [report.username, eligible, report.policy_version]
        for line in report.requirements:
            row.append(f"{line.have}/{line.need}")
            if line.need_authentic:
                row.append(f"{line.have_authentic}/{line.need_authentic}")
        row.append(" ; ".join(report.missing))
        rows.append(row)
    # The header too: its requirement labels are competence codes and titles read from imported files.
    return [[spreadsheet_cell(cell) for cell in row] for row in rows]


class _Echo:
    """A file-like object whose ``write`` returns what it is given, for ``csv.writer`` to stream."""

    def write(self, value):
        """Return ``value`` instead of storing it."""
        return value


def _stream_csv(rows):
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


class CourseEligibilityView(CourseAPIView):
    """
    ``GET /api/competency/v1/courses/{course_id}/eligibility/``: the reports of a course's learners.

    Learners are those enrolled in the course and those with evidence in it, by username. JSON:
    pages of 50 (``?page=``, ``?page_size=`` up to 500). ``?format=csv`` (or ``Accept: text/csv``):
    every learner as a CSV download, one row each. Course staff and global staff only.
    """

    permission_classes = (IsCourseStaff,)
    renderer_classes = (JSONRenderer, CSVRenderer)

    @operation(
        tags=["eligibility"], operation_id="listCourseEligibility",
        summary="Eligibility of every learner of a course (course staff)",
        description="Learners are those enrolled in the course and those with evidence in it, by username. "
                    "JSON: pages of 50. `?format=csv` (or `Accept: text/csv`): every learner as a CSV download, "
                    "one row each — username, eligible, policy version, one `have/need` column per requirement "
                    "(and one for its authentic situations when it asks for some), what is missing. For the "
                    "course's staff and instructors, and global staff.",
        parameters=[
            course_id_parameter(),
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter("page_size", int, description="Learners per page (at most 500)."),
            OpenApiParameter("format", str, enum=["json", "csv"], description="`csv` for the CSV download."),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(serializers.EligibilityPageSerializer,
                                                       description="A page of eligibility reports."),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Every learner's report, as CSV."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request, course_id):  # pylint: disable=unused-argument
        """Return a page of reports, or every report as CSV."""
        learners = api.list_course_learners(self.course_key)
        language = translation.get_language()
        if request.accepted_renderer.format == "csv":
            return self._csv(api.get_course_eligibility(self.course_key, learners=learners, language=language))
        paginator = EligibilityPagination()
        page = paginator.paginate_queryset(learners, request, view=self)
        reports = api.get_course_eligibility(self.course_key, learners=page, language=language)
        return paginator.get_paginated_response(serializers.EligibilityReportSerializer(reports, many=True).data)

    def _csv(self, reports):
        # The rows are computed here, in the request's language; only their encoding is streamed.
        rows = eligibility_table(reports)
        response = StreamingHttpResponse(_stream_csv(rows), content_type="text/csv; charset=utf-8")
        filename = f"eligibility-{slugify(str(self.course_key)) or 'course'}.csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "no-store, private"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        """Errors of a CSV request keep the API's JSON error body."""
        if isinstance(response, Response) and getattr(request, "accepted_renderer", None) is not None:
            if request.accepted_renderer.format == "csv":
                request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class CoursePolicyView(CourseAPIView):
    """
    ``GET|PUT /api/competency/v1/courses/{course_id}/policy/``: the course's attestation policy.

    GET returns the policy at its current version (404 when the course has none). PUT replaces it
    with the body (``framework``, ``requirements`` [{``competence``, ``min_validated``,
    ``min_authentic``}], ``min_authentic``, ``min_level``, ``require_blocks_completed``,
    ``certificate_gate``, ``min_peer_feedback``): a new version, recorded with the caller as its author; 201 when the
    course had no policy, 200 otherwise. The learners' eligibility is then recomputed in the
    background. Course staff and global staff only.
    """

    permission_classes = (IsCourseStaff,)

    @operation(
        tags=["policy"], operation_id="getCoursePolicy",
        summary="The course's attestation policy (course staff)",
        description="The policy at its current version; 404 when the course has none.",
        parameters=[course_id_parameter()],
        responses={
            200: OpenApiResponse(serializers.PolicySerializer, description="The policy at its current version."),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request, course_id):  # pylint: disable=unused-argument
        """Return the course's ``PolicyData``."""
        return Response(serializers.PolicySerializer(api.get_policy(course_key=self.course_key)).data)

    @operation(
        tags=["policy"], operation_id="setCoursePolicy",
        summary="Replace the course's attestation policy (course staff)",
        description="Stores the body as a new version of the policy, with the caller as its author; the "
                    "learners' eligibility is then recomputed in the background. Example, \"at least two "
                    "validated situations in each of aspects 3 and 6, at least one of them authentic\": two "
                    "requirements with `min_validated` 2 and `min_authentic` 1.",
        parameters=[course_id_parameter()],
        request={"application/json": serializers.PolicyInputSerializer},
        responses={
            200: OpenApiResponse(serializers.PolicySerializer, description="The policy's new version."),
            201: OpenApiResponse(serializers.PolicySerializer, description="The course's first policy."),
            **error_responses(400, 401, 403, 404, 413),
        },
    )
    def put(self, request, course_id):  # pylint: disable=unused-argument
        """Store the body as the course's new policy version."""
        body = serializers.PolicyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        policy = api.set_policy(course_key=self.course_key, changed_by=request.user.id, **body.validated_data)
        code = status.HTTP_201_CREATED if policy.version == 1 else status.HTTP_200_OK
        return Response(serializers.PolicySerializer(policy).data, status=code)
