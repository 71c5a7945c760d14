"""
A review that flows (issue 16), through the workbench's real handler URLs: every decision error at
once, each under its field; after a decision the form folds under "Decision recorded"; a
resubmitted version shows what changed since the version last reviewed and is prefilled with the
earlier decisions; each situation has the anchor the course queue links to; the block names itself
and its course, and records its name when a learner submits.
"""
import json
import re

import pytest
from lxml import html as lxml_html

from competency_plugin import api
from competency_plugin.models import Evidence
from portfolio_xblock.review_changes import word_diff
from tests.portfolio_xblock.test_review_handlers import Review, make_framework, staff_section

pytestmark = pytest.mark.django_db


@pytest.fixture(name="review")
def fixture_review(make_scenario):
    """A block named "Séquence 1 : portfolio" collecting evidence for domain 3, a situation submitted there."""
    framework, nodes = make_framework()
    review = Review(make_scenario(
        f'<portfolio display_name="Séquence 1 : portfolio" framework="{framework}" min_evidence="2"/>'), nodes)
    review.evidence = review.submit()
    return review


def fragment(html):
    return lxml_html.fragment_fromstring(html, create_parent="div")


def test_every_decision_error_comes_at_once_under_its_field(review):
    item_html, version, base = review.open(review.evidence)
    payload = review.decision(review.evidence, version, base, outcome="",
                              statuses={"3.1": ("", ""), "3.2": ("validated", "Z")})
    status, body = review.scenario.post_json("review_decide", payload, student="staff_ana")
    assert status == 400
    assert set(body["field_errors"]) == {"outcome", "competences", "competences.0.status", "competences.1.level"}
    # The form has a slot under each competence, described by its fieldset, for the script to fill.
    form = fragment(item_html).xpath('//form[@data-role="review-form"]')[0]
    for index, fieldset in enumerate(form.xpath('.//fieldset[contains(@class, "cpf-review-competence")]')):
        slot = fieldset.xpath(f'.//p[@data-error-for="competences.{index}"]')[0]
        assert slot.get("id") in fieldset.get("aria-describedby").split()


def test_after_a_decision_the_form_folds_under_decision_recorded(review):
    status, body = review.decide(review.evidence, outcome="accepted")
    assert status == 200, body
    item = fragment(body["html"])
    decided = item.xpath('//*[@data-role="decided"]')[0]
    assert "Decision recorded" in decided.text_content() and "Accepted" in decided.text_content()
    form = item.xpath('//form[@data-role="review-form"]')[0]
    assert form.get("hidden") is not None, "the form is folded"
    button = decided.xpath('.//button[@data-review-action="change"]')[0]
    assert button.get("aria-controls") == form.get("id") and button.get("aria-expanded") == "false"
    # An item opened anew (not just decided) shows its form.
    html, _version, _base = review.open(review.evidence)
    assert 'data-role="decided"' not in html
    # The queue's lines say their status, so that the script finds the next one waiting.
    other = review.submit(student="bruno", title="Autre séance")
    status, body = review.decide(review.evidence, outcome="accepted")
    assert f'data-uuid="{other}" data-status="submitted"' in body["queue_html"] or status == 409


