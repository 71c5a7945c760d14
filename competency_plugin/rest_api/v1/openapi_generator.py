"""
Generate the OpenAPI description of the v1 REST API from its views and serializers, with drf-spectacular.

``generate()`` runs drf-spectacular's generator on ``urls.urlpatterns`` with this module's
``SPECTACULAR_SETTINGS``, patched in for the call only: the host's ``REST_FRAMEWORK`` and
``SPECTACULAR_SETTINGS`` (the LMS documents its own APIs with drf-yasg) are neither read nor changed.

The result is committed as ``openapi.yaml`` and served by ``schema/``. Regenerate it after changing a
view or a serializer (``make openapi``)::

    DJANGO_SETTINGS_MODULE=tests.settings python -m competency_plugin.rest_api.v1.openapi_generator --write

``--check`` exits with 1 when the committed file differs from what the code generates (the test
``tests/interfaces/test_openapi.py`` checks it too). Nothing of the plugin imports this module.
"""
import argparse
import functools
import sys

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings

from competency_plugin.rest_api.v1 import openapi

DESCRIPTION = """\
REST API of the competency plugin of the Open edX competency portfolio, mounted by the LMS
and Studio under `/api/competency/v1/`: competence frameworks, learners' attestation
eligibility, courses' attestation policies, the evidence awaiting review and the learner's
portfolio export.

Authentication: a JWT (`Authorization: JWT <token>`, or the LMS's JWT cookie) or the LMS
session. Texts meant for people (labels, messages) are in the caller's language
(`Accept-Language`, or the language the LMS activated). Every error has the same JSON body
(`Error`); a 503 (the database is busy) says in `Retry-After` when to try again.

This document is generated from the views and serializers (`competency_plugin/rest_api/v1/openapi_generator.py`).
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "Competency portfolio API",
    "VERSION": "1",
    "DESCRIPTION": DESCRIPTION,
    "LICENSE": {"name": "AGPL-3.0"},
    "SERVERS": [{"url": "/api/competency/v1"}],
    "TAGS": [
        {"name": "frameworks", "description": "Competence frameworks (reference data, for any signed-in user)."},
        {"name": "eligibility",
         "description": "Whether learners meet a course's attestation policy, and what they miss."},
        {"name": "policy", "description": "A course's attestation policy (course staff)."},
        {"name": "review", "description": "The evidence awaiting review in a course (course staff)."},
        {"name": "portfolio", "description": "The signed-in learner's own portfolio."},
        {"name": "schema", "description": "This description."},
    ],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "competency_plugin.rest_api.v1.openapi_generator.document_retry_after",
    ],
}


def document_retry_after(result, generator, request, public):  # pylint: disable=unused-argument
    """drf-spectacular post-processing hook: every 503 response has a ``Retry-After`` header."""
    for item in result.get("paths", {}).values():
        for described in item.values():
            response = described.get("responses", {}).get("503") if isinstance(described, dict) else None
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
    # Imported here: ``main`` sets Django up first (the views import the models).
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
    group.add_argument("--write", action="store_true", help=f"write {openapi.SCHEMA_PATH.name}")
    group.add_argument("--check", action="store_true", help=f"fail when {openapi.SCHEMA_PATH.name} is out of date")
    options = parser.parse_args(argv)
    django.setup()
    text = render(generate())
    if options.write:
        openapi.SCHEMA_PATH.write_text(text, encoding="utf-8")
    elif options.check:
        if openapi.SCHEMA_PATH.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{openapi.SCHEMA_PATH} is out of date: run `make openapi`.\n")
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
