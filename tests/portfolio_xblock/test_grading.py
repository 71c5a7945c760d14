"""
Grading: a block the author weights is scored by the share of its required situations the
staff accepted. Proven in the LMS-faithful runtime (tests/lms_runtime): the runtime is bound to
one user, its publish service scores that user only, and the grades app writes the learner's
StudentModule row, which the instructor's rescore walk visits.
"""
from io import BytesIO

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime
from xblock.scorable import Score

from portfolio_xblock.block import PortfolioXBlock
from tests.lms_runtime.instructor_task import rescore_problem
from tests.lms_runtime.models import StudentModule
from tests.lms_runtime.runtime import get_user


def scores(usage_key):
    """{username: (grade, max_grade)} of the block's StudentModule rows, as the grades app wrote them."""
    return {
        row.student.username: (row.grade, row.max_grade)
        for row in StudentModule.objects.filter(module_state_key=str(usage_key)).select_related("student")
    }


class TestScoresReachTheLearner:
    """weight="3", min_evidence="2": each accepted situation is worth 1.5 points, up to 3."""

    @pytest.fixture(name="usage")
    def fixture_usage(self, lms):
        return lms.add('<portfolio weight="3" min_evidence="2" max_evidence="10"/>')

    def test_a_decision_scores_the_learner_not_the_reviewer(self, lms, usage):
        first, second, third = (lms.submit(usage, title=f"Situation {number}") for number in range(3))
        assert scores(usage) == {}  # submitting is not accepting
        assert lms.decide(usage, first)[0] == 200
        assert scores(usage) == {"amina": (1.5, 3.0)}  # no row for staff_ana, who decided
        assert lms.decide(usage, second)[0] == 200
        assert scores(usage) == {"amina": (3.0, 3.0)}
        modified = StudentModule.objects.get().modified
        assert lms.decide(usage, third)[0] == 200
        assert StudentModule.objects.get().modified == modified  # a third acceptance changes nothing

    def test_each_learner_gets_their_own_score(self, lms, usage):
        assert lms.decide(usage, lms.submit(usage, student="amina"))[0] == 200
        assert lms.decide(usage, lms.submit(usage, student="bruno"), staff="staff_chloe")[0] == 200
        assert lms.decide(usage, lms.submit(usage, student="bruno"))[0] == 200
        assert scores(usage) == {"amina": (1.5, 3.0), "bruno": (3.0, 3.0)}

    def test_the_runtime_publish_would_have_scored_the_reviewer(self, lms, usage):
        """What the block no longer does: the LMS's publish service ignores ``user_id`` (the double copies it)."""
        runtime, block = lms.as_user("staff_ana", usage)
        runtime.publish(block, "grade", {"value": 3.0, "max_value": 3.0, "user_id": get_user("amina").id})
        assert scores(usage) == {"staff_ana": (3.0, 3.0)}

    def test_a_revision_request_scores_nothing(self, lms, usage):
        assert lms.decide(usage, lms.submit(usage), outcome="revision_requested", feedback="À revoir")[0] == 200
        assert scores(usage) == {}

    def test_withdrawing_an_acceptance_lowers_the_score(self, lms, usage):
        evidence = lms.submit(usage)
        assert lms.decide(usage, evidence)[0] == 200
        assert lms.decide(usage, evidence, outcome="revision_requested", feedback="Finalement, précisez.")[0] == 200
        assert scores(usage) == {"amina": (0.0, 3.0)}

    def test_a_refused_decision_scores_nothing(self, lms, usage):
        evidence = lms.submit(usage)
        runtime, block = lms.as_user("amina", usage)
        status, _body = runtime.post_json(block, "review_decide", {"uuid": evidence, "outcome": "accepted"})
        assert status == 403
        runtime, block = lms.as_user("staff_ana", usage)
        status, _body = runtime.post_json(block, "review_decide", {
            "uuid": evidence, "version": 99, "base_decision": None, "outcome": "accepted", "competences": [],
        })
        assert status == 409
        assert scores(usage) == {}

    def test_completion_goes_to_the_learner(self, lms, usage):
        lms.submit(usage)
        lms.submit(usage)
        assert lms.course.completions == [(get_user("amina").id, usage, 1.0)]

    def test_block_declares_its_score(self, lms, usage):
        _runtime, block = lms.as_user("amina", usage)
        assert block.has_score is True
        assert block.max_score() == 3.0
        assert [block.score_for(count) for count in (0, 1, 2, 5)] == [0.0, 1.5, 3.0, 3.0]


