"""
The staff's course-wide review page ``/competency/courses/{course_id}/review/``: who may see it,
what it lists (escaped, in French or English), its filters, pages and unit links, and a query
count that does not grow with the queue.
"""
import re
from html import unescape
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio_xblock.runtime_context import block_keys
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


def page_url(course=COURSE):
    """The page's URL for ``course``."""
    return f"/competency/courses/{course}/review/"


def rows(response):
    """The ``data-uuid`` of each listed line, in order."""
    return re.findall(r'<tr data-uuid="([^"]+)"', response.content.decode())


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


@pytest.fixture(name="owner")
def _owner():
    return UserFactory(username="amina")


@pytest.fixture(name="situation")
def _situation(owner, framework):
    return submitted(owner, framework, title="Séance <script>alert(1)</script>")


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, situation):  # pylint: disable=unused-argument
    response = client.get(page_url())
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]


@pytest.mark.parametrize("who", ["owner", "another learner"])
def test_learners_get_a_403_page(client, owner, situation, who):
    client.force_login(owner if who == "owner" else UserFactory(username="bruno"))
    with course_staff_of():
        response = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Access denied" in content and str(situation.uuid) not in content and "Séance" not in content


def test_course_staff_see_the_course_queue_only(client, situation):
    staff = UserFactory(username="prof-durand")
    client.force_login(staff)
    with course_staff_of(staff):
        response = client.get(page_url())
        elsewhere = client.get(page_url(OTHER_COURSE))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert rows(response) == [str(situation.uuid)]
    assert elsewhere.status_code == 403


def test_global_staff_see_it_with_the_real_compat(client, situation):
    client.force_login(UserFactory(username="prof-sans-role"))
    assert client.get(page_url()).status_code == 403
    client.force_login(UserFactory(username="admin", is_staff=True))
    response = client.get(page_url())
    assert response.status_code == 200 and rows(response) == [str(situation.uuid)]


def test_invalid_course_id_is_a_400_as_in_the_rest_api(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/competency/courses/not+a+course/review/").status_code == 400


# --- content --------------------------------------------------------------------------------


def test_lines_are_escaped_and_link_to_their_unit(client, situation):
    client.force_login(UserFactory(is_staff=True))
    content = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "Séance &lt;script&gt;alert(1)&lt;/script&gt;" in content
    link = re.search(r'<a href="([^"]+)" data-role="unit-link">', content).group(1)
    assert unescape(link) == f"/courses/{COURSE}/jump_to/{usage_key()}#cpf-situation-{situation.uuid}"
    assert "amina" in content and "1 situation found." in content


def test_unit_links_come_from_compat(client, situation):  # pylint: disable=unused-argument
    client.force_login(UserFactory(is_staff=True))
    with mock.patch("competency_plugin.platform.compat.jump_to_url", return_value="/lms/unit?x=1&y=2") as jump_to:
        content = client.get(page_url()).content.decode()
    assert re.search(r'href="/lms/unit\?x=1&amp;y=2#cpf-situation-[0-9a-f-]{36}"', content)
    course_key, block = jump_to.call_args.args
    assert (str(course_key), block) == (COURSE, usage_key())


def test_page_in_french_and_english(client, situation):  # pylint: disable=unused-argument
    client.force_login(UserFactory(is_staff=True))
    french = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in french
    assert "Situations à évaluer" in french and "Ouvrir la situation" in french and "1 situation trouvée." in french
    english = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in english
    assert "Evidence to review" in english and "Open the situation" in english
    arabic = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic and "الأدلة المطلوب مراجعتها" in arabic and "فتح الوضعية" in arabic


def test_page_is_accessible_markup(client, situation):  # pylint: disable=unused-argument
    client.force_login(UserFactory(is_staff=True))
    content = client.get(page_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Every form control has its label; the table has headers; the count is announced.
    for control in re.findall(r'<(?:input|select)[^>]*id="([^"]+)"', content):
        assert f'for="{control}"' in content
    assert "<legend>Status</legend>" in content
    assert content.count('<th scope="col">') == 7 and '<th scope="row">' in content
    assert 'role="status"' in content and "<main>" in content and "<h1>" in content


# --- filters and pages ------------------------------------------------------------------------


def test_filters(client, framework, owner, situation):
    reviewer = UserFactory(is_staff=True)
    bruno = UserFactory(username="bruno")
    workshop = submitted(bruno, framework, title="Atelier", block="other")
    accepted = submitted(owner, framework, title="Acceptée")
    decide(accepted, reviewer, framework)
    client.force_login(reviewer)

    def listed(query=None):
        response = client.get(page_url(), query or {})
        assert response.status_code == 200
        return rows(response)

    assert listed() == [str(workshop.uuid), str(situation.uuid)]
    assert listed({"status": "accepted"}) == [str(accepted.uuid)]
    every = [str(accepted.uuid), str(workshop.uuid), str(situation.uuid)]
    assert listed({"status": ["accepted", "submitted"]}) == every
    assert listed({"learner": "BRU"}) == [str(workshop.uuid)]
    assert listed({"usage_key": usage_key("other")}) == [str(workshop.uuid)]
    # Unknown values are ignored rather than failing: the default filters apply.
    assert listed({"status": "draft", "usage_key": "nonsense", "page": "x"}) == listed()
    content = client.get(page_url(), {"usage_key": usage_key("other"), "status": "accepted"}).content.decode()
    assert f'<option value="{usage_key("other")}" selected>other</option>' in content
    assert 'value="accepted" checked' in content and 'value="submitted" checked' not in content


def test_pages_keep_the_filters(client, framework):
    client.force_login(UserFactory(is_staff=True))
    learner = UserFactory(username="camille")
    made = [submitted(learner, framework, title=f"Séance {number}") for number in range(27)]
    first = client.get(page_url(), {"learner": "cam"}, HTTP_ACCEPT_LANGUAGE="en")
    content = first.content.decode()
    assert rows(first) == [str(item.uuid) for item in reversed(made)][:25]
    assert "Page 1 of 2" in content and 'rel="prev"' not in content
    next_url = unescape(re.search(r'<a href="([^"]+)" rel="next">', content).group(1))
    assert next_url == "?status=submitted&learner=cam&page=2"
    second = client.get(page_url() + next_url)
    assert rows(second) == [str(made[1].uuid), str(made[0].uuid)]
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def _page_queries(client, framework, learners, added):
    for number in range(added):
        submitted(learners[number % len(learners)], framework, title=f"Séance {number}", block=f"b{number % 3}")
    client.get(page_url())  # the course's blocks are cached from here on, as between requests
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(), {"status": "submitted"})
    assert response.status_code == 200
    return len(queries), len(rows(response))


def test_query_count_does_not_grow_with_the_queue(client, framework):
    staff = UserFactory(username="prof-durand")
    learners = [UserFactory() for _ in range(5)]
    client.force_login(staff)
    with course_staff_of(staff):
        ten, listed_ten = _page_queries(client, framework, learners, 10)
        fifty, listed_fifty = _page_queries(client, framework, learners, 40)
    assert (listed_ten, listed_fifty) == (10, 25)
    assert ten == fifty


def test_demo_signs_in_the_student_named(client, situation):
    # The demo has no login page: ``?student=staff…`` signs in a staff member, as in the scenarios.
    response = client.get(page_url(), {"student": "staff_ana"})
    assert response.status_code == 200 and rows(response) == [str(situation.uuid)]
    assert client.get(page_url(), {"student": "amina"}).status_code == 403


def test_demo_unit_links_open_the_scenario_holding_the_block(client, make_scenario):
    """The demo stands in for the LMS's ``jump_to``: the staff page's unit links open the block's scenario."""
    scenario = make_scenario('<portfolio display_name="Un"/>', '<portfolio display_name="Deux"/>')
    course, usage = block_keys(scenario.block(index=1))
    client.force_login(UserFactory(username="staff_ana", is_staff=True))
    response = client.get(f"/courses/{course}/jump_to/{usage}")
    assert response.status_code == 302
    assert response["Location"] == f"/scenario/{scenario.name}/?student=staff_ana"
    assert client.get(f"/courses/{course}/jump_to/{usage}x").status_code == 404
