"""
The "My portfolio" course tab and the page it opens: the learner's own evidence items with
their status, the coverage chart (server-rendered SVG) and its text equivalent, and the
attestation status with what is missing.
"""
from importlib.metadata import entry_points
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from lxml import html
from opaque_keys.edx.keys import CourseKey

from competency_plugin import api
from competency_plugin.platform import compat
from competency_plugin.tabs import PortfolioCourseTab
from tests.attestation import COURSE, OTHER_COURSE, make_eligible, make_framework, record, set_programme_policy

SVG = "{http://www.w3.org/2000/svg}"
URL = f"/competency/courses/{COURSE}/portfolio/"


class Course:  # pylint: disable=too-few-public-methods
    """What a tab reads of a course: its key (``course.id``), as on the LMS's course objects."""

    def __init__(self, key):
        self.id = CourseKey.from_string(key)  # pylint: disable=invalid-name


@pytest.fixture(name="learner")
def fixture_learner(db):  # pylint: disable=unused-argument
    return get_user_model().objects.create(username="amina")


@pytest.fixture(name="ids")
def fixture_ids(db):  # pylint: disable=unused-argument
    return make_framework()


def _page(client, user, language="fr", url=URL):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:2000]
    return response, html.fromstring(response.content)


# --- the tab -------------------------------------------------------------------------------


def test_entry_point_declares_the_tab():
    (entry_point,) = [
        point for point in entry_points(group="openedx.course_tab") if point.name == "competency_portfolio"
    ]
    assert entry_point.load() is PortfolioCourseTab
    assert PortfolioCourseTab.type == entry_point.name, "the LMS finds a tab type by its entry point's name"


def test_tab_subclasses_the_platforms_course_tab_class():
    assert issubclass(PortfolioCourseTab, compat.course_tab_class())
    assert PortfolioCourseTab.is_dynamic, "shown without editing the course's saved tabs"


def test_tab_title_is_translated_when_displayed():
    tab = PortfolioCourseTab({})
    assert tab.name == tab.title == "My portfolio"
    with translation.override("fr"):
        assert gettext(tab.title) == "Mon portfolio"
    with translation.override("en"):
        assert gettext(tab.title) == "My portfolio"


def test_tab_links_to_the_portfolio_page():
    tab = PortfolioCourseTab({})
    assert tab.link_func(Course(COURSE), reverse) == URL
    assert tab.to_json()["type"] == "competency_portfolio"


@pytest.mark.django_db
def test_tab_is_shown_to_enrolled_learners_only(learner):
    course = Course(COURSE)
    assert PortfolioCourseTab.is_enabled(course, user=learner)
    assert not PortfolioCourseTab.is_enabled(course, user=None)
    from django.contrib.auth.models import AnonymousUser  # pylint: disable=import-outside-toplevel

    assert not PortfolioCourseTab.is_enabled(course, user=AnonymousUser())
    with mock.patch.object(compat, "is_enrolled", return_value=False) as is_enrolled:
        assert not PortfolioCourseTab.is_enabled(course, user=learner)
        is_enrolled.assert_called_once_with(learner, course.id)
        with mock.patch.object(compat, "is_course_staff", return_value=True):
            assert PortfolioCourseTab.is_enabled(course, user=learner), "course staff see it too"
    learner.is_active = False
    assert not PortfolioCourseTab.is_enabled(course, user=learner)


# --- the page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{settings.LOGIN_URL}?next={quote(URL)}"


def test_learners_not_enrolled_get_a_404(client, learner):
    client.force_login(learner)
    with mock.patch.object(compat, "is_enrolled", return_value=False):
        assert client.get(URL).status_code == 404
        with mock.patch.object(compat, "is_course_staff", return_value=True):
            assert client.get(URL).status_code == 200


def test_invalid_course_key_is_a_400_as_in_the_rest_api(client, learner):
    client.force_login(learner)
    assert client.get("/competency/courses/not+a+key!/portfolio/").status_code == 400


