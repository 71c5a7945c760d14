"""
Staff review only what was submitted: after a revision request, the learner's draft (its text,
claims and files) stays theirs until they submit it again. The block's review, the course queue
(page and REST), staff downloads and decisions all read the version last submitted; accepting
locks that version in.
"""
from unittest import mock

import pytest

from competency_plugin import api
from competency_plugin.models import Attachment, Evidence, EvidenceStatus
from competency_plugin.platform.storage import get_attachment_storage
from tests.factories import PDF_BYTES, TEXT_BYTES, UserFactory
from tests.portfolio_xblock.test_review_handlers import fixture_review  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DRAFT_TITLE = "Titre du brouillon pas encore soumis"
DRAFT_ANALYSIS = "Analyse en cours de réécriture, privée."


def _download(review, attachment, student="staff_ana"):
    return review.scenario.client.get(review.scenario.handler_url("download", student, suffix=attachment))


def _version(evidence):
    return api.get_evidence(user_id=_user("amina").id, evidence_uuid=evidence).edit_version


def _user(username):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    return get_user_model().objects.get(username=username)


def _revise(review, evidence, **fields):
    """As the learner, after a revision request: change the draft (no resubmission)."""
    fields = fields or {"title": DRAFT_TITLE, "analysis": DRAFT_ANALYSIS}
    claims = [{"competence": str(review.nodes["3.2"]), "justification": "Nouvelle justification privée"}]
    status, body = review.scenario.post_json("save_evidence", {
        "uuid": evidence, "edit_version": _version(evidence), "fields": fields, "claims": claims,
    }, student="amina")
    assert status == 200, body
    return body


@pytest.fixture(name="asked")
def fixture_asked(review):
    """A submitted situation with a file, on which staff asked for a revision; returns (evidence, file uuid)."""
    status, body = review.scenario.post_json(
        "save_evidence", {"fields": {"title": "Séance de géométrie", "situation_type": "training",
                                     "description": "CM2.", "analysis": "La consigne était trop longue."},
                          "claims": [{"competence": str(review.nodes[code]), "justification": f"Soumis {code}"}
                                     for code in ("3.1", "3.2")]},
        student="amina",
    )
    assert status == 200, body
    evidence = body["evidence"]["uuid"]
    status, body = review.scenario.upload(evidence, "fiche.pdf", PDF_BYTES, student="amina")
    assert status == 200, body
    submitted_file = body["evidence"]["attachments"][0]["uuid"]
    assert review.scenario.post_json("submit_evidence", {"uuid": evidence}, student="amina")[0] == 200
    status, body = review.decide(evidence, outcome="revision_requested", feedback="Précisez.")
    assert status == 200, body
    return evidence, submitted_file


def test_the_reviewer_sees_the_submitted_text_not_the_draft(review, asked):
    evidence, _file = asked
    _revise(review, evidence)
    html, version, _base = review.open(evidence)
    assert version == 1
    assert "Séance de géométrie" in html and "La consigne était trop longue." in html
    assert DRAFT_TITLE not in html and DRAFT_ANALYSIS not in html and "privée" not in html
    assert "Soumis 3.1" in html and "fiche.pdf" in html
    queue = review.scenario.post_json("review_queue", {"status": "all"}, student="staff_ana")[1]["html"]
    assert "Séance de géométrie" in queue and DRAFT_TITLE not in queue
    item = api.get_review_item(evidence_uuid=evidence, course_key=str(Evidence.objects.get().course_key))
    assert [claim.justification for claim in item.evidence.claims] == ["Soumis 3.1", "Soumis 3.2"]
    assert item.evidence.situation_type == "training"
    # The learner's own view is their draft.
    mine = api.get_evidence(user_id=_user("amina").id, evidence_uuid=evidence)
    assert mine.title == DRAFT_TITLE


def test_course_queue_page_and_rest_show_the_submitted_title(review, asked, client):
    evidence, _file = asked
    _revise(review, evidence)
    course = str(Evidence.objects.get().course_key)
    staff = UserFactory(username="prof-durand")
    client.force_login(staff)
    with mock.patch("competency_plugin.platform.compat.is_course_staff", return_value=True):
        page = client.get(f"/competency/courses/{course}/review/", {"status": "revision_requested"})
        rest = client.get(f"/api/competency/v1/courses/{course}/evidence/", {"status": "revision_requested"})
    assert page.status_code == 200 and rest.status_code == 200, (page.status_code, rest.content)
    assert "Séance de géométrie" in page.content.decode() and DRAFT_TITLE not in page.content.decode()
    assert [row["title"] for row in rest.json()["results"]] == ["Séance de géométrie"]
    assert [row["situation_type"] for row in rest.json()["results"]] == ["training"]


