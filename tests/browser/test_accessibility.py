"""
axe-core (from the npm registry, ``tests/browser/package.json``) on every page of the bundle, in
French, English and Arabic: the learner's block with its form open, the staff's review section
with a situation open, Studio's editor, the learner's course tab, the course's review queue and
the export's ``index.html``. Each must have no violation at all.
"""
import pytest

from competency_plugin import api
from tests.browser.conftest import DESKTOP, axe_violations
from tests.browser.test_studio_editor import open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("fr", "en", "ar")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_learner_block_with_its_form(open_page, live_server, situation_to_review, language):
    page = open_page(language)
    page.goto(f"{live_server.url}/scenario/{situation_to_review.scenario.name}/?student=amina")
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.locator('[data-role="form"]').wait_for()
    assert axe_violations(page, ".cpf") == []
    assert page.js_errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_review_section_with_a_situation_open(open_page, live_server, situation_to_review, language):
    page = open_page(language, DESKTOP)
    page.goto(f"{live_server.url}/scenario/{situation_to_review.scenario.name}/?student=staff_ana")
    section = page.locator(".cpf-review")
    section.locator('[data-review-action="open"]').first.click()
    section.locator('[data-role="review-form"]').wait_for()
    assert axe_violations(page, ".cpf-review") == []
    assert page.js_errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_studio_editor(open_page, live_server, make_scenario, language):
    page = open_editor(open_page(language, DESKTOP), live_server, make_scenario('<portfolio/>'))
    assert page.locator('[data-init="PortfolioStudioEdit"]').count() == 1
    assert axe_violations(page, '[data-init="PortfolioStudioEdit"]') == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_learner_course_tab(open_page, live_server, course_portfolio, language):
    course, _amina = course_portfolio
    page = open_page(language)
    page.goto(f"{live_server.url}/competency/courses/{course}/portfolio/?student=amina")
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_course_review_queue(open_page, live_server, course_portfolio, language):
    course, _amina = course_portfolio
    page = open_page(language, DESKTOP)
    page.goto(f"{live_server.url}/competency/courses/{course}/review/?student=staff_ana")
    assert page.locator('[data-role="queue"] tbody tr').count() == 1  # the one awaiting review
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_export_index(open_page, course_portfolio, language, tmp_path):
    course, amina = course_portfolio
    index = tmp_path / "index.html"
    index.write_text(api.export_portfolio(user_id=amina.id, course_key=course, language=language).render_index(),
                     encoding="utf-8")
    page = open_page(language)
    page.goto(index.as_uri())
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []
