"""
The learner's journey in a real browser, in French: open the portfolio, fill the form,
attach a file, save a draft, reload, submit, and see the submitted status.
"""
import base64
import os

import pytest

from competency_plugin.models import Attachment, Evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 PNG: a real image, as a phone would send a photo of the board.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def scenario_url(live_server, make_scenario):
    """A scenario page with one portfolio block, on the live server."""
    scenario = make_scenario('<portfolio display_name="Mon portfolio" min_evidence="1"/>')
    return f"{live_server.url}/scenario/{scenario.name}/?student=amina"


def test_learner_records_and_submits_a_situation_in_french(page_fr, scenario_url, tmp_path):
    page = page_fr
    photo = tmp_path / "tableau.png"
    photo.write_bytes(PNG)

    page.goto(scenario_url)
    block = page.locator(".cpf")
    assert "Mes situations professionnelles" in block.inner_text()

    block.locator('[data-action="new"]').click()
    form = block.locator('[data-role="form"]')
    form.get_by_label("Situation professionnelle authentique").check()
    form.get_by_role("textbox", name="Titre (obligatoire)").fill("Séance de géométrie avec tablettes")
    form.get_by_label("Date", exact=True).fill("2026-10-05")
    form.get_by_label("Niveau ou classe").fill("CM2")
    form.get_by_label("Discipline").fill("Mathématiques")
    form.get_by_label("Contexte et déroulement").fill("Classe de 32 élèves, 8 tablettes partagées.")
    form.get_by_label("Analyse réflexive").fill("Les groupes de quatre ont bien fonctionné ; prévoir plus de temps.")
    form.locator('input[type="file"]').set_input_files(str(photo))
    form.locator('[data-action="save"]').click()

    live = block.locator('[data-role="live"]')
    live.filter(has_text="Brouillon enregistré").wait_for()
    assert Evidence.objects.get().status == "draft"
    assert Attachment.objects.get().content_type == "image/png"

    page.reload()
    item = page.locator(".cpf-item")
    assert "Séance de géométrie avec tablettes" in item.inner_text()
    assert "Brouillon" in item.inner_text()
    assert item.get_by_role("link", name="tableau.png").is_visible()

    item.locator('[data-action="submit"]').click()
    page.locator(".cpf-status-submitted").wait_for()
    assert "Soumise" in page.locator(".cpf-item").inner_text()
    assert Evidence.objects.get().status == "submitted"
    assert page.js_errors == []
    page.screenshot(path=os.environ.get("BROWSER_SCREENSHOT", str(tmp_path / "journey.png")), full_page=True)


def test_the_list_is_updated_in_place_item_by_item(page_fr, live_server, make_scenario):
    """Each answer carries the item it changed: the script inserts, replaces or removes that one alone."""
    scenario = make_scenario('<portfolio display_name="Premier"/>', '<portfolio display_name="Second"/>')
    page = page_fr
    page.goto(f"{live_server.url}/scenario/{scenario.name}/?student=amina")
    first, second = page.locator(".cpf").nth(0), page.locator(".cpf").nth(1)
    assert first.locator('[data-role="empty"]').is_visible()

    for title in ("Séance du lundi", "Séance du mardi"):
        first.locator('[data-action="new"]').click()
        first.get_by_role("textbox", name="Titre (obligatoire)").fill(title)
        first.locator('[data-action="save"]').click()
        first.locator(f'.cpf-item:has-text("{title}")').wait_for()
    items = first.locator(".cpf-item")
    assert items.count() == 2 and "Séance du mardi" in items.nth(0).inner_text()  # newest first
    assert first.locator('[data-role="empty"]').is_hidden()
    assert second.locator(".cpf-item").count() == 0 and second.locator('[data-role="empty"]').is_visible()

    # Edited: the item is replaced where it stands.
    items.nth(1).locator('[data-action="edit"]').click()
    first.get_by_role("textbox", name="Titre (obligatoire)").fill("Séance du lundi, revue")
    first.locator('[data-action="save"]').click()
    first.locator('.cpf-item:has-text("Séance du lundi, revue")').wait_for()
    assert items.count() == 2 and "Séance du lundi, revue" in items.nth(1).inner_text()
    first.locator('[data-action="cancel"]').click()

    # Deleted from the keyboard: the item goes, focus stays in the list.
    for _ in range(2):
        items.nth(0).locator('[data-action="delete"]').focus()
        page.keyboard.press("Enter")
        first.locator('[data-role="live"]').filter(has_text="Brouillon supprimé").wait_for()
        first.locator('[data-role="live"]').evaluate("node => node.textContent = ''")
    assert items.count() == 0 and first.locator('[data-role="empty"]').is_visible()
    focused = page.evaluate("document.activeElement.getAttribute('data-role')")
    assert focused == "list-title"
    assert Evidence.objects.count() == 0
    assert page.js_errors == []


def test_a_413_from_the_lms_is_shown_as_the_limit_in_french(page_fr, scenario_url, settings, tmp_path):
    """
    The LMS refuses a file above ``STUDENT_FILEUPLOAD_MAX_SIZE`` with a 413 and an English
    ``{"success": message}`` before the block sees it (``block_render._invoke_xblock_handler``):
    the learner reads the limit the form states, in French. The demo has no such check, so the
    route answers as the LMS would.
    """
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 4 * 1000 * 1000
    photo = tmp_path / "tableau.png"
    photo.write_bytes(PNG)
    page = page_fr
    page.route("**/upload_chunk/**", lambda route: route.fulfill(
        status=413, content_type="application/json",
        body='{"success": "Submission aborted! Your file \\"tableau.png\\" is too large (max size: 4 MB)"}',
    ))
    page.goto(scenario_url)
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    form = block.locator('[data-role="form"]')
    assert "3,8 Mo" in form.locator('[id$="-file-help"]').inner_text()
    form.get_by_role("textbox", name="Titre (obligatoire)").fill("Séance avec photo")
    form.locator('input[type="file"]').set_input_files(str(photo))
    form.locator('[data-action="save"]').click()
    error = form.locator('[data-error-for="file"]')
    error.filter(has_text="tableau.png").wait_for()
    assert error.inner_text() == "tableau.png dépasse les 3,8 Mo autorisés."
    assert Attachment.objects.count() == 0
    assert page.js_errors == []
