"""
Chunked, resumable uploads (issue 15, ADR 0016), through the block's real handlers on a real database
and the configured storage: chunks are stored as they come, an upload cut off resumes where it
stopped, the assembled file passes the checks of every upload, and nothing is left behind.
"""
import datetime

import pytest
from django.utils import timezone

from competency_plugin import api
from competency_plugin.models import Attachment, ChunkedUpload
from competency_plugin.platform.storage import get_attachment_storage
from tests.factories import HTML_PAGE, data_snapshot, png_bytes, stored_files

pytestmark = pytest.mark.django_db

CHUNK = 1024
FIELDS = {"title": "Séance avec photo", "situation_type": "authentic"}


@pytest.fixture(autouse=True)
def small_chunks(settings):
    settings.COMPETENCY_PORTFOLIO = {"UPLOAD_CHUNK_SIZE": CHUNK, "UPLOAD_EXPIRY": 3600}


@pytest.fixture(name="scenario")
def fixture_scenario(make_scenario):
    return make_scenario('<portfolio display_name="Mon portfolio"/>')


@pytest.fixture(name="draft")
def fixture_draft(scenario):
    status, body = scenario.post_json("save_evidence", {"fields": FIELDS})
    assert status == 200, body
    return body["evidence"]["uuid"]


PHOTO = png_bytes(padding=2 * CHUNK + 300)  # three chunks, the last one short


def _start(scenario, draft, content=PHOTO, name="photo.png", student="learner1", fingerprint="photo.png:1"):
    return scenario.post_json("upload_start", {
        "uuid": draft, "name": name, "size": len(content), "fingerprint": fingerprint,
    }, student=student)


def _chunk(scenario, upload, offset, data, student="learner1"):
    response = scenario.client.post(
        scenario.handler_url("upload_chunk", student, suffix=f"{upload}/{offset}"), data=data,
        content_type="application/octet-stream", HTTP_ACCEPT_LANGUAGE="en",
    )
    return response.status_code, response.json()


def _send(scenario, upload, content, start=0):
    for offset in range(start, len(content), CHUNK):
        status, body = _chunk(scenario, upload, offset, content[offset:offset + CHUNK])
        assert status == 200, body
    return body


def test_a_file_sent_in_chunks_is_attached_and_its_chunks_go(scenario, draft):
    before = stored_files()
    status, body = _start(scenario, draft)
    assert status == 200 and (body["received"], body["chunk_size"], body["size"]) == (0, CHUNK, len(PHOTO))
    upload = body["upload"]
    assert _send(scenario, upload, PHOTO)["received"] == len(PHOTO)
    assert len(stored_files() - before) == 3  # the parts, stored as they came
    status, body = scenario.post_json("upload_finish", {"upload": upload, "name": "photo.png"})
    assert status == 200, body
    assert body["message"] == "photo.png attached." and "photo.png" in body["item_html"]
    attachment = Attachment.objects.get()
    assert (attachment.title, attachment.size, attachment.content_type) == ("photo.png", len(PHOTO), "image/png")
    assert stored_files() - before == {attachment.file_key}  # the parts are gone
    assert not ChunkedUpload.objects.exists()
    with get_attachment_storage().open(attachment.file_key, "rb") as handle:
        assert handle.read() == PHOTO


def test_an_upload_cut_off_resumes_after_the_bytes_received(scenario, draft):
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:CHUNK])
    # The connection drops; the page is reloaded and the same file chosen again.
    status, body = _start(scenario, draft)
    assert status == 200 and (body["upload"], body["received"]) == (upload, CHUNK)
    _send(scenario, upload, PHOTO, start=CHUNK)
    assert scenario.post_json("upload_finish", {"upload": upload})[0] == 200
    assert Attachment.objects.get().size == len(PHOTO)


def test_a_chunk_sent_again_changes_nothing_and_one_out_of_order_says_where_to_go_on(scenario, draft):
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:CHUNK])
    files = stored_files()
    status, body = _chunk(scenario, upload, 0, PHOTO[:CHUNK])  # its answer was lost: sent again
    assert (status, body["received"]) == (200, CHUNK) and stored_files() == files
    status, body = _chunk(scenario, upload, 2 * CHUNK, PHOTO[2 * CHUNK:])
    assert (status, body["error"], body["received"]) == (409, "conflict", CHUNK)
    assert stored_files() == files


def test_chunks_that_do_not_fit_are_refused(scenario, draft):
    upload = _start(scenario, draft)[1]["upload"]
    assert _chunk(scenario, upload, 0, PHOTO[:CHUNK + 1])[0] == 400  # larger than a chunk
    assert _chunk(scenario, upload, 0, PHOTO[:CHUNK - 1])[0] == 400  # short, and not the last
    assert _chunk(scenario, upload, 0, b"")[0] == 400
    assert _chunk(scenario, upload, "x", PHOTO[:CHUNK])[0] == 400
    assert ChunkedUpload.objects.get().received == 0


