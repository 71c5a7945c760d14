"""
Grading: a block the author weights is scored by the share of its required situations the
staff accepted, published through the XBlock grading API when a decision changes it.
"""
from io import BytesIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from lxml import etree
from workbench.runtime import WorkbenchRuntime
from xblock.scorable import Score

from portfolio_xblock.block import PortfolioXBlock
from tests.portfolio_xblock.test_review_handlers import Review, make_framework


@pytest.fixture(name="publish")
def fixture_publish():
    """A spy on the runtime's ``publish``: the grade events sent, as (block, data)."""
    with mock.patch.object(WorkbenchRuntime, "publish", autospec=True) as spy:
        spy.grades = lambda: [(call.args[1], call.args[3]) for call in spy.call_args_list if call.args[2] == "grade"]
        yield spy


def scored(make_scenario, attributes):
    framework, nodes = make_framework()
    return Review(make_scenario(f'<portfolio framework="{framework}" max_evidence="10" {attributes}/>'), nodes)


def user_id(username):
    return get_user_model().objects.get(username=username).id


class TestScoredBlock:
    """weight="3", min_evidence="2": each accepted situation is worth 1.5 points, up to 3."""

    @pytest.fixture(name="review")
    def fixture_review(self, make_scenario):
        return scored(make_scenario, 'weight="3" min_evidence="2"')

    def test_accepting_publishes_the_share_of_required_situations(self, review, publish):
        first, second, third = (review.submit(title=f"Situation {number}") for number in range(3))
        assert publish.grades() == []  # submitting is not accepting
        assert review.decide(first)[0] == 200
        ((block, data),) = publish.grades()
        assert isinstance(block, PortfolioXBlock)
        assert data == {"value": 1.5, "max_value": 3.0, "user_id": user_id("amina")}
        assert review.decide(second)[0] == 200
        assert publish.grades()[-1][1] == {"value": 3.0, "max_value": 3.0, "user_id": user_id("amina")}
        assert review.decide(third)[0] == 200
        assert len(publish.grades()) == 2  # a third accepted situation does not change the score

    def test_a_revision_request_changes_nothing(self, review, publish):
        evidence = review.submit()
        assert review.decide(evidence, outcome="revision_requested", feedback="À revoir")[0] == 200
        assert publish.grades() == []

    def test_withdrawing_an_acceptance_lowers_the_score(self, review, publish):
        evidence = review.submit()
        assert review.decide(evidence)[0] == 200
        assert review.decide(evidence, outcome="revision_requested", feedback="Finalement, précisez.")[0] == 200
        assert [data["value"] for _block, data in publish.grades()] == [1.5, 0.0]

    def test_the_grade_goes_to_the_learner_not_to_the_reviewer(self, review, publish):
        assert review.decide(review.submit(student="learner2"))[0] == 200
        ((_block, data),) = publish.grades()
        assert data["user_id"] == user_id("learner2") != user_id("staff_ana")

    def test_a_refused_decision_publishes_nothing(self, review, publish):
        evidence = review.submit()
        _html, version, base = review.open(evidence)
        assert review.scenario.post_json(
            "review_decide", review.decision(evidence, version, base), student="amina"
        )[0] == 403
        assert review.scenario.post_json(
            "review_decide", review.decision(evidence, version + 1, base), student="staff_ana"
        )[0] == 409
        assert publish.grades() == []

    def test_block_declares_its_score(self, review):
        block = review.scenario.block("amina")
        assert block.has_score is True
        assert block.max_score() == 3.0
        assert [block.score_for(count) for count in (0, 1, 2, 5)] == [0.0, 1.5, 3.0, 3.0]


class TestRescoring:
    """The LMS's instructor tools rescore a learner: the block recomputes from the decisions and settings now."""

    def test_rescoring_follows_a_changed_minimum(self, make_scenario, publish):
        review = scored(make_scenario, 'weight="3" min_evidence="2"')
        assert review.decide(review.submit())[0] == 200
        assert publish.grades()[-1][1]["value"] == 1.5
        block = review.scenario.block("amina")  # bound to the learner, as the LMS's rescoring loads it
        assert block.get_score() == Score(raw_earned=1.5, raw_possible=3.0)
        block.min_evidence = 1  # the author now asks for one situation
        block.save()
        block.rescore(only_if_higher=False)
        assert publish.grades()[-1][1] == {"value": 3.0, "max_value": 3.0, "only_if_higher": False}

    def test_a_learner_without_submission_cannot_be_rescored(self, make_scenario):
        review = scored(make_scenario, 'weight="3"')
        review.submit(student="learner2")
        with pytest.raises(ValueError):
            review.scenario.block("amina").rescore(only_if_higher=True)

    def test_an_unscored_block_cannot_be_rescored(self, make_scenario):
        review = scored(make_scenario, 'min_evidence="1"')
        review.submit()
        with pytest.raises(TypeError):
            review.scenario.block("amina").rescore(only_if_higher=False)


def test_unscored_block_publishes_nothing(make_scenario, publish):
    review = scored(make_scenario, 'min_evidence="1"')
    block = review.scenario.block("amina")
    assert (block.weight, block.has_score, block.max_score()) == (0.0, False, None)
    assert review.decide(review.submit())[0] == 200
    assert publish.grades() == []


def test_without_a_minimum_one_accepted_situation_gives_full_marks(make_scenario, publish):
    review = scored(make_scenario, 'weight="1" min_evidence="0"')
    assert review.decide(review.submit())[0] == 200
    assert [data["value"] for _block, data in publish.grades()] == [1.0]


class TestWeightField:
    """Authors set the weight in Studio; it is checked and survives an OLX export."""

    def test_editable_in_studio(self, portfolio):
        block = portfolio.block("staff1")
        assert "weight" in PortfolioXBlock.editable_fields
        html = block.runtime.render(block, "studio_view").content
        assert 'data-field-name="weight"' in html

    def test_summarised_for_authors(self, make_scenario):
        block = make_scenario('<portfolio weight="2.5"/>').block("staff1")
        assert "<dt>Weight</dt><dd>2.5</dd>" in block.runtime.render(block, "author_view").content
        block = make_scenario("<portfolio/>").block("staff1")
        assert "<dt>Weight</dt><dd>Not graded</dd>" in block.runtime.render(block, "author_view").content

    @pytest.mark.parametrize("weight, valid", [(0, True), (2.5, True), (-1, False)])
    def test_negative_weight_is_refused(self, portfolio, weight, valid):
        block = portfolio.block("staff1")
        block.weight = weight
        assert bool(block.validate()) is valid

    @pytest.mark.django_db
    def test_exported_in_olx(self):
        runtime = WorkbenchRuntime("staff1")
        block = runtime.get_block(runtime.parse_xml_string('<portfolio weight="2" min_evidence="3"/>'))
        out = BytesIO()
        runtime.export_to_xml(block, out)
        node = etree.fromstring(out.getvalue())
        assert float(node.get("weight")) == 2.0
        reimported = runtime.get_block(runtime.parse_xml_string(out.getvalue()))
        assert (reimported.weight, reimported.has_score) == (2.0, True)
        default = runtime.get_block(runtime.parse_xml_string("<portfolio/>"))
        out = BytesIO()
        runtime.export_to_xml(default, out)
        assert etree.fromstring(out.getvalue()).get("weight") is None
