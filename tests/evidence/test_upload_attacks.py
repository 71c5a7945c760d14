"""
Hostile uploads, beyond what ``test_files.py`` and the handler tests already cover.

Each attack is tried through ``competency_plugin.api`` (where nothing has cleaned the name
yet: Django's and webob's multipart parsers strip path components before a handler sees
them) and, where the browser path differs, through the block's ``upload_file`` handler.
Every refusal must leave the database and the storage as they were.
"""
import io
import unicodedata
from unittest import mock
from urllib.parse import unquote

import pytest
from django.core.files.storage import FileSystemStorage

from competency_plugin import api
from competency_plugin.evidence.files import MAX_FILENAME_LENGTH
from competency_plugin.models import Attachment
from competency_plugin.platform.conf import MB
from competency_plugin.platform.filetypes import HEADER_SIZE
from tests.factories import (
    HTML_PAGE,
    JPEG_BYTES,
    PDF_BYTES,
    SVG_IMAGE,
    TEXT_BYTES,
    EvidenceFactory,
    UserFactory,
    data_snapshot,
    png_bytes,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CHUNK = 64 * 1024  # what storages read at a time (Django's File.DEFAULT_CHUNK_SIZE)


@pytest.fixture(name="draft")
def fixture_draft():
    return EvidenceFactory(user=UserFactory(username="yasmine"))


class CountingStream(io.RawIOBase):
    """
    A stream of ``size`` bytes (``head`` then zeros) made up as it is read, counting what was read.

    ``seekable=False`` makes it a pipe-like stream; ``short_reads`` makes each read return at
    most that many bytes, as sockets do.
    """

    def __init__(self, head, size, *, seekable=True, short_reads=None):
        super().__init__()
        self.head = head
        self.size = size
        self.position = 0
        self.consumed = 0
        self._seekable = seekable
        self.short_reads = short_reads

    def readable(self):
        return True

    def seekable(self):
        return self._seekable

    def seek(self, offset, whence=io.SEEK_SET):
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        self.position = offset if whence == io.SEEK_SET else self.position + offset
        return self.position

    def readinto(self, buffer):
        wanted = min(len(buffer), self.size - self.position)
        if self.short_reads:
            wanted = min(wanted, self.short_reads)
        if wanted <= 0:
            return 0
        start, end = self.position, self.position + wanted
        data = self.head[start:end] + bytes(max(0, end - max(start, len(self.head))))
        buffer[:wanted] = data
        self.position = end
        self.consumed += wanted
        return wanted


def add(evidence, name, upload, limits=None):
    """Upload through the API; ``upload`` is bytes or a file object."""
    return api.add_file(
        user_id=evidence.user.id,
        evidence_uuid=evidence.uuid,
        upload=io.BytesIO(upload) if isinstance(upload, bytes) else upload,
        filename=name,
        limits=limits or api.upload_limits(),
    )


def refused(evidence, name, upload, limits=None):
    """The upload is refused with a message on ``file``; nothing is written. Return the message."""
    before = data_snapshot()
    with pytest.raises(api.CompetencyRequestError) as caught:
        add(evidence, name, upload, limits)
    assert caught.value.field_errors["file"][0]
    assert data_snapshot() == before
    return caught.value.field_errors["file"][0]


def read_back(user, attachment_uuid):
    stored = api.open_attachment(user_id=user.id, attachment_uuid=attachment_uuid)
    with stored.file as handle:  # pylint: disable=not-context-manager
        return handle.read()


class TestNames:
    """Names are shown to learners and staff and sent back in headers: nothing in them may deceive or break."""

    @pytest.mark.parametrize(
        "name, title",
        [
            ("photo\u202egnp.txt", "photognp.txt"),  # right-to-left override: would read "photo.png"
            ("rapport\u200f\u2066.txt", "rapport.txt"),  # RLM and an isolate: invisible, dropped
            ("ligne\u2028para\u2029.txt", "ligne_para_.txt"),  # Unicode line and paragraph separators
            ("nul\x00byte.txt", "nul_byte.txt"),
            ("del\x7f\x1b[31m.txt", "del__[31m.txt"),  # DEL and an ANSI escape
            ("caf\udce9.txt", "caf_.txt"),  # a lone surrogate (undecodable byte) would break the database
            ("\ud83d\ude00.txt", "__.txt"),  # a surrogate pair left unjoined
        ],
    )
    def test_control_format_and_surrogate_characters_never_stay(self, draft, name, title):
        (attachment,) = add(draft, name, TEXT_BYTES).files
        assert attachment.title == title
        assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in attachment.title)
        assert Attachment.objects.get().title == title

    def test_emoji_outside_the_basic_plane_and_right_to_left_text_are_kept(self, draft):
        name = "\u062a\u0642\u0631\u064a\u0631 \U0001f4f7.txt"  # Arabic, then a camera emoji
        assert add(draft, name, TEXT_BYTES).files[0].title == name

    @pytest.mark.parametrize(
        "name",
        ["\U0001f600" * 400 + ".png", "é" * 1000 + ".png", "x" * 10_000 + ".png", "a" * 149 + "\u0301" * 50 + ".png"],
        ids=["emoji", "accented", "ascii", "combining"],
    )
    def test_overlong_names_are_cut_to_fit_keeping_the_extension(self, draft, name):
        (attachment,) = add(draft, name, png_bytes()).files
        assert len(attachment.title) <= MAX_FILENAME_LENGTH and attachment.title.endswith(".png")
        assert Attachment.objects.get().title == attachment.title

    @pytest.mark.parametrize("name", ["notes." + "t" * 300, "\u202e.txt", "\x00\x00", "...txt"])
    def test_names_left_without_a_valid_extension_are_refused(self, draft, name):
        refused(draft, name, TEXT_BYTES)

    def test_names_are_cleaned_through_the_handler_too(self, portfolio):
        uuid = _handler_draft(portfolio)
        status, body = portfolio.upload(uuid, "C:\\fakepath\\photo\u202egnp.txt", TEXT_BYTES)
        assert status == 200, body
        assert body["evidence"]["attachments"][0]["title"] == "photognp.txt"

    def test_a_name_cannot_inject_headers_into_the_download(self, portfolio):
        """A name no browser sends (the multipart encoding cannot carry it), given to the API directly."""
        uuid = _handler_draft(portfolio)
        attachment = api.add_file(
            user_id=UserFactory(username="learner1").id, evidence_uuid=uuid, upload=io.BytesIO(TEXT_BYTES),
            filename='x";\r\nSet-Cookie: pwned=1; a="b.txt', limits=api.upload_limits(),
        ).files[0]
        response = _download(portfolio, attachment.uuid)
        assert response.status_code == 200
        assert not response.cookies and "Set-Cookie" not in response
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=UTF-8''") and "\r" not in disposition
        assert not any(char in disposition.split("''", 1)[1] for char in ' ";\r\n')
        assert "\r" not in unquote(disposition.split("''", 1)[1])


