"""
The v1 REST API on frameworks: authentication (session and JWT), pagination, the tree, the
CASE export, the error body, and query counts that do not grow with the data.
"""
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from edx_rest_framework_extensions.auth.jwt.tests.utils import (
    generate_asymmetric_jwt_token,
    generate_jwt,
    generate_jwt_token,
    generate_latest_version_payload,
    generate_unversioned_payload,
)

from competency_plugin import api
from competency_plugin.frameworks.spec import CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.rest_api.exception_handlers import competency_exception_handler
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/competency/v1/frameworks/"


def tree_url(identifier):
    """URL of a framework's tree."""
    return f"{LIST_URL}{identifier}/"


def case_url(identifier):
    """URL of a framework's CASE export."""
    return f"{LIST_URL}{identifier}/case/"


def framework_spec(title="Référentiel", domains=2, competences_per_domain=2):
    """
    A framework with a three-value scale and ``domains`` domains, each holding
    ``competences_per_domain`` competences; the first competence of the first domain has an
    indicator. Nodes are given in reverse order to check that the tree follows ``sort_order``.
    """
    nodes = []
    for d in range(1, domains + 1):
        domain = CompetenceSpec(
            identifier=uuid.uuid4(), code=f"D{d}", title_fr=f"Domaine {d}", title_en=f"Domain {d}",
            item_type="Domain", sort_order=d,
        )
        nodes.append(domain)
        for c in range(1, competences_per_domain + 1):
            competence = CompetenceSpec(
                identifier=uuid.uuid4(), code=f"D{d}.{c}", title_fr=f"Compétence {d}.{c}",
                title_en=f"Competence {d}.{c}", item_type="Competence", parent=domain.identifier, sort_order=c,
            )
            nodes.append(competence)
            if d == 1 and c == 1:
                nodes.append(CompetenceSpec(
                    identifier=uuid.uuid4(), code="D1.1.a", title_fr="Indicateur a", title_en="Indicator a",
                    item_type="Indicator", parent=competence.identifier, sort_order=1,
                ))
    return FrameworkSpec(
        identifier=uuid.uuid4(), title_fr=title, title_en=f"{title} (en)",
        description_fr="Description en français", description_en="English description",
        version="1.0", publisher="Éditeur", licence="CC BY 4.0",
        levels=[
            LevelSpec(code="A", label_fr="Découverte", label_en="Awareness"),
            LevelSpec(code="B", label_fr="Appropriation", label_en="Adoption", proficient=True),
            LevelSpec(code="C", label_fr="Maîtrise", label_en="Mastery", proficient=True),
        ],
        competences=list(reversed(nodes)),
    )


def save(spec):
    """Store ``spec`` through the API and return it."""
    api.save_framework(spec)
    return spec


@pytest.fixture(name="user")
def _user():
    return UserFactory(username="reader", email="reader@example.com")


@pytest.fixture(name="signed_in")
def _signed_in(client, user):
    client.force_login(user)
    return client


def jwt_header(token):
    """The Authorization header Open edX clients send."""
    return {"HTTP_AUTHORIZATION": f"JWT {token}"}


# --- authentication -------------------------------------------------------------------------


def test_anonymous_gets_401_with_error_body(client):
    spec = save(framework_spec())
    for url in (LIST_URL, tree_url(spec.identifier), case_url(spec.identifier)):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("JWT")
        body = response.json()
        assert body["error"] == "not_authenticated"
        assert body["message"] and body["field_errors"] == {}


def test_session_user_gets_200(signed_in):
    spec = save(framework_spec())
    for url in (LIST_URL, tree_url(spec.identifier), case_url(spec.identifier)):
        assert signed_in.get(url).status_code == 200, url


def test_inactive_session_user_is_allowed(client, settings):
    # Like the LMS, keep sessions of accounts not yet activated; SessionAuthenticationAllowInactiveUser
    # then lets them read frameworks (DRF's SessionAuthentication would not).
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    client.force_login(UserFactory(is_active=False))
    assert client.get(LIST_URL).status_code == 200


@pytest.mark.parametrize("signing", ["asymmetric", "symmetric"])
def test_jwt_user_gets_200(client, user, signing):
    # The LMS signs with its RSA key (JWT_PRIVATE_SIGNING_JWK); older tokens with the shared secret.
    spec = save(framework_spec())
    if signing == "asymmetric":
        token = generate_asymmetric_jwt_token(generate_latest_version_payload(user))
    else:
        token = generate_jwt(user)
    for url in (LIST_URL, tree_url(spec.identifier), case_url(spec.identifier)):
        response = client.get(url, **jwt_header(token))
        assert response.status_code == 200, url
    assert response.wsgi_request.user == user


