"""Attachments through ``competency_plugin.api``: uploads, links, removal and downloads, in step with storage."""
import io
import os
from unittest import mock

import pytest
from django.db import DatabaseError

from competency_plugin import api
from competency_plugin.models import Attachment, AttachmentKind, EvidenceStatus
from competency_plugin.platform.conf import DEFAULTS, MB
from competency_plugin.platform.storage import get_attachment_storage
from tests.factories import (
    HTML_PAGE,
    OTHER_USAGE_KEY,
    PDF_BYTES,
    SVG_IMAGE,
    TEXT_BYTES,
    USAGE_KEY,
    AttachmentFactory,
    EvidenceFactory,
    LinkFactory,
    UserFactory,
    data_snapshot,
    png_bytes,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(name="draft")
def fixture_draft():
    return EvidenceFactory(user=UserFactory(username="amina"))


def add(evidence, name, content, limits=None, user=None):
    """Upload ``content`` as ``name`` to ``evidence`` through the API."""
    return api.add_file(
        user_id=(user or evidence.user).id,
        evidence_uuid=evidence.uuid,
        upload=io.BytesIO(content),
        filename=name,
        limits=limits or api.upload_limits(),
    )


def read_attachment(user, attachment_uuid):
    """Return the bytes of an attachment opened through the API as ``user``."""
    stored = api.open_attachment(user_id=user.id, attachment_uuid=attachment_uuid)
    with stored.file as handle:  # pylint: disable=not-context-manager
        return handle.read()


def assert_file_refused(evidence, name, content, limits=None, *, contains=""):
    """The upload fails with a message on the ``file`` field, and nothing is written anywhere."""
    before = data_snapshot()
    with pytest.raises(api.CompetencyRequestError) as caught:
        add(evidence, name, content, limits)
    messages = caught.value.field_errors.get("file")
    assert messages and messages[0], caught.value.field_errors
    assert contains in messages[0]
    assert data_snapshot() == before
    return messages[0]


class TestLimits:
    """A block lowers the instance's limits, never raises them."""

    def test_defaults(self):
        limits = api.upload_limits()
        assert limits.max_file_size == DEFAULTS["MAX_FILE_SIZE"]
        assert limits.max_files == DEFAULTS["MAX_FILES_PER_EVIDENCE"]
        assert limits.max_links == DEFAULTS["MAX_LINKS_PER_EVIDENCE"]
        assert limits.file_kinds == tuple(DEFAULTS["ALLOWED_FILE_KINDS"])

    def test_block_lowers_but_never_raises(self):
        lower = api.upload_limits(max_file_size=1 * MB, max_files=1, file_kinds=("pdf",))
        assert (lower.max_file_size, lower.max_files, lower.file_kinds) == (1 * MB, 1, ("pdf",))
        higher = api.upload_limits(max_file_size=1000 * MB, max_files=100)
        assert higher.max_file_size == DEFAULTS["MAX_FILE_SIZE"]
        assert higher.max_files == DEFAULTS["MAX_FILES_PER_EVIDENCE"]

    def test_block_cannot_add_kinds_the_instance_refuses(self, settings):
        settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, "ALLOWED_FILE_KINDS": ["pdf"]}
        assert api.upload_limits(file_kinds=("image", "pdf")).file_kinds == ("pdf",)
        assert api.upload_limits().file_kinds == ("pdf",)


