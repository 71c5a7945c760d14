"""
The block's handlers, driven through the workbench's real ``/handler/`` URLs on a real database.

Every failure must answer with a clear JSON error (a code, a message, messages per field) and
leave the database and the attachment storage exactly as they were.
"""
import functools
import json
from unittest import mock
from urllib.parse import unquote

import pytest
from django.db import DatabaseError
from django.utils import timezone, translation
from workbench.runtime import WorkbenchRuntime

from competency_plugin.models import Attachment, Evidence, EvidenceStatus
from tests.factories import HTML_PAGE, PDF_BYTES, SVG_IMAGE, TEXT_BYTES, data_snapshot, png_bytes, stored_files

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}
JSON_HANDLERS = ("save_evidence", "submit_evidence", "delete_evidence", "add_link", "remove_attachment")


def draft(scenario, student="learner1", index=0, **fields):
    """Save a draft through the handler; return its uuid."""
    status, body = scenario.post_json("save_evidence", {"fields": {**FIELDS, **fields}}, student=student, index=index)
    assert status == 200, body
    return body["evidence"]["uuid"]


def assert_error(result, status, code=None, fields=()):
    """The response is the handlers' JSON error: the status, a code, a message, and the fields named."""
    got_status, body = result
    assert got_status == status, body
    assert isinstance(body, dict), body
    assert body["message"] and isinstance(body["message"], str)
    if code:
        assert body["error"] == code
    assert set(body["field_errors"]) == set(fields), body["field_errors"]
    for messages in body["field_errors"].values():
        assert messages and all(isinstance(message, str) and message for message in messages)
    return body


@pytest.fixture(name="refused")
def fixture_refused():
    """Check that a request is refused with an error and that nothing at all was written."""

    def _refused(call, status, code=None, fields=()):
        before = data_snapshot()
        body = assert_error(call(), status, code, fields)
        assert data_snapshot() == before
        return body

    return _refused


class TestRequestsEveryJsonHandlerRefuses:
    """Malformed requests never reach the API, whichever handler they aim at."""

    @pytest.mark.parametrize("handler", JSON_HANDLERS)
    @pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", b'{"a": 1'], ids=["broken", "not-utf8", "cut"])
    def test_bad_json(self, portfolio, refused, handler, body):
        draft(portfolio)
        refused(lambda: portfolio.post_json(handler, body), 400, "invalid_json")

    @pytest.mark.parametrize("handler", JSON_HANDLERS)
    @pytest.mark.parametrize("body", ["[1, 2]", '"text"', "3", "null", "true"])
    def test_json_that_is_not_an_object(self, portfolio, refused, handler, body):
        draft(portfolio)
        refused(lambda: portfolio.post_json(handler, body), 400, "invalid_json")

    @pytest.mark.parametrize("handler", JSON_HANDLERS + ("upload_file",))
    def test_get_is_refused(self, portfolio, refused, handler):
        draft(portfolio)

        def get():
            response = portfolio.client.get(portfolio.handler_url(handler), HTTP_ACCEPT_LANGUAGE="en")
            return response.status_code, json.loads(response.content)

        refused(get, 405, "method_not_allowed")

    @pytest.mark.parametrize("handler", JSON_HANDLERS)
    def test_anonymous_is_refused(self, portfolio, refused, handler):
        uuid = draft(portfolio)
        payload = {"uuid": uuid, "fields": FIELDS, "url": "https://example.org"}
        body = refused(lambda: portfolio.post_json(handler, payload, student="none"), 403, "forbidden")
        assert "Sign in" in body["message"]

    def test_anonymous_upload_is_refused(self, portfolio, refused):
        uuid = draft(portfolio)
        refused(lambda: portfolio.upload(uuid, "notes.txt", TEXT_BYTES, student="none"), 403, "forbidden")

    def test_errors_are_translated(self, portfolio):
        status, body = portfolio.post_json("save_evidence", b"{not json", language="fr")
        assert status == 400
        assert body["message"] != "The request is not valid JSON."