def test_jwt_of_unknown_user_authenticates_as_that_user(client):
    # As in the LMS's services: the JWT's preferred_username is trusted once the signature is checked.
    token = generate_jwt(UserFactory.build(username="from-lms", email="from-lms@example.com"))
    assert client.get(LIST_URL, **jwt_header(token)).status_code == 200


OTHER_SECRET = "another-secret-entirely-at-least-32-bytes"


def tampered_jwt(user, tamper):
    """A JWT for ``user`` that the API must refuse, broken the way ``tamper`` says."""
    payload = generate_unversioned_payload(user)
    if tamper == "wrong_audience":
        payload["aud"] = "someone-else"
    elif tamper == "wrong_issuer":
        payload["iss"] = "https://evil.example.com/oauth2"
    elif tamper == "expired":
        payload["iat"], payload["exp"] = int(time.time()) - 3600, int(time.time()) - 1800
    if tamper == "wrong_secret":
        return generate_jwt_token(payload, OTHER_SECRET)
    if tamper == "wrong_rsa_key":
        return jwt.encode(payload, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS512")
    if tamper == "unsigned":
        return jwt.encode(payload, None, algorithm="none")
    if tamper == "garbage":
        return "not.a.jwt"
    return generate_jwt_token(payload, django_settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"])


@pytest.mark.parametrize("tamper", [
    "wrong_secret", "wrong_rsa_key", "unsigned", "wrong_audience", "wrong_issuer", "expired", "garbage",
])
def test_invalid_jwt_gets_401(client, user, tamper):
    response = client.get(LIST_URL, **jwt_header(tampered_jwt(user, tamper)))
    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_invalid_jwt_is_not_rescued_by_session(client, user):
    # A bad Authorization header fails the request even when a session is open.
    client.force_login(user)
    assert client.get(LIST_URL, **jwt_header(tampered_jwt(user, "wrong_secret"))).status_code == 401


def test_write_methods_are_refused(signed_in):
    response = signed_in.post(LIST_URL, data={}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


# --- list and pagination ----------------------------------------------------------------------


def test_list_gives_summaries(signed_in):
    spec = save(framework_spec(title="CRCN"))
    body = signed_in.get(LIST_URL).json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    (summary,) = body["results"]
    assert summary["identifier"] == str(spec.identifier)
    assert summary["title_fr"] == "CRCN" and summary["title_en"] == "CRCN (en)"
    assert summary["description_fr"] == "Description en français"
    assert summary["description_en"] == "English description"
    assert summary["version"] == "1.0" and summary["licence"] == "CC BY 4.0"
    assert "competences" not in summary


def test_list_is_paginated_by_20(signed_in):
    for number in range(25):
        save(framework_spec(title=f"Référentiel {number:02d}", domains=1, competences_per_domain=1))
    first = signed_in.get(LIST_URL).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith(f"{LIST_URL}?page=2")

    second = signed_in.get(first["next"]).json()
    assert second["count"] == 25
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"].endswith(LIST_URL)

    listed = [item["identifier"] for item in first["results"] + second["results"]]
    assert len(set(listed)) == 25


@pytest.mark.parametrize("page", ["3", "0", "abc"])
def test_page_out_of_range_is_404_with_error_body(signed_in, page):
    save(framework_spec())
    response = signed_in.get(LIST_URL, {"page": page})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_list_query_count_does_not_grow_with_frameworks(signed_in, django_assert_max_num_queries):
    save(framework_spec(domains=1, competences_per_domain=1))
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(LIST_URL).status_code == 200
    for number in range(24):
        save(framework_spec(title=f"F{number}", domains=2, competences_per_domain=3))
    with django_assert_max_num_queries(len(few)):
        assert len(signed_in.get(LIST_URL).json()["results"]) == 20


# --- tree -------------------------------------------------------------------------------------


def test_tree_gives_metadata_scale_and_nested_competences(signed_in):
    spec = save(framework_spec())
    response = signed_in.get(tree_url(spec.identifier))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    tree = response.json()
    assert tree["identifier"] == str(spec.identifier)
    assert (tree["title_fr"], tree["title_en"]) == ("Référentiel", "Référentiel (en)")
    assert (tree["description_fr"], tree["description_en"]) == ("Description en français", "English description")
    assert [(level["code"], level["label_fr"], level["label_en"], level["proficient"]) for level in tree["levels"]] == [
        ("A", "Découverte", "Awareness", False),
        ("B", "Appropriation", "Adoption", True),
        ("C", "Maîtrise", "Mastery", True),
    ]

    domains = tree["competences"]
    assert [node["code"] for node in domains] == ["D1", "D2"]
    assert [node["code"] for node in domains[0]["children"]] == ["D1.1", "D1.2"]
    assert [node["code"] for node in domains[1]["children"]] == ["D2.1", "D2.2"]
    first = domains[0]["children"][0]
    assert (first["title_fr"], first["title_en"], first["item_type"]) == (
        "Compétence 1.1", "Competence 1.1", "Competence",
    )
    indicator = first["children"][0]
    assert indicator["code"] == "D1.1.a" and indicator["item_type"] == "Indicator"
    assert indicator["children"] == []
    by_code = {node.code: str(node.identifier) for node in spec.competences}
    assert indicator["identifier"] == by_code["D1.1.a"]
    assert domains[1]["identifier"] == by_code["D2"]


def test_tree_query_count_does_not_grow_with_competences(signed_in, django_assert_max_num_queries):
    small = save(framework_spec(domains=1, competences_per_domain=1))
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(tree_url(small.identifier)).status_code == 200
    large = save(framework_spec(title="Grand", domains=8, competences_per_domain=10))
    with django_assert_max_num_queries(len(few)):
        tree = signed_in.get(tree_url(large.identifier)).json()
    assert len(tree["competences"]) == 8
    assert sum(len(domain["children"]) for domain in tree["competences"]) == 80


# --- CASE export ------------------------------------------------------------------------------


def test_case_export_is_a_cfpackage(signed_in):
    spec = save(framework_spec())
    response = signed_in.get(case_url(spec.identifier))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    package = json.loads(response.content)
    assert package["CFDocument"]["identifier"] == str(spec.identifier)
    item_ids = {item["identifier"] for item in package["CFItems"]}
    assert item_ids == {str(node.identifier) for node in spec.competences}
    child_links = [assoc for assoc in package["CFAssociations"] if assoc["associationType"] == "isChildOf"]
    # One isChildOf per node: sub-nodes to their parent, domains to the document.
    assert len(child_links) == len(spec.competences)


@pytest.mark.parametrize("language, title", [("fr", "Référentiel"), ("en", "Référentiel (en)")])
def test_case_export_in_the_language_asked(signed_in, language, title):
    spec = save(framework_spec())
    package = signed_in.get(case_url(spec.identifier), {"language": language}).json()
    assert package["CFDocument"]["title"] == title
    assert package["CFDocument"]["language"] == language


def test_case_export_refuses_unknown_language_with_400(signed_in):
    spec = save(framework_spec())
    response = signed_in.get(case_url(spec.identifier), {"language": "de"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert body["message"]
    assert list(body["field_errors"]) == ["language"]


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url_for", [tree_url, case_url])
def test_unknown_identifier_is_404_with_error_body(signed_in, url_for):
    save(framework_spec())
    response = signed_in.get(url_for(uuid.uuid4()))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert body["message"]
    assert body["field_errors"] == {}


@pytest.mark.parametrize("url_for", [tree_url, case_url])
@pytest.mark.parametrize("identifier", ["not-a-uuid", "12345", "%20", "0" * 300, "'; DROP TABLE x; --"])
def test_malformed_identifier_is_404_not_500(signed_in, url_for, identifier):
    response = signed_in.get(url_for(identifier))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("error, status, code", [
    (api.CompetencyRequestError("Bad input.", {"title": ["Too long."]}), 400, "invalid"),
    (api.CompetencyNotFoundError("No such framework."), 404, "not_found"),
    (api.CompetencyPermissionDenied("Not yours."), 403, "forbidden"),
    (api.CompetencyConflictError("Changed meanwhile."), 409, "conflict"),
])
def test_api_errors_become_responses_with_the_error_body(error, status, code):
    response = competency_exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"error": code, "message": error.message, "field_errors": error.field_errors}


def test_internal_errors_say_only_that_the_service_failed():
    response = competency_exception_handler(api.CompetencyInternalError(), {})
    assert response.status_code == 500
    assert response.data["error"] == "internal" and response.data["message"]


def test_unexpected_exceptions_are_left_to_django():
    assert competency_exception_handler(ValueError("bug"), {}) is None
