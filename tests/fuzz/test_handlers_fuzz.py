"""
Every handler of the Portfolio XBlock, learners' and staff's, fed generated requests.

The handlers are listed from the block class itself, so a handler added later is fuzzed too
(with generic payloads until it gets its own strategy below). Whoever calls (learner, another
learner, staff, anonymous, a malformed student id), with whatever method and body, the answer
is a success or a 4xx with a message — JSON, except file downloads — never a 5xx; and a refused
request writes nothing in the plugin's tables or its storage.
"""
import functools
import json
import uuid
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio_xblock.block import PortfolioXBlock
from tests.factories import HTML_PAGE, PDF_BYTES, SVG_IMAGE, TEXT_BYTES, png_bytes
from tests.fuzz.conftest import check_answer, plugin_snapshot, rolled_back
from tests.fuzz.strategies import (
    FUZZ,
    course_keys,
    json_body,
    json_values,
    numbers,
    path_segments,
    plausible_text,
    text,
    usage_keys,
    uuids,
    variants,
)

pytestmark = pytest.mark.django_db

HANDLERS = sorted(
    name for name in dir(PortfolioXBlock) if getattr(getattr(PortfolioXBlock, name, None), "_is_xblock_handler", False)
)
# Handlers that are not JSON: files go up as multipart forms and come down as downloads.
UPLOAD_HANDLERS = ("upload_file",)
DOWNLOAD_HANDLERS = ("download",)
LEARNERS = st.sampled_from(["learner1"] * 14 + ["learner2", "staff1", "none", "", "bad id!", "x" * 200, "\u202estaff"])
STAFF = st.sampled_from(["staff1"] * 12 + ["learner1", "none", "", "bad id!"])
DOWNLOAD_METHODS = st.sampled_from(["GET", "GET", "POST", "HEAD"])
METHODS = st.sampled_from(["POST"] * 6 + ["GET", "PUT", "DELETE"])


def students(handler):
    """Who calls: mostly a learner, or mostly staff for staff handlers; sometimes anyone else."""
    return STAFF if handler.startswith("review_") or handler == "submit_studio_edits" else LEARNERS


def evidence_fields():
    """The learner's ``fields``."""
    return variants({
        "title": plausible_text(),
        "situation_type": st.sampled_from(["authentic", "training", "imaginary", ""]),
        "description": plausible_text(),
        "analysis": plausible_text(),
        "occurred_on": st.one_of(st.none(), st.dates().map(str), st.sampled_from(["2026-02-30", "demain"])),
        "school_level": plausible_text(),
        "subject": text(),
    })


def claims(world):
    """Competence claims: known competences and others, justified or not."""
    claim = variants({"competence": st.sampled_from(world.competences), "justification": plausible_text()})
    return st.one_of(st.lists(claim, max_size=3), json_values(4))


def competence_decisions(world):
    """A reviewer's decisions on competences."""
    decision = variants({
        "competence": st.sampled_from(world.competences),
        "status": st.sampled_from(["validated", "not_yet", "accepted", ""]),
        "level": st.sampled_from(["A", "B", "Z", ""]),
    })
    return st.one_of(st.lists(decision, max_size=3), json_values(4))


def queue_filters():
    """The review queue's filters."""
    return variants({
        "status": st.sampled_from(["submitted", "revision_requested", "accepted", "all", "draft"]),
        "learner": st.one_of(st.sampled_from(["learner1", "learner", ""]), text()),
        "page": st.one_of(st.integers(1, 3), numbers()),
    })


def payloads(world, handler):
    """The JSON objects sent to ``handler``: around a plausible one, with fields missing, hostile or extra."""
    return _payloads(handler, world)


@functools.lru_cache(maxsize=64)
def _payloads(handler, world):
    """``payloads``, built once per handler and world (building strategies costs more than drawing)."""
    any_uuid = uuids(*world.uuids)
    evidence = st.one_of(st.sampled_from(world.evidence), any_uuid)
    by_handler = {
        "save_evidence": lambda: variants({
            "uuid": st.one_of(st.none(), st.sampled_from(world.evidence[:1]), any_uuid),
            "client_key": st.one_of(st.uuids().map(str), text()),
            "fields": evidence_fields(),
            "claims": claims(world),
        }),
        "submit_evidence": lambda: variants({"uuid": evidence}),
        "delete_evidence": lambda: variants({"uuid": evidence}),
        "add_link": lambda: variants({
            "uuid": evidence,
            "url": st.one_of(st.sampled_from(["https://example.org/a", "javascript:alert(1)", "http://"]),
                             st.builds(lambda tail: "https://example.org/" + tail, text())),
            "title": plausible_text(),
        }),
        "remove_attachment": lambda: variants({"uuid": st.one_of(st.sampled_from(world.attachments), any_uuid)}),
        "review_queue": queue_filters,
        "review_item": lambda: variants({"uuid": evidence}),
        "review_decide": lambda: variants({
            "uuid": st.one_of(st.sampled_from(world.evidence[1::2]), any_uuid),
            "version": st.one_of(st.just(1), numbers()),
            "base_decision": st.one_of(st.none(), st.sampled_from(world.decisions), any_uuid),
            "outcome": st.sampled_from(["accepted", "revision_requested", "rejected", ""]),
            "feedback": st.one_of(plausible_text(), text()),
            "competences": competence_decisions(world),
            "queue": queue_filters(),
        }),
        "submit_studio_edits": lambda: variants({
            "values": variants({
                "display_name": plausible_text(), "prompt": text(),
                "situation_types": st.lists(st.sampled_from(["authentic", "training", "x"])),
                "framework": uuids(world.framework), "competences": st.lists(uuids(*world.competences)),
                "min_evidence": st.one_of(st.integers(0, 5), numbers()),
                "max_evidence": st.one_of(st.integers(0, 10), numbers()),
                "max_file_size_mb": numbers(), "max_files": numbers(),
                "file_kinds": st.lists(st.sampled_from(["pdf", "image", "exe"])), "weight": numbers(),
            }),
            "defaults": st.lists(st.sampled_from(["display_name", "weight", "x"]), max_size=3),
        }),
    }

    def generic():
        """A handler added later: the usual fields, every kind of key."""
        return variants({"uuid": any_uuid, "course_key": course_keys(), "usage_key": usage_keys()})

    return by_handler.get(handler, generic)()