def test_an_upload_not_complete_is_not_attached(scenario, draft):
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:CHUNK])
    status, body = scenario.post_json("upload_finish", {"upload": upload})
    assert status == 400 and "file" in body["field_errors"]
    assert not Attachment.objects.exists() and ChunkedUpload.objects.get().received == CHUNK


def test_content_is_checked_with_the_first_chunk(scenario, draft):
    page = HTML_PAGE + b" " * CHUNK
    upload = _start(scenario, draft, page, name="photo.png")[1]["upload"]
    before = stored_files()
    status, body = _chunk(scenario, upload, 0, page[:CHUNK])
    assert status == 400 and "file" in body["field_errors"]
    assert not ChunkedUpload.objects.exists() and stored_files() == before


def test_the_assembled_file_goes_through_the_checks_of_every_upload(scenario, draft, settings):
    """A PNG header on the first chunk proves nothing: the whole file is checked again (here, its size)."""
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO)
    settings.COMPETENCY_PORTFOLIO = {**settings.COMPETENCY_PORTFOLIO, "MAX_FILE_SIZE": 2 * CHUNK}
    before = stored_files()
    status, body = scenario.post_json("upload_finish", {"upload": upload})
    assert status == 400 and "file" in body["field_errors"]
    assert not Attachment.objects.exists() and not ChunkedUpload.objects.exists()
    assert len(before - stored_files()) == 3  # the parts went with the refused upload


def test_the_size_and_count_are_checked_at_the_start(scenario, draft, settings):
    settings.COMPETENCY_PORTFOLIO = {**settings.COMPETENCY_PORTFOLIO, "MAX_FILE_SIZE": CHUNK}
    before = data_snapshot()
    status, body = _start(scenario, draft)
    assert status == 400 and "file" in body["field_errors"]
    assert data_snapshot() == before and not ChunkedUpload.objects.exists()
    for size in (0, -1, "12", None):
        status, body = scenario.post_json("upload_start", {
            "uuid": draft, "name": "photo.png", "size": size, "fingerprint": "f"})
        assert status == 400, size


def test_another_learner_cannot_touch_an_upload(scenario, draft):
    upload = _start(scenario, draft)[1]["upload"]
    assert _start(scenario, draft, student="karim")[0] == 404
    assert _chunk(scenario, upload, 0, PHOTO[:CHUNK], student="karim")[0] == 404
    assert scenario.post_json("upload_finish", {"upload": upload}, student="karim")[0] == 404
    assert scenario.post_json("upload_cancel", {"upload": upload}, student="karim")[0] == 404
    assert ChunkedUpload.objects.get().received == 0


def test_a_cancelled_upload_leaves_nothing(scenario, draft):
    before = stored_files()
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:2 * CHUNK])
    assert scenario.post_json("upload_cancel", {"upload": upload}) == (200, {"cancelled": True})
    assert stored_files() == before and not ChunkedUpload.objects.exists()


def test_abandoned_uploads_are_removed_with_their_chunks(scenario, draft):
    before = stored_files()
    old = _start(scenario, draft, fingerprint="old")[1]["upload"]
    _send(scenario, old, PHOTO[:CHUNK])
    fresh = _start(scenario, draft, fingerprint="fresh")[1]["upload"]
    _send(scenario, fresh, PHOTO[:CHUNK])
    ChunkedUpload.objects.filter(uuid=old).update(modified=timezone.now() - datetime.timedelta(hours=2))
    assert api.remove_abandoned_uploads() == 1
    assert [str(item.uuid) for item in ChunkedUpload.objects.all()] == [fresh]
    assert len(stored_files() - before) == 1
    assert api.remove_abandoned_uploads(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    assert stored_files() == before


@pytest.mark.django_db(transaction=True)  # files go once the deletion commits
def test_deleting_the_draft_removes_the_chunks_of_its_uploads(scenario, draft):
    before = stored_files()
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:CHUNK])
    assert scenario.post_json("delete_evidence", {"uuid": draft})[0] == 200
    assert stored_files() == before and not ChunkedUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_retirement_removes_the_chunks_of_unfinished_uploads(scenario, draft):
    before = stored_files()
    upload = _start(scenario, draft)[1]["upload"]
    _send(scenario, upload, PHOTO[:CHUNK])
    assert len(stored_files() - before) == 1
    api.retire_learner(ChunkedUpload.objects.get().evidence.user_id)
    assert not ChunkedUpload.objects.exists() and stored_files() == before
