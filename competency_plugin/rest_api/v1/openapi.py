"""
The pieces of the v1 REST API's OpenAPI description that its views use: the error body and its
responses, and ``operation``, drf-spectacular's ``extend_schema`` for a view method.

The views carry drf-spectacular's ``AutoSchema`` (``CompetencyAPIView.schema``) and ``operation``
where their serializers do not say everything (status codes, the error body, CSV and ZIP bodies,
query parameters). ``openapi_generator`` turns them into ``openapi.yaml`` (``SCHEMA_PATH``), which
``schema/`` serves.
"""
from pathlib import Path

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

SCHEMA_PATH = Path(__file__).with_name("openapi.yaml")


class ErrorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: the body of every error response (``exception_handlers.error_body``)."""

    error = serializers.CharField(
        help_text="A code: `invalid`, `parse_error`, `not_authenticated`, `authentication_failed`, "
                  "`permission_denied`, `forbidden`, `not_found`, `conflict`, `internal` (a 503 too).")
    message = serializers.CharField(help_text="For people, in the caller's language.")
    field_errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The messages about each field at fault, by its path (`requirements.0.competence`).",
    )


ERROR_DESCRIPTIONS = {
    400: "The request is invalid; `field_errors` names the fields at fault.",
    401: "Not signed in, or the token is invalid.",
    403: "Signed in, but not allowed.",
    404: "No such course, framework, learner or policy.",
    409: "The request conflicts with the stored state (nothing was changed).",
    413: "The request body is larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`.",
    503: "The database is busy: try again after `Retry-After` seconds.",
}


def error_responses(*codes):
    """
    Return the ``extend_schema`` responses of the given error ``codes``, plus 503: the error body, in
    JSON whatever the operation's other media types (CSV and ZIP requests get JSON errors).
    """
    return {
        (code, "application/json"): OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in sorted(set(codes) | {503})
    }


def operation(**kwargs):
    """
    ``extend_schema(**kwargs)`` for a view method, extending drf-spectacular's ``AutoSchema``.

    On a method, ``extend_schema`` extends the host's ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``
    unless the method names its schema class: the LMS's is not drf-spectacular's.
    """
    def decorator(method):
        method.schema = AutoSchema
        return extend_schema(**kwargs)(method)
    return decorator
