"""
Peer feedback in the block, in the LMS-faithful runtime: a learner reads a colleague's situation and
answers it, the author reads it (anonymous to them), replies, marks it helpful and reports it; staff
see it named beside the situation, filter the queue on it and hide it. Every handler checks its
caller on the server; staff viewing as a learner and Studio's preview write nothing.
"""
import re

import pytest
from django.utils import translation

from competency_plugin.models import PeerAllocation, PeerFeedback, PeerModerationRecord
from tests.factories import data_snapshot
from tests.lms_runtime.runtime import get_user

LEARNER_WRITES = ("peer_request", "peer_give", "peer_reply", "peer_helpful", "peer_report")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(name="usage")
def fixture_usage(lms):
    return lms.add('<portfolio peer_feedback="true" peer_count="2"/>')


@pytest.fixture(name="situations")
def fixture_situations(lms, usage):
    """amina's and bruno's submitted situations: {name: uuid}."""
    return {name: lms.submit(usage, student=name, title=f"Séance de {name}") for name in ("amina", "bruno")}


def post(lms, who, usage, handler, payload, **kwargs):
    runtime, block = lms.as_user(who, usage, **kwargs)
    return runtime.post_json(block, handler, payload)


def reading_uuid(html):
    return re.search(r'data-reading="([0-9a-f-]+)"', html).group(1)


def give(lms, usage, reader="amina", comment="Une analyse <b>précise</b>."):
    status, body = post(lms, reader, usage, "peer_request", {})
    assert status == 200, body
    status, body = post(lms, reader, usage, "peer_give", {
        "reading": reading_uuid(body["html"]), "verdicts": [], "comment": comment, "question": "Et après ?"})
    assert status == 200, body
    return PeerFeedback.objects.get(reader__username=reader)


def test_the_learner_reads_a_colleagues_situation_and_answers_it(lms, usage, situations):
    status, body = post(lms, "amina", usage, "peer_request", {})
    assert status == 200 and "Séance de bruno" in body["html"] and "Séance de amina" not in body["html"]
    assert body["message"] == "A colleague's situation is ready for you to read."
    assert "bruno" not in body["html"].replace("Séance de bruno", "")  # anonymous: the author is not named
    status, body = post(lms, "amina", usage, "peer_give", {"reading": reading_uuid(body["html"]), "verdicts": [],
                                                           "comment": ""})
    assert status == 400 and "comment" in body["field_errors"]
    feedback = give(lms, usage)
    assert feedback.evidence.uuid.hex == situations["bruno"].replace("-", "")


def test_the_author_reads_anonymous_feedback_replies_once_marks_helpful_and_reports(lms, usage, situations):
    feedback = give(lms, usage)
    runtime, block = lms.as_user("bruno", usage)
    page = runtime.render_student_view(block)
    assert "Une analyse &lt;b&gt;précise&lt;/b&gt;." in page and "amina" not in page  # escaped, anonymous
    status, body = post(lms, "bruno", usage, "peer_reply", {"feedback": str(feedback.uuid), "reply": "Merci"})
    assert status == 200 and body["message"] == "Reply sent."
    status, body = post(lms, "bruno", usage, "peer_reply", {"feedback": str(feedback.uuid), "reply": "Encore"})
    assert status == 409
    status, body = post(lms, "bruno", usage, "peer_helpful", {"feedback": str(feedback.uuid), "helpful": True})
    assert status == 200 and 'aria-pressed="true"' in body["html"]
    status, body = post(lms, "bruno", usage, "peer_report", {"feedback": str(feedback.uuid)})
    assert status == 200 and "You reported this feedback to the staff." in body["html"]
    # The reader is not the author: the author's actions are refused to them.
    assert post(lms, "amina", usage, "peer_report", {"feedback": str(feedback.uuid)})[0] == 404
    assert situations


def test_staff_see_it_named_filter_the_queue_and_hide_it(lms, usage, situations):
    feedback = give(lms, usage)
    post(lms, "bruno", usage, "peer_report", {"feedback": str(feedback.uuid)})
    status, body = post(lms, "staff_ana", usage, "review_queue", {"status": "peer_reported"})
    assert status == 200 and "Séance de bruno" in body["html"] and "Séance de amina" not in body["html"]
    status, body = post(lms, "staff_ana", usage, "review_item", {"uuid": situations["bruno"]})
    assert "Feedback from peers" in body["html"] and ">amina (anonymous to the author)<" in body["html"]
    assert "Reported by the author" in body["html"]
    status, body = post(lms, "staff_ana", usage, "peer_moderate", {
        "feedback": str(feedback.uuid), "action": "hide", "evidence": situations["bruno"]})
    assert status == 200 and body["message"] == "Feedback hidden from the author."
    record = PeerModerationRecord.objects.get()
    assert (record.action, record.moderator.username) == ("hidden", "staff_ana")
    runtime, block = lms.as_user("bruno", usage)
    assert "précise" not in runtime.render_student_view(block)
    status, body = post(lms, "staff_ana", usage, "review_queue", {"status": "peer_reported"})
    assert "Séance de bruno" not in body["html"]


