"""
The OpenAPI description of the v1 REST API: a valid OpenAPI 3 document, describing every route of
``rest_api/v1/urls.py`` with the methods its view answers (and nothing else), served at ``schema/``.
"""
import re

import pytest
from django.urls import URLPattern
from openapi_spec_validator import validate

from competency_plugin.rest_api.v1 import urls
from competency_plugin.rest_api.v1.schema import SCHEMA_PATH, load_schema

HTTP_METHODS = ("get", "put", "post", "patch", "delete")


def routes():
    """{OpenAPI path: set of HTTP methods} of the views ``urls.py`` mounts."""
    described = {}
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        view = pattern.callback.view_class
        described[path] = {method for method in HTTP_METHODS if hasattr(view, method)}
    return described


def walk(node, where="$"):
    """Yield (location, value) of every value of the document."""
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}[{index}]")


def test_the_document_is_valid_openapi_3():
    document = load_schema()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_route_is_described_with_its_methods():
    described = {
        path: {method for method in item if method in HTTP_METHODS} for path, item in load_schema()["paths"].items()
    }
    assert described == routes()


def test_every_operation_has_an_id_a_summary_and_its_error_responses():
    operation_ids = []
    for path, item in load_schema()["paths"].items():
        for method in set(item) & set(HTTP_METHODS):
            operation = item[method]
            operation_ids.append(operation["operationId"])
            assert operation["summary"] and "200" in operation["responses"], (path, method)
            if operation.get("security") != []:
                assert "401" in operation["responses"], (path, method)
    assert len(operation_ids) == len(set(operation_ids))


def test_no_value_is_lost_to_yaml():
    # A comma or colon in an unquoted flow value splits it into a key with no value.
    assert [where for where, value in walk(load_schema()) if value is None] == []


def test_the_file_ships_with_the_package():
    assert SCHEMA_PATH.parent.name == "v1" and SCHEMA_PATH.is_file()


@pytest.mark.django_db
def test_the_schema_endpoint_serves_the_document_to_anyone(client):
    response = client.get("/api/competency/v1/schema/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == load_schema()
