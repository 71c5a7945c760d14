"""
The server errors the fuzz tests found, each kept as a plain example so it never comes back
whatever examples the fuzzer happens to draw.
"""
import json

import pytest

from tests.fuzz.conftest import check_answer, plugin_snapshot

pytestmark = pytest.mark.django_db


def post(world, handler, body, student="learner1"):
    url = f"/handler/{world.scenario.block_id}/{handler}/?student={student}"
    return world.scenario.client.post(url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("handler", ["save_evidence", "review_queue"])
def test_json_nested_too_deep_is_a_400(world, handler):
    """A body nested deeper than Python's JSON decoder recurses raised RecursionError: a 500."""
    before = plugin_snapshot()
    response = post(world, handler, b"[" * 5000, student="staff1" if handler.startswith("review") else "learner1")
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "invalid_json"
    check_answer(response, before)


@pytest.mark.parametrize("status", [[], {}, ["submitted"]])
def test_queue_status_of_another_type_falls_back_to_the_default(world, status):
    """An unhashable ``status`` made the queue's filter look-up raise TypeError: a 500."""
    response = post(world, "review_queue", json.dumps({"status": status}), student="staff1")
    assert response.status_code == 200, response.content[:300]


def test_queue_learner_filter_with_a_lone_surrogate(world):
    """A lone surrogate in the learner filter reached the database, which cannot encode it: a 500."""
    response = post(world, "review_queue", b'{"learner": "a\\ud800"}', student="staff1")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    "body",
    [b"[" * 5000, b"[]", b'{"defaults": []}', b'{"values": {}}', b'{"values": [], "defaults": []}',
     b'{"values": {"display_name": ["x"]}, "defaults": []}', b'{"values": {"max_files": "many"}, "defaults": []}',
     b'{"values": {"min_evidence": Infinity}, "defaults": []}', b'{"values": {"situation_types": {}}, "defaults": []}'],
    ids=["deep", "list", "no-values", "no-defaults", "values-list", "wrong-type", "not-a-number", "infinity", "dict"],
)
def test_studio_edits_of_the_wrong_shape_are_a_400(world, body):
    """Studio's save handler (XBlock's mixin) raised KeyError, TypeError, ValueError or OverflowError: a 500."""
    before = plugin_snapshot()
    block_before = world.scenario.block("staff1")
    response = post(world, "submit_studio_edits", body, student="staff1")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
    check_answer(response, before)
    block = world.scenario.block("staff1")
    assert (block.display_name, block.max_files, block.min_evidence) == (
        block_before.display_name, block_before.max_files, block_before.min_evidence)


def test_upload_form_django_cannot_parse_is_a_json_400(world):
    """A file name longer than Django's multipart header limit raised MultiPartParserError: an HTML 400."""
    boundary = "fuzzboundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="uuid"\r\n\r\n{world.evidence[0]}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{"a" * 10000}.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\nnotes\r\n--{boundary}--\r\n").encode()
    before = plugin_snapshot()
    url = f"/handler/{world.scenario.block_id}/upload_file/?student=learner1"
    response = world.scenario.client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    # Django 5.2 refuses the form (MultiPartParserError); Django 4.2 drops the part it cannot read.
    assert json.loads(response.content)["field_errors"]["file"] in (
        ["The file sent could not be read."], ["Choose a file to attach."],
    )
    check_answer(response, before)


def test_anonymous_download_says_why(world):
    """The download handler answered anonymous callers with an empty 403: no message to show."""
    url = f"/handler/{world.scenario.block_id}/download/{world.attachments[0]}?student=none"
    response = world.scenario.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.content.decode() == "Sign in to download this file."
