"""
The REST API on eligibility and policies: who may read and change what, the reports in the
caller's language, pagination, the CSV download, and policy changes through PUT.
"""
import csv
import io
import json
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt

from competency_plugin.models import AttestationPolicyVersion, EligibilityRecord
from competency_plugin.platform import compat
from tests.attestation.support import (
    COURSE,
    Framework,
    bulk_portfolios,
    make_user,
    programme_policy,
    simple_policy,
    situation,
)

pytestmark = pytest.mark.django_db

OTHER_COURSE = "course-v1:Demo+Other+2026"
BASE = "/api/competency/v1/courses"


def learner_url(username, course=COURSE):
    """URL of one learner's report."""
    return f"{BASE}/{course}/eligibility/{username}/"


def course_url(course=COURSE):
    """URL of the course's reports."""
    return f"{BASE}/{course}/eligibility/"


def policy_url(course=COURSE):
    """URL of the course's policy."""
    return f"{BASE}/{course}/policy/"


@pytest.fixture(name="framework")
def _framework():
    return Framework()


@pytest.fixture(name="people", autouse=True)
def _people():
    """amina (the learner), bruno (another learner), teacher (staff of COURSE only), admin (global staff)."""
    real = compat.is_course_staff
    people = {name: make_user(name) for name in ("amina", "bruno", "teacher")}
    people["admin"] = make_user("admin", is_staff=True)
    with mock.patch.object(compat, "is_course_staff", autospec=True,
                           side_effect=lambda user, key: (user.username == "teacher" and str(key) == COURSE)
                           or real(user, key)):
        yield people


def get(client, url, who=None, language="en", **extra):
    """GET ``url`` as ``who`` (a username; None: anonymous) with the session."""
    client.logout()
    if who:
        client.force_login(_user(who))
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **extra)


def _user(username):
    return get_user_model().objects.get(username=username)


