"""
The page shows the learner's latest situations and loads older ones on demand (issue 15), on a phone
(360×740) in Debian's chromium: they are appended to the list and work as the others do.
"""
import pytest

from competency_plugin import api
from portfolio_xblock.runtime_context import block_keys
from tests.browser.test_no_lost_words import TITLE, _open, fixture_phone  # noqa: F401  pylint: disable=W0611
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_older_situations_are_loaded_on_demand(phone, live_server, make_scenario, settings):
    settings.COMPETENCY_PORTFOLIO = {"MAX_EVIDENCE_PER_BLOCK": 20}
    scenario = make_scenario('<portfolio display_name="Mon portfolio" max_evidence="20"/>')
    learner = UserFactory(username="amina")
    course_key, usage_key = block_keys(scenario.block("amina"))
    page = _open(phone, f"{live_server.url}/scenario/{scenario.name}/?student=amina")  # the workbench's account
    for index in range(12):
        api.save_draft(user_id=learner.id, course_key=course_key, usage_key=usage_key,
                       data={"title": f"Séance {index}"})
    page.reload()
    block = page.locator(".cpf")
    items = block.locator(".cpf-item")
    assert items.count() == 5 and "Séance 11" in items.nth(0).inner_text()  # the latest five
    block.get_by_role("button", name="Afficher les situations plus anciennes").click()
    block.locator('[data-role="list-outcome"]').filter(has_text="7 situations plus anciennes affichées").wait_for()
    assert items.count() == 12 and "Séance 0" in items.nth(11).inner_text()
    assert block.locator('[data-action="older"]').is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Séance 6"
    items.nth(11).get_by_role("button", name="Modifier").click()
    assert block.get_by_role("textbox", name=TITLE).input_value() == "Séance 0"
    assert page.js_errors == []