class TestUpload:
    """Files are checked, stored under a generated key, and recorded."""

    def test_upload_is_stored_and_recorded(self, draft):
        before = stored_files()
        evidence = add(draft, "photo du tableau.png", png_bytes())
        (attachment,) = evidence.files
        assert attachment.title == "photo du tableau.png"
        assert attachment.content_type == "image/png" and attachment.size == len(png_bytes())
        (key,) = stored_files() - before
        row = Attachment.objects.get(uuid=attachment.uuid)
        assert row.file_key == key and row.kind == AttachmentKind.FILE
        assert key.startswith(DEFAULTS["STORAGE_PREFIX"] + "/") and key.endswith(".png")
        assert "tableau" not in key
        with get_attachment_storage().open(key, "rb") as handle:
            assert handle.read() == png_bytes()

    def test_upload_larger_than_the_header_is_stored_whole(self, draft):
        content = TEXT_BYTES * 5000  # several chunks, well past the 8 KB header
        (attachment,) = add(draft, "notes.txt", content).files
        assert read_attachment(draft.user, attachment.uuid) == content
        assert attachment.size == len(content)

    def test_file_of_exactly_the_limit_is_accepted(self, draft):
        limits = api.upload_limits(max_file_size=1 * MB)
        assert add(draft, "photo.png", png_bytes(padding=MB - len(png_bytes())), limits).files[0].size == MB

    def test_oversized_file_is_refused(self, draft):
        limits = api.upload_limits(max_file_size=1 * MB)
        message = assert_file_refused(draft, "photo.png", png_bytes(padding=MB + 1 - len(png_bytes())), limits)
        assert "1 MB" in message

    @pytest.mark.parametrize(
        "name, content",
        [("photo.png", HTML_PAGE), ("doc.pdf", png_bytes()), ("image.png", SVG_IMAGE), ("image.svg", SVG_IMAGE)],
        ids=["html-as-png", "png-as-pdf", "svg-as-png", "svg"],
    )
    def test_disallowed_or_disguised_types_are_refused(self, draft, name, content):
        message = assert_file_refused(draft, name, content)
        assert "pdf" in message and "png" in message  # the message lists what is accepted

    def test_kinds_restricted_by_the_block(self, draft):
        limits = api.upload_limits(file_kinds=("pdf",))
        assert "pdf" in assert_file_refused(draft, "photo.png", png_bytes(), limits)
        assert add(draft, "fiche.pdf", PDF_BYTES, limits).files[0].content_type == "application/pdf"

    def test_too_many_files(self, draft):
        limits = api.upload_limits(max_files=1)
        add(draft, "fiche.pdf", PDF_BYTES, limits)
        assert_file_refused(draft, "photo.png", png_bytes(), limits, contains="1 file")

    def test_links_do_not_count_as_files(self, draft):
        LinkFactory(evidence=draft)
        assert add(draft, "fiche.pdf", PDF_BYTES, api.upload_limits(max_files=1)).files

    def test_no_files_allowed(self, draft):
        assert_file_refused(draft, "fiche.pdf", PDF_BYTES, api.upload_limits(max_files=0))

    def test_empty_file_is_refused(self, draft):
        assert_file_refused(draft, "vide.txt", b"", contains="empty")

    @pytest.mark.parametrize("name", ["notes", "", "....", "/", "..", "dossier/"])
    def test_file_needs_a_name_with_an_extension(self, draft, name):
        assert_file_refused(draft, name, TEXT_BYTES)

    @pytest.mark.parametrize(
        "name, title",
        [
            ("../../etc/passwd.txt", "passwd.txt"),
            ("C:\\Users\\amina\\Bureau\\notes.txt", "notes.txt"),
            ("/var/www/../notes.txt", "notes.txt"),
            ('no<te>s:"|?*.txt', "no_te_s_.txt"),
            ("tab\tnew\nline.txt", "tab_new_line.txt"),
            ("  .notes.txt. ", "notes.txt"),
            ("Re\u0301flexion.txt", "R\u00e9flexion.txt"),  # normalised to NFC
        ],
    )
    def test_file_names_are_sanitised_and_keys_generated(self, draft, name, title):
        before = stored_files()
        (attachment,) = add(draft, name, TEXT_BYTES).files
        assert attachment.title == title
        (key,) = stored_files() - before
        assert ".." not in key and key.startswith(DEFAULTS["STORAGE_PREFIX"] + "/")
        assert os.path.basename(key) != title
        location = os.path.realpath(get_attachment_storage().location)
        assert os.path.realpath(get_attachment_storage().path(key)).startswith(location + os.sep)

    def test_long_names_are_shortened_keeping_the_extension(self, draft):
        (attachment,) = add(draft, "r" * 400 + ".txt", TEXT_BYTES).files
        assert len(attachment.title) <= 150 and attachment.title.endswith(".txt")

    def test_upload_to_another_learners_item_is_not_found(self, draft):
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            add(draft, "photo.png", png_bytes(), user=UserFactory())
        assert data_snapshot() == before

    def test_upload_through_another_block_is_not_found(self, draft):
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            api.add_file(user_id=draft.user.id, evidence_uuid=draft.uuid, upload=io.BytesIO(TEXT_BYTES),
                         filename="notes.txt", limits=api.upload_limits(), usage_key=OTHER_USAGE_KEY)
        assert data_snapshot() == before
        assert api.add_file(user_id=draft.user.id, evidence_uuid=draft.uuid, upload=io.BytesIO(TEXT_BYTES),
                            filename="notes.txt", limits=api.upload_limits(), usage_key=USAGE_KEY).files

    def test_upload_to_a_submitted_item_is_refused(self):
        submitted = EvidenceFactory(submitted=True)
        before = data_snapshot()
        with pytest.raises(api.CompetencyConflictError):
            add(submitted, "photo.png", png_bytes())
        assert data_snapshot() == before

    def test_upload_to_an_item_asked_for_revision(self):
        revised = EvidenceFactory(status=EvidenceStatus.REVISION_REQUESTED, version=1)
        assert add(revised, "photo.png", png_bytes()).files