class TestAnotherLearnersEvidence:
    """Another learner's items are 'not found' to every handler, and stay untouched."""

    @pytest.mark.parametrize(
        "handler, payload",
        [
            ("save_evidence", lambda uuid: {"uuid": uuid, "fields": {"title": "Volé"}}),
            ("submit_evidence", lambda uuid: {"uuid": uuid}),
            ("delete_evidence", lambda uuid: {"uuid": uuid}),
            ("add_link", lambda uuid: {"uuid": uuid, "url": "https://example.org"}),
        ],
    )
    def test_json_handlers(self, portfolio, refused, handler, payload):
        uuid = draft(portfolio, student="learner1")
        refused(lambda: portfolio.post_json(handler, payload(uuid), student="learner2"), 404, "not_found")

    def test_remove_attachment(self, portfolio, refused):
        uuid = draft(portfolio)
        _status, body = portfolio.upload(uuid, "notes.txt", TEXT_BYTES)
        attachment = body["evidence"]["attachments"][0]["uuid"]
        refused(lambda: portfolio.post_json("remove_attachment", {"uuid": attachment}, student="learner2"), 404)

    def test_upload(self, portfolio, refused):
        uuid = draft(portfolio, student="learner1")
        refused(lambda: portfolio.upload(uuid, "notes.txt", TEXT_BYTES, student="learner2"), 404, "not_found")

    def test_their_items_are_never_listed(self, portfolio):
        draft(portfolio, student="learner1", title="Secret de learner1")
        _status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Mien"}}, student="learner2")
        assert "Secret de learner1" not in body["item_html"]
        assert "Secret de learner1" not in portfolio.render(student="learner2").content.decode()


