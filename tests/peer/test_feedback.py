"""Feedback given and received: structure, replies once, helpful, reports, moderation, anonymity."""
# pylint: disable=unbalanced-tuple-unpacking  # ``learners_with_situations`` returns as many pairs as asked
import pytest

from competency_plugin import api
from competency_plugin.peer.models import PeerModerationRecord, PeerSituation
from tests import factories
from tests.peer.support import BLOCK, COURSE, SETTINGS, answer, learners_with_situations, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture(name="framework")
def framework_fixture():
    return make_framework()


@pytest.fixture(name="pair")
def pair_fixture(framework):
    """(reader, author, the reading the reader holds of the author's situation)."""
    (reader, _mine), (author, _theirs) = learners_with_situations(framework, 2)
    return reader, author, api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)


def summary(user, settings=SETTINGS):
    return api.peer_summary(user_id=user.id, usage_key=BLOCK, settings=settings)


def test_feedback_carries_a_verdict_per_claimed_competence(pair):
    reader, author, reading = pair
    given = answer(reader, reading, question="Combien d’élèves ?")
    assert [item.code for item in given.verdicts] == ["D1.1", "D1.2"]
    assert {item.verdict for item in given.verdicts} == {"convincing"}
    received = summary(author).received
    assert [item.uuid for item in received] == [given.uuid]
    assert received[0].question == "Combien d’élèves ?" and received[0].title == reading.content["title"]


@pytest.mark.parametrize("verdicts, field", [
    ("nope", "verdicts"),
    ([], "verdicts"),
    ([{"competence": "x", "verdict": "convincing"}], "verdicts"),
])
def test_bad_verdicts_are_refused_by_field(pair, verdicts, field):
    reader, _author, reading = pair
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.give_feedback(reader_id=reader.id, reading_uuid=reading.uuid, usage_key=BLOCK, settings=SETTINGS,
                          verdicts=verdicts, comment="ok")
    assert field in raised.value.field_errors


def test_an_unknown_verdict_value_and_an_empty_comment_are_refused(pair):
    reader, _author, reading = pair
    claims = reading.content["claims"]
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.give_feedback(reader_id=reader.id, reading_uuid=reading.uuid, usage_key=BLOCK, settings=SETTINGS,
                          verdicts=[{"competence": c["competence"], "verdict": "great"} for c in claims], comment="x")
    assert "verdicts" in raised.value.field_errors
    with pytest.raises(api.CompetencyRequestError) as raised:
        answer(reader, reading, comment="  ")
    assert "comment" in raised.value.field_errors


def test_a_reading_is_answered_once_and_only_by_its_reader(pair, framework):
    reader, author, reading = pair
    with pytest.raises(api.CompetencyNotFoundError):
        answer(author, reading)
    answer(reader, reading)
    with pytest.raises(api.CompetencyConflictError):
        answer(reader, reading)
    assert framework


def test_the_author_replies_once_and_marks_helpful(pair):
    reader, author, reading = pair
    given = answer(reader, reading)
    replied = api.reply_to_feedback(author_id=author.id, feedback_uuid=given.uuid, usage_key=BLOCK, reply="Merci !")
    assert replied.reply == "Merci !"
    with pytest.raises(api.CompetencyConflictError):
        api.reply_to_feedback(author_id=author.id, feedback_uuid=given.uuid, usage_key=BLOCK, reply="Encore")
    assert api.mark_feedback_helpful(author_id=author.id, feedback_uuid=given.uuid, usage_key=BLOCK).helpful
    # The reader sees the reply under the feedback they gave.
    assert summary(reader).given[0].reply == "Merci !"


def test_only_the_author_acts_on_feedback_received(pair):
    reader, _author, reading = pair
    given = answer(reader, reading)
    stranger = factories.UserFactory(username="stranger")
    for user in (reader, stranger):
        with pytest.raises(api.CompetencyNotFoundError):
            api.reply_to_feedback(author_id=user.id, feedback_uuid=given.uuid, usage_key=BLOCK, reply="Hop")
        with pytest.raises(api.CompetencyNotFoundError):
            api.report_feedback(author_id=user.id, feedback_uuid=given.uuid, usage_key=BLOCK)


