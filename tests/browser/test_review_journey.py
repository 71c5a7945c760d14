"""
The review in a real browser, in French: course staff open a submitted situation in the block,
validate one competence, ask for a revision with feedback; the learner, on their own page,
reads the feedback, revises and resubmits. A second reviewer acting on stale data is told so.
"""
import os

import pytest

from competency_plugin.models import Evidence, ReviewDecision
from tests.portfolio_xblock.test_review_handlers import Review, make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    """A block on a framework with a scale, and a situation amina submitted there."""
    framework, nodes = make_framework()
    review = Review(make_scenario(f'<portfolio display_name="Mon portfolio" framework="{framework}"/>'), nodes)
    review.evidence = review.submit(title="Séance de géométrie avec tablettes")
    return review


def french_page(browser):
    """Another French browser page (its own cookies), as a second person would have."""
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                                  viewport={"width": 412, "height": 915})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def open_situation(page, url):
    page.goto(url)
    section = page.locator(".cpf-review")
    section.get_by_role("button", name="Ouvrir").click()
    form = section.locator('[data-role="review-form"]')
    form.wait_for()
    return section, form


def test_staff_ask_for_a_revision_and_the_learner_reads_it(page_fr, browser, live_server, review, tmp_path):
    url = f"{live_server.url}/scenario/{review.scenario.name}/"
    staff = page_fr
    section, form = open_situation(staff, url + "?student=staff_ana")
    assert "Évaluation des situations soumises" in section.inner_text()
    title = section.locator('[data-role="review-item-title"]')
    assert title.inner_text() == "Séance de géométrie avec tablettes"
    assert title.evaluate("node => node === document.activeElement")  # focus moved to the item
    assert "Justification de 3.1" in form.inner_text()

    first = form.get_by_role("group", name="3.1 Enseignement amélioré")
    first.get_by_label("Démontrée", exact=True).check()
    first.get_by_label("Niveau atteint (si elle est démontrée)").select_option(label="Confirmé")
    form.get_by_role("group", name="3.2 Résolution de problèmes").get_by_label("Pas encore démontrée").check()
    form.get_by_label("Demander une révision à l’apprenant").check()
    form.get_by_label("Commentaire pour l’apprenant").fill("Ajoutez une production d’élève et précisez la consigne.")
    form.get_by_role("button", name="Enregistrer la décision").click()

    section.locator('[data-role="review-live"]').filter(has_text="Décision enregistrée").wait_for()
    decision = ReviewDecision.objects.get()
    assert (decision.outcome, decision.reviewer.username, decision.version) == ("revision_requested", "staff_ana", 1)
    assert sorted(decision.competence_decisions.values_list("competence__code", "status", "level")) == [
        ("3.1", "validated", "B"), ("3.2", "not_yet", ""),
    ]
    assert "Ajoutez une production" in section.locator(".cpf-history").inner_text()
    assert staff.js_errors == []

    learner = french_page(browser)
    learner.goto(url + "?student=amina")
    item = learner.locator(".cpf-item")
    text = item.inner_text()
    for expected in ("Révision demandée", "Ajoutez une production d’élève et précisez la consigne.",
                     "3.1 Enseignement amélioré", "Démontrée", "Confirmé", "Pas encore démontrée"):
        assert expected in text, expected
    assert learner.locator(".cpf-review").count() == 0

    item.get_by_role("button", name="Modifier").click()
    form = learner.locator('[data-role="form"]')
    assert form.get_by_role("textbox", name="Titre (obligatoire)").input_value() == "Séance de géométrie avec tablettes"
    revised = "J’ai ajouté la production d’un groupe ; la consigne tient en trois étapes."
    form.get_by_label("Analyse réflexive").fill(revised)
    form.locator('[data-action="submit-form"]').click()
    learner.locator(".cpf-status-submitted").wait_for()
    evidence = Evidence.objects.get()
    assert (evidence.status, evidence.version) == ("submitted", 2)
    assert evidence.analysis == revised
    assert learner.js_errors == []
    learner.screenshot(path=os.environ.get("BROWSER_REVIEW_SCREENSHOT", str(tmp_path / "learner.png")), full_page=True)
    learner.context.close()


def test_a_second_reviewer_is_told_of_the_conflict(page_fr, browser, live_server, review):
    url = f"{live_server.url}/scenario/{review.scenario.name}/"
    _first_section, first_form = open_situation(page_fr, url + "?student=staff_ana")
    other = french_page(browser)
    second_section, second_form = open_situation(other, url + "?student=staff_bob")

    for form in (first_form, second_form):
        for name in ("3.1 Enseignement amélioré", "3.2 Résolution de problèmes"):
            form.get_by_role("group", name=name).get_by_label("Démontrée", exact=True).check()
        form.get_by_label("L’accepter").check()
    first_form.get_by_role("button", name="Enregistrer la décision").click()
    page_fr.locator('[data-role="review-live"]').filter(has_text="Décision enregistrée").wait_for()

    second_form.get_by_role("button", name="Enregistrer la décision").click()
    alert = second_section.locator('[data-role="review-errors"]')
    alert.filter(has_text="Un autre évaluateur").wait_for()
    assert alert.evaluate("node => node === document.activeElement")
    reload = second_section.get_by_role("button", name="Recharger la situation")
    assert reload.is_visible()
    assert ReviewDecision.objects.count() == 1

    reload.click()
    second_section.locator(".cpf-history").filter(has_text="staff_ana").wait_for()
    assert other.js_errors == [] and page_fr.js_errors == []
    other.context.close()