class TestSaveEvidence:
    """Drafts are created and updated; every input error names its field."""

    def test_create(self, portfolio):
        status, body = portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"})
        assert status == 200, body
        assert body["evidence"]["status"] == "draft" and body["evidence"]["title"] == FIELDS["title"]
        assert body["message"] == "Draft saved."
        assert FIELDS["title"] in body["item_html"]
        assert body["can_add"] is True and body["submitted"] == 0
        row = Evidence.objects.get()
        assert str(row.uuid) == body["evidence"]["uuid"] and row.usage_key.block_type == "portfolio"

    def test_update(self, portfolio):
        uuid = draft(portfolio)
        status, body = portfolio.post_json(
            "save_evidence", {"uuid": uuid, "edit_version": 1, "fields": {"analysis": "Revue"}}
        )
        assert status == 200, body
        assert Evidence.objects.get().analysis == "Revue"
        assert Evidence.objects.get().title == FIELDS["title"]

    def test_same_client_key_creates_one_item(self, portfolio):
        first = portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"})
        again = portfolio.post_json("save_evidence", {"fields": FIELDS, "client_key": "k-1"})
        assert first[0] == again[0] == 200
        assert first[1]["evidence"]["uuid"] == again[1]["evidence"]["uuid"]
        assert Evidence.objects.count() == 1

    @pytest.mark.parametrize("payload", [{}, {"fields": None}, {"fields": ["title"]}, {"fields": "title"}])
    def test_fields_must_be_an_object(self, portfolio, refused, payload):
        refused(lambda: portfolio.post_json("save_evidence", payload), 400, "invalid", {"fields"})

    @pytest.mark.parametrize(
        "fields, named",
        [
            ({"description": "Sans titre"}, {"title"}),
            ({**FIELDS, "title": ""}, {"title"}),
            ({**FIELDS, "occurred_on": "2999-01-01"}, {"occurred_on"}),
            ({**FIELDS, "occurred_on": "31/12/2025"}, {"occurred_on"}),
            ({**FIELDS, "status": "accepted", "user_id": 1}, {"status", "user_id"}),
            ({**FIELDS, "situation_type": "imaginary"}, {"situation_type"}),
            ({**FIELDS, "title": "a\u0000b", "analysis": "x\u0000"}, {"title", "analysis"}),
            ({**FIELDS, "description": "caf\ud800", "subject": "\udfff"}, {"description", "subject"}),
            ({**FIELDS, "title": "t" * 100_000, "description": "d" * 2_000_000}, {"title", "description"}),
            ({**FIELDS, "title": {"nested": "object"}}, {"title"}),
        ],
        ids=["no-title", "blank-title", "future", "bad-date", "unknown", "type", "nul", "surrogates", "huge", "object"],
    )
    def test_invalid_fields_are_named(self, portfolio, refused, fields, named):
        refused(lambda: portfolio.post_json("save_evidence", {"fields": fields}), 400, "invalid", named)

    def test_body_above_the_platforms_limit_is_a_json_413(self, portfolio, settings):
        """Django refuses to read bodies above ``DATA_UPLOAD_MAX_MEMORY_SIZE``: the handler answers its JSON error."""
        before = data_snapshot()
        payload = {"fields": {**FIELDS, "description": "d" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}}
        status, body = portfolio.post_json("save_evidence", payload)
        assert status == 413 and body["error"] == "invalid" and body["message"] == "The request is too large."
        assert data_snapshot() == before

    def test_invalid_update_changes_nothing(self, portfolio, refused):
        uuid = draft(portfolio)
        payload = {"uuid": uuid, "fields": {"title": "Nouveau", "occurred_on": "2999-01-01"}}
        refused(lambda: portfolio.post_json("save_evidence", payload), 400, "invalid", {"occurred_on"})

    def test_invalid_client_key_is_named(self, portfolio, refused):
        payload = {"fields": FIELDS, "client_key": "k\u0000\ud800"}
        refused(lambda: portfolio.post_json("save_evidence", payload), 400, "invalid", {"client_key"})

    def test_unknown_uuid_is_not_found(self, portfolio, refused):
        payload = {"uuid": "12345678-1234-1234-1234-1234567890ab", "fields": FIELDS}
        refused(lambda: portfolio.post_json("save_evidence", payload), 404, "not_found")

    def test_situation_type_must_be_allowed_by_the_block(self, make_scenario, refused):
        scenario = make_scenario('<portfolio situation_types=\'["training"]\'/>')
        refused(lambda: scenario.post_json("save_evidence", {"fields": FIELDS}), 400, "invalid", {"situation_type"})
        assert draft(scenario, situation_type="training")

    def test_the_answer_holds_the_changed_item_alone(self, portfolio):
        first = draft(portfolio, title="Première séance")
        status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Deuxième séance"}})
        assert status == 200, body
        assert body["item_html"].count('class="cpf-item"') == 1 and "Deuxième séance" in body["item_html"]
        assert "Première séance" not in body["item_html"] and first not in body["item_html"]
        assert (body["recorded"], body["submitted"], body["removed"]) == (2, 0, None)

    def test_the_instance_bound_hides_the_new_button(self, make_scenario, settings):
        settings.COMPETENCY_PORTFOLIO = {**settings.COMPETENCY_PORTFOLIO, "MAX_EVIDENCE_PER_BLOCK": 1}
        scenario = make_scenario('<portfolio max_evidence="10"/>')
        assert 'data-action="new">' in scenario.render().content.decode()
        status, body = scenario.post_json("save_evidence", {"fields": FIELDS})
        assert status == 200 and body["can_add"] is False
        assert 'data-action="new" hidden>' in scenario.render().content.decode()

    def test_max_evidence(self, make_scenario, refused):
        scenario = make_scenario('<portfolio max_evidence="1"/>')
        status, body = scenario.post_json("save_evidence", {"fields": FIELDS})
        assert status == 200 and body["can_add"] is False
        body = refused(lambda: scenario.post_json("save_evidence", {"fields": FIELDS}), 400, "invalid")
        assert "1" in body["message"]

    def test_submitted_item_cannot_be_edited(self, portfolio, refused):
        uuid = draft(portfolio)
        assert portfolio.post_json("submit_evidence", {"uuid": uuid})[0] == 200
        payload = {"uuid": uuid, "fields": {"title": "Changé"}}
        refused(lambda: portfolio.post_json("save_evidence", payload), 409, "conflict")

    def test_database_failure_is_a_clear_503(self, portfolio, refused):
        with mock.patch.object(Evidence.objects, "create", side_effect=DatabaseError("gone away")):
            body = refused(lambda: portfolio.post_json("save_evidence", {"fields": FIELDS}), 503, "internal")
        assert "gone away" not in body["message"]