class TestNothingLost:
    """A file is never left without its row, nor a row without its file."""

    def test_database_failure_removes_the_stored_file(self, draft):
        before = data_snapshot()
        with mock.patch.object(Attachment.objects, "create", side_effect=DatabaseError("connection lost")):
            with pytest.raises(api.CompetencyInternalError) as caught:
                add(draft, "photo.png", png_bytes())
        assert caught.value.message
        assert data_snapshot() == before

    def test_storage_failure_is_an_internal_error(self, draft):
        before = data_snapshot()
        with mock.patch.object(type(get_attachment_storage()), "_save", side_effect=OSError("disk full")):
            with pytest.raises(api.CompetencyInternalError):
                add(draft, "photo.png", png_bytes())
        assert data_snapshot() == before

    def test_item_submitted_while_uploading_keeps_no_file(self, draft):
        """The item is checked again, locked, once the file is stored."""
        real_save = type(get_attachment_storage())._save

        def submit_meanwhile(storage, name, content):
            stored = real_save(storage, name, content)
            type(draft).objects.filter(pk=draft.pk).update(status=EvidenceStatus.SUBMITTED, version=1)
            return stored

        before = stored_files()
        with mock.patch.object(type(get_attachment_storage()), "_save", autospec=True, side_effect=submit_meanwhile):
            with pytest.raises(api.CompetencyConflictError):
                add(draft, "photo.png", png_bytes())
        assert stored_files() == before
        assert not Attachment.objects.exists()

    def test_remove_attachment_deletes_the_file_after_commit(self, draft, django_capture_on_commit_callbacks):
        attachment = AttachmentFactory(evidence=draft)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            evidence = api.remove_attachment(user_id=draft.user.id, attachment_uuid=attachment.uuid)
        assert not evidence.attachments and not Attachment.objects.exists()
        assert attachment.file_key in stored_files()
        for callback in callbacks:
            callback()
        assert attachment.file_key not in stored_files()

    def test_remove_from_a_submitted_item_is_refused(self, django_capture_on_commit_callbacks):
        attachment = AttachmentFactory(evidence=EvidenceFactory(submitted=True))
        before = data_snapshot()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(api.CompetencyConflictError):
                api.remove_attachment(user_id=attachment.evidence.user.id, attachment_uuid=attachment.uuid)
        assert data_snapshot() == before

    @pytest.mark.parametrize("attachment_uuid", ["nope", "", "12345678-1234-1234-1234-1234567890ab"])
    def test_remove_unknown_attachment(self, draft, attachment_uuid):
        with pytest.raises(api.CompetencyNotFoundError):
            api.remove_attachment(user_id=draft.user.id, attachment_uuid=attachment_uuid)

    def test_remove_another_learners_attachment_is_not_found(self, draft, django_capture_on_commit_callbacks):
        theirs = AttachmentFactory()
        before = data_snapshot()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(api.CompetencyNotFoundError):
                api.remove_attachment(user_id=draft.user.id, attachment_uuid=theirs.uuid)
        assert data_snapshot() == before