def test_unscored_block_scores_nothing(lms):
    usage = lms.add('<portfolio min_evidence="1"/>')
    _runtime, block = lms.as_user("amina", usage)
    assert (block.weight, block.has_score, block.max_score()) == (0.0, False, None)
    assert lms.decide(usage, lms.submit(usage))[0] == 200
    assert scores(usage) == {}


def test_without_a_minimum_one_accepted_situation_gives_full_marks(lms):
    usage = lms.add('<portfolio weight="1" min_evidence="0"/>')
    assert lms.decide(usage, lms.submit(usage))[0] == 200
    assert scores(usage) == {"amina": (1.0, 1.0)}


class TestRescoring:
    """
    The instructor dashboard's rescore walks the block's StudentModule rows and recomputes each
    learner's score with the block bound to them. Until then, what the grades app recorded stands:
    an author changing the required number of situations changes no learner's recorded score.
    """

    @staticmethod
    def set_minimum(lms, usage, minimum):
        """The author changes the required number of situations (a setting: one value for every learner)."""
        _runtime, block = lms.as_user("staff_author", usage)
        block.min_evidence = minimum
        block.save()

    def test_rescoring_follows_a_lowered_minimum(self, lms):
        usage = lms.add('<portfolio weight="3" min_evidence="2"/>')
        assert lms.decide(usage, lms.submit(usage))[0] == 200
        assert scores(usage) == {"amina": (1.5, 3.0)}
        self.set_minimum(lms, usage, 1)
        assert scores(usage) == {"amina": (1.5, 3.0)}  # the recorded score survives the change
        _runtime, block = lms.as_user("amina", usage)
        assert block.get_score() == Score(raw_earned=3.0, raw_possible=3.0)  # what a rescore will record
        progress = rescore_problem(lms.course, usage, only_if_higher=False)
        assert progress == {"attempted": 1, "succeeded": 1, "skipped": 0, "failed": 0, "total": 1}
        assert scores(usage) == {"amina": (3.0, 3.0)}

    def test_a_raised_minimum_lowers_a_score_only_when_the_instructor_rescores_so(self, lms):
        usage = lms.add('<portfolio weight="3" min_evidence="1"/>')
        assert lms.decide(usage, lms.submit(usage))[0] == 200
        self.set_minimum(lms, usage, 3)
        assert scores(usage) == {"amina": (3.0, 3.0)}
        assert rescore_problem(lms.course, usage, only_if_higher=True)["succeeded"] == 1
        assert scores(usage) == {"amina": (3.0, 3.0)}  # "only if higher": the lower score is not recorded
        rescore_problem(lms.course, usage, only_if_higher=False)
        assert scores(usage) == {"amina": (1.0, 3.0)}

    def test_the_walk_visits_the_scored_learners_only(self, lms):
        usage = lms.add('<portfolio weight="2" min_evidence="1"/>')
        assert lms.decide(usage, lms.submit(usage, student="amina"))[0] == 200
        lms.submit(usage, student="bruno")  # submitted, not reviewed: no score, no row
        assert rescore_problem(lms.course, usage)["total"] == 1
        assert rescore_problem(lms.course, usage, student=get_user("bruno"))["total"] == 0

    def test_a_learner_without_submission_cannot_be_rescored(self, lms):
        usage = lms.add('<portfolio weight="3"/>')
        lms.submit(usage, student="bruno")
        _runtime, block = lms.as_user("amina", usage)
        with pytest.raises(ValueError):
            block.rescore(only_if_higher=True)

    def test_an_unscored_block_cannot_be_rescored(self, lms):
        usage = lms.add('<portfolio min_evidence="1"/>')
        lms.submit(usage)
        _runtime, block = lms.as_user("amina", usage)
        with pytest.raises(TypeError):
            block.rescore(only_if_higher=False)


class TestWeightField:
    """Authors set the weight in Studio; it is checked and survives an OLX export."""

    def test_editable_in_studio(self, portfolio):
        block = portfolio.block("staff1")
        assert "weight" in PortfolioXBlock.editable_fields
        html = block.runtime.render(block, "studio_view").content
        assert 'data-field-name="weight"' in html

    def test_summarised_for_authors(self, make_scenario, english):  # pylint: disable=unused-argument
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


def test_a_score_for_an_account_gone_is_dropped(lms):
    """A learner whose account was deleted has no grade to receive: logged, not raised."""
    from competency_plugin import api  # pylint: disable=import-outside-toplevel

    usage = lms.add('<portfolio weight="1"/>')
    _runtime, block = lms.as_user("staff_ana", usage)
    assert api.publish_score(block=block, user_id=987654, earned=1.0, possible=1.0) is False
    assert scores(usage) == {}