def test_a_file_added_after_submission_is_not_for_staff(review, asked):
    evidence, submitted_file = asked
    status, body = review.scenario.upload(evidence, "brouillon.txt", TEXT_BYTES, student="amina")
    assert status == 200, body
    added = next(item["uuid"] for item in body["evidence"]["attachments"] if item["uuid"] != submitted_file)
    assert _download(review, added).status_code == 404
    assert _download(review, added, student="amina").status_code == 200  # the learner's own
    assert _download(review, submitted_file).status_code == 200
    html, _version_read, _base = review.open(evidence)
    assert "brouillon.txt" not in html


def test_a_file_removed_from_the_draft_stays_for_staff_until_resubmission(
    review, asked, django_capture_on_commit_callbacks
):
    evidence, submitted_file = asked
    status, body = review.scenario.post_json("remove_attachment", {"uuid": submitted_file}, student="amina")
    assert status == 200, body
    assert body["evidence"]["attachments"] == []  # gone from the learner's draft
    row = Attachment.objects.get(uuid=submitted_file)
    assert not row.in_draft and get_attachment_storage().exists(row.file_key)
    response = _download(review, submitted_file)
    assert response.status_code == 200 and b"".join(response) == PDF_BYTES
    assert "fiche.pdf" in review.open(evidence)[0]
    # Removing it again is not possible: it is no longer in the draft.
    assert review.scenario.post_json("remove_attachment", {"uuid": submitted_file}, student="amina")[0] == 404
    # Once the learner submits again, no version holds it: it goes, file and all.
    with django_capture_on_commit_callbacks(execute=True):
        status, body = review.scenario.post_json(
            "submit_evidence", {"uuid": evidence, "edit_version": _version(evidence)}, student="amina"
        )
    assert status == 200, body
    assert not Attachment.objects.filter(uuid=submitted_file).exists()
    assert not get_attachment_storage().exists(row.file_key)
    assert _download(review, submitted_file).status_code == 404


def test_decisions_are_on_the_submitted_claims(review, asked):
    evidence, _file = asked
    # The draft now claims 3.2 only; the version under review claims 3.1 and 3.2.
    _revise(review, evidence)
    _html, version, base = review.open(evidence)
    only_draft = review.decision(evidence, version, base, statuses={"3.2": ("validated", "B")})
    status, body = review.scenario.post_json("review_decide", only_draft, student="staff_ana")
    assert status == 400 and "competences" in body["field_errors"]
    status, body = review.scenario.post_json("review_decide", review.decision(
        evidence, version, base, outcome="revision_requested", feedback="Précisez encore."
    ), student="staff_ana")
    assert status == 200, body


def test_accepting_an_unrevised_item_locks_the_submitted_version_in(review, asked):
    evidence, submitted_file = asked
    status, body = review.decide(evidence, outcome="accepted")
    assert status == 200, body
    stored = Evidence.objects.get()
    assert stored.status == EvidenceStatus.ACCEPTED
    assert (stored.title, stored.analysis, stored.situation_type) == (
        "Séance de géométrie", "La consigne était trop longue.", "training"
    )
    assert [str(uuid) for uuid in Attachment.objects.values_list("uuid", flat=True)] == [submitted_file]


@pytest.mark.parametrize("change", ["text", "added file", "removed file"])
def test_accepting_refuses_to_discard_what_the_learner_started_revising(review, asked, change):
    """
    Accepting locks the submitted version in; once the learner has started revising, that would throw
    their unsubmitted words or files away without their say: the reviewer is told to wait.
    """
    evidence, submitted_file = asked
    if change == "text":
        _revise(review, evidence, title=DRAFT_TITLE, analysis=DRAFT_ANALYSIS, situation_type="authentic")
    elif change == "added file":
        assert review.scenario.upload(evidence, "ajout.txt", TEXT_BYTES, student="amina")[0] == 200
    else:
        assert review.scenario.post_json("remove_attachment", {"uuid": submitted_file}, student="amina")[0] == 200
    before = api.get_evidence(user_id=_user("amina").id, evidence_uuid=evidence)
    status, body = review.decide(evidence, outcome="accepted")
    assert status == 409, body
    assert "started revising" in body["message"]
    stored = Evidence.objects.get()
    assert stored.status == EvidenceStatus.REVISION_REQUESTED
    after = api.get_evidence(user_id=_user("amina").id, evidence_uuid=evidence)
    assert after.to_dict() == before.to_dict()


def test_a_revision_request_leaves_the_draft_alone(review, asked):
    evidence, _file = asked
    _revise(review, evidence)
    _html, version, base = review.open(evidence)
    status, body = review.scenario.post_json("review_decide", review.decision(
        evidence, version, base, outcome="revision_requested", feedback="Encore un effort."
    ), student="staff_ana")
    assert status == 200, body
    stored = Evidence.objects.get()
    assert (stored.title, stored.analysis) == (DRAFT_TITLE, DRAFT_ANALYSIS)
