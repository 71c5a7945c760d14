"""
``GET /api/competency/v1/courses/{course_id}/evidence/``: who may read the course-wide queue,
its filters and pages, its error bodies, JWT and session authentication, and a query count
that does not grow with the queue.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt

from competency_plugin import api
from tests.factories import UserFactory
from tests.review.support import (
    COURSE,
    OTHER_COURSE,
    course_staff_of,
    decide,
    make_framework,
    submitted,
    usage_key,
)

pytestmark = pytest.mark.django_db


def queue_url(course=COURSE):
    """The queue's URL for ``course``."""
    return f"/api/competency/v1/courses/{course}/evidence/"


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


@pytest.fixture(name="owner")
def _owner():
    return UserFactory(username="amina")


@pytest.fixture(name="situation")
def _situation(owner, framework):
    return submitted(owner, framework, title="Séance <b>ombres</b>")


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_gets_401(client, situation):  # pylint: disable=unused-argument
    response = client.get(queue_url())
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("who", ["owner", "another learner"])
def test_learners_get_403_even_for_their_own_evidence(client, owner, situation, who):  # pylint: disable=unused-argument
    client.force_login(owner if who == "owner" else UserFactory(username="bruno"))
    with course_staff_of():
        response = client.get(queue_url())
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "permission_denied" and "results" not in body


def test_course_staff_read_the_queue(client, situation):
    staff = UserFactory(username="prof-durand")
    client.force_login(staff)
    with course_staff_of(staff):
        response = client.get(queue_url())
        elsewhere = client.get(queue_url(OTHER_COURSE))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    item = body["results"][0]
    assert item == {
        "uuid": str(situation.uuid),
        "usage_key": usage_key(),
        "block_name": "situations",  # no name recorded: its block id
        "learner": "amina",
        "title": "Séance <b>ombres</b>",
        "situation_type": "authentic",
        "status": "submitted",
        "version": 1,
        "submitted_at": item["submitted_at"],
        "unit_url": f"/courses/{COURSE}/jump_to/{usage_key()}",
        "situation_url": f"/courses/{COURSE}/jump_to/{usage_key()}#cpf-situation-{situation.uuid}",
    }
    assert body["course_name"] == COURSE, "outside the LMS the course key names the course"
    # Staff of one course are not staff of another.
    assert elsewhere.status_code == 403


def test_real_compat_lets_global_staff_in_and_course_roles_out_of_the_platform(client, situation):
    # Outside edx-platform compat knows no course roles: only global staff pass.
    client.force_login(UserFactory(username="prof-durand"))
    assert client.get(queue_url()).status_code == 403
    client.force_login(UserFactory(username="admin", is_staff=True))
    response = client.get(queue_url())
    assert response.status_code == 200
    assert response.json()["results"][0]["uuid"] == str(situation.uuid)


def test_jwt_authentication(client, situation):  # pylint: disable=unused-argument
    staff = UserFactory(username="prof-jwt")
    with course_staff_of(staff):
        response = client.get(queue_url(), HTTP_AUTHORIZATION=f"JWT {generate_jwt(staff)}")
        learner = client.get(queue_url(), HTTP_AUTHORIZATION=f"JWT {generate_jwt(UserFactory())}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert learner.status_code == 403


def test_write_methods_are_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.post(queue_url(), {}).status_code == 405
    assert client.delete(queue_url()).status_code == 405


# --- input errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("course_id", ["not-a-course", "course-v1:bad", "a+b"])
def test_invalid_course_id_is_a_400_field_error(client, course_id):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(queue_url(course_id))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and body["field_errors"]["course_id"]


def test_invalid_course_id_of_anonymous_is_still_401(client):
    assert client.get(queue_url("not-a-course")).status_code == 401


@pytest.mark.parametrize("query, field", [
    ("status=draft", "status"),
    ("status=submitted,bogus", "status"),
    ("usage_key=nonsense", "usage_key"),
    ("page=0", "page"),
    ("page=x", "page"),
    ("page_size=101", "page_size"),
    ("learner=" + "a" * 151, "learner"),
])
def test_invalid_filters_are_400_field_errors(client, query, field):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(f"{queue_url()}?{query}")
    assert response.status_code == 400
    assert list(response.json()["field_errors"]) == [field]


# --- filters and pages ------------------------------------------------------------------------


def test_filters(client, framework, owner, situation):
    reviewer = UserFactory(username="prof-durand", is_staff=True)
    bruno = UserFactory(username="bruno")
    other_block = submitted(bruno, framework, title="Atelier", block="other")
    accepted = submitted(owner, framework, title="Acceptée")
    decide(accepted, reviewer, framework)
    client.force_login(reviewer)

    def titles(query=None):
        response = client.get(queue_url(), query or {})
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["results"]]

    assert titles() == ["Atelier", "Séance <b>ombres</b>"]
    assert titles({"status": "accepted"}) == ["Acceptée"]
    assert titles({"status": ["accepted", "submitted"]}) == ["Acceptée", "Atelier", "Séance <b>ombres</b>"]
    assert titles({"status": "accepted,submitted"}) == titles({"status": ["accepted", "submitted"]})
    assert titles({"learner": "BRU"}) == ["Atelier"]
    assert titles({"usage_key": usage_key("other")}) == ["Atelier"]
    assert titles({"usage_key": usage_key("other", OTHER_COURSE)}) == []
    assert titles({"learner": "nobody"}) == []
    assert other_block.uuid


def test_pages(client, framework):
    client.force_login(UserFactory(is_staff=True))
    learner = UserFactory()
    for number in range(5):
        submitted(learner, framework, title=f"Séance {number}")
    first = client.get(f"{queue_url()}?page_size=2").json()
    assert (first["count"], first["page"], first["pages"]) == (5, 1, 3)
    assert [item["title"] for item in first["results"]] == ["Séance 4", "Séance 3"]
    last = client.get(f"{queue_url()}?page_size=2&page=3").json()
    assert [item["title"] for item in last["results"]] == ["Séance 0"]
    beyond = client.get(f"{queue_url()}?page_size=2&page=9").json()
    assert beyond["page"] == 3


# --- cost -----------------------------------------------------------------------------------


def _queries_for_queue(client, framework, learners, added, expected):
    for number in range(added):
        submitted(learners[number % len(learners)], framework, title=f"Séance {number}", block=f"b{number % 3}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url(), {"page_size": 100, "status": "submitted,accepted"})
    assert response.status_code == 200 and len(response.json()["results"]) == expected
    return len(queries)


def test_query_count_does_not_grow_with_the_queue(client, framework):
    staff = UserFactory(username="prof-durand")
    learners = [UserFactory() for _ in range(5)]
    client.force_login(staff)
    with course_staff_of(staff):
        ten = _queries_for_queue(client, framework, learners, 10, expected=10)
        fifty = _queries_for_queue(client, framework, learners, 40, expected=50)
    # The session, the user, then the queue's count and its page.
    assert ten == fifty <= 4
    assert api.review_queue(course_key=COURSE).count == 50
