"""
The pages in Arabic, right to left, in a real browser: ``dir`` and ``lang`` on each page or block,
the computed direction, the layout mirrored (the coverage chart's bars start on the right, a
table's first column is on the right), user text in French kept left to right. The same pages in
French for comparison. With ``PORTFOLIO_SCREENSHOTS`` set (``make screenshots``), these tests
write the README's screenshots.
"""
import pytest

from competency_plugin import api
from tests.browser.conftest import DESKTOP, screenshot
from tests.browser.test_studio_editor import open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def direction(locator):
    """The computed CSS direction of an element."""
    return locator.evaluate("node => getComputedStyle(node).direction")


def text_gaps(locator):
    """(left, right) space between an element's box and its text."""
    return locator.evaluate("""node => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const text = range.getBoundingClientRect(), box = node.getBoundingClientRect();
        return [text.left - box.left, box.right - text.right];
    }""")


def edges(locator):
    """(left, right) of an element's box on the page."""
    box = locator.bounding_box()
    return box["x"], box["x"] + box["width"]


@pytest.mark.parametrize("language", ("ar", "fr"))
def test_the_learner_block_on_a_phone(open_page, live_server, situation_to_review, language):
    page = open_page(language)
    page.goto(f"{live_server.url}/scenario/{situation_to_review.scenario.name}/?student=amina")
    block = page.locator(".cpf")
    expected = "rtl" if language == "ar" else "ltr"
    assert (block.get_attribute("lang"), block.get_attribute("dir")) == (language, expected)
    assert direction(block) == expected
    block.locator('[data-action="new"]').click()
    form = block.locator('[data-role="form"]')
    form.wait_for()
    left, right = edges(block)
    save_left, save_right = edges(form.locator('[data-action="save"]'))
    if language == "ar":  # the first button of the row stands on the right
        assert right - save_right < 40 < save_left - left
    else:
        assert save_left - left < 40 < right - save_right
    title = form.locator('input[name="title"]')
    title.fill("Séance de géométrie")
    assert direction(title) == "ltr"  # dir="auto": French typed in an Arabic page reads left to right
    title.fill("درس الهندسة")
    assert direction(title) == "rtl"
    title.fill("")
    assert page.js_errors == []
    screenshot(page, "learner-form-phone" if language == "fr" else "learner-form-phone-ar", block)


@pytest.mark.parametrize("language", ("ar", "fr"))
def test_the_review_section(open_page, live_server, situation_to_review, language):
    page = open_page(language, DESKTOP)
    page.goto(f"{live_server.url}/scenario/{situation_to_review.scenario.name}/?student=staff_ana")
    section = page.locator(".cpf-review")
    expected = "rtl" if language == "ar" else "ltr"
    assert (section.get_attribute("lang"), direction(section)) == (language, expected)
    title = section.locator(".cpf-queue .cpf-item-title").filter(has_text="projet 3.1")
    assert direction(title) == "rtl"  # a title starting in Arabic reads right to left, in French too
    section.locator('[data-review-action="open"]').last.click()
    section.locator('[data-role="review-form"]').wait_for()
    legend = section.locator(".cpf-review-competence legend").first
    assert legend.locator("bdi").inner_text().startswith("3.1")
    assert page.js_errors == []
    screenshot(page, "review" if language == "fr" else "review-ar", section)


def assert_chart_starts_on_the_reading_side(chart, language):
    """The chart's first bar and label stand against its right edge in Arabic, its left edge otherwise."""
    chart_left, chart_right = edges(chart)
    bar_left, bar_right = edges(chart.locator('[data-role="validated-bar"]').first)
    label_left, label_right = edges(chart.locator("g[data-role=domain] text").first)
    if language == "ar":  # bars grow from the right, labels stand on the right
        assert chart_right - bar_right < 10 < bar_left - chart_left
        assert chart_right - label_right < 10 < label_left - chart_left
    else:
        assert bar_left - chart_left < 10 < chart_right - bar_right
        assert label_left - chart_left < 10 < chart_right - label_right


@pytest.mark.parametrize("language", ("ar", "fr"))
def test_the_learner_tab_and_its_chart(open_page, live_server, course_portfolio, language):
    course, _amina = course_portfolio
    page = open_page(language, DESKTOP)  # on a phone the tables stack: their columns are compared side by side here
    page.goto(f"{live_server.url}/competency/courses/{course}/portfolio/?student=amina")
    html = page.locator("html")
    expected = "rtl" if language == "ar" else "ltr"
    assert (html.get_attribute("lang"), html.get_attribute("dir"), direction(html)) == (language, expected, expected)

    assert_chart_starts_on_the_reading_side(page.locator("svg.cp-chart").first, language)
    table = page.locator('[data-role="coverage-table"]').first
    first_left, first_right = edges(table.locator("tbody tr").first.locator("th"))
    last_left, last_right = edges(table.locator("tbody tr").first.locator("td").last)
    assert (first_left > last_right) if language == "ar" else (first_right < last_left)
    number = table.locator("td.number").first
    assert direction(number) == "ltr"  # "1 / 2" reads as written
    assert page.js_errors == []
    screenshot(page, "learner-tab" if language == "fr" else "learner-tab-ar")


def test_the_course_queue_in_arabic(open_page, live_server, course_portfolio):
    course, _amina = course_portfolio
    page = open_page("ar", DESKTOP)
    page.goto(f"{live_server.url}/competency/courses/{course}/review/?student=staff_ana")
    assert page.locator("html").get_attribute("dir") == "rtl"
    row = page.locator('[data-role="queue"] tbody tr').first
    first_left, _first_right = edges(row.locator("th"))
    _last_left, last_right = edges(row.locator("td").last)
    assert first_left > last_right
    # A French title in an Arabic page reads left to right, from the cell's left edge.
    start_gap, end_gap = text_gaps(row.locator("th"))
    assert start_gap < 12 < end_gap


def test_the_export_and_the_studio_editor_in_arabic(
    open_page, live_server, course_portfolio, make_scenario, tmp_path,
):
    course, amina = course_portfolio
    index = tmp_path / "index.html"
    index.write_text(api.export_portfolio(user_id=amina.id, course_key=course, language="ar").render_index(),
                     encoding="utf-8")
    page = open_page("ar")
    page.goto(index.as_uri())
    assert (page.locator("html").get_attribute("dir"), direction(page.locator("main"))) == ("rtl", "rtl")

    editor = open_editor(open_page("ar", DESKTOP), live_server, make_scenario("<portfolio/>"))
    root = editor.locator('[data-init="PortfolioStudioEdit"]')
    assert (root.get_attribute("lang"), root.get_attribute("dir")) == ("ar", "rtl")
    assert direction(root.locator("#settings-tab")) == "rtl"
