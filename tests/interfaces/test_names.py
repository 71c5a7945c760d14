"""
Names instead of ids (issue 16): the course queue (REST and staff page) names each portfolio block
by the display name recorded at a submission and the course by the LMS's course overview; the
learner tab's subtitle is the course's name. The course overview is the LMS's, stood in for by
``tests.platform_doubles.course_overviews`` (a copy of ``CourseOverview.get_from_id`` of
``openedx/core/djangoapps/content/course_overviews/models.py``); the key stands in when it is absent.
"""
import logging
import re

import pytest
from lxml import html

from competency_plugin import api
from competency_plugin.platform import compat
from tests.factories import UserFactory
from tests.platform_doubles import course_overviews, installed
from tests.review.support import COURSE, make_framework, usage_key

pytestmark = pytest.mark.django_db

OVERVIEWS = "openedx.core.djangoapps.content.course_overviews.models"


@pytest.fixture(name="lms_overviews")
def fixture_lms_overviews():
    """The LMS's course overviews (the double), holding COURSE's, named as its team named it."""
    course_overviews.CourseOverview.objects.create(id=COURSE, display_name="Pédagogie & TIC — session 2026")
    with installed(**{OVERVIEWS: course_overviews}):
        yield
    course_overviews.BROKEN_COURSES.clear()


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


def submit(user, framework, *, block="situations", block_name=None, title="Séance de géométrie"):
    """Draft and submit a situation in ``block``, the block naming itself ``block_name``."""
    evidence = api.save_draft(
        user_id=user.id, course_key=COURSE, usage_key=usage_key(block),
        data={"title": title, "situation_type": "authentic", "description": "Contexte.", "analysis": "Analyse."},
        claims=[{"competence": framework["D1.1"], "justification": "Parce que."}],
        framework_identifier=framework["framework"],
    )
    return api.submit_evidence(user_id=user.id, evidence_uuid=evidence.uuid, block_name=block_name)


# --- the course's name ---------------------------------------------------------------------------


def test_course_name_comes_from_the_lms_course_overview(lms_overviews):  # pylint: disable=unused-argument
    assert compat.course_display_name(COURSE) == "Pédagogie & TIC — session 2026"
    assert api.course_name(COURSE) == "Pédagogie & TIC — session 2026"


def test_course_key_stands_in_for_an_unknown_unnamed_or_unloadable_course(lms_overviews, caplog):  # noqa
    # pylint: disable=unused-argument
    assert compat.course_display_name("course-v1:Demo+Unknown+2026") == "course-v1:Demo+Unknown+2026"
    course_overviews.CourseOverview.objects.create(id="course-v1:Demo+Unnamed+2026", display_name=None)
    assert compat.course_display_name("course-v1:Demo+Unnamed+2026") == "course-v1:Demo+Unnamed+2026"
    course_overviews.BROKEN_COURSES.add("course-v1:Demo+Broken+2026")
    with caplog.at_level(logging.WARNING, logger="competency_plugin.platform.compat"):
        assert compat.course_display_name("course-v1:Demo+Broken+2026") == "course-v1:Demo+Broken+2026"
    assert "could not load the course" in caplog.text


def test_outside_the_lms_the_course_key_is_the_name():
    assert compat.course_display_name(COURSE) == COURSE


# --- the blocks' names -----------------------------------------------------------------------------


def test_a_submission_records_its_blocks_name_and_the_queue_shows_it(framework):
    learner = UserFactory(username="amina")
    first = submit(learner, framework, block_name="Portfolio : séquences en classe")
    unnamed = submit(learner, framework, block="other", block_name=None)
    page = api.review_queue(course_key=COURSE)
    names = {item.uuid: item.block_name for item in page.items}
    assert names == {first.uuid: "Portfolio : séquences en classe", unnamed.uuid: "other"}, "block id as fallback"
    assert api.review_blocks(course_key=COURSE) == [
        (usage_key("other"), "other"), (usage_key(), "Portfolio : séquences en classe")]


def test_the_name_follows_the_blocks_latest_submission(framework):
    submit(UserFactory(username="amina"), framework, block_name="Ancien nom")
    submit(UserFactory(username="bruno"), framework, block_name="  Nouveau nom  ")
    assert {item.block_name for item in api.review_queue(course_key=COURSE).items} == {"Nouveau nom"}


def test_a_blank_name_falls_back_to_the_block_id(framework):
    submit(UserFactory(username="amina"), framework, block_name="   ")
    assert api.review_queue(course_key=COURSE).items[0].block_name == "situations"


# --- REST, staff page and learner tab ----------------------------------------------------------------


def test_rest_queue_names_the_course_and_the_blocks(client, framework, lms_overviews):  # pylint: disable=W0613
    situation = submit(UserFactory(username="amina"), framework, block_name="Portfolio de la séquence 1")
    client.force_login(UserFactory(username="admin", is_staff=True))
    body = client.get(f"/api/competency/v1/courses/{COURSE}/evidence/").json()
    assert body["course_name"] == "Pédagogie & TIC — session 2026"
    item = body["results"][0]
    assert item["block_name"] == "Portfolio de la séquence 1"
    assert item["situation_url"] == f"/courses/{COURSE}/jump_to/{usage_key()}#cpf-situation-{situation.uuid}"


def test_staff_page_names_the_course_and_the_blocks(client, framework, lms_overviews):  # pylint: disable=W0613
    situation = submit(UserFactory(username="amina"), framework, block_name="Portfolio <b>1</b>")
    client.force_login(UserFactory(username="admin", is_staff=True))
    content = client.get(f"/competency/courses/{COURSE}/review/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    page = html.fromstring(content)
    assert "Pédagogie & TIC — session 2026" in page.findtext(".//title")
    assert COURSE not in page.findtext(".//header/p")
    assert page.xpath('string(//*[@data-role="block-name"])') == "Portfolio <b>1</b>"  # escaped in the HTML
    assert "Portfolio &lt;b&gt;1&lt;/b&gt;" in content
    assert [option.text for option in page.xpath('//select[@name="usage_key"]/option')][1:] == ["Portfolio <b>1</b>"]
    link = page.xpath('//a[@data-role="unit-link"]')[0]
    assert link.get("href").endswith(f"#cpf-situation-{situation.uuid}")
    assert re.sub(r"\s+", " ", link.text_content()).startswith("Ouvrir la situation")


def test_learner_tab_subtitle_is_the_course_name(client, lms_overviews):  # pylint: disable=unused-argument
    client.force_login(UserFactory(username="amina"))
    page = html.fromstring(client.get(f"/competency/courses/{COURSE}/portfolio/").content)
    assert page.findtext(".//header/p") == "Pédagogie & TIC — session 2026"
    assert COURSE not in page.findtext(".//title")
