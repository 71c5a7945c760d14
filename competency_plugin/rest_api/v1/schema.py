"""
``GET /api/competency/v1/schema/``: the OpenAPI 3 description of the v1 REST API.

The description is generated from the views and serializers by drf-spectacular
(``openapi.generate``) and committed as ``openapi.yaml`` beside this module; this view serves that
file, so the LMS answers with the document that was reviewed, whatever its own settings. A test
checks that the file is what the code generates, and that it is a valid OpenAPI document
describing every route of ``urls.py`` and nothing else.
"""
import functools

import yaml
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from competency_plugin.rest_api.v1.openapi import SCHEMA_PATH, operation
from competency_plugin.rest_api.v1.views import CompetencyAPIView

__all__ = ["OpenAPISchemaView", "SCHEMA_PATH", "load_schema"]


@functools.lru_cache(maxsize=1)
def load_schema():
    """Return the OpenAPI document as a dict (read once per process)."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class OpenAPISchemaView(CompetencyAPIView):
    """The OpenAPI description, as JSON; public, like the API's documentation."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @operation(
        tags=["schema"], operation_id="getSchema", summary="This OpenAPI description, as JSON", auth=[],
        description="The document generated from the views and serializers, for anyone (no authentication).",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The OpenAPI document.")},
    )
    def get(self, request):
        """Return the OpenAPI document."""
        return Response(load_schema())
