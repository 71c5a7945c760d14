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


# Studio's client runtime, as far as the settings editor uses it. The workbench's runtime has no
# ``notify`` (the mixin's Save raises a TypeError there) and its page no ``gettext``: this double
# copies what Studio does with them (openedx-platform, cms/static/cms/js/xblock/cms.runtime.v1.js,
# ``BaseRuntime.v1``: ``notify`` dispatches the event; ``_handleSave`` shows a "Saving" notification
# on ``start`` and, on ``end``, hides the alerts and closes the editor; ``_handleError`` shows an
# error notification with the title and the message given, when there is a message), and Studio's
# page provides ``gettext`` (Django's JavaScript catalog) and sends the CSRF cookie with every
# jQuery request (cms/static/js/main.js: ``$.ajaxSetup`` with an ``X-CSRFToken`` header). Its
# notifications are the elements ``#studio-notification-*``; ``window.studioEvents`` records every event.
STUDIO_RUNTIME = """
(() => {
    window.gettext = window.gettext || function (text) { return text; };
    var csrf = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/);
    $.ajaxSetup({headers: {'X-CSRFToken': csrf ? csrf[1] : ''}});
    window.studioEvents = [];
    function show(kind, text) {
        var node = document.getElementById('studio-notification-' + kind);
        if (!node) {
            node = document.createElement('div');
            node.id = 'studio-notification-' + kind;
            node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
            document.body.appendChild(node);
        }
        node.textContent = text;
        node.hidden = false;
    }
    function hide(kind) {
        var node = document.getElementById('studio-notification-' + kind);
        if (node) { node.hidden = true; }
    }
    RuntimeProvider.versions[1].notify = function (name, data) {
        window.studioEvents.push([name, data && data.state]);
        if (name === 'save' && data.state === 'start') { show('saving', data.message || gettext('Saving')); }
        if (name === 'save' && data.state === 'end') { hide('error'); hide('saving'); show('saved', 'closed'); }
        if (name === 'error' && (data.message || data.msg)) {
            show('error', (data.title || '') + ': ' + (data.message || data.msg));
        }
    };
})();
"""


def open_editor(page, live_server, scenario):
    """Open the workbench's studio_view of ``scenario`` as staff, in Studio's runtime."""
    page.goto(f"{live_server.url}/scenario/{scenario.name}/studio_view/?student=staff1")
    page.locator('[data-field-name="weight"] input').wait_for()
    page.evaluate(STUDIO_RUNTIME)
    return page


def save(page):
    """Click Save; return the status of the request it sent, or None when it sent none."""
    requests = []
    page.on("request", lambda request: requests.append(request) if "submit_studio_edits" in request.url else None)
    page.locator(".save-button").click()
    page.wait_for_timeout(300)
    if not requests:
        return None
    return requests[0].response().status


def field(page, name):
    return page.locator(f'[data-field-name="{name}"] input.field-data-control')


def test_in_french_the_editor_shows_the_numbers_it_can_save(page_fr, live_server, make_scenario):
    """The weight was shown empty in French ("1,0"), and the next save stored null: the grade lost it."""
    scenario = make_scenario('<portfolio weight="1" min_evidence="2" max_files="3"/>')
    page = open_editor(page_fr, live_server, scenario)
    assert page.evaluate("document.documentElement.lang || navigator.language").startswith("fr")
    assert page.locator('[data-field-name="weight"] label').inner_text() == "Pondération"  # French editor
    assert field(page, "weight").input_value() == "1.0"
    assert [field(page, name).input_value() for name in ("min_evidence", "max_evidence", "max_files")] == [
        "2", "10", "3"]

    page.locator('[data-field-name="display_name"] input').fill("Situations de classe")
    assert save(page) == 200
    assert page.locator("#studio-notification-saved").is_visible()
    block = scenario.block("staff1")
    assert (block.display_name, block.weight, block.has_score, block.min_evidence) == (
        "Situations de classe", 1.0, True, 2)
    assert page.js_errors == []


def test_an_emptied_weight_is_refused_where_the_author_sees_it(page_fr, live_server, make_scenario):
    scenario = make_scenario('<portfolio weight="2"/>')
    page = open_editor(page_fr, live_server, scenario)
    field(page, "weight").fill("")
    page.locator('[data-field-name="display_name"] input').fill("Autre titre")
    assert save(page) is None  # the editor's script stops the save: nothing is sent
    message = page.locator('[data-field-name="weight"] .portfolio-field-error')
    assert message.is_visible()
    assert message.inner_text() == "Pondération : saisissez un nombre, par exemple 1 ou 0.5."
    assert field(page, "weight").get_attribute("aria-invalid") == "true"
    assert field(page, "weight").evaluate("node => node === document.activeElement")
    block = scenario.block("staff1")
    assert (block.weight, block.display_name) == (2.0, "Portfolio")

    field(page, "weight").fill("0.5")  # corrected, the message goes and the save goes through
    assert not message.is_visible()
    assert save(page) == 200
    block = scenario.block("staff1")
    assert (block.weight, block.display_name) == (0.5, "Autre titre")
    assert page.js_errors == []


def test_the_server_refusals_reach_the_author(page_fr, live_server, make_scenario):
    """What the script lets through and the server refuses is shown by Studio's error notification."""
    scenario = make_scenario('<portfolio weight="2"/>')
    page = open_editor(page_fr, live_server, scenario)
    field(page, "weight").fill("-1")
    assert save(page) == 400
    assert page.locator("#studio-notification-error").inner_text().endswith(
        ": La pondération ne peut pas être négative.")
    # A null weight sent all the same (a script other than ours, an older editor) is refused too.
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST',
            body: JSON.stringify({values: {weight: NaN}, defaults: []}),
            headers: {'Content-Type': 'application/json',
                      'X-CSRFToken': document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1]}})).status""",
        f"{live_server.url}/handler/{scenario.block_id}/submit_studio_edits/?student=staff1",
    )
    assert status == 400
    assert scenario.block("staff1").weight == 2.0
    assert page.js_errors == []


@pytest.mark.parametrize("name", ["min_evidence", "max_evidence", "max_file_size_mb", "max_files"])
def test_whole_number_fields_emptied_or_with_decimals_are_refused(page_fr, live_server, make_scenario, name):
    scenario = make_scenario("<portfolio/>")
    page = open_editor(page_fr, live_server, scenario)
    before = getattr(scenario.block("staff1"), name)
    for text in ("", "2.5"):
        field(page, name).fill(text)
        assert save(page) is None
        assert page.locator(f'[data-field-name="{name}"] .portfolio-field-error').inner_text().endswith(
            " : saisissez un nombre entier, par exemple 3.")
    assert getattr(scenario.block("staff1"), name) == before
    assert page.js_errors == []
