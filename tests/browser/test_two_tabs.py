"""
Two tabs on one draft, in a real browser: the tab whose text is older is told so when it saves,
and the learner chooses: keep their text (it replaces the other) or take the saved one. Nothing
they typed is lost without that choice.
"""
import pytest

from competency_plugin.models import Evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="two_tabs")
def fixture_two_tabs(page_fr, live_server, make_scenario):
    """Two pages of one browser, both on the learner's form for the same draft."""
    scenario = make_scenario('<portfolio display_name="Mon portfolio"/>')
    url = f"{live_server.url}/scenario/{scenario.name}/?student=amina"
    first = page_fr
    first.goto(url)
    block = first.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name="Titre (obligatoire)").fill("Séance de départ")
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="live"]').filter(has_text="Brouillon enregistré").wait_for()
    second = first.context.new_page()
    second.js_errors = []
    second.on("pageerror", lambda error: second.js_errors.append(str(error)))
    tabs = []
    for page in (first, second):
        page.goto(url)
        page.locator('.cpf [data-action="edit"]').click()
        tabs.append(page.locator(".cpf"))
    return first, second, tabs


def _save(block, analysis):
    block.get_by_label("Analyse réflexive").fill(analysis)
    block.locator('[data-action="save"]').click()


def _conflict(block):
    panel = block.locator('[data-role="conflict"]')
    panel.wait_for(state="visible")
    return panel


def test_the_stale_tab_keeps_its_text(two_tabs):
    first, second, (tab_a, tab_b) = two_tabs
    _save(tab_a, "Texte de l'onglet A.")
    tab_a.locator('[data-role="live"]').filter(has_text="Brouillon enregistré").wait_for()
    _save(tab_b, "Texte de l'onglet B.")
    panel = _conflict(tab_b)
    assert "Séance de départ" in panel.inner_text()
    assert panel.evaluate("node => node === document.activeElement")
    # Nothing was overwritten, nothing typed was dropped.
    assert Evidence.objects.get().analysis == "Texte de l'onglet A."
    assert tab_b.get_by_label("Analyse réflexive").input_value() == "Texte de l'onglet B."

    panel.get_by_role("button", name="Garder mon texte").click()
    tab_b.locator('[data-role="conflict"]').wait_for(state="hidden")
    tab_b.locator('[data-role="live"]').filter(has_text="remplace").wait_for()
    assert Evidence.objects.get().analysis == "Texte de l'onglet B."
    # Tab B goes on saving without a conflict: it now holds the latest version.
    _save(tab_b, "Texte de l'onglet B, suite.")
    tab_b.locator('[data-role="live"]').filter(has_text="Brouillon enregistré").wait_for()
    assert Evidence.objects.get().analysis == "Texte de l'onglet B, suite."
    assert first.js_errors == [] and second.js_errors == []


def test_the_stale_tab_takes_the_saved_version(two_tabs):
    first, second, (tab_a, tab_b) = two_tabs
    _save(tab_b, "Texte de l'onglet B.")
    tab_b.locator('[data-role="live"]').filter(has_text="Brouillon enregistré").wait_for()
    _save(tab_a, "Texte de l'onglet A.")
    panel = _conflict(tab_a)
    assert Evidence.objects.get().analysis == "Texte de l'onglet B."

    panel.get_by_role("button", name="Utiliser la version enregistrée").click()
    tab_a.locator('[data-role="conflict"]').wait_for(state="hidden")
    assert tab_a.get_by_label("Analyse réflexive").input_value() == "Texte de l'onglet B."
    assert Evidence.objects.get().analysis == "Texte de l'onglet B."
    # The form is on the saved version now: the next save goes through.
    _save(tab_a, "Texte de l'onglet B, relu dans A.")
    tab_a.locator('[data-role="live"]').filter(has_text="Brouillon enregistré").wait_for()
    assert Evidence.objects.get().analysis == "Texte de l'onglet B, relu dans A."
    assert first.js_errors == [] and second.js_errors == []