class TestSubmitEvidence:
    """Submission checks the required fields and completes the block once enough are submitted."""

    def test_submit(self, portfolio):
        uuid = draft(portfolio)
        status, body = portfolio.post_json("submit_evidence", {"uuid": uuid})
        assert status == 200, body
        assert body["evidence"]["status"] == "submitted" and body["evidence"]["version"] == 1
        assert body["submitted"] == 1 and body["message"] == "Situation submitted."
        assert Evidence.objects.get().status == EvidenceStatus.SUBMITTED

    def test_missing_fields_are_named(self, portfolio, refused):
        _status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Brouillon"}})
        uuid = body["evidence"]["uuid"]
        body = refused(lambda: portfolio.post_json("submit_evidence", {"uuid": uuid}), 400, "invalid",
                       {"situation_type", "description", "analysis"})
        assert body["message"]

    @pytest.mark.parametrize("payload", [{}, {"uuid": ""}, {"uuid": "nope"}])
    def test_missing_or_malformed_uuid(self, portfolio, refused, payload):
        draft(portfolio)
        refused(lambda: portfolio.post_json("submit_evidence", payload), 404, "not_found")

    @pytest.mark.parametrize("payload", [{"uuid": 42}, {"uuid": ["x"]}])
    def test_uuid_that_is_not_text_is_named(self, portfolio, refused, payload):
        draft(portfolio)
        refused(lambda: portfolio.post_json("submit_evidence", payload), 400, "invalid", {"uuid"})

    def test_cannot_submit_twice(self, portfolio, refused):
        uuid = draft(portfolio)
        portfolio.post_json("submit_evidence", {"uuid": uuid})
        refused(lambda: portfolio.post_json("submit_evidence", {"uuid": uuid}), 409, "conflict")

    def test_completion_is_published_once_min_evidence_is_submitted(self, make_scenario):
        scenario = make_scenario('<portfolio min_evidence="2"/>')
        first, second = draft(scenario), draft(scenario)
        with mock.patch.object(WorkbenchRuntime, "publish", autospec=True) as publish:
            status, body = scenario.post_json("submit_evidence", {"uuid": first})
            assert status == 200 and body["submitted"] == 1
            assert not [call for call in publish.call_args_list if call.args[2] == "completion"]
            status, body = scenario.post_json("submit_evidence", {"uuid": second})
            assert status == 200 and body["submitted"] == 2
        completions = [call.args for call in publish.call_args_list if call.args[2] == "completion"]
        assert len(completions) == 1
        _runtime, block, _event, data = completions[0]
        assert data == {"completion": 1.0}
        assert block.scope_ids.usage_id == scenario.block_id
        assert block.scope_ids.user_id == "learner1"

    def test_failed_submission_publishes_nothing(self, portfolio):
        _status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Brouillon"}})
        with mock.patch.object(WorkbenchRuntime, "publish", autospec=True) as publish:
            assert portfolio.post_json("submit_evidence", {"uuid": body["evidence"]["uuid"]})[0] == 400
        assert not publish.called

    def test_block_follows_the_completion_api(self, portfolio):
        block = portfolio.block()
        assert block.has_custom_completion is True
        assert block.completion_mode == "completable"


class TestDeleteEvidence:
    """Drafts are deleted with their attachments; their files go once the transaction commits."""

    def test_delete_draft_and_its_files_after_commit(self, portfolio, django_capture_on_commit_callbacks):
        uuid = draft(portfolio)
        files_before = stored_files()
        assert portfolio.upload(uuid, "notes.txt", TEXT_BYTES)[0] == 200
        portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org"})
        (key,) = stored_files() - files_before
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            status, body = portfolio.post_json("delete_evidence", {"uuid": uuid})
        assert status == 200, body
        assert body["evidence"] is None and body["message"] == "Draft deleted."
        assert body["removed"] == uuid and body["item_html"] == "" and body["recorded"] == 0
        assert not Evidence.objects.exists() and not Attachment.objects.exists()
        assert key in stored_files(), "files must stay until the deletion is committed"
        for callback in callbacks:
            callback()
        assert key not in stored_files()

    def test_submitted_item_cannot_be_deleted(self, portfolio, refused, django_capture_on_commit_callbacks):
        uuid = draft(portfolio)
        portfolio.upload(uuid, "notes.txt", TEXT_BYTES)
        portfolio.post_json("submit_evidence", {"uuid": uuid})
        with django_capture_on_commit_callbacks(execute=True):
            refused(lambda: portfolio.post_json("delete_evidence", {"uuid": uuid}), 409, "conflict")

    def test_unknown_item(self, portfolio, refused):
        refused(lambda: portfolio.post_json("delete_evidence", {"uuid": "nope"}), 404, "not_found")