def put(client, url, body, who, language="en"):
    """PUT ``body`` as JSON to ``url`` as ``who``."""
    client.logout()
    if who:
        client.force_login(_user(who))
    return client.put(url, data=json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def csv_rows(response):
    """The rows of a streamed CSV response."""
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


# --- who may read and change what -------------------------------------------------------------

MATRIX = [
    # who, learner report (amina's), course reports, policy
    (None, 401, 401, 401),
    ("bruno", 403, 403, 403),
    ("amina", 200, 403, 403),
    ("teacher", 200, 200, 200),
    ("admin", 200, 200, 200),
]


@pytest.mark.parametrize("who, own, listing, policy", MATRIX)
def test_permission_matrix(client, framework, who, own, listing, policy):
    simple_policy(framework)
    assert get(client, learner_url("amina"), who).status_code == own
    assert get(client, course_url(), who).status_code == listing
    assert get(client, course_url(), who, data={"format": "csv"}).status_code == listing
    assert get(client, policy_url(), who).status_code == policy
    body = {"framework": str(framework.identifier), "requirements": [{"competence": framework.id("6")}]}
    assert put(client, policy_url(), body, who).status_code == policy


def test_staff_of_another_course_is_refused(client, framework):
    simple_policy(framework, course=OTHER_COURSE)
    for url in (learner_url("amina", OTHER_COURSE), course_url(OTHER_COURSE), policy_url(OTHER_COURSE)):
        response = get(client, url, "teacher")
        assert response.status_code == 403
        assert response.json()["error"] == "permission_denied"


def test_errors_have_the_standard_body(client):
    response = get(client, course_url(), None, data={"format": "csv"})
    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error", "message", "field_errors"}


def test_unknown_learner_is_404_for_staff_and_403_for_learners(client):
    assert get(client, learner_url("nobody"), "teacher").status_code == 404
    assert get(client, learner_url("nobody"), "bruno").status_code == 403


def test_invalid_course_id_is_a_400_naming_course_id(client):
    for response in (get(client, learner_url("amina", "not-a-course"), "amina"),
                     get(client, course_url("not-a-course"), "admin"),
                     get(client, policy_url("not-a-course"), "admin")):
        assert response.status_code == 400
        assert response.json()["error"] == "invalid" and response.json()["field_errors"]["course_id"]
    assert get(client, policy_url("not-a-course"), None).status_code == 401


def test_jwt_authentication(client, framework, people):
    simple_policy(framework)
    client.logout()
    response = client.get(learner_url("amina"), HTTP_AUTHORIZATION=f"JWT {generate_jwt(people['amina'])}")
    assert response.status_code == 200 and response.json()["username"] == "amina"
    response = client.get(course_url(), HTTP_AUTHORIZATION=f"JWT {generate_jwt(people['amina'])}")
    assert response.status_code == 403


# --- reports ----------------------------------------------------------------------------------

def test_learner_report_in_the_callers_language(client, framework, people):
    programme_policy(framework)
    situation(people["amina"], framework, "3.1")
    body = get(client, learner_url("amina"), "amina").json()
    assert (body["username"], body["course_key"], body["eligible"], body["policy_version"]) == (
        "amina", COURSE, False, 1,
    )
    aspect3 = body["requirements"][0]
    assert aspect3 == {
        "key": framework.id("3"), "label": "3 Aspect 3 (en)", "have": 1, "need": 2, "have_authentic": 1,
        "need_authentic": 1, "met": False,
    }
    assert body["missing"][0] == "3 Aspect 3 (en): 1 more validated situation needed."
    body = get(client, learner_url("amina"), "teacher", language="fr").json()
    assert body["requirements"][0]["label"] == "3 Aspect 3 (fr)"
    assert "situation probante" in body["missing"][0]


def test_report_without_policy(client):
    body = get(client, learner_url("amina"), "amina").json()
    assert body["has_policy"] is False and body["eligible"] is False
    assert body["missing"] == ["This course has no attestation policy."]


def test_course_reports_are_paginated(client, framework):
    programme_policy(framework)
    bulk_portfolios(framework, 60, prefix="p")
    body = get(client, course_url(), "teacher").json()
    assert body["count"] == 60 and len(body["results"]) == 50 and body["next"] and body["previous"] is None
    assert [report["username"] for report in body["results"]][:2] == ["p00000", "p00001"]
    assert [report["eligible"] for report in body["results"]][:2] == [True, False]
    body = get(client, course_url(), "teacher", data={"page": 2}).json()
    assert len(body["results"]) == 10 and body["next"] is None
    body = get(client, course_url(), "teacher", data={"page_size": 7, "page": 3}).json()
    assert [report["username"] for report in body["results"]] == [f"p{index:05d}" for index in range(14, 21)]
    assert get(client, course_url(), "teacher", data={"page": 9}).status_code == 404


def test_course_reports_include_enrolled_learners_without_evidence(client, framework, people):
    simple_policy(framework)
    situation(people["amina"], framework, "3.1")
    with mock.patch.object(compat, "enrolled_learners", return_value=[(people["bruno"].id, "bruno")]) as enrolled:
        body = get(client, course_url(), "teacher").json()
    assert str(enrolled.call_args.args[0]) == COURSE
    assert [(report["username"], report["eligible"]) for report in body["results"]] == [
        ("amina", True), ("bruno", False),
    ]


# --- CSV --------------------------------------------------------------------------------------

def test_csv_in_english(client, framework, people):
    programme_policy(framework)
    for code in ("3.1", "3.2", "6.1", "6.2"):
        situation(people["amina"], framework, code)
    situation(people["bruno"], framework, "6.1", situation_type="training")
    response = get(client, course_url(), "teacher", data={"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    header, *rows = csv_rows(response)
    assert header == [
        "Username", "Eligible", "Policy version",
        "3 Aspect 3 (en)", "3 Aspect 3 (en) (authentic situations)",
        "6 Aspect 6 (en)", "6 Aspect 6 (en) (authentic situations)", "Missing",
    ]
    assert rows == [
        ["amina", "yes", "1", "2/2", "2/1", "2/2", "2/1", ""],
        ["bruno", "no", "1", "0/2", "0/1", "1/2", "0/1", " ; ".join([
            "3 Aspect 3 (en): 2 more validated situations needed.",
            "3 Aspect 3 (en): 1 more validated authentic situation needed.",
            "6 Aspect 6 (en): 1 more validated situation needed.",
            "6 Aspect 6 (en): 1 more validated authentic situation needed.",
        ])],
    ]


def test_csv_in_french(client, framework, people):
    programme_policy(framework)
    situation(people["amina"], framework, "3.1")
    response = get(client, course_url(), "teacher", language="fr", data={"format": "csv"})
    header, row = csv_rows(response)
    assert header == [
        "Nom d’utilisateur", "Admissible", "Version de la règle",
        "3 Aspect 3 (fr)", "3 Aspect 3 (fr) (situations authentiques)",
        "6 Aspect 6 (fr)", "6 Aspect 6 (fr) (situations authentiques)", "Manquant",
    ]
    assert row[:7] == ["amina", "non", "1", "1/2", "1/1", "0/2", "0/1"]
    assert row[7].startswith("3 Aspect 3 (fr) : il manque 1 situation probante.")


def test_csv_by_accept_header_and_without_policy(client, people):
    make_user("=cmd")  # a username a spreadsheet would read as a formula
    enrolled = [(people["bruno"].id, "bruno"), (_user("=cmd").id, "=cmd")]
    with mock.patch.object(compat, "enrolled_learners", return_value=enrolled):
        response = get(client, course_url(), "admin", HTTP_ACCEPT="text/csv")
    assert csv_rows(response) == [
        ["Username", "Eligible", "Policy version", "Missing"],
        ["'=cmd", "no", "0", "This course has no attestation policy."],
        ["bruno", "no", "0", "This course has no attestation policy."],
    ]


# --- policy -----------------------------------------------------------------------------------

def test_policy_get_put(client, framework, people, django_capture_on_commit_callbacks):
    situation(people["amina"], framework, "3.1")
    assert get(client, policy_url(), "teacher").status_code == 404
    body = {
        "framework": str(framework.identifier),
        "requirements": [{"competence": framework.id("3"), "min_validated": 1, "min_authentic": 1}],
        "certificate_gate": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = put(client, policy_url(), body, "teacher")
    assert response.status_code == 201
    created = response.json()
    assert (created["version"], created["course_key"], created["certificate_gate"]) == (1, COURSE, True)
    assert created["requirements"] == [{
        "competence": framework.id("3"), "code": "3", "title_fr": "Aspect 3 (fr)", "title_en": "Aspect 3 (en)",
        "min_validated": 1, "min_authentic": 1,
    }]
    # The change is recorded with its author, and the learners' eligibility recomputed after commit.
    assert list(AttestationPolicyVersion.objects.values_list("version", "changed_by__username")) == [(1, "teacher")]
    assert list(EligibilityRecord.objects.values_list("user__username", "eligible", "policy_version")) == [
        ("amina", True, 1),
    ]
    body["requirements"][0]["competence"] = framework.id("6")
    with django_capture_on_commit_callbacks(execute=True):
        response = put(client, policy_url(), body, "admin")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert get(client, policy_url(), "teacher").json() == response.json()
    assert list(EligibilityRecord.objects.values_list("eligible", "policy_version")) == [(False, 2)]


@pytest.mark.parametrize("change, field", [
    ({"requirements": []}, "requirements"),
    ({"requirements": [{"competence": "nope"}]}, "requirements"),
    ({"requirements": [{"competence": "3", "min_validated": 1, "min_authentic": 2}]}, "requirements"),
    ({"min_level": "Z"}, "min_level"),
    ({"min_authentic": -1}, "min_authentic"),
    ({"framework": "00000000-0000-0000-0000-000000000000"}, "framework"),
    ({"requirements": "x"}, "requirements"),
    ({"framework": None}, "framework"),
])
def test_invalid_policy_is_refused(client, framework, change, field):
    body = {"framework": str(framework.identifier), "requirements": [{"competence": framework.id("3")}]}
    body.update(change)
    if body["requirements"] and isinstance(body["requirements"], list) and body["requirements"][0]["competence"] == "3":
        body["requirements"][0]["competence"] = framework.id("3")
    response = put(client, policy_url(), body, "teacher")
    assert response.status_code == 400
    assert field in response.json()["field_errors"]
    assert not AttestationPolicyVersion.objects.exists()


def test_policy_errors_in_french(client, framework):
    body = {"framework": str(framework.identifier), "requirements": []}
    response = put(client, policy_url(), body, "teacher", language="fr")
    assert response.json()["field_errors"]["requirements"] == ["Ajoutez au moins un domaine ou une compétence requis."]
