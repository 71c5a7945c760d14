"""
The OpenAPI description of the v1 REST API.

It is generated from the views and serializers by drf-spectacular (``rest_api/v1/openapi_generator.py``) and
committed as ``openapi.yaml``: the committed file is what the code generates, whatever the host's
REST_FRAMEWORK and SPECTACULAR settings; it is a valid OpenAPI 3 document describing every route of
``rest_api/v1/urls.py`` with the methods its view answers (and nothing else), every error with the
one error body; it is served at ``schema/``; and what the views really answer matches it, no field
more, no field less.
"""
import copy
import json
import re
import uuid

import pytest
from django.test import override_settings
from django.urls import URLPattern
from openapi_schema_validator import OAS30ReadValidator
from openapi_spec_validator import validate

from competency_plugin.rest_api.v1 import openapi_generator as openapi
from competency_plugin.rest_api.v1 import urls
from competency_plugin.rest_api.v1.schema import SCHEMA_PATH, load_schema
from competency_plugin.rest_api.v1.views import CompetencyAPIView
from tests.attestation import support as attestation
from tests.factories import UserFactory
from tests.review import support as review_support

HTTP_METHODS = ("get", "put", "post", "patch", "delete")
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def routes():
    """{OpenAPI path: set of HTTP methods} of the views ``urls.py`` mounts."""
    described = {}
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        view = pattern.callback.view_class
        described[path] = {method for method in HTTP_METHODS if hasattr(view, method)}
    return described


def operations(document=None):
    """Yield (path, method, operation) of every operation of the document."""
    for path, item in (document or load_schema())["paths"].items():
        for method in sorted(set(item) & set(HTTP_METHODS)):
            yield path, method, item[method]


def walk(node, where="$"):
    """Yield (location, value) of every value of the document."""
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}[{index}]")


# --- the committed file is the generated one ---------------------------------------------------


def test_the_committed_file_is_what_the_code_generates():
    # After changing a view or a serializer: `make openapi` (see openapi_generator.py's docstring).
    assert SCHEMA_PATH.read_text(encoding="utf-8") == openapi.render(openapi.generate())


def test_the_check_command_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(openapi.openapi, "SCHEMA_PATH", tmp_path / "openapi.yaml")
    (tmp_path / "openapi.yaml").write_text(SCHEMA_PATH.read_text(encoding="utf-8").replace("3.0.3", "3.0.2"))
    assert openapi.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert openapi.main(["--write"]) == 0 and openapi.main(["--check"]) == 0
    assert (tmp_path / "openapi.yaml").read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")


@override_settings(
    # What a host such as the LMS sets for its own APIs (drf-yasg there): the plugin's document ignores it.
    REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.openapi.AutoSchema"},
    SPECTACULAR_SETTINGS={"TITLE": "The host's API", "SERVERS": [{"url": "/elsewhere"}],
                          "COMPONENT_SPLIT_REQUEST": True},
)
def test_the_host_settings_neither_change_the_document_nor_are_changed():
    assert openapi.generate() == load_schema()
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    assert settings.REST_FRAMEWORK == {"DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.openapi.AutoSchema"}
    assert settings.SPECTACULAR_SETTINGS["TITLE"] == "The host's API"


def test_the_views_carry_drf_spectacular_schema_themselves():
    from drf_spectacular.openapi import AutoSchema  # pylint: disable=import-outside-toplevel
    for pattern in urls.urlpatterns:
        view = pattern.callback.view_class
        assert issubclass(view, CompetencyAPIView) and isinstance(view.schema, AutoSchema), view


# --- the document --------------------------------------------------------------------------------


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
    for path, method, operation in operations():
        operation_ids.append(operation["operationId"])
        assert operation["summary"] and "200" in operation["responses"], (path, method)
        if operation.get("security"):  # the schema itself is public
            assert {"401", "503"} <= set(operation["responses"]), (path, method)
    assert len(operation_ids) == len(set(operation_ids))


def test_every_error_has_the_error_body_and_every_503_its_retry_after():
    assert load_schema()["components"]["schemas"]["Error"]["required"] == ["error", "field_errors", "message"]
    errors = 0
    for path, method, operation in operations():
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                errors += 1
                assert response["content"] == {"application/json": {"schema": ERROR_REF}}, (path, method, code)
                assert ("Retry-After" in response.get("headers", {})) == (code == "503"), (path, method, code)
    assert errors >= 20