def test_learners_cannot_moderate(lms, usage, situations):
    feedback = give(lms, usage)
    status, body = post(lms, "bruno", usage, "peer_moderate", {
        "feedback": str(feedback.uuid), "action": "hide", "evidence": situations["bruno"]})
    assert (status, body["error"]) == (403, "forbidden")
    assert not PeerFeedback.objects.get().hidden


def test_peer_feedback_off_refuses_and_shows_nothing(lms, situations):  # pylint: disable=unused-argument
    off = lms.add("<portfolio/>")
    lms.submit(off, student="amina")
    lms.submit(off, student="bruno")
    status, body = post(lms, "amina", off, "peer_request", {})
    assert (status, body["error"]) == (403, "forbidden")
    runtime, block = lms.as_user("amina", off)
    assert 'data-role="peer"' not in runtime.render_student_view(block)


def test_a_learner_who_submitted_nothing_is_told_so(lms, usage, situations):  # pylint: disable=unused-argument
    runtime, block = lms.as_user("chloe", usage)
    assert "Submit a situation of your own to read your colleagues' situations." in runtime.render_student_view(block)
    status, body = post(lms, "chloe", usage, "peer_request", {})
    assert (status, body["error"]) == (403, "forbidden")


@pytest.mark.parametrize("viewer", ["masquerade", "preview"])
def test_read_only_viewers_write_nothing(lms, usage, situations, viewer):
    feedback = give(lms, usage)
    kwargs = {"real_user": get_user("staff_ana")} if viewer == "masquerade" else {"preview": True}
    who = "bruno" if viewer == "masquerade" else "staff_ana"
    before = (data_snapshot(), list(PeerFeedback.objects.values()), list(PeerAllocation.objects.values()))
    payloads = {"peer_give": {"reading": str(PeerAllocation.objects.get().uuid), "verdicts": [], "comment": "x"},
                "peer_reply": {"feedback": str(feedback.uuid), "reply": "x"},
                "peer_helpful": {"feedback": str(feedback.uuid), "helpful": True},
                "peer_report": {"feedback": str(feedback.uuid)}, "peer_request": {}}
    for handler in (*LEARNER_WRITES, "peer_moderate"):
        payload = payloads.get(handler, {"feedback": str(feedback.uuid), "action": "hide"})
        status, answer = post(lms, who, usage, handler, payload, **kwargs)
        assert (status, answer["error"]) == (403, "read_only"), handler
    assert (data_snapshot(), list(PeerFeedback.objects.values()), list(PeerAllocation.objects.values())) == before
    runtime, block = lms.as_user(who, usage, **kwargs)
    page = runtime.render_student_view(block)
    assert 'data-peer-action="request"' not in page and 'data-role="peer-reply"' not in page
    assert situations


def test_two_blocks_on_a_page_keep_their_own_ids(lms, situations):  # pylint: disable=unused-argument
    first = lms.add('<portfolio peer_feedback="true" url_name="one"/>')
    second = lms.add('<portfolio peer_feedback="true" url_name="two"/>')
    ids = []
    for usage in (first, second):
        runtime, block = lms.as_user("amina", usage)
        ids.append(re.search(r'id="([^"]+-peer)"', runtime.render_student_view(block)).group(1))
    assert ids[0] != ids[1]


def test_studio_validation_refuses_an_impossible_number_of_peers(lms, usage):
    _runtime, block = lms.as_user("staff_ana", usage)
    from xblock.validation import Validation  # pylint: disable=import-outside-toplevel

    block.peer_count = 0
    validation = Validation(block.scope_ids.usage_id)
    block.validate_field_data(validation, block)
    assert "The number of peers per situation must be between 1 and 20." in [m.text for m in validation.messages]


def test_the_peer_section_costs_the_same_with_few_and_many_feedback(lms):
    """The author's page reads peer feedback in a fixed number of queries, whatever its amount."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    usage = lms.add('<portfolio peer_feedback="true" peer_count="20"/>')
    author = lms.submit(usage, student="author", title="Séance commentée")
    counts, received = [], []
    for readers in (("r0", "r1"), tuple(f"r{number}" for number in range(2, 8))):
        for reader in readers:
            lms.submit(usage, student=reader, title=f"Séance de {reader}")
            # A reader is given the least-read situation first: one nobody answered yet. Readers go on
            # until they are given the author's.
            while True:
                runtime, block = lms.as_user(reader, usage)
                reading = reading_uuid(runtime.post_json(block, "peer_request", {})[1]["html"])
                runtime.post_json(block, "peer_give", {"reading": reading, "verdicts": [], "comment": "Merci."})
                if PeerFeedback.objects.filter(reader__username=reader, evidence__uuid=author).exists():
                    break
        runtime, block = lms.as_user("author", usage)
        with CaptureQueriesContext(connection) as queries:
            page = runtime.render_student_view(block)
        counts.append(len(queries))
        received.append(page.count("Merci."))
    assert received == [2, 8] and counts[0] == counts[1], (received, counts)