def test_a_resubmission_shows_what_changed_and_the_earlier_decisions(review):
    status, body = review.decide(review.evidence, outcome="revision_requested", feedback="Précisez la consigne.",
                                 statuses={"3.1": ("validated", "B"), "3.2": ("not_yet", "")})
    assert status == 200, body
    page = review.scenario.render("amina").content.decode()
    script = re.search(r'<script id="[^"]*-evidence" type="application/json">(.*?)</script>', page, re.S).group(1)
    (editable,) = json.loads(script)
    status, body = review.scenario.post_json("save_evidence", {
        "uuid": review.evidence, "edit_version": editable["edit_version"],
        "fields": {"analysis": "La consigne tient maintenant en trois étapes.", "situation_type": "authentic",
                   "title": "Séance de géométrie"},
        "claims": [{"competence": str(review.nodes["3.1"]), "justification": "Justification de 3.1"}],
    }, student="amina")
    assert status == 200, body
    assert review.scenario.post_json("submit_evidence", {"uuid": review.evidence}, student="amina")[0] == 200

    html, version, _base = review.open(review.evidence)
    assert version == 2
    item = fragment(html)
    changes = item.xpath('//*[@data-role="changes"]')[0]
    assert "What changed since version 1, the last one reviewed" in changes.text_content()
    deleted = " ".join(node.text_content() for node in changes.xpath(".//del"))
    added = " ".join(node.text_content() for node in changes.xpath(".//ins"))
    assert "était" in deleted and "longue." in deleted and "consigne" not in deleted, "word by word"
    assert "trois étapes." in added and added.startswith("[added: ")  # said to screen readers

    assert "3.2 Problem solving" in changes.text_content() and "Competence removed" in changes.text_content()
    # The earlier decision on 3.1 is prefilled, and said beside the field.
    (fieldset,) = item.xpath('//fieldset[contains(@class, "cpf-review-competence")]')
    assert fieldset.xpath('.//input[@value="validated"]')[0].get("checked") is not None
    assert fieldset.xpath('.//option[@value="B"]')[0].get("selected") is not None
    assert "Decision on version 1: Validated (Proficient)" in fieldset.text_content()
    # The outcome is the reviewer's to choose anew.
    assert not item.xpath('//input[@name="outcome"][@checked]')


def test_a_version_unchanged_says_so(review):
    review.decide(review.evidence, outcome="revision_requested", feedback="Relisez.")
    assert review.scenario.post_json("submit_evidence", {"uuid": review.evidence}, student="amina")[0] == 200
    html, _version, _base = review.open(review.evidence)
    assert "Nothing changed: the learner submitted the same text again." in html


def test_the_situation_has_the_anchor_the_course_queue_links_to(review):
    html, _version, _base = review.open(review.evidence)
    anchor = api.situation_anchor(review.evidence)
    assert f'<article class="cpf-review-item" id="{anchor}"' in html
    assert api.situation_url("course-v1:A+B+C", "block-v1:A+B+C+type@portfolio+block@x", review.evidence).endswith(
        "#" + anchor)


def test_the_block_names_itself_and_its_course_and_records_its_name(review):
    section = staff_section(review.scenario.render("staff_ana", language="en").content.decode())
    names = fragment(section).xpath('//*[@data-role="review-names"]')[0].text_content()
    course_key = Evidence.objects.get(uuid=review.evidence).course_key
    assert f"Component “Séquence 1 : portfolio” of the course “{course_key}”." in names  # no LMS: the key
    (item,) = api.review_queue(course_key=course_key).items
    assert item.block_name == "Séquence 1 : portfolio", "recorded when the learner submitted"


def test_changes_are_word_by_word_within_a_bounded_comparison():
    assert word_diff("La consigne était trop longue.", "La consigne tient en trois étapes.") == [
        ("same", "La consigne "), ("del", "était trop longue."), ("ins", "tient en trois étapes.")]
    # One word changed in a 20,000-character paragraph: found by what both versions share at each end.
    text = " ".join(f"mot{number}" for number in range(2500))
    assert word_diff(text, text.replace("mot1200 ", "terme ")) == [
        ("same", text[:text.index("mot1200 ")]), ("del", "mot1200 "), ("ins", "terme "),
        ("same", text[text.index("mot1201 "):])]
    # A long run changed throughout is shown whole rather than compared word by word (a quadratic cost).
    rewritten = " ".join(f"autre{number}" if number % 10 == 0 else f"mot{number}" for number in range(2500))
    changes = word_diff(text, rewritten)
    assert [operation for operation, _text in changes] == ["del", "ins", "same"]
    assert changes[0][1].startswith("mot0 mot1 ") and changes[2][1] == " ".join(f"mot{n}" for n in range(2491, 2500))
    # Lines are compared first: an unchanged paragraph stays as it was.
    assert word_diff("Intro.\nAncien texte.\n", "Intro.\nNouveau texte.\n") == [
        ("same", "Intro.\n"), ("del", "Ancien "), ("ins", "Nouveau "), ("same", "texte.\n")]
