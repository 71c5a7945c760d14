"""
The learner's latest situations on the page, older ones a page at a time (``older_evidence``, issue 15),
through the workbench's real URLs on a real database.
"""
import lxml.html
import pytest

from competency_plugin import api
from competency_plugin.models import Evidence
from portfolio_xblock.paging import OLDER_PAGE_SIZE
from portfolio_xblock.presentation import PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture(name="scenario")
def fixture_scenario(make_scenario):
    return make_scenario('<portfolio display_name="Mon portfolio" max_evidence="40"/>')


def _record(scenario, count, student="learner1"):
    for index in range(count):
        status, body = scenario.post_json("save_evidence", {"fields": {"title": f"Séance {index}"}}, student=student)
        assert status == 200, body


def _titles(html):
    fragment = lxml.html.fragment_fromstring(html, create_parent=True)
    return [title.text_content() for title in fragment.xpath('//*[contains(@class, "cpf-item-title")]')]


def test_the_page_shows_the_latest_and_the_rest_comes_page_by_page(scenario, settings):
    settings.COMPETENCY_PORTFOLIO = {"MAX_EVIDENCE_PER_BLOCK": 40}
    total = PAGE_SIZE + 2 * OLDER_PAGE_SIZE + 3
    _record(scenario, total)
    html = scenario.render().content.decode()
    assert _titles(html) == [f"Séance {index}" for index in range(total - 1, total - 1 - PAGE_SIZE, -1)]
    assert "Afficher les situations plus anciennes" in html
    before = html.split('data-before="')[1].split('"')[0]
    seen, sizes = [], []
    while before:
        status, body = scenario.post_json("older_evidence", {"before": before})
        assert status == 200, body
        seen.extend(_titles(body["items_html"]))
        sizes.append(body["items_html"].count('class="cpf-item"'))
        assert len(body["evidence"]) == sizes[-1]  # drafts: the form's fields
        before = body["before"]
    assert seen == [f"Séance {index}" for index in range(total - 1 - PAGE_SIZE, -1, -1)]
    assert sizes == [OLDER_PAGE_SIZE, OLDER_PAGE_SIZE, 3]
    assert body["message"] == "3 older situations shown."


def test_a_situation_recorded_meanwhile_shifts_nothing(scenario, settings):
    settings.COMPETENCY_PORTFOLIO = {"MAX_EVIDENCE_PER_BLOCK": 40}
    _record(scenario, PAGE_SIZE + 2)
    html = scenario.render().content.decode()
    before = html.split('data-before="')[1].split('"')[0]
    _record(scenario, 1)  # another tab records one: the next page is still the one after those shown
    status, body = scenario.post_json("older_evidence", {"before": before})
    assert status == 200 and _titles(body["items_html"]) == ["Séance 1", "Séance 0"] and body["before"] == ""


def test_the_page_needs_no_button_when_everything_is_shown(scenario):
    _record(scenario, PAGE_SIZE)
    html = scenario.render().content.decode()
    assert html.count('class="cpf-item"') == PAGE_SIZE and 'data-action="older"' not in html


def test_only_ones_own_items_are_paged(scenario):
    _record(scenario, 2, student="karim")
    theirs = str(Evidence.objects.first().uuid)
    for before in (theirs, "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        status, body = scenario.post_json("older_evidence", {"before": before})
        assert (status, body["error"]) == (404, "not_found"), before


def test_anonymous_viewers_are_refused(scenario):
    status, _body = scenario.post_json("older_evidence", {}, student="")
    assert status == 403


def test_the_api_pages_newest_first(scenario):
    _record(scenario, 3)
    learner = Evidence.objects.first().user_id
    first = api.list_evidence_page(user_id=learner, usage_key=Evidence.objects.first().usage_key, limit=2)
    assert [item.title for item in first.items] == ["Séance 2", "Séance 1"] and first.more
    rest = api.list_evidence_page(
        user_id=learner, usage_key=Evidence.objects.first().usage_key, limit=2, before=first.items[-1].uuid
    )
    assert [item.title for item in rest.items] == ["Séance 0"] and not rest.more