def test_the_error_codes_of_the_policy_and_the_queue():
    paths = load_schema()["paths"]
    assert set(paths["/courses/{course_id}/policy/"]["put"]["responses"]) == {
        "200", "201", "400", "401", "403", "404", "413", "503"}
    assert set(paths["/courses/{course_id}/evidence/"]["get"]["responses"]) == {"200", "400", "401", "403", "503"}


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


# --- what the views answer matches the document ------------------------------------------------


def closed(components):
    """The components with no property beyond those listed: an undocumented field fails validation."""
    components = copy.deepcopy(components)
    for _, node in walk(components):
        if isinstance(node, dict) and node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
    return components


def check(response, path, method="get"):
    """Validate ``response``'s JSON body against what the document says ``method`` ``path`` answers."""
    document = load_schema()
    described = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = dict(described["content"]["application/json"]["schema"], components=closed(document["components"]))
    OAS30ReadValidator(schema).validate(response.json())
    return response.json()


def check_request(body, path, method):
    """Validate the JSON ``body`` against the request body the document describes for ``method`` ``path``."""
    document = load_schema()
    described = document["paths"][path][method]["requestBody"]
    assert set(described["content"]) == {"application/json"}
    schema = dict(described["content"]["application/json"]["schema"], components=closed(document["components"]))
    OAS30ReadValidator(schema).validate(body)  # the document's inputs have no read-only field
    return body


@pytest.fixture(name="admin")
def _admin(client):
    user = UserFactory(username="admin", is_staff=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_framework_answers_match_the_document(client, admin):  # pylint: disable=unused-argument
    framework = attestation.Framework()
    page = check(client.get("/api/competency/v1/frameworks/"), "/frameworks/")
    assert page["count"] >= 1
    tree = check(client.get(f"/api/competency/v1/frameworks/{framework.identifier}/"), "/frameworks/{identifier}/")
    assert tree["competences"][0]["children"]  # nested nodes are checked too
    check(client.get(f"/api/competency/v1/frameworks/{uuid.uuid4()}/"), "/frameworks/{identifier}/")  # 404
    check(client.get(f"/api/competency/v1/frameworks/{framework.identifier}/case/?language=de"),
          "/frameworks/{identifier}/case/")  # 400


@pytest.mark.django_db
def test_the_eligibility_and_policy_answers_match_the_document(
        client, admin, django_capture_on_commit_callbacks):  # pylint: disable=unused-argument
    framework = attestation.Framework()
    learner = attestation.make_user("amina")
    attestation.situation(learner, framework, "3.1")
    base = f"/api/competency/v1/courses/{attestation.COURSE}"
    body = {"framework": str(framework.identifier),
            "requirements": [{"competence": framework.id("3"), "min_validated": 1, "min_authentic": 1}]}
    check_request(body, "/courses/{course_id}/policy/", "put")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.put(f"{base}/policy/", data=json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    check(created, "/courses/{course_id}/policy/", "put")
    check(client.get(f"{base}/policy/"), "/courses/{course_id}/policy/")
    invalid = client.put(f"{base}/policy/", data=json.dumps({"requirements": [{}]}), content_type="application/json")
    assert check(invalid, "/courses/{course_id}/policy/", "put")["field_errors"]
    report = check(client.get(f"{base}/eligibility/amina/"), "/courses/{course_id}/eligibility/{username}/")
    assert report["requirements"]
    page = check(client.get(f"{base}/eligibility/"), "/courses/{course_id}/eligibility/")
    assert page["results"] and page["next"] is None
    client.logout()
    check(client.get(f"{base}/policy/"), "/courses/{course_id}/policy/")  # 401


@pytest.mark.django_db
def test_the_review_queue_answers_match_the_document(client, admin):  # pylint: disable=unused-argument
    framework = review_support.make_framework()
    review_support.submitted(UserFactory(username="amina"), framework)
    url = f"/api/competency/v1/courses/{review_support.COURSE}/evidence/"
    assert check(client.get(url), "/courses/{course_id}/evidence/")["results"]
    check(client.get(url + "?status=lost"), "/courses/{course_id}/evidence/")  # 400
