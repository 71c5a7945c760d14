"""
Studio's settings editor in a real browser (the workbench's studio_view): the competence list
follows the framework the author picks, before saving.
"""
import pytest

from tests.portfolio_xblock.test_competence_tagging import _framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_competence_list_follows_the_framework_picked(page_fr, live_server, make_scenario):
    framework, nodes = _framework("Référentiel", {"3": ["3.1", "3.2"], "6": ["6.1"]})
    other, other_nodes = _framework("Autre", {"1": ["1.1"]})
    scenario = make_scenario(
        f'<portfolio framework="{framework.identifier}" competences=\'["{nodes["3.1"].identifier}"]\'/>'
    )
    page = page_fr
    page.goto(f"{live_server.url}/scenario/{scenario.name}/studio_view/?student=staff1")
    competences = page.locator('[data-field-name="competences"]')

    def box(node):
        return competences.locator(f'input[value=\'"{node.identifier}"\']')

    box(nodes["3.1"]).wait_for()
    assert box(nodes["3.1"]).is_checked()
    assert box(nodes["6.1"]).is_visible() and box(other_nodes["1.1"]).is_hidden()

    page.locator('[data-field-name="framework"] select').select_option(str(other.identifier))
    assert box(other_nodes["1.1"]).is_visible()
    assert box(nodes["3.1"]).is_hidden() and not box(nodes["3.1"]).is_checked()
    assert "is-set" in competences.get_attribute("class")  # the editor saves the unticked list
    assert page.js_errors == []
