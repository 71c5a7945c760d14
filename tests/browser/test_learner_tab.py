"""
The learner's "My portfolio" page in a real browser, in French, as the demo serves it
(``?student=`` signs the learner in): the coverage chart is an image with a name and a
description, its table says the same, and the attestation section lists what is missing.
"""
import pytest
from django.contrib.auth import get_user_model

from competency_plugin import api
from tests.attestation import COURSE, make_framework, record, set_programme_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="portfolio_url")
def fixture_portfolio_url(live_server):
    """Amina's page: one validated situation in each domain, one submitted, one draft."""
    ids = make_framework()
    set_programme_policy(ids)
    amina = get_user_model().objects.create(username="amina")
    record(amina, ids, "3.1", title="Séance de géométrie avec tablettes")
    record(amina, ids, "6.1", title="Conseil pédagogique numérique", situation_type="training")
    record(amina, ids, "3.2", title="Atelier de programmation", decision=None)
    record(amina, ids, "6.2", title="Projet en cours", submit=False)
    bruno = get_user_model().objects.create(username="bruno")
    record(bruno, ids, "3.1", title="Situation de Bruno")
    return f"{live_server.url}/competency/courses/{COURSE}/portfolio/?student=amina", amina


def test_learner_reads_the_portfolio_tab_in_french(page_fr, portfolio_url):
    url, amina = portfolio_url
    page = page_fr
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Mon portfolio"

    chart = page.get_by_role("img", name="Situations probantes par domaine — Référentiel TICE")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 412, "the chart fits the phone's width"
    label = chart.locator("text").first.bounding_box()
    assert label["height"] >= 12, f"labels readable on a phone: {label}"
    description = chart.locator("desc").text_content()
    assert "3 Pédagogie : 1 situation probante, 2 situations soumises s’y rapportent, 2 requises" in description
    bars = chart.locator('[data-role="validated-bar"]')
    assert bars.count() == 2
    assert bars.nth(0).bounding_box()["width"] > 0

    table = page.get_by_role("table",
                             name="Couverture par domaine — Référentiel TICE (équivalent textuel du graphique)")
    rows = table.locator("tbody tr")
    # On a phone the table's rows are stacked, one cell a line.
    assert [rows.nth(index).inner_text().split("\n") for index in range(rows.count())] == [
        ["3 Pédagogie", "1", "2", "2"], ["6 Formation professionnelle", "1", "1", "2"],
    ]

    status = page.locator('[data-role="attestation-status"]').inner_text()
    assert status == "Vous ne remplissez pas encore les conditions d’attestation de ce cours."
    requirements = page.get_by_role("table", name="Conditions de l’attestation")
    lacking = requirements.locator('[data-role="lacking"]').all_inner_texts()
    # Each requirement once, in its own row: 6 lacks an authentic situation (amina's is training).
    assert lacking == ["1 situation validée de plus", "1 situation validée de plus",
                       "1 situation authentique validée de plus"], lacking
    assert len(api.get_eligibility(amina, COURSE, language="fr").missing) == 3
    assert page.get_by_role("list", name="En attente d’évaluation").inner_text() == "Atelier de programmation"

    situations = page.get_by_role("table", name="4 situations dans ce cours")
    assert "Séance de géométrie avec tablettes" in situations.inner_text()
    assert "Brouillon" in situations.inner_text() and "Acceptée" in situations.inner_text()
    assert "Situation de Bruno" not in page.content()
    assert page.js_errors == []


def test_chart_is_readable_without_javascript(browser, portfolio_url):
    url, _amina = portfolio_url
    context = browser.new_context(java_script_enabled=False, locale="fr-FR",
                                  extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    try:
        page = context.new_page()
        page.goto(url)
        chart = page.get_by_role("img", name="Situations probantes par domaine — Référentiel TICE")
        assert chart.is_visible()
        assert chart.locator("text").all_text_contents()[:2] == ["3 Pédagogie", "1 / 2"]
    finally:
        context.close()