def test_page_lists_every_evidence_item_with_its_status(client, learner, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1", title="Séance de géométrie")
    record(learner, ids, "3.2", title="Atelier robotique", decision="revision")
    record(learner, ids, "6.1", title="Conseil de cycle", decision=None)
    record(learner, ids, "6.2", title="Brouillon de projet", submit=False)
    record(learner, ids, "3.1", title="Autre cours", course=OTHER_COURSE)
    response, page = _page(client, learner)
    assert response["Cache-Control"] == "no-store, private"
    assert page.get("lang") == "fr"
    rows = page.xpath('//table[@data-role="evidence"]/tbody/tr')
    statuses = {
        row.xpath("string(th)").strip(): row.xpath('string(.//span[contains(@class, "status")])') for row in rows
    }
    assert statuses == {
        "Séance de géométrie": "Acceptée",
        "Atelier robotique": "Révision demandée",
        "Conseil de cycle": "Soumise",
        "Brouillon de projet": "Brouillon",
    }
    assert "Autre cours" not in response.content.decode(), "another course's evidence is not listed"
    assert not page.xpath("//script"), "the page needs no JavaScript"


def _chart(page):
    (svg,) = page.xpath('//figure[@data-role="coverage"]/*[local-name()="svg"]')
    return svg


def test_chart_is_an_accessible_svg_image(client, learner, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1")
    _response, page = _page(client, learner)
    svg = _chart(page)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    (title,) = svg.xpath(f'*[local-name()="title"][@id="{title_id}"]')
    (desc,) = svg.xpath(f'*[local-name()="desc"][@id="{desc_id}"]')
    assert title.text_content() == "Situations probantes par domaine — Référentiel TICE"
    assert desc.text_content() == (
        "3 Pédagogie : 1 situation probante, 1 situation soumise s’y rapporte, 2 requises ; "
        "6 Formation professionnelle : 0 situation probante, 0 situation soumise s’y rapporte, 2 requises."
    )
    # The bars' lengths are proportional to the counts; coordinates are plain decimals, whatever the language.
    bars = svg.xpath('.//*[local-name()="rect"][@data-role="validated-bar"]')
    assert [rect.get("width") for rect in bars] == ["170", "0"]
    assert len(svg.xpath('.//*[local-name()="line"][@data-role="required-mark"]')) == 2
    labels = [text.text_content() for text in svg.xpath('.//*[local-name()="text"]')]
    assert labels == ["3 Pédagogie", "1 / 2", "6 Formation professionnelle", "0 / 2"]


def test_each_bar_is_drawn_against_its_own_requirement(client, learner, ids):
    # 3 asks for one situation, 6 for three: a met 1 / 1 is a full bar, 1 / 3 a third.
    api.set_policy(course_key=COURSE, framework=ids["framework"], requirements=[
        {"competence": ids["3"], "min_validated": 1}, {"competence": ids["6"], "min_validated": 3}])
    record(learner, ids, "3.1")
    record(learner, ids, "6.1")
    _response, page = _page(client, learner)
    svg = _chart(page)
    bars = [float(rect.get("width")) for rect in svg.xpath('.//*[local-name()="rect"][@data-role="validated-bar"]')]
    marks = [float(line.get("x1")) for line in svg.xpath('.//*[local-name()="line"][@data-role="required-mark"]')]
    full = 340
    assert bars == [full, round(full / 3, 1)]
    assert marks == [4 + full, 4 + full], "each requirement is the end of its own bar"
    # The requirements table: each once, with a bar of its own.
    meters = page.xpath('//table[@data-role="requirements"]//span[@class="meter"]/span/@style')
    assert meters == ["inline-size: 100%", "inline-size: 33%"]


def test_the_situations_awaiting_review_are_named(client, learner, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1", title="Séance acceptée")
    record(learner, ids, "3.2", title="Séance en attente", decision=None)
    record(learner, ids, "6.1", title="Brouillon", submit=False)
    _response, page = _page(client, learner)
    assert page.xpath('//ul[@data-role="awaiting"]/li/text()') == ["Séance en attente"]
    assert "elle comptera une fois acceptée" in page.xpath('string(//h3[@id="cp-awaiting"]/following-sibling::p)')


def test_chart_has_a_text_equivalent_with_the_same_numbers(client, learner, ids):
    set_programme_policy(ids)
    record(learner, ids, "3.1")
    record(learner, ids, "3.2", situation_type="training")
    record(learner, ids, "6.1", decision=None)
    _response, page = _page(client, learner)
    (table,) = page.xpath('//table[@data-role="coverage-table"]')
    assert "équivalent textuel" in table.xpath("string(caption)")
    rows = [[cell.text_content().strip() for cell in row.xpath("th|td")] for row in table.xpath("tbody/tr")]
    assert rows == [["3 Pédagogie", "2", "2", "2"], ["6 Formation professionnelle", "0", "1", "2"]]


def test_attestation_status_and_what_is_missing_in_the_learners_language(client, learner, ids):
    set_programme_policy(ids)
    make_eligible(learner, ids)
    other = get_user_model().objects.create(username="bruno")
    record(other, ids, "3.1")
    _response, page = _page(client, other)
    status = page.xpath('string(//*[@data-role="attestation-status"])')
    assert status == "Vous ne remplissez pas encore les conditions d’attestation de ce cours."
    # Each requirement once, with what it still lacks in its own row (no separate list repeating it).
    report = api.get_eligibility(other, COURSE, language="fr")
    rows = page.xpath('//table[@data-role="requirements"]/tbody/tr')
    assert [row.get("data-key") for row in rows] == [line.key for line in report.requirements]
    assert not page.xpath('//ul[@data-role="missing"]')
    lacking = [[span.text for span in row.xpath('td[2]/span[@data-role="lacking"]')] for row in rows]
    assert lacking == [["1 situation validée de plus"],
                       ["2 situations validées de plus", "1 situation authentique validée de plus"]]
    _response, page = _page(client, other, language="en")
    assert page.xpath('string(//*[@data-role="attestation-status"])') == (
        "You do not meet the attestation requirements of this course yet."
    )
    _response, page = _page(client, learner)
    assert page.xpath('string(//*[@data-role="attestation-status"])') == (
        "Vous remplissez les conditions d’attestation de ce cours."
    )
    assert not page.xpath('//ul[@data-role="missing"]')


def test_course_without_policy(client, learner, ids):
    record(learner, ids, "6.1")
    _response, page = _page(client, learner)
    assert page.xpath('string(//*[@data-role="attestation-status"])') == "Ce cours n’a pas de règles d’attestation."
    rows = [[cell.text_content().strip() for cell in row.xpath("th|td")]
            for row in page.xpath('//table[@data-role="coverage-table"]/tbody/tr')]
    assert rows == [["3 Pédagogie", "0", "0", "—"], ["6 Formation professionnelle", "1", "1", "—"]]


def test_another_learners_data_is_never_shown(client, learner, ids):
    set_programme_policy(ids)
    other = get_user_model().objects.create(username="bruno")
    make_eligible(other, ids)
    record(other, ids, "3.1", title="Secret de Bruno")
    record(learner, ids, "6.1", title="Séance d’Amina", decision=None)
    response, page = _page(client, learner, url=f"{URL}?user=bruno&username=bruno")
    body = response.content.decode()
    assert "Secret de Bruno" not in body and "bruno" not in body
    assert [row.xpath("string(th)").strip() for row in page.xpath('//table[@data-role="evidence"]/tbody/tr')] == [
        "Séance d’Amina"
    ]
    rows = [[cell.text_content().strip() for cell in row.xpath("th|td")]
            for row in page.xpath('//table[@data-role="coverage-table"]/tbody/tr')]
    assert rows == [["3 Pédagogie", "0", "0", "2"], ["6 Formation professionnelle", "0", "1", "2"]]


def test_page_costs_the_same_queries_whatever_the_number_of_items(client, learner, ids):
    set_programme_policy(ids)
    client.force_login(learner)
    record(learner, ids, "3.1")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for competence in ("3.2", "6.1", "6.2", "3.1", "6.1"):
        record(learner, ids, competence)
    with CaptureQueriesContext(connection) as more:
        assert client.get(URL).status_code == 200
    assert len(more) == len(few)


# --- the API behind it ---------------------------------------------------------------------


def test_domain_coverage_counts_validations_at_the_policys_minimum_level(learner):
    import uuid  # pylint: disable=import-outside-toplevel

    domain = uuid.uuid4()
    spec = api.FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="Avec échelle", title_en="With a scale",
        levels=[api.LevelSpec(code=code) for code in ("A", "B")],
        competences=[api.CompetenceSpec(identifier=domain, code="D", title_fr="Domaine", title_en="Domain")],
    )
    framework = api.save_framework(spec)
    ids = {"framework": str(framework.identifier), "D": str(domain)}
    api.set_policy(course_key=COURSE, framework=ids["framework"], min_level="B",
                   requirements=[{"competence": ids["D"], "min_validated": 1}])
    evidence = record(learner, ids, "D", decision=None)
    api.decide(evidence_uuid=evidence, course_key=COURSE, reviewer_id=None, version=1, base_decision=None,
               outcome="accepted", competences=[{"competence": ids["D"], "status": "validated", "level": "A"}])
    (coverage,) = api.get_domain_coverage(user_id=learner.id, course_key=COURSE)
    assert coverage.in_policy
    assert [(item.code, item.validated, item.claimed, item.required) for item in coverage.domains] == [("D", 0, 1, 1)]
    assert api.get_eligibility(learner, COURSE).requirements[0].have == 0, "the chart agrees with the engine"


def test_list_course_evidence_is_scoped_to_the_learner_and_course(learner, ids):
    other = get_user_model().objects.create(username="bruno")
    mine = record(learner, ids, "3.1", decision=None)
    record(learner, ids, "3.1", course=OTHER_COURSE)
    record(other, ids, "3.1")
    assert [item.uuid for item in api.list_course_evidence(user_id=learner.id, course_key=COURSE)] == [mine]


# --- the demo ------------------------------------------------------------------------------


def test_demo_signs_in_the_student_named_in_the_url(client, ids):
    set_programme_policy(ids)
    amina = get_user_model().objects.create(username="amina")
    record(amina, ids, "3.1", title="Séance d’Amina")
    response = client.get(URL, {"student": "amina"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Séance d’Amina" in response.content.decode()
    response = client.get(URL, {"student": "bruno"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Séance d’Amina" not in response.content.decode()
    assert "Vous n’avez encore enregistré aucune situation dans ce cours." in response.content.decode()