def test_anonymous_feedback_never_names_its_reader_to_the_author_but_always_to_staff(pair, framework):
    reader, author, reading = pair
    answer(reader, reading)
    assert summary(author).received[0].reader == ""
    assert summary(reader).given[0].reader == reader.username
    review = api.get_review_item(evidence_uuid=reading.evidence_uuid, course_key=COURSE)
    assert [item.reader for item in review.peer_feedback] == [reader.username]
    assert framework


def test_named_feedback_names_its_reader(framework):
    (reader, _mine), (author, _theirs) = learners_with_situations(framework, 2)
    named = api.PeerSettings(enabled=True, anonymous=False)
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=named)
    answer(reader, reading, settings=named)
    assert summary(author, named).received[0].reader == reader.username


def test_moderated_feedback_reaches_the_author_once_released(framework):
    (reader, _mine), (author, _theirs) = learners_with_situations(framework, 2)
    moderated = api.PeerSettings(enabled=True, moderated=True)
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=moderated)
    given = answer(reader, reading, settings=moderated)
    assert not summary(author, moderated).received
    staff = factories.UserFactory(username="staff-m", is_staff=True)
    api.moderate_peer_feedback(course_key=COURSE, feedback_uuid=given.uuid, moderator_id=staff.id, action="release")
    assert [item.uuid for item in summary(author, moderated).received] == [given.uuid]
    assert PeerModerationRecord.objects.get().action == "released"


def test_reported_feedback_hidden_by_staff_never_reaches_the_author_and_is_audited(pair):
    reader, author, reading = pair
    given = answer(reader, reading, comment="Des mots blessants.")
    reported = api.report_feedback(author_id=author.id, feedback_uuid=given.uuid, usage_key=BLOCK)
    assert reported.reported
    staff = factories.UserFactory(username="staff-h", is_staff=True)
    queue = api.review_queue(course_key=COURSE, statuses=api.REVIEWABLE_STATUSES, peer_feedback="reported")
    assert [item.uuid for item in queue.items] == [reading.evidence_uuid]
    hidden = api.moderate_peer_feedback(course_key=COURSE, feedback_uuid=given.uuid, moderator_id=staff.id,
                                        action="hide")
    assert hidden.hidden and hidden.reader == reader.username
    assert not summary(author).received
    record = PeerModerationRecord.objects.get()
    assert (record.action, record.moderator_id, record.feedback_id is not None) == ("hidden", staff.id, True)
    # Hidden: out of the reported filter, and the situation waits for another reader.
    assert api.review_queue(course_key=COURSE, statuses=api.REVIEWABLE_STATUSES, peer_feedback="reported").count == 0
    assert PeerSituation.objects.get(evidence__uuid=reading.evidence_uuid).received == 0


def test_moderation_is_refused_for_another_course_and_an_unknown_action(pair):
    reader, _author, reading = pair
    given = answer(reader, reading)
    with pytest.raises(api.CompetencyNotFoundError):
        api.moderate_peer_feedback(course_key="course-v1:Other+X+Y", feedback_uuid=given.uuid, moderator_id=None,
                                   action="hide")
    with pytest.raises(api.CompetencyRequestError):
        api.moderate_peer_feedback(course_key=COURSE, feedback_uuid=given.uuid, moderator_id=None, action="burn")


def test_the_queue_filter_reads_peer_feedback_once():
    assert api.QueueFilter.parse({"peer_feedback": "reported"}).peer_feedback == "reported"
    assert api.QueueFilter.parse({}).peer_feedback == ""
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.QueueFilter.parse({"peer_feedback": "all"})
    assert list(raised.value.field_errors) == ["peer_feedback"]
    assert api.QueueFilter.parse({"peer_feedback": "all"}, strict=False).peer_feedback == ""
