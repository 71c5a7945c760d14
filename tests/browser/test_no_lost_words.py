"""
Nothing the learner types is lost (issue 15), on a phone (360×740) in Debian's chromium: the form's
text is kept in the browser as it is typed, comes back after the page is lost, goes to the server
when the connection returns, and a server copy changed meanwhile is a conflict the learner resolves.
"""
import pytest

from competency_plugin.models import Attachment, Evidence
from tests.factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Titre (obligatoire)"


@pytest.fixture(name="phone")
def fixture_phone(browser):
    """A French phone-sized browser context; its dialogs are answered by each test (``answers``)."""
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                                  viewport={"width": 360, "height": 740})
    yield context
    context.close()


def _open(context, url, answers=None):
    """A page of ``context`` on ``url``; dialogs get the next of ``answers`` (True: accept), recorded."""
    page = context.new_page()
    page.js_errors, page.dialogs = [], []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))

    def _answer(dialog):
        page.dialogs.append(dialog.message)
        accept = answers.pop(0) if answers else True
        (dialog.accept if accept else dialog.dismiss)()

    page.on("dialog", _answer)
    page.goto(url)
    return page


def _link(page, offline=False, latency=0, down=-1, up=-1):
    """Emulate a link for one page only (Chrome DevTools Protocol): offline, or slow (bytes per second)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": offline, "latency": latency, "downloadThroughput": down, "uploadThroughput": up,
    })
    return cdp


@pytest.fixture(name="url")
def fixture_url(live_server, make_scenario):
    scenario = make_scenario('<portfolio display_name="Mon portfolio"/>')
    return f"{live_server.url}/scenario/{scenario.name}/?student=amina"


def test_text_typed_offline_comes_back_after_the_page_is_lost_and_reaches_the_server(phone, url):
    page = _open(phone, url)
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    phone.set_offline(True)
    block.get_by_role("textbox", name=TITLE).fill("Séance hors connexion")
    block.get_by_label("Analyse réflexive").fill("Écrit dans le bus, sans réseau.")
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="form-state"]').filter(has_text="Hors connexion").wait_for()
    assert "gardé dans ce navigateur" in block.locator('[data-role="errors"]').inner_text()
    page.close()  # the tab is lost (closed, crashed) before the connection returns
    assert Evidence.objects.count() == 0

    phone.set_offline(False)
    page = _open(phone, url)
    block = page.locator(".cpf")
    # The text is back in the form, and saved once the page sees the connection.
    assert block.get_by_role("textbox", name=TITLE).input_value() == "Séance hors connexion"
    assert block.get_by_label("Analyse réflexive").input_value() == "Écrit dans le bus, sans réseau."
    block.locator('[data-role="form-outcome"]').filter(has_text="brouillon est enregistré").wait_for()
    stored = Evidence.objects.get()
    assert (stored.title, stored.analysis) == ("Séance hors connexion", "Écrit dans le bus, sans réseau.")
    assert block.locator('[data-role="form-title"]').inner_text() == "Modifier la situation"
    assert block.locator('[data-role="form-state"]').inner_text() == "Brouillon enregistré."
    page.reload()  # saved: nothing is restored any more, no question on leaving
    assert block.locator('[data-role="form"]').is_hidden()
    assert page.dialogs == [] and page.js_errors == []


def test_the_connection_returning_saves_the_draft(phone, url):
    page = _open(phone, url)
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("Première version")
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="form-outcome"]').filter(has_text="Brouillon enregistré").wait_for()
    assert block.locator('[data-role="form-title"]').inner_text() == "Modifier la situation"
    phone.set_offline(True)
    block.get_by_label("Analyse réflexive").fill("Ajouté sans réseau.")
    assert "ce navigateur les garde" in block.locator('[data-role="form-state"]').inner_text()
    phone.set_offline(False)
    block.locator('[data-role="form-outcome"]').filter(has_text="La connexion est revenue").wait_for()
    assert Evidence.objects.get().analysis == "Ajouté sans réseau."
    assert page.js_errors == []


def test_a_changed_form_asks_before_it_is_closed(phone, url):
    page = _open(phone, url, answers=[False, False, True])
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("À ne pas perdre")
    block.locator('[data-action="cancel"]').click()  # "Fermer", refused
    block.locator('[data-action="new"]').click()     # "Enregistrer une nouvelle situation" again, refused
    assert block.get_by_role("textbox", name=TITLE).input_value() == "À ne pas perdre"
    assert block.locator('[data-role="form"]').is_visible()
    block.locator('[data-action="cancel"]').click()  # accepted: dropped, here and in the browser
    assert block.locator('[data-role="form"]').is_hidden()
    assert len(page.dialogs) == 3 and "abandonner" in page.dialogs[0]
    page.reload()
    assert block.locator('[data-role="form"]').is_hidden() and Evidence.objects.count() == 0
    assert page.js_errors == []


def test_leaving_a_changed_form_asks_first(phone, url):
    page = _open(phone, url, answers=[False])
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("Texte en cours")
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert not page.is_closed() and page.dialogs  # the browser's own question, refused: the page stays
    assert page.evaluate("document.querySelector('.cpf input[name=title]').value") == "Texte en cours"


def test_a_stale_tab_saving_on_reconnection_gets_a_conflict_it_resolves(phone, url):
    first = _open(phone, url)
    tab_a = first.locator(".cpf")
    tab_a.locator('[data-action="new"]').click()
    tab_a.get_by_role("textbox", name=TITLE).fill("Séance de départ")
    tab_a.locator('[data-action="save"]').click()
    tab_a.locator('[data-role="form-outcome"]').filter(has_text="Brouillon enregistré").wait_for()
    tab_a.locator('[data-action="cancel"]').click()
    second = _open(phone, url)
    tab_b = second.locator(".cpf")
    tab_b.locator('[data-action="edit"]').click()
    # Tab B goes offline and is written in; meanwhile tab A saves another text.
    link_b = _link(second, offline=True)
    tab_b.get_by_label("Analyse réflexive").fill("Texte de l'onglet B, écrit hors connexion.")
    tab_a.locator('[data-action="edit"]').click()
    tab_a.get_by_label("Analyse réflexive").fill("Texte de l'onglet A.")
    tab_a.locator('[data-action="save"]').click()
    tab_a.locator('[data-role="form-outcome"]').filter(has_text="Brouillon enregistré").wait_for()
    # The connection returns to tab B: its save is refused, nothing is overwritten, nothing is lost.
    link_b.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
    })
    panel = tab_b.locator('[data-role="conflict"]')
    panel.wait_for(state="visible")
    assert Evidence.objects.get().analysis == "Texte de l'onglet A."
    assert tab_b.get_by_label("Analyse réflexive").input_value() == "Texte de l'onglet B, écrit hors connexion."
    panel.get_by_role("button", name="Garder mon texte").click()
    tab_b.locator('[data-role="form-outcome"]').filter(has_text="remplace").wait_for()
    assert Evidence.objects.get().analysis == "Texte de l'onglet B, écrit hors connexion."
    assert first.js_errors == [] and second.js_errors == []


def test_closing_the_form_during_uploads_keeps_both_files(phone, url, tmp_path):
    photos = []
    for name in ("tableau.png", "cahier.png"):
        photos.append(tmp_path / name)
        photos[-1].write_bytes(png_bytes(padding=30_000))
    page = _open(phone, url)
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("Séance avec photos")
    block.locator('input[type="file"]').set_input_files([str(path) for path in photos])
    _link(page, latency=400, down=50_000, up=20_000)  # 3G-like: each photo takes over a second to leave
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="tableau.png").wait_for()
    block.locator('[data-action="cancel"]').click()
    assert block.locator('[data-role="form"]').is_hidden()
    item = block.locator(".cpf-item")
    item.locator(".cpf-outcome").filter(has_text="cahier.png").wait_for()
    item.get_by_role("link", name="cahier.png").wait_for()
    assert sorted(Attachment.objects.values_list("title", flat=True)) == ["cahier.png", "tableau.png"]
    assert page.js_errors == []


def _hear(locator):
    """Record every text the live region ``locator`` takes, in order (``window.heard``): what screen readers get."""
    locator.evaluate("""element => {
        window.heard = [];
        new MutationObserver(() => { if (element.textContent) { window.heard.push(element.textContent); } })
            .observe(element, {childList: true, characterData: true, subtree: true});
    }""")


def test_closing_the_form_during_uploads_says_which_file_failed(phone, url, tmp_path):
    photo, fake = tmp_path / "tableau.png", tmp_path / "cahier.png"
    photo.write_bytes(png_bytes(padding=30_000))
    fake.write_bytes(b"Ceci n'est pas une image. " * 1200)  # the server refuses it at its first chunk
    page = _open(phone, url)
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("Séance avec photos")
    block.locator('input[type="file"]').set_input_files([str(photo), str(fake)])
    _hear(block.locator('[data-role="live"]'))
    _link(page, latency=400, down=50_000, up=20_000)  # 3G-like: the second file leaves after the form is closed
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="tableau.png").wait_for()
    block.locator('[data-action="cancel"]').click()
    assert block.locator('[data-role="form"]').is_hidden()
    item = block.locator(".cpf-item")
    failed = "cahier.png n’a pas été joint."
    outcome = item.locator(".cpf-outcome.cpf-outcome-error").filter(has_text=failed)
    outcome.wait_for()  # visible, in the situation the file was for
    assert "ne correspond pas à son extension" in outcome.inner_text()
    assert "tableau.png" not in outcome.inner_text()
    page.wait_for_function("text => window.heard.some(heard => heard.startsWith(text))", arg=failed)
    item.get_by_role("link", name="tableau.png").wait_for()
    assert list(Attachment.objects.values_list("title", flat=True)) == ["tableau.png"]
    assert page.js_errors == []
