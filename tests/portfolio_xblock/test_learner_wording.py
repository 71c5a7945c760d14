"""
What the learner's block says (issue 16), through the workbench's real handler URLs: progress that
counts submitted, awaiting review, to revise and accepted apart; competences with their titles;
the file kinds in words with every extension on demand; a block accepting one kind of situation
asks for none, and a training-only block is headed as such; what submitting needs is marked, and
a justification missing is named under its own field.
"""
import pytest

from competency_plugin.models import Evidence
from tests.portfolio_xblock.test_review_handlers import Review, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    framework, nodes = make_framework()
    return Review(make_scenario(f'<portfolio display_name="Portfolio" framework="{framework}" min_evidence="2"/>'),
                  nodes)


def page(scenario, student="amina"):
    return scenario.render(student, language="en").content.decode()


def test_progress_never_says_done_while_a_situation_is_to_revise(review):
    first, second = review.submit(), review.submit(title="Deuxième séance")
    assert "You have submitted the situations this activity asks for. Awaiting review: 2." in page(review.scenario)
    status, _body = review.decide(first, outcome="revision_requested", feedback="Précisez.")
    assert status == 200
    html = page(review.scenario)
    assert "You have submitted the situations" not in html
    assert ("Submitted situations: 2 of 2 required. Awaiting review: 1. To revise: 1. "
            "Revise the situations sent back, then submit them again.") in html
    review.decide(second, outcome="accepted")
    # A write answers with the same sentences, counted in its one query.
    status, body = review.scenario.post_json("submit_evidence", {"uuid": first}, student="amina")
    assert status == 200, body
    assert body["progress"] == ("You have submitted the situations this activity asks for. "
                                "Awaiting review: 1. Accepted: 1.")


def test_the_list_names_each_competence_with_its_title(review):
    review.submit()
    html = page(review.scenario)
    assert "<li>3.1 Enhanced teaching</li><li>3.2 Problem solving</li>" in html


def test_the_file_help_names_kinds_and_lists_extensions_on_demand(make_scenario):
    scenario = make_scenario('<portfolio display_name="P" file_kinds=\'["pdf", "office"]\'/>')
    html = page(scenario)
    assert "PDF, office documents." in html
    summary = html.index("<summary>Every accepted file extension</summary>")
    assert ".docx" in html[summary:]
    french = scenario.render("amina", language="fr").content.decode()
    assert "PDF, documents bureautiques." in french and "Toutes les extensions de fichier acceptées" in french


def test_a_block_of_one_kind_asks_for_none_and_files_it(make_scenario):
    scenario = make_scenario('<portfolio display_name="P" situation_types=\'["training"]\'/>')
    html = page(scenario)
    assert '<input type="radio" name="situation_type"' not in html and "Kind of situation: Training situation" in html
    assert "My training situations" in html and "My professional situations" not in html
    status, body = scenario.post_json("save_evidence", {"fields": {"title": "Atelier"}}, student="amina")
    assert status == 200, body
    assert Evidence.objects.get().situation_type == "training"
    # A kind the block does not accept is still refused.
    status, body = scenario.post_json("save_evidence", {"fields": {"title": "X", "situation_type": "authentic"}},
                                      student="amina")
    assert status == 400 and "situation_type" in body["field_errors"]


def test_a_block_of_both_kinds_keeps_the_choice_marked_as_required_to_submit(review):
    html = page(review.scenario)
    assert html.count('<input type="radio" name="situation_type"') == 2 and "My professional situations" in html
    for field in ("situation_type", "description", "analysis", "competences"):
        assert f'data-required-to-submit="{field}"' in html, field
    assert html.count("(required to submit)") == 4


def test_a_missing_justification_is_named_under_its_own_field(review):
    claims = [{"competence": str(review.nodes["3.1"]), "justification": "Parce que."},
              {"competence": str(review.nodes["3.2"]), "justification": "  "}]
    status, body = review.scenario.post_json("save_evidence", {"fields": {
        "title": "T", "situation_type": "authentic", "description": "D", "analysis": "A"}, "claims": claims},
        student="amina")
    assert status == 200, body
    status, body = review.scenario.post_json("submit_evidence", {"uuid": body["evidence"]["uuid"]}, student="amina")
    assert status == 400
    key = f"competences.{review.nodes['3.2']}.justification"
    assert body["field_errors"] == {
        "competences": ["Justify each competence you chose."],
        key: ["Explain how the situation shows this competence."],
    }
    html = page(review.scenario)
    assert f'data-error-for="{key}"' in html
