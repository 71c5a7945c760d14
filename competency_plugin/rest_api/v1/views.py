"""
Views of the v1 REST API: one ``APIView`` per operation.

Each view authenticates with the Open edX classes (JWT, then session), checks its permission
class, validates its input, calls ``competency_plugin.api`` and serializes the plain data it
returns. Errors raised by the API become responses in ``exception_handlers``.
"""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.auth.session.authentication import SessionAuthenticationAllowInactiveUser
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from competency_plugin import api
from competency_plugin.rest_api.exception_handlers import competency_exception_handler
from competency_plugin.rest_api.parsers import PARSER_CLASSES
from competency_plugin.rest_api.v1 import serializers
from competency_plugin.rest_api.v1.openapi import error_responses, operation
from competency_plugin.rest_api.v1.permissions import CanViewFrameworks


def _framework_identifier(raw):
    """
    Validate the ``identifier`` path segment and return it as a UUID.

    A segment that is not a UUID names no framework: 404, like an unknown UUID.
    """
    lookup = serializers.FrameworkLookupSerializer(data={"identifier": raw})
    if not lookup.is_valid():
        raise NotFound(_("No competence framework has this identifier."))
    return lookup.validated_data["identifier"]


FRAMEWORK_IDENTIFIER = OpenApiParameter(
    "identifier", str, OpenApiParameter.PATH,
    description="The framework's identifier (its CASE CFDocument UUID); anything else gives a 404.",
)


class FrameworkPagination(PageNumberPagination):
    """Pages of 20 frameworks, ``?page=N``; the body has ``count``, ``next``, ``previous``, ``results``."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CompetencyAPIView(APIView):
    """
    Base of the plugin's views: its own authentication, renderer, exception handler and schema.

    They are set here rather than read from the host's ``REST_FRAMEWORK`` settings, so that the
    API behaves the same in the LMS, in Studio and in the demo. JWT comes first so that an
    anonymous request gets a 401 with a ``WWW-Authenticate`` header. ``schema`` is
    drf-spectacular's, which ``openapi.generate`` reads (the LMS's ``DEFAULT_SCHEMA_CLASS`` is
    left alone).
    """

    schema = AutoSchema()

    authentication_classes = (JwtAuthentication, SessionAuthenticationAllowInactiveUser)
    renderer_classes = (JSONRenderer,)
    parser_classes = PARSER_CLASSES

    def get_exception_handler(self):
        """Every error of the plugin's API gets the standard body."""
        return competency_exception_handler


class FrameworkListView(CompetencyAPIView):
    """
    ``GET /api/competency/v1/frameworks/``: the frameworks installed, in pages of 20.

    Each result is a summary (identifier, titles and descriptions in French and English,
    version, publisher, licence…); the tree is at ``frameworks/{identifier}/``.
    """

    permission_classes = (CanViewFrameworks,)

    @operation(
        tags=["frameworks"], operation_id="listFrameworks",
        summary="List the installed competence frameworks",
        description="Summaries of the frameworks, in pages of 20; the tree is at `/frameworks/{identifier}/`.",
        parameters=[
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter("page_size", int, description="Frameworks per page (at most 100)."),
        ],
        responses={200: OpenApiResponse(serializers.FrameworkPageSerializer,
                                        description="One page of framework summaries."), **error_responses(401, 404)},
    )
    def get(self, request):
        """Return one page of framework summaries."""
        paginator = FrameworkPagination()
        page = paginator.paginate_queryset(api.list_frameworks(), request, view=self)
        return paginator.get_paginated_response(serializers.FrameworkSummarySerializer(page, many=True).data)


class FrameworkTreeView(CompetencyAPIView):
    """
    ``GET /api/competency/v1/frameworks/{identifier}/``: one framework as a tree.

    The body holds the framework's metadata in both languages, its proficiency scale in order,
    and its competences nested under ``competences`` (each with ``children``), in reading order.
    """

    permission_classes = (CanViewFrameworks,)

    @operation(
        tags=["frameworks"], operation_id="getFrameworkTree",
        summary="Get a framework with its scale and competence tree",
        description="The framework's metadata, proficiency scale and nested competences, in reading order.",
        parameters=[FRAMEWORK_IDENTIFIER],
        responses={
            200: OpenApiResponse(serializers.FrameworkTreeSerializer, description="The framework."),
            **error_responses(401, 404),
        },
    )
    def get(self, request, identifier):
        """Return the framework ``identifier`` with its scale and nested competences."""
        tree = api.get_framework_tree(_framework_identifier(identifier))
        return Response(serializers.FrameworkTreeSerializer(tree).data)


class FrameworkCaseExportView(CompetencyAPIView):
    """
    ``GET /api/competency/v1/frameworks/{identifier}/case/``: the framework as a CASE 1.1 CFPackage.

    The body is the JSON document ``api.export_framework`` writes (``CFDocument``, ``CFItems``,
    ``CFAssociations``…), returned as it is, valid against 1EdTech's CFPackage schema; objects
    without a URI of their own get their URL on this site's CASE provider. ``?language=fr|en``
    picks the language of the single-language CASE fields.
    """

    permission_classes = (CanViewFrameworks,)

    @operation(
        tags=["frameworks"], operation_id="exportFrameworkCase",
        summary="Export a framework as a CASE 1.1 package",
        description="The CASE 1.1 CFPackage (`CFDocument`, `CFItems`, `CFAssociations`…), as `api.export_framework` "
                    "writes it; the public CASE provider serves the same at `/ims/case/v1p1/CFPackages/{identifier}`.",
        parameters=[FRAMEWORK_IDENTIFIER, serializers.CaseExportQuerySerializer],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The CASE CFPackage."),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request, identifier):
        """Return the CFPackage JSON of the framework ``identifier``."""
        framework = _framework_identifier(identifier)
        query = serializers.CaseExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = api.export_framework(framework, format="case", language=query.validated_data.get("language"),
                                    base_url=api.case_provider_root(request))
        # The API returns the JSON text already encoded: send it as it is, not re-serialized.
        return HttpResponse(  # pylint: disable=http-response-with-content-type-json
            text, content_type="application/json; charset=utf-8",
        )
