"""
The OpenAPI description of the v1 REST API, generated from its views and serializers by drf-spectacular.

The views carry ``schema = AutoSchema()`` (``CompetencyAPIView``) and ``extend_schema`` where their
serializers do not say everything (status codes, the error body, CSV and ZIP bodies, query
parameters). ``generate()`` runs drf-spectacular's generator on ``urls.urlpatterns`` with this
module's ``SPECTACULAR_SETTINGS``, patched in for the call only: the host's ``REST_FRAMEWORK`` and
``SPECTACULAR_SETTINGS`` (the LMS documents its own APIs with drf-yasg) are never read nor changed.

The result is committed as ``openapi.yaml`` beside this module and served by ``schema/``. Regenerate it
after changing a view or a serializer (``make openapi``)::

    DJANGO_SETTINGS_MODULE=tests.settings python -m competency_plugin.rest_api.v1.openapi --write

``--check`` exits with 1 when the committed file differs from what the code generates (the test
``tests/competency_plugin/test_openapi.py`` checks it too).
"""
import argparse
import functools
import sys
from pathlib import Path

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

SCHEMA_PATH = Path(__file__).with_name("openapi.yaml")

DESCRIPTION = """\
REST API of the competency plugin of the Open edX competency portfolio, mounted by the LMS
and Studio under `/api/competency/v1/`: competence frameworks, learners' attestation
eligibility, courses' attestation policies, the evidence awaiting review and the learner's
portfolio export.

Authentication: a JWT (`Authorization: JWT <token>`, or the LMS's JWT cookie) or the LMS
session. Texts meant for people (labels, messages) are in the caller's language
(`Accept-Language`, or the language the LMS activated). Every error has the same JSON body
(`Error`); a 503 (the database is busy) says in `Retry-After` when to try again.

This document is generated from the views and serializers (`competency_plugin/rest_api/v1/openapi.py`).
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "Competency portfolio API",
    "VERSION": "1",
    "DESCRIPTION": DESCRIPTION,
    "LICENSE": {"name": "AGPL-3.0"},
    "SERVERS": [{"url": "/api/competency/v1"}],
    "TAGS": [
        {"name": "frameworks", "description": "Competence frameworks (reference data, for any signed-in user)."},
        {"name": "eligibility", "description": "Whether learners meet a course's attestation policy, and what they miss."},
        {"name": "policy", "description": "A course's attestation policy (course staff)."},
        {"name": "review", "description": "The evidence awaiting review in a course (course staff)."},
        {"name": "portfolio", "description": "The signed-in learner's own portfolio."},
        {"name": "schema", "description": "This description."},
    ],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "competency_plugin.rest_api.v1.openapi.document_retry_after",
    ],
}


class ErrorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: the body of every error response (``exception_handlers.error_body``)."""

    error = serializers.CharField(
        help_text="A code: `invalid`, `not_found`, `not_authenticated`, `permission_denied`, `busy`…")
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


def document_retry_after(result, generator, request, public):  # pylint: disable=unused-argument
    """drf-spectacular post-processing hook: every 503 response has a ``Retry-After`` header."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            response = operation.get("responses", {}).get("503") if isinstance(operation, dict) else None
            if response is not None:
                response["headers"] = {"Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer", "minimum": 1},
                }}
    return result


@functools.lru_cache(maxsize=None)
def _register_auth_schemes():
    """
    Describe the plugin's authentication classes (drf-spectacular knows neither).

    Extensions register themselves, process-wide, when their class is defined: they are defined
    here, on the first generation, rather than when the LMS imports the views.
    """

    class _JwtScheme(OpenApiAuthenticationExtension):
        """edx-drf-extensions' ``JwtAuthentication``: ``Authorization: JWT <token>`` (or the LMS's JWT cookie)."""

        target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
        name = "jwt"

        def get_security_definition(self, auto_schema):
            """An API key in the ``Authorization`` header, prefixed with ``JWT``."""
            return {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`JWT <token>`, a token signed by the LMS (edx-drf-extensions' JwtAuthentication).",
            }

    class _SessionScheme(OpenApiAuthenticationExtension):
        """The LMS session (``SessionAuthenticationAllowInactiveUser``)."""

        target_class = ("edx_rest_framework_extensions.auth.session.authentication."
                        "SessionAuthenticationAllowInactiveUser")
        name = "session"

        def get_security_definition(self, auto_schema):
            """The session cookie."""
            return {
                "type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The LMS session (unsafe methods need the CSRF token too).",
            }

    return _JwtScheme, _SessionScheme


def generate():
    """Return the OpenAPI document of ``urls.urlpatterns`` as a dict, with ``SPECTACULAR_SETTINGS``."""
    from competency_plugin.rest_api.v1 import urls  # pylint: disable=import-outside-toplevel

    _register_auth_schemes()
    with patched_settings(SPECTACULAR_SETTINGS):
        return SchemaGenerator(patterns=urls.urlpatterns).get_schema(request=None, public=True)


def render(document):
    """Return ``document`` as the YAML text committed in ``openapi.yaml``."""
    return OpenApiYamlRenderer().render(document, renderer_context={}).decode("utf-8")


def main(argv=None):
    """Write (``--write``) or check (``--check``) ``openapi.yaml``; print the YAML otherwise."""
    import django  # pylint: disable=import-outside-toplevel

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"write {SCHEMA_PATH.name}")
    group.add_argument("--check", action="store_true", help=f"fail when {SCHEMA_PATH.name} is out of date")
    options = parser.parse_args(argv)
    django.setup()
    text = render(generate())
    if options.write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
    elif options.check:
        if SCHEMA_PATH.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{SCHEMA_PATH} is out of date: run `make openapi`.\n")
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