CONTENTS = st.one_of(
    st.sampled_from([png_bytes(), PDF_BYTES, TEXT_BYTES, HTML_PAGE, SVG_IMAGE, b"", b"\x00" * 10]),
    st.binary(max_size=2048),
)


def multipart(fields, files):
    """Encode a multipart form by hand: the names may hold bytes no client library would send."""
    boundary = "fuzz" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode("utf-8", "surrogatepass") + b"\r\n")
    for name, filename, content in files:
        quoted = filename.encode("utf-8", "surrogatepass").replace(b'"', b"%22").replace(b"\r", b"").replace(b"\n", b"")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
                     + quoted + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@functools.lru_cache(maxsize=8)
def upload_requests(world):
    """A multipart upload, maybe without its file or its uuid, with hostile names and contents; or not a form."""
    good_file = st.sampled_from([("photo.png", png_bytes()), ("fiche.pdf", PDF_BYTES), ("notes.txt", TEXT_BYTES)])
    any_file = st.tuples(
        st.one_of(st.sampled_from(["photo.png", "fiche.pdf", "notes.txt", "../x.txt", "a.svg"]), text()), CONTENTS
    )
    form = st.builds(
        lambda evidence, file: multipart(
            [("uuid", evidence)] if evidence is not None else [],
            [("file", *file)] if file is not None else [],
        ),
        st.one_of(st.sampled_from(world.evidence[:1]), st.none(), uuids(*world.evidence)),
        st.one_of(good_file, good_file, any_file, st.none()),
    )
    broken = st.builds(lambda body: (body, "multipart/form-data; boundary=x"), st.binary(max_size=256))
    as_json = json_body(payloads(world, "upload_file")).map(lambda body: (body, "application/json"))
    return st.one_of(form, form, broken, as_json)


def send(client, world, handler, student, method, *, body=b"", content_type="application/json", suffix=""):
    """Send one request to a handler of the world's block as ``student``."""
    url = f"/handler/{world.scenario.block_id}/{handler}/{suffix}?student={quote(student.encode('utf-8'))}"
    return client.generic(method, url, data=body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="fr")


@pytest.mark.parametrize("handler", HANDLERS)
@FUZZ
@given(data=st.data())
def test_handler(client, world, handler, data):
    """Generated requests to one handler: a success or a 4xx with a message, and nothing written on refusal."""
    student = data.draw(students(handler), label="student")
    with rolled_back():
        before = plugin_snapshot()
        if handler in DOWNLOAD_HANDLERS:
            method = data.draw(DOWNLOAD_METHODS, label="method")
            suffix = data.draw(path_segments(*world.attachments, ascii_only=True), label="suffix")
            response = send(client, world, handler, student, method, suffix=suffix)
            check_answer(response, before, json_errors=False, method=method)
            if response.status_code == 200 and method != "HEAD":
                assert response["Content-Disposition"].startswith("attachment;")
                assert response["X-Content-Type-Options"] == "nosniff"
            return
        method = data.draw(METHODS, label="method")
        if handler in UPLOAD_HANDLERS:
            body, content_type = data.draw(upload_requests(world), label="upload")
        else:
            body, content_type = data.draw(json_body(payloads(world, handler)), label="body"), "application/json"
        response = send(client, world, handler, student, method, body=body, content_type=content_type)
        check_answer(response, before, body=body)
        if response.status_code < 300:
            json.loads(response.content)


def test_every_handler_is_fuzzed():
    """The list is read from the block: learners' and staff's handlers are all there."""
    assert {"save_evidence", "submit_evidence", "delete_evidence", "add_link", "remove_attachment", "upload_file",
            "download"} <= set(HANDLERS)
    assert {"review_queue", "review_item", "review_decide"} <= set(HANDLERS)
