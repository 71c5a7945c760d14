"""
``GET /api/competency/v1/schema/``: the OpenAPI 3 description of the v1 REST API.

The description is written by hand in ``openapi.yaml`` beside this module, so that it says what
the views really do (permissions, error bodies, CSV); a test checks it is a valid OpenAPI
document that describes every route of ``urls.py`` and nothing else.
"""
import functools
from pathlib import Path

import yaml
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from competency_plugin.rest_api.v1.views import CompetencyAPIView

SCHEMA_PATH = Path(__file__).with_name("openapi.yaml")


@functools.lru_cache(maxsize=1)
def load_schema():
    """Return the OpenAPI document as a dict (read once per process)."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class OpenAPISchemaView(CompetencyAPIView):
    """The OpenAPI description, as JSON; public, like the API's documentation."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request):
        """Return the OpenAPI document."""
        return Response(load_schema())