class TestContentAndExtension:
    """The allowlist holds on content and extension at once."""

    @pytest.mark.parametrize(
        "name, content",
        [
            ("photo.exe", png_bytes()),
            ("photo.html", png_bytes()),
            ("photo.svg", png_bytes()),
            ("photo.png.html", png_bytes()),
            ("page.txt", b"\xef\xbb\xbf  \r\n<!DOCTYPE html><script>alert(1)</script>"),
            ("page.txt", "\ufeff<html><script>alert(1)</script></html>".encode("utf-16")),
            ("image.jpg", b'<?xml version="1.0"?>\n' + SVG_IMAGE),
            ("image.gif", b"\n\n  " + SVG_IMAGE),
            ("image.webp", HTML_PAGE),
            ("notes.md", b"<svg onload=alert(1)>"),
            ("polyglot.html", b"GIF89a/*" + HTML_PAGE),
            ("data.csv", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows executable
        ],
    )
    def test_refused(self, draft, name, content):
        message = refused(draft, name, content)
        assert "png" in message  # the message lists what is accepted

    @pytest.mark.parametrize(
        "name, content, mime_type",
        [
            ("PHOTO.PNG", png_bytes(), "image/png"),
            ("photo.html.png", png_bytes(), "image/png"),
            ("scan.JPEG", JPEG_BYTES, "image/jpeg"),
        ],
    )
    def test_accepted_with_the_detected_type_and_a_key_of_its_own(self, draft, name, content, mime_type):
        before = stored_files()
        (attachment,) = add(draft, name, content).files
        assert attachment.content_type == mime_type
        (key,) = stored_files() - before
        assert ".html" not in key and key.rsplit("/", 1)[-1].split(".")[0] != name.split(".")[0]

    def test_type_claimed_by_the_browser_is_ignored(self, portfolio):
        uuid = _handler_draft(portfolio)
        status, body = portfolio.upload(uuid, "photo.png", png_bytes(), content_type="text/html")
        assert status == 200, body
        response = _download(portfolio, body["evidence"]["attachments"][0]["uuid"])
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")

    def test_staff_download_has_the_same_protections(self, portfolio):
        uuid = _handler_draft(portfolio)
        _status, body = portfolio.upload(uuid, "fiche.pdf", PDF_BYTES)
        attachment = body["evidence"]["attachments"][0]["uuid"]
        assert portfolio.post_json("submit_evidence", {"uuid": uuid})[0] == 200
        response = _download(portfolio, attachment, student="staff1")
        assert response.status_code == 200 and b"".join(response) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")


class TestEmptyFiles:
    """Zero bytes is never a file, however it arrives."""

    def test_empty_stream_that_cannot_seek(self, draft):
        assert "empty" in refused(draft, "vide.txt", CountingStream(b"", 0, seekable=False))

    def test_empty_multipart_part_with_a_content_type(self, portfolio):
        uuid = _handler_draft(portfolio)
        before = data_snapshot()
        status, body = portfolio.upload(uuid, "vide.png", b"", content_type="image/png")
        assert status == 400 and "empty" in body["field_errors"]["file"][0]
        assert data_snapshot() == before


class TestSizeWhileStreaming:
    """The size is counted as the file is read: reading stops just past the limit, whatever the stream."""

    LIMIT = 1 * MB

    def limits(self):
        return api.upload_limits(max_file_size=self.LIMIT)

    @pytest.mark.parametrize("seekable", [True, False], ids=["seekable", "pipe"])
    def test_huge_stream_is_read_only_up_to_the_limit(self, draft, seekable):
        stream = CountingStream(png_bytes(), 500 * MB, seekable=seekable)
        assert "1 MB" in refused(draft, "photo.png", stream, self.limits())
        assert stream.consumed <= self.LIMIT + HEADER_SIZE + 2 * CHUNK

    @pytest.mark.parametrize("seekable", [True, False], ids=["seekable", "pipe"])
    def test_stream_within_the_limit_is_stored_whole(self, draft, seekable):
        content = png_bytes(padding=self.LIMIT - len(png_bytes()))
        stream = CountingStream(content, len(content), seekable=seekable)
        (attachment,) = add(draft, "photo.png", stream, self.limits()).files
        assert attachment.size == self.LIMIT
        assert read_back(draft.user, attachment.uuid) == content

    def test_one_byte_over_the_limit_from_a_pipe(self, draft):
        stream = CountingStream(png_bytes(), self.LIMIT + 1, seekable=False)
        refused(draft, "photo.png", stream, self.limits())

    def test_short_reads_still_give_the_whole_header(self, draft):
        """A socket may hand a few bytes at a time: the type is still detected from a full header."""
        content = TEXT_BYTES * 400
        stream = CountingStream(content, len(content), seekable=False, short_reads=7)
        (attachment,) = add(draft, "notes.txt", stream).files
        assert attachment.content_type == "text/plain"
        assert read_back(draft.user, attachment.uuid) == content

    def test_a_storage_reading_everything_at_once_is_bounded_too(self, draft):
        """Some storage backends call ``read()`` without a size: the limit still stops the reading."""

        def save_in_one_read(storage, name, content):
            data = content.read()
            return FileSystemStorage._save(storage, name, type(content)(io.BytesIO(data), name=name))

        stream = CountingStream(png_bytes(), 200 * MB, seekable=False)
        with mock.patch.object(FileSystemStorage, "_save", autospec=True, side_effect=save_in_one_read):
            refused(draft, "photo.png", stream, self.limits())
        assert stream.consumed <= self.LIMIT + HEADER_SIZE + 2 * CHUNK


def _handler_draft(scenario):
    status, body = scenario.post_json("save_evidence", {"fields": {
        "title": "Séance", "situation_type": "authentic", "description": "Une séance.", "analysis": "Bilan.",
    }})
    assert status == 200, body
    return body["evidence"]["uuid"]


def _download(scenario, attachment_uuid, student="learner1"):
    return scenario.client.get(scenario.handler_url("download", student, suffix=attachment_uuid))