class TestLinks:
    """Links are web addresses only, counted against their own limit."""

    def link(self, evidence, data, limits=None, user=None):
        return api.add_link(
            user_id=(user or evidence.user).id,
            evidence_uuid=evidence.uuid,
            data=data,
            limits=limits or api.upload_limits(),
        )

    def test_add_link(self, draft):
        (link,) = self.link(draft, {"url": "https://example.org/fiche", "title": "Fiche"}).links
        assert (link.url, link.title, link.kind) == ("https://example.org/fiche", "Fiche", "link")

    def test_link_title_defaults_to_its_address(self, draft):
        assert self.link(draft, {"url": "https://example.org/x"}).links[0].title == "https://example.org/x"

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"url": "javascript:alert(1)"}, "url"),
            ({"url": "data:text/html,<script>alert(1)</script>"}, "url"),
            ({"url": "ftp://example.org/file"}, "url"),
            ({"url": "pas une adresse"}, "url"),
            ({"url": "https://example.org/\x00"}, "url"),
            ({"url": "https://example.org/" + "a" * 2000}, "url"),
            ({}, "url"),
            ({"url": "https://example.org", "title": "t" * 201}, "title"),
            ({"url": "https://example.org", "title": "caf\ud800"}, "title"),
            ({"url": "https://example.org", "kind": "file"}, "kind"),
        ],
    )
    def test_invalid_links_are_refused(self, draft, data, field):
        before = data_snapshot()
        with pytest.raises(api.CompetencyRequestError) as caught:
            self.link(draft, data)
        assert field in caught.value.field_errors
        assert data_snapshot() == before

    def test_too_many_links(self, draft, settings):
        settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, "MAX_LINKS_PER_EVIDENCE": 1}
        self.link(draft, {"url": "https://example.org/1"})
        with pytest.raises(api.CompetencyRequestError) as caught:
            self.link(draft, {"url": "https://example.org/2"})
        assert "1" in caught.value.field_errors["url"][0]
        assert Attachment.objects.count() == 1

    def test_link_to_another_learners_item_is_not_found(self, draft):
        with pytest.raises(api.CompetencyNotFoundError):
            self.link(draft, {"url": "https://example.org"}, user=UserFactory())
        assert not Attachment.objects.exists()

    def test_link_and_removal_through_another_block_are_not_found(self, draft):
        with pytest.raises(api.CompetencyNotFoundError):
            api.add_link(user_id=draft.user.id, evidence_uuid=draft.uuid, data={"url": "https://example.org"},
                         limits=api.upload_limits(), usage_key=OTHER_USAGE_KEY)
        link = LinkFactory(evidence=draft)
        with pytest.raises(api.CompetencyNotFoundError):
            api.remove_attachment(user_id=draft.user.id, attachment_uuid=link.uuid, usage_key=OTHER_USAGE_KEY)
        assert list(Attachment.objects.all()) == [link]

    def test_link_to_a_submitted_item_is_refused(self):
        submitted = EvidenceFactory(submitted=True)
        with pytest.raises(api.CompetencyConflictError):
            self.link(submitted, {"url": "https://example.org"})
        assert not Attachment.objects.exists()


class TestOpen:
    """Only the owner opens a stored file."""

    def test_owner_opens_the_file(self):
        attachment = AttachmentFactory(content=PDF_BYTES, title="fiche.pdf", content_type="application/pdf")
        stored = api.open_attachment(user_id=attachment.evidence.user.id, attachment_uuid=attachment.uuid)
        stored.file.close()  # pylint: disable=no-member
        assert stored.attachment.title == "fiche.pdf" and stored.attachment.content_type == "application/pdf"
        assert read_attachment(attachment.evidence.user, attachment.uuid) == PDF_BYTES

    def test_submitted_files_still_open(self):
        attachment = AttachmentFactory(evidence=EvidenceFactory(submitted=True), content=TEXT_BYTES)
        assert read_attachment(attachment.evidence.user, attachment.uuid) == TEXT_BYTES

    def test_another_learner_cannot_open_it(self):
        attachment = AttachmentFactory()
        with pytest.raises(api.CompetencyNotFoundError):
            api.open_attachment(user_id=UserFactory().id, attachment_uuid=attachment.uuid)

    def test_a_link_has_no_file(self):
        link = LinkFactory()
        with pytest.raises(api.CompetencyNotFoundError):
            api.open_attachment(user_id=link.evidence.user.id, attachment_uuid=link.uuid)

    def test_a_lost_file_is_not_found(self):
        attachment = AttachmentFactory()
        get_attachment_storage().delete(attachment.file_key)
        with pytest.raises(api.CompetencyNotFoundError):
            api.open_attachment(user_id=attachment.evidence.user.id, attachment_uuid=attachment.uuid)
