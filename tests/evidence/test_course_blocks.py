"""
The course's portfolio blocks, cached between requests: a first submission in a new block is seen
once committed, and eligibility ("every portfolio activity completed") follows it.
"""
import pytest

from competency_plugin import api
from competency_plugin.evidence.course_blocks import course_blocks
from tests.factories import UserFactory
from tests.review.support import COURSE, decide, make_framework, submitted, usage_key

pytestmark = pytest.mark.django_db


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


def test_blocks_are_read_once_then_cached(framework, django_assert_num_queries):
    submitted(UserFactory(), framework, block="b1")
    with django_assert_num_queries(1):
        assert course_blocks(COURSE) == {usage_key("b1")}
    with django_assert_num_queries(1):  # the blocks' names only
        assert api.review_blocks(course_key=COURSE) == [(usage_key("b1"), "b1")]


def test_a_first_submission_in_a_new_block_is_seen_once_committed(framework, django_capture_on_commit_callbacks):
    learner = UserFactory()
    submitted(learner, framework, block="b1")
    assert course_blocks(COURSE) == {usage_key("b1")}
    with django_capture_on_commit_callbacks(execute=True):
        submitted(UserFactory(), framework, block="b2")
    assert course_blocks(COURSE) == {usage_key("b1"), usage_key("b2")}


def test_a_submission_in_a_known_block_keeps_the_cache(framework, django_capture_on_commit_callbacks,
                                                       django_assert_num_queries):
    submitted(UserFactory(), framework, block="b1")
    course_blocks(COURSE)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(UserFactory(), framework, block="b1")
    with django_assert_num_queries(0):
        assert course_blocks(COURSE) == {usage_key("b1")}


def test_every_activity_completed_follows_a_new_block(framework, django_capture_on_commit_callbacks):
    learner, reviewer = UserFactory(), UserFactory()
    api.set_policy(course_key=COURSE, framework=framework["framework"], requirements=[{"competence": framework["D1"]}],
                   require_blocks_completed=True)
    decide(submitted(learner, framework, block="b1"), reviewer, framework)
    assert api.get_eligibility(learner, COURSE).eligible
    # Another learner is the first to submit in a second activity: this learner has not completed it.
    with django_capture_on_commit_callbacks(execute=True):
        submitted(UserFactory(), framework, block="b2")
    assert not api.get_eligibility(learner, COURSE).eligible
