"""
Writes retried by a flaky connection: the first request went through, its answer was lost,
the browser (or the learner) sends it again.

A retry never creates a second item, version, file, link or decision, and never drops what
the learner typed; a retry of something that can no longer happen answers with a clear error
and changes nothing. The last class runs retries at the same time, on MariaDB.
"""
import io

import pytest
from django.db import connection

from competency_plugin import api
from competency_plugin.models import Attachment, Evidence, EvidenceStatus, EvidenceVersion, ReviewDecision
from competency_plugin.platform.storage import get_attachment_storage
from tests.concurrency import race
from tests.factories import PDF_BYTES, TEXT_BYTES, EvidenceFactory, UserFactory, data_snapshot, png_bytes, stored_files
from tests.portfolio_xblock.test_review_handlers import fixture_review  # noqa: F401  pylint: disable=unused-import

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}


def ok(result):
    """Assert a handler answered 200; return its body."""
    status, body = result
    assert status == 200, body
    return body


def conflict(scenario, call):
    """Assert ``call`` answers 409 with a message and writes nothing; return the message."""
    before = data_snapshot()
    status, body = call()
    assert (status, body["error"]) == (409, "conflict"), body
    assert body["message"]
    assert data_snapshot() == before
    return body["message"]


class TestRetriedCreation:
    """``save_evidence`` with the browser's ``client_key`` creates one item, whatever the retries."""

    def test_retry_creates_one_item_holding_what_the_retry_carried(self, portfolio):
        first = ok(portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}))
        edited = {**FIELDS, "analysis": "Complété pendant que le réseau hésitait."}
        again = ok(portfolio.post_json("save_evidence", {"fields": edited, "client_key": "k-1"}))
        assert again["evidence"]["uuid"] == first["evidence"]["uuid"]
        assert Evidence.objects.get().analysis == edited["analysis"]
        assert again["item_html"].count('data-uuid="' + first["evidence"]["uuid"]) >= 1
        assert Evidence.objects.count() == 1

    def test_retry_at_the_blocks_maximum_is_answered(self, make_scenario):
        scenario = make_scenario('<portfolio max_evidence="1"/>')
        first = ok(scenario.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}))
        again = ok(scenario.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}))
        assert again["evidence"]["uuid"] == first["evidence"]["uuid"] and Evidence.objects.count() == 1

    def test_retry_after_the_item_was_submitted_changes_nothing(self, portfolio):
        uuid = ok(portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}))["evidence"]["uuid"]
        ok(portfolio.post_json("submit_evidence", {"uuid": uuid}))
        before = data_snapshot()
        again = ok(portfolio.post_json("save_evidence", {"fields": {"title": "Trop tard"}, "client_key": "k-1"}))
        assert again["evidence"]["uuid"] == uuid and again["evidence"]["status"] == EvidenceStatus.SUBMITTED
        assert data_snapshot() == before

    def test_a_key_reused_in_another_block_does_not_reach_the_first_blocks_item(self, make_scenario):
        two = make_scenario('<portfolio/>', '<portfolio situation_types=\'["training"]\'/>')
        ok(two.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}, index=0))
        before = data_snapshot()
        status, body = two.post_json(
            "save_evidence", {"fields": {**FIELDS, "situation_type": "training"}, "client_key": "k-1"}, index=1
        )
        assert status == 404 and body["message"]
        assert data_snapshot() == before

    def test_keys_are_per_learner(self, portfolio):
        ok(portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}, student="amina"))
        ok(portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"}, student="bruno"))
        assert Evidence.objects.count() == 2


class TestRetriedSubmission:
    """A submission is recorded once; its retry says it was submitted and changes nothing."""

    def test_retried_submit_records_one_version(self, portfolio):
        uuid = ok(portfolio.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        ok(portfolio.post_json("submit_evidence", {"uuid": uuid}))
        message = conflict(portfolio, lambda: portfolio.post_json("submit_evidence", {"uuid": uuid}))
        assert "submitted" in message
        assert EvidenceVersion.objects.count() == 1 and Evidence.objects.get().version == 1

    def test_retried_save_then_submit_of_the_form(self, portfolio):
        """The form saves, then submits: retried after the submission, its save is refused, nothing lost."""
        uuid = ok(portfolio.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        ok(portfolio.upload(uuid, "fiche.pdf", PDF_BYTES))
        ok(portfolio.post_json("submit_evidence", {"uuid": uuid}))
        conflict(portfolio, lambda: portfolio.post_json("save_evidence", {"uuid": uuid, "fields": FIELDS}))
        conflict(portfolio, lambda: portfolio.upload(uuid, "fiche.pdf", PDF_BYTES))
        assert Attachment.objects.count() == 1 and EvidenceVersion.objects.count() == 1


class TestRetriedUpload:
    """The same file (same name, same bytes) sent again is attached once, and answered as the first time."""

    def draft(self, scenario):
        return ok(scenario.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]

    def test_same_file_twice_is_attached_once(self, portfolio):
        uuid = self.draft(portfolio)
        first = ok(portfolio.upload(uuid, "photo.png", png_bytes()))
        files = stored_files()
        again = ok(portfolio.upload(uuid, "photo.png", png_bytes()))
        assert again["evidence"]["attachments"] == first["evidence"]["attachments"]
        assert Attachment.objects.count() == 1 and stored_files() == files

    def test_retry_at_the_file_limit_is_answered(self, make_scenario):
        scenario = make_scenario('<portfolio max_files="1"/>')
        uuid = self.draft(scenario)
        ok(scenario.upload(uuid, "fiche.pdf", PDF_BYTES))
        ok(scenario.upload(uuid, "fiche.pdf", PDF_BYTES))
        status, body = scenario.upload(uuid, "autre.pdf", PDF_BYTES)
        assert status == 400 and "1 file" in body["field_errors"]["file"][0]
        assert Attachment.objects.count() == 1

    @pytest.mark.parametrize(
        "second_name, second_content",
        [("photo.png", png_bytes(padding=1)), ("photo-2.png", png_bytes())],
        ids=["same-name-other-bytes", "same-bytes-other-name"],
    )
    def test_different_files_are_both_attached(self, portfolio, second_name, second_content):
        uuid = self.draft(portfolio)
        before = stored_files()
        ok(portfolio.upload(uuid, "photo.png", png_bytes()))
        ok(portfolio.upload(uuid, second_name, second_content))
        assert Attachment.objects.count() == 2 and len(stored_files() - before) == 2

    def test_a_copy_whose_stored_file_was_lost_is_not_a_copy(self, portfolio):
        uuid = self.draft(portfolio)
        ok(portfolio.upload(uuid, "notes.txt", TEXT_BYTES))
        lost = Attachment.objects.get().file_key
        get_attachment_storage().delete(lost)
        ok(portfolio.upload(uuid, "notes.txt", TEXT_BYTES))
        assert Attachment.objects.count() == 2
        assert all(get_attachment_storage().exists(key) for key in Attachment.objects.exclude(file_key=lost)
                   .values_list("file_key", flat=True))

    def test_the_same_file_on_two_items_is_attached_to_each(self, portfolio):
        first, second = self.draft(portfolio), self.draft(portfolio)
        ok(portfolio.upload(first, "photo.png", png_bytes()))
        ok(portfolio.upload(second, "photo.png", png_bytes()))
        assert Attachment.objects.count() == 2


class TestRetriedLinksAndRemovals:
    """A link is added once; a retried removal or deletion says the thing is gone, nothing else changes."""

    def test_same_link_twice_is_added_once(self, make_scenario):
        scenario = make_scenario("<portfolio/>")
        uuid = ok(scenario.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        link = {"uuid": uuid, "url": "https://example.org/fiche", "title": "Fiche"}
        first = ok(scenario.post_json("add_link", link))
        again = ok(scenario.post_json("add_link", link))
        assert again["evidence"]["attachments"] == first["evidence"]["attachments"]
        assert Attachment.objects.count() == 1

    def test_retried_removal_is_not_found_and_removes_nothing_else(self, portfolio):
        uuid = ok(portfolio.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        ok(portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org/1"}))
        body = ok(portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org/2"}))
        removed = body["evidence"]["attachments"][0]["uuid"]
        ok(portfolio.post_json("remove_attachment", {"uuid": removed}))
        before = data_snapshot()
        status, body = portfolio.post_json("remove_attachment", {"uuid": removed})
        assert status == 404 and body["message"]
        assert data_snapshot() == before and Attachment.objects.count() == 1

    def test_retried_deletion_is_not_found_and_deletes_nothing_else(self, portfolio):
        kept = ok(portfolio.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        gone = ok(portfolio.post_json("save_evidence", {"fields": FIELDS}))["evidence"]["uuid"]
        ok(portfolio.post_json("delete_evidence", {"uuid": gone}))
        before = data_snapshot()
        status, body = portfolio.post_json("delete_evidence", {"uuid": gone})
        assert status == 404 and body["message"]
        assert data_snapshot() == before
        assert [str(item.uuid) for item in Evidence.objects.all()] == [kept]


def test_retried_review_decision_is_recorded_once(review):
    """
    A reviewer's decision sent twice (same version and base) is one decision: the retry is answered
    as the first was; another reviewer sending theirs from the same stale form gets a conflict.
    """
    evidence = review.submit()
    _html, version, base = review.open(evidence)
    decision = review.decision(evidence, version, base)
    first = review.scenario.post_json("review_decide", decision, student="staff_ana")
    assert first[0] == 200
    before = data_snapshot()
    again = review.scenario.post_json("review_decide", decision, student="staff_ana")
    assert again == first
    assert data_snapshot() == before
    status, body = review.scenario.post_json("review_decide", decision, student="staff_bob")
    assert (status, body["error"]) == (409, "conflict") and "Another reviewer" in body["message"]
    assert data_snapshot() == before
    assert ReviewDecision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
class TestRetriesAtTheSameTime:
    """Retries racing each other on MariaDB (row locks and the unique client key do the work)."""

    THREADS = 6

    @pytest.fixture(autouse=True)
    def mysql_only(self):
        if connection.vendor != "mysql":
            pytest.skip("concurrent transactions need MariaDB/MySQL (COMPETENCY_TEST_DB=mysql)")

    def race(self, call):
        """Run ``call()`` in THREADS threads released together; return their results (or exceptions)."""
        return race(self.THREADS, lambda _index: call())

    def test_same_client_key_at_once_creates_one_item(self):
        learner = UserFactory()
        results = self.race(lambda: api.save_draft(
            user_id=learner.id, course_key="course-v1:edX+Portfolio+2026",
            usage_key="block-v1:edX+Portfolio+2026+type@portfolio+block@situations",
            data=FIELDS, client_key="k-race",
        ))
        assert not [result for result in results if isinstance(result, Exception)], results
        assert len({result.uuid for result in results}) == 1
        assert Evidence.objects.filter(user=learner).count() == 1

    def test_same_file_at_once_is_attached_once(self):
        evidence = EvidenceFactory()
        before = stored_files()
        results = self.race(lambda: api.add_file(
            user_id=evidence.user_id, evidence_uuid=evidence.uuid, upload=io.BytesIO(PDF_BYTES),
            filename="fiche.pdf", limits=api.upload_limits(),
        ))
        assert not [result for result in results if isinstance(result, Exception)], results
        assert Attachment.objects.filter(evidence=evidence).count() == 1
        assert len(stored_files() - before) == 1