class TestLinks:
    """Links are added to drafts, and removed like files."""

    def test_add_and_remove_a_link(self, portfolio):
        uuid = draft(portfolio)
        status, body = portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org/a", "title": "A"})
        assert status == 200, body
        (link,) = body["evidence"]["attachments"]
        assert (link["kind"], link["url"], link["title"]) == ("link", "https://example.org/a", "A")
        assert 'href="https://example.org/a"' in body["item_html"]
        status, body = portfolio.post_json("remove_attachment", {"uuid": link["uuid"]})
        assert status == 200 and body["evidence"]["attachments"] == []
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        "extra, named",
        [
            ({"url": "javascript:alert(1)"}, {"url"}),
            ({"url": "pas une adresse"}, {"url"}),
            ({}, {"url"}),
            ({"url": "https://example.org", "title": "t" * 300}, {"title"}),
            ({"url": "https://example.org/\u0000"}, {"url"}),
        ],
    )
    def test_invalid_links_are_named(self, portfolio, refused, extra, named):
        uuid = draft(portfolio)
        refused(lambda: portfolio.post_json("add_link", {"uuid": uuid, **extra}), 400, "invalid", named)

    def test_link_on_a_submitted_item(self, portfolio, refused):
        uuid = draft(portfolio)
        portfolio.post_json("submit_evidence", {"uuid": uuid})
        refused(lambda: portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org"}), 409)

    def test_remove_from_a_submitted_item(self, portfolio, refused):
        uuid = draft(portfolio)
        _status, body = portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org"})
        link = body["evidence"]["attachments"][0]["uuid"]
        portfolio.post_json("submit_evidence", {"uuid": uuid})
        refused(lambda: portfolio.post_json("remove_attachment", {"uuid": link}), 409, "conflict")

    @pytest.mark.parametrize("payload", [{}, {"uuid": "nope"}, {"uuid": "12345678-1234-1234-1234-1234567890ab"}])
    def test_remove_unknown_attachment(self, portfolio, refused, payload):
        refused(lambda: portfolio.post_json("remove_attachment", payload), 404, "not_found")


class TestUploads:
    """Uploads are checked by size, count, kind and content; a refusal stores nothing."""

    def test_upload(self, portfolio):
        uuid = draft(portfolio)
        before = stored_files()
        status, body = portfolio.upload(uuid, "photo.png", png_bytes(), content_type="image/png")
        assert status == 200, body
        (attachment,) = body["evidence"]["attachments"]
        assert attachment["title"] == "photo.png" and attachment["content_type"] == "image/png"
        assert body["message"] == "photo.png attached."
        assert "photo.png" in body["item_html"] and "/download/" + attachment["uuid"] in body["item_html"]
        assert len(stored_files() - before) == 1

    @pytest.mark.parametrize(
        "name, content",
        [("photo.png", HTML_PAGE), ("doc.pdf", png_bytes()), ("image.png", SVG_IMAGE)],
        ids=["html-named-png", "png-named-pdf", "svg-named-png"],
    )
    def test_disguised_files(self, portfolio, refused, name, content):
        uuid = draft(portfolio)
        body = refused(lambda: portfolio.upload(uuid, name, content, content_type="image/png"), 400, "invalid",
                       {"file"})
        assert "pdf" in body["field_errors"]["file"][0]  # the message says what is accepted

    def test_too_many_files(self, make_scenario, refused):
        scenario = make_scenario('<portfolio max_files="1"/>')
        uuid = draft(scenario)
        assert scenario.upload(uuid, "fiche.pdf", PDF_BYTES)[0] == 200
        body = refused(lambda: scenario.upload(uuid, "notes.txt", TEXT_BYTES), 400, "invalid", {"file"})
        assert "1 file" in body["field_errors"]["file"][0]

    def test_zero_byte_file(self, portfolio, refused):
        uuid = draft(portfolio)
        body = refused(lambda: portfolio.upload(uuid, "vide.txt", b""), 400, "invalid", {"file"})
        assert "empty" in body["field_errors"]["file"][0]

    def test_path_components_are_dropped(self, portfolio):
        uuid = draft(portfolio)
        before = stored_files()
        status, body = portfolio.upload(uuid, "../../etc/passwd.txt", TEXT_BYTES)
        assert status == 200, body
        assert body["evidence"]["attachments"][0]["title"] == "passwd.txt"
        (key,) = stored_files() - before
        assert ".." not in key and "passwd" not in key
        assert Attachment.objects.get().file_key == key

    def test_file_kinds_restricted_by_the_block(self, make_scenario, refused):
        scenario = make_scenario('<portfolio file_kinds=\'["pdf"]\'/>')
        uuid = draft(scenario)
        body = refused(lambda: scenario.upload(uuid, "photo.png", png_bytes()), 400, "invalid", {"file"})
        assert "pdf" in body["field_errors"]["file"][0] and "png" not in body["field_errors"]["file"][0]
        assert scenario.upload(uuid, "fiche.pdf", PDF_BYTES)[0] == 200

    def test_no_file_in_the_form(self, portfolio, refused):
        uuid = draft(portfolio)

        def post():
            response = portfolio.client.post(portfolio.handler_url("upload_file"), {"uuid": uuid, "file": "text"})
            return response.status_code, json.loads(response.content)

        refused(post, 400, "invalid", {"file"})

    def test_upload_to_a_submitted_item(self, portfolio, refused):
        uuid = draft(portfolio)
        portfolio.post_json("submit_evidence", {"uuid": uuid})
        refused(lambda: portfolio.upload(uuid, "notes.txt", TEXT_BYTES), 409, "conflict")

    def test_upload_without_uuid(self, portfolio, refused):
        refused(lambda: portfolio.upload("", "notes.txt", TEXT_BYTES), 404, "not_found")

    def test_database_failure_leaves_no_file(self, portfolio, refused):
        uuid = draft(portfolio)
        with mock.patch.object(Attachment.objects, "create", side_effect=DatabaseError("lost connection")):
            body = refused(lambda: portfolio.upload(uuid, "photo.png", png_bytes()), 503, "internal")
        assert "lost connection" not in body["message"]

    def test_remove_a_file(self, portfolio, django_capture_on_commit_callbacks):
        uuid = draft(portfolio)
        before = stored_files()
        _status, body = portfolio.upload(uuid, "notes.txt", TEXT_BYTES)
        (key,) = stored_files() - before
        attachment = body["evidence"]["attachments"][0]["uuid"]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            status, body = portfolio.post_json("remove_attachment", {"uuid": attachment})
        assert status == 200 and not Attachment.objects.exists()
        assert key in stored_files()
        for callback in callbacks:
            callback()
        assert key not in stored_files()


class TestDownload:
    """Files go back to their owner only, as attachments that browsers never render."""

    def upload(self, scenario, name="Compte rendu é.pdf", content=PDF_BYTES):
        uuid = draft(scenario)
        status, body = scenario.upload(uuid, name, content)
        assert status == 200, body
        return body["evidence"]["attachments"][0]["uuid"]

    def download(self, scenario, attachment, student="learner1"):
        return scenario.client.get(scenario.handler_url("download", student, suffix=attachment))

    def test_owner_downloads_the_file(self, portfolio):
        attachment = self.upload(portfolio)
        response = self.download(portfolio, attachment)
        assert response.status_code == 200
        assert b"".join(response) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert unquote(disposition.split("''", 1)[1]) == "Compte rendu é.pdf"
        assert "no-store" in response["Cache-Control"]

    def test_text_is_served_as_the_detected_type(self, portfolio):
        attachment = self.upload(portfolio, "notes.txt", TEXT_BYTES)
        response = self.download(portfolio, attachment)
        assert response["Content-Type"].startswith("text/plain")
        assert response["Content-Disposition"].startswith("attachment;")

    def test_owner_downloads_after_submission(self, portfolio):
        attachment = self.upload(portfolio)
        portfolio.post_json("submit_evidence", {"uuid": Attachment.objects.get().evidence.uuid.hex})
        assert self.download(portfolio, attachment).status_code == 200

    def test_another_learner_cannot_download(self, portfolio):
        attachment = self.upload(portfolio)
        response = self.download(portfolio, attachment, student="learner2")
        assert response.status_code == 404
        assert PDF_BYTES not in response.content

    def test_anonymous_cannot_download(self, portfolio):
        attachment = self.upload(portfolio)
        response = self.download(portfolio, attachment, student="none")
        assert response.status_code == 403
        assert PDF_BYTES not in response.content

    @pytest.mark.parametrize("suffix", ["", "nope", "12345678-1234-1234-1234-1234567890ab"])
    def test_unknown_attachment(self, portfolio, suffix):
        assert self.download(portfolio, suffix).status_code == 404

    def test_a_link_cannot_be_downloaded(self, portfolio):
        uuid = draft(portfolio)
        _status, body = portfolio.post_json("add_link", {"uuid": uuid, "url": "https://example.org"})
        assert self.download(portfolio, body["evidence"]["attachments"][0]["uuid"]).status_code == 404


class TestTwoBlocks:
    """Two blocks on one page keep their evidence apart."""

    @pytest.fixture(name="two")
    def fixture_two(self, make_scenario):
        return make_scenario(
            '<portfolio display_name="Authentique" situation_types=\'["authentic"]\'/>',
            '<portfolio display_name="Formation" situation_types=\'["training"]\' file_kinds=\'["pdf"]\'/>',
        )

    def test_evidence_stays_in_its_block(self, two):
        draft(two, index=0, title="Dans le premier bloc")
        status, body = two.post_json("save_evidence", {"fields": {"title": "Dans le second"}}, index=1)
        assert status == 200
        assert "Dans le premier bloc" not in body["item_html"] and "Dans le second" in body["item_html"]
        assert len({row.usage_key for row in Evidence.objects.all()}) == 2

    def test_each_block_applies_its_own_rules(self, two, refused):
        refused(lambda: two.post_json("save_evidence", {"fields": FIELDS}, index=1), 400, "invalid",
                {"situation_type"})
        uuid = draft(two, index=1, situation_type="training")
        refused(lambda: two.upload(uuid, "photo.png", png_bytes(), index=1), 400, "invalid", {"file"})

    def test_an_item_is_changed_only_through_its_own_block(self, two, refused):
        """The second block accepts training situations: it must not turn the first block's item into one."""
        uuid = draft(two, index=0)
        payload = {"uuid": uuid, "fields": {"situation_type": "training"}}
        refused(lambda: two.post_json("save_evidence", payload, index=1), 404, "not_found")
        assert Evidence.objects.get().situation_type == "authentic"

    def test_other_handlers_of_the_other_block_do_not_reach_the_item(self, two, refused):
        uuid = draft(two, index=0)
        _status, body = two.post_json("add_link", {"uuid": uuid, "url": "https://example.org"}, index=0)
        link = body["evidence"]["attachments"][0]["uuid"]
        for handler, payload in [
            ("add_link", {"uuid": uuid, "url": "https://example.org/2"}),
            ("remove_attachment", {"uuid": link}),
            ("submit_evidence", {"uuid": uuid}),
            ("delete_evidence", {"uuid": uuid}),
        ]:
            refused(functools.partial(two.post_json, handler, payload, index=1), 404, "not_found")
        refused(lambda: two.upload(uuid, "fiche.pdf", PDF_BYTES, index=1), 404, "not_found")


class TestStudioEdits:
    """Studio's editor saves valid configurations and refuses the others, through the block's handler."""

    def post(self, scenario, values):
        response = scenario.client.post(
            scenario.handler_url("submit_studio_edits", "staff1"),
            data=json.dumps({"values": values, "defaults": []}),
            content_type="application/json",
        )
        return response.status_code, json.loads(response.content)

    def test_valid_configuration_is_saved(self, portfolio):
        status, body = self.post(portfolio, {"min_evidence": 2, "max_evidence": 3, "file_kinds": ["pdf"]})
        assert status == 200, body
        block = portfolio.block()
        assert (block.min_evidence, block.max_evidence, block.file_kinds) == (2, 3, ["pdf"])

    @pytest.mark.parametrize(
        "values",
        [
            {"max_evidence": 0},
            {"min_evidence": 5, "max_evidence": 3},
            {"min_evidence": -1},
            {"max_file_size_mb": -1},
            {"max_files": -1},
            {"situation_types": []},
            {"situation_types": ["imaginary"]},
            {"file_kinds": ["exe"]},
        ],
    )
    def test_invalid_configuration_is_refused(self, portfolio, values):
        status, _body = self.post(portfolio, values)
        assert status == 400
        block = portfolio.block()
        assert (block.min_evidence, block.max_evidence, block.max_files) == (1, 10, 5)
        assert block.situation_types == ["authentic", "training"] and block.file_kinds == []


NUMBER_FIELDS = {"min_evidence": 1, "max_evidence": 10, "max_file_size_mb": 0, "max_files": 5}


class TestStudioEditsOfNumbers:
    """
    Studio's editor sends ``null`` for a number input it cannot read (``parseFloat("")`` is NaN,
    which ``JSON.stringify`` writes as null): XBlock's fields stored it, and a weight of null
    silently took a graded component out of the grade. Every number field refuses what is not a
    number, with a translated message naming the field, and nothing is stored.
    """

    @pytest.fixture(autouse=True)
    def _language_kept(self):
        """The French requests leave French active in this thread: the next tests get back their language."""
        with translation.override(translation.get_language()):
            yield

    def post(self, scenario, values, language="fr"):
        body = values if isinstance(values, str) else json.dumps({"values": values, "defaults": []})
        response = scenario.client.post(
            scenario.handler_url("submit_studio_edits", "staff1"), data=body, content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        return response.status_code, json.loads(response.content)

    @pytest.fixture
    def graded(self, make_scenario):
        return make_scenario('<portfolio weight="2"/>')

    @pytest.mark.parametrize(
        "raw",
        ["null", '""', '"abc"', "NaN", "Infinity", "-Infinity", '"1,5"', '"1.5"', "true", "[]", "{}"],
    )
    def test_a_weight_that_is_not_a_number_is_refused_and_the_weight_kept(self, graded, raw):
        status, body = self.post(graded, '{"values": {"display_name": "Autre", "weight": %s}, "defaults": []}' % raw)
        assert status == 400, body
        assert body["field_errors"] == {"weight": ["Pondération : saisissez un nombre, par exemple 1 ou 0.5."]}
        assert body["error"] == "Pondération : saisissez un nombre, par exemple 1 ou 0.5."
        block = graded.block()
        assert (block.weight, block.display_name, block.has_score) == (2.0, "Portfolio", True)

    def test_the_message_is_in_the_editor_language(self, graded):
        _status, body = self.post(graded, {"weight": None}, language="en")
        assert body["field_errors"] == {"weight": ["Weight: enter a number, such as 1 or 0.5."]}

    def test_a_negative_weight_is_refused(self, graded):
        status, body = self.post(graded, {"weight": -1})
        assert status == 400, body
        # The mixin's validation answer, whose messages Studio's editor shows.
        assert [m["text"] for m in body["error"]["messages"]] == ["La pondération ne peut pas être négative."]
        assert graded.block().weight == 2.0

    @pytest.mark.parametrize("weight", [0, 0.5, 1, 2.5, 100])
    def test_numbers_are_saved(self, graded, weight):
        status, body = self.post(graded, {"weight": weight})
        assert status == 200, body
        assert graded.block().weight == weight

    def test_saving_another_field_keeps_the_weight(self, graded):
        status, body = self.post(graded, {"display_name": "Situations", "weight": 2.0})
        assert status == 200, body
        status, body = self.post(graded, {"display_name": "Situations de classe"})
        assert status == 200, body
        block = graded.block()
        assert (block.display_name, block.weight, block.has_score) == ("Situations de classe", 2.0, True)

    @pytest.mark.parametrize("name", sorted(NUMBER_FIELDS))
    @pytest.mark.parametrize("raw", ["null", '""', '"abc"', '"3"', "NaN", "2.5", '"1,5"'])
    def test_whole_number_fields_refuse_what_is_not_a_whole_number(self, portfolio, name, raw):
        status, body = self.post(portfolio, '{"values": {"%s": %s}, "defaults": []}' % (name, raw))
        assert status == 400, body
        assert list(body["field_errors"]) == [name]
        assert body["field_errors"][name][0].endswith(" : saisissez un nombre entier, par exemple 3.")
        block = portfolio.block()
        assert {field: getattr(block, field) for field in NUMBER_FIELDS} == NUMBER_FIELDS

    def test_every_field_refused_is_named(self, portfolio):
        status, body = self.post(portfolio, {"weight": None, "max_files": None, "min_evidence": 2})
        assert status == 400
        assert sorted(body["field_errors"]) == ["max_files", "weight"]
        assert portfolio.block().min_evidence == 1

    def test_a_whole_number_written_as_a_decimal_is_saved(self, portfolio):
        status, body = self.post(portfolio, {"max_files": 3.0})
        assert status == 200, body
        block = portfolio.block()
        assert block.max_files == 3 and isinstance(block.max_files, int)

    def test_fields_reset_to_their_default_are_not_checked(self, graded):
        response = graded.client.post(
            graded.handler_url("submit_studio_edits", "staff1"),
            data=json.dumps({"values": {}, "defaults": ["weight"]}), content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert graded.block().weight == 0.0


def test_dates_of_today_are_accepted(portfolio):
    status, body = portfolio.post_json(
        "save_evidence", {"fields": {**FIELDS, "occurred_on": timezone.localdate().isoformat()}}
    )
    assert status == 200, body
