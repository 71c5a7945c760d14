"""
Peer feedback in the attestation policy (engine, learner tab, CSV), the learner's export and
retirement, and the REST queue's filter.
"""
import csv
import io
import json
import zipfile

import pytest
from lxml import html

from competency_plugin import api
from competency_plugin.peer.models import PeerFeedback
from tests import factories
from tests.peer.support import BLOCK, COURSE, SETTINGS, answer, learners_with_situations, make_framework
from tests.review.support import course_staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture(name="framework")
def framework_fixture():
    return make_framework()


@pytest.fixture(name="world")
def world_fixture(framework):
    """Three learners with a situation each; the first gave feedback to the second, anonymously."""
    people = learners_with_situations(framework, 3)
    reader, author = people[0][0], people[1][0]
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
    if reading.evidence_uuid != people[1][1].uuid:  # the first free situation is the second learner's
        pytest.fail("allocation order changed")
    given = answer(reader, reading, comment="Texte-du-lecteur", question="Question-du-lecteur")
    api.reply_to_feedback(author_id=author.id, feedback_uuid=given.uuid, usage_key=BLOCK, reply="Réponse-auteur")
    return {"reader": reader, "author": author, "third": people[2][0], "feedback": given}


def peer_policy(framework, count):
    return api.set_policy(course_key=COURSE, framework=framework["framework"], min_peer_feedback=count,
                          requirements=[{"competence": framework["D1"], "min_validated": 0}])


def test_a_policy_may_require_peer_feedback_given(framework, world):
    policy = peer_policy(framework, 1)
    assert policy.min_peer_feedback == 1
    reader = api.get_eligibility(world["reader"].id, COURSE, language="en")
    author = api.get_eligibility(world["author"].id, COURSE, language="en")
    assert reader.eligible and not author.eligible
    line = next(item for item in author.requirements if item.key == "peer_feedback")
    assert (line.have, line.need) == (0, 1)
    assert author.missing == ("1 more peer feedback to give to a colleague.",)
    course = {report.username: report.eligible for report in api.get_course_eligibility(COURSE, language="en")}
    assert course == {world["reader"].username: True, world["author"].username: False,
                      world["third"].username: False}


def test_hidden_feedback_does_not_count(framework, world):
    peer_policy(framework, 1)
    api.moderate_peer_feedback(course_key=COURSE, feedback_uuid=world["feedback"].uuid, moderator_id=None,
                               action="hide")
    assert not api.get_eligibility(world["reader"].id, COURSE).eligible


def test_the_requirement_is_refused_out_of_range(framework):
    with pytest.raises(api.CompetencyRequestError) as raised:
        peer_policy(framework, -1)
    assert "min_peer_feedback" in raised.value.field_errors


def test_learner_tab_and_csv_show_the_requirement(client, framework, world):
    peer_policy(framework, 2)
    client.force_login(world["author"])
    page = html.fromstring(client.get(f"/competency/courses/{COURSE}/portfolio/", HTTP_ACCEPT_LANGUAGE="en").content)
    missing = [item.text_content() for item in page.xpath('//tr[@data-key="peer_feedback"]//*[@data-role="lacking"]')]
    assert "2 more peer feedback to give to colleagues." in missing
    staff = factories.UserFactory(username="teacher")
    client.force_login(staff)
    with course_staff_of(staff):
        response = client.get(f"/api/competency/v1/courses/{COURSE}/eligibility/", {"format": "csv"},
                              HTTP_ACCEPT_LANGUAGE="en")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert "Peer feedback given" in header
    column = header.index("Peer feedback given")
    assert {row[0]: row[column] for row in rows}[world["reader"].username] == "1/2"


def _archive(user):
    archive = api.export_portfolio(user_id=user.id, course_key=COURSE, language="en")
    files = zipfile.ZipFile(io.BytesIO(b"".join(archive.stream())))  # pylint: disable=consider-using-with
    return json.loads(files.read("portfolio.json")), files.read("index.html").decode()


def test_the_export_holds_feedback_given_and_received_anonymous_stays_anonymous(world):
    data, index = _archive(world["author"])
    peer = data["courses"][0]["peer_feedback"]
    assert [item["comment"] for item in peer["received"]] == ["Texte-du-lecteur"]
    assert peer["received"][0]["reader"] == "" and world["reader"].username not in json.dumps(data)
    assert "Texte-du-lecteur" in index and world["reader"].username not in index
    data, index = _archive(world["reader"])
    given = data["courses"][0]["peer_feedback"]["given"]
    assert [(item["comment"], item["reply"]) for item in given] == [("Texte-du-lecteur", "Réponse-auteur")]
    assert "Réponse-auteur" in index


def test_retiring_the_reader_erases_their_text_and_keeps_the_count(world):
    api.retire_learner(world["reader"].id)
    row = PeerFeedback.objects.get()
    assert (row.reader_id, row.comment, row.question) == (None, "", "")
    assert all("comment" not in item for item in row.verdicts) and row.verdicts[0]["verdict"] == "convincing"
    assert api.peer_summary(user_id=world["author"].id, usage_key=BLOCK, settings=SETTINGS).received[0].reader == ""


def test_retiring_the_author_erases_the_feedback_text_and_keeps_the_readers_count(framework, world):
    peer_policy(framework, 1)
    summary = api.retire_learner(world["author"].id)
    assert summary.peer_feedback_erased == 1
    row = PeerFeedback.objects.get()
    assert (row.evidence_id, row.comment, row.reply, row.reader_id) == (None, "", "", world["reader"].id)
    assert api.get_eligibility(world["reader"].id, COURSE).eligible


def test_the_rest_queue_filters_by_reported_peer_feedback(client, world):
    staff = factories.UserFactory(username="teacher")
    client.force_login(staff)
    url = f"/api/competency/v1/courses/{COURSE}/evidence/"
    with course_staff_of(staff):
        assert client.get(url, {"status": "all", "peer_feedback": "reported"}).json()["count"] == 0
        api.report_feedback(author_id=world["author"].id, feedback_uuid=world["feedback"].uuid, usage_key=BLOCK)
        body = client.get(url, {"status": "all", "peer_feedback": "reported"}).json()
        assert [item["learner"] for item in body["results"]] == [world["author"].username]
        refused = client.get(url, {"peer_feedback": "everything"})
    assert refused.status_code == 400 and "peer_feedback" in refused.json()["field_errors"]
