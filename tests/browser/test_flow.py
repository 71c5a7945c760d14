"""
Issue 16 in a real browser (Debian's chromium), in French: the staff's review that flows — every
decision error at once under its field, the decided form folded under "Décision enregistrée" and the
focus on the next situation waiting, a link to a situation opening it — the learner's form checked
before the confirmation, each error under its field, and on a 360 px phone the course queue and the
learner tab without sideways scrolling.
"""
import pytest
from django.contrib.auth import get_user_model

from competency_plugin import api
from tests.attestation import COURSE, make_framework, record, set_programme_policy
from tests.portfolio_xblock.test_review_handlers import Review
from tests.portfolio_xblock.test_review_handlers import make_framework as make_review_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    """A block on a framework with a scale, with a situation of amina's and one of bruno's submitted."""
    framework, nodes = make_review_framework()
    review = Review(make_scenario(f'<portfolio display_name="Mon portfolio" framework="{framework}"/>'), nodes)
    review.evidence = review.submit(title="Séance de géométrie avec tablettes")
    review.other = review.submit(student="bruno", title="Atelier de programmation")
    return review


def french_page(browser, viewport=None):
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                                  viewport=viewport or {"width": 412, "height": 915})
    page = context.new_page()
    page.js_errors, page.dialogs = [], []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))

    def dialog(event):
        page.dialogs.append(event.message)
        event.accept()

    page.on("dialog", dialog)
    return page


def invalid(locator):
    return locator.evaluate_all("nodes => nodes.map(node => node.getAttribute('aria-invalid'))")


def test_review_errors_at_once_then_decided_and_on_to_the_next(browser, live_server, review):
    page = french_page(browser)
    page.goto(f"{live_server.url}/scenario/{review.scenario.name}/?student=staff_ana")
    section = page.locator(".cpf-review")
    section.locator(f'[data-review-action="open"][data-uuid="{review.evidence}"]').click()
    form = section.locator('[data-role="review-form"]')
    form.wait_for()

    # Nothing chosen: every error at once, each under its field, the fields marked invalid.
    form.get_by_role("button", name="Enregistrer la décision").click()
    summary = form.locator('[data-role="review-errors"]')
    summary.filter(has_text="Certains champs ne sont pas valides").wait_for()
    assert summary.evaluate("node => node === document.activeElement")
    groups = form.locator(".cpf-review-competence")
    for index in range(2):
        slot = groups.nth(index).locator(f'[data-error-for="competences.{index}"]')
        assert "Choisissez « démontrée » ou « pas encore démontrée »" in slot.inner_text()
        assert invalid(groups.nth(index).locator('input[type="radio"]')) == ["true", "true"]
    assert form.locator('[data-error-for="competences"]').inner_text() == "", "said under each competence instead"
    assert "Choisissez d’accepter" in form.locator('[data-error-for="outcome"]').inner_text()
    assert invalid(form.locator('[name="outcome"]')) == ["true", "true"]

    for index in range(2):
        groups.nth(index).get_by_label("Démontrée", exact=True).check()
    form.get_by_label("L’accepter").check()
    form.get_by_role("button", name="Enregistrer la décision").click()

    decided = section.locator('[data-role="decided"]')
    decided.wait_for()
    assert "Décision enregistrée" in decided.inner_text() and form.is_hidden()
    notice = section.locator('[data-role="review-notice"]')
    assert "Atelier de programmation" in notice.inner_text() and notice.is_visible()
    focused = page.evaluate("document.activeElement.getAttribute('data-uuid')")
    assert focused == review.other, "the focus moved to the next situation waiting"
    # The decision can still be changed: the form unfolds.
    decided.get_by_role("button", name="Modifier la décision").click()
    assert form.is_visible()
    assert page.js_errors == []
    page.context.close()


def test_a_link_to_a_situation_opens_it_in_its_block(browser, live_server, review):
    page = french_page(browser)
    anchor = api.situation_anchor(review.other)
    page.goto(f"{live_server.url}/scenario/{review.scenario.name}/?student=staff_ana#{anchor}")
    item = page.locator(f"#{anchor}")
    item.wait_for()
    assert "Atelier de programmation" in item.inner_text()
    top = item.evaluate("node => node.getBoundingClientRect().top")
    assert -1 <= top < 915, "scrolled to the situation"
    assert page.js_errors == []
    page.context.close()


def test_the_learner_form_is_checked_before_the_confirmation(browser, live_server, make_scenario):
    framework, _nodes = make_review_framework()
    scenario = make_scenario(f'<portfolio display_name="Mon portfolio" framework="{framework}"/>')
    page = french_page(browser)
    page.goto(f"{live_server.url}/scenario/{scenario.name}/?student=amina")
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    form = block.locator('[data-role="form"]')
    # What submitting needs is marked before anything is sent.
    assert form.locator(".cpf-required").all_inner_texts().count("(obligatoire pour soumettre)") == 4
    form.get_by_role("textbox", name="Titre (obligatoire)").fill("Séance sans analyse")
    form.get_by_label("3.1 Enseignement amélioré").check()
    form.locator('[data-action="submit-form"]').click()

    summary = form.locator('[data-role="errors"]')
    summary.filter(has_text="Complétez les champs manquants").wait_for()
    assert page.dialogs == [], "nothing to confirm while fields are missing"
    for name in ("situation_type", "description", "analysis"):
        assert form.locator(f'[data-error-for="{name}"]').inner_text() == "Ce champ est obligatoire pour soumettre."
    assert invalid(form.get_by_label("Analyse réflexive")) == ["true"]
    # The justification's error sits inside the competence's box, under its field.
    claim = form.locator(".cpf-claim").filter(has_text="3.1 Enseignement amélioré")
    justification = claim.locator("textarea")
    assert invalid(justification) == ["true"]
    error = claim.locator(".cpf-justification .cpf-field-error")
    assert error.inner_text() == "Expliquez en quoi la situation démontre cette compétence."
    assert error.evaluate("node => node.previousElementSibling.tagName") == "TEXTAREA"
    assert page.js_errors == []
    page.context.close()


@pytest.fixture(name="course_pages")
def fixture_course_pages(live_server):
    """A course with long titles and names: its staff queue and a learner's tab."""
    ids = make_framework()
    set_programme_policy(ids)
    learner = get_user_model().objects.create(username="amina_benali_enseignante_de_mathematiques")
    record(learner, ids, "3.1", title="Séance de géométrie avec tablettes partagées en groupes de quatre " * 2)
    record(learner, ids, "6.1", title="Conseil pédagogique numérique", decision=None)
    return (f"{live_server.url}/competency/courses/{COURSE}/review/?student=staff_ana&status=all",
            f"{live_server.url}/competency/courses/{COURSE}/portfolio/?student={learner.username}")


@pytest.mark.parametrize("which", ["queue", "learner tab"])
def test_on_a_phone_tables_stack_without_sideways_scrolling(browser, course_pages, which):
    page = french_page(browser, PHONE)
    page.goto(course_pages[0 if which == "queue" else 1])
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == PHONE["width"], widths
    tables = page.locator("table.stack")
    assert tables.count() >= 1
    for index in range(tables.count()):
        box = tables.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # Each cell stands on its own line, named by its column.
        cell = tables.nth(index).locator("td[data-label]").first
        assert cell.evaluate("node => getComputedStyle(node).display") == "block"
        label = cell.evaluate("node => getComputedStyle(node, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label")
    assert page.js_errors == []
    page.context.close()
