"""Attachments: uploaded files (checked by size, count and content) and links, kept in step with storage."""
import hashlib
import logging
import re
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.convert import attachment_to_data
from competency_plugin.evidence.data import StoredFile, UploadLimits
from competency_plugin.evidence.models import Attachment, AttachmentKind
from competency_plugin.evidence.validation import LinkInputSerializer, validate
from competency_plugin.exceptions import CompetencyInternalError, CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.platform import compat
from competency_plugin.platform.conf import get_setting
from competency_plugin.platform.filetypes import HEADER_SIZE, allowed_extensions, check_file_type, extension_of
from competency_plugin.platform.storage import delete_on_commit, delete_quietly, get_attachment_storage

log = logging.getLogger(__name__)

MAX_FILENAME_LENGTH = 150
_UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# Unicode categories never kept in a name: controls, line and paragraph separators and lone
# surrogates become "_"; invisible format characters (bidirectional overrides that make
# "photo\u202egnp.txt" read as "photo.png"…) are dropped.
_REPLACED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
_DROPPED_CATEGORIES = ("Cf",)


class FileTooLarge(Exception):
    """Raised while reading an upload that turns out larger than allowed."""


class _SizeLimitedReader:
    """
    A file-like wrapper that counts and hashes bytes as they are read and stops past ``limit``.

    ``header`` holds the first bytes when they were already read from a stream that cannot
    seek back: they are given again before the rest. Reads are bounded: ``read()`` of
    everything reads chunk by chunk, so no more than ``limit`` plus one chunk is ever read.
    """

    CHUNK = 64 * 1024

    def __init__(self, raw, limit, header=b""):
        self.raw = raw
        self.limit = limit
        self.pending = header
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        """Read from the wrapped file, raising ``FileTooLarge`` once more than ``limit`` bytes came."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(self.CHUNK), b""))
        if self.pending:
            chunk, self.pending = self.pending[:size], self.pending[size:]
        else:
            chunk = self.raw.read(size) or b""
        self.size += len(chunk)
        if self.size > self.limit:
            raise FileTooLarge()
        self.digest.update(chunk)
        return chunk


def upload_limits(*, max_file_size=None, max_files=None, file_kinds=None):
    """Return the limits of a block: the instance's bounds, lowered (never raised) by the block's values."""
    instance_size = get_setting("MAX_FILE_SIZE")
    instance_files = get_setting("MAX_FILES_PER_EVIDENCE")
    instance_kinds = tuple(get_setting("ALLOWED_FILE_KINDS"))
    kinds = tuple(kind for kind in (file_kinds or instance_kinds) if kind in instance_kinds)
    return UploadLimits(
        max_file_size=min(max_file_size, instance_size) if max_file_size else instance_size,
        max_files=min(max_files, instance_files) if max_files is not None else instance_files,
        max_links=get_setting("MAX_LINKS_PER_EVIDENCE"),
        file_kinds=kinds,
    )


def handler_upload_max_size():
    """
    Return the largest file (bytes) the platform lets through to a block's handler, or None for no cap.

    A block's upload handler never sees a larger file: the LMS answers 413 first (``compat.student_upload_max_size``).
    """
    return compat.student_upload_max_size()


def sanitize_filename(filename):
    """Return a display name without path components, control or reserved characters, of bounded length."""
    name = "".join(
        "_" if unicodedata.category(char) in _REPLACED_CATEGORIES else char
        for char in str(filename or "")
        if unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS.sub("_", name).strip(" .")
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        if extension:
            name = stem[: MAX_FILENAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name


def _file_error(message):
    return CompetencyRequestError(message, {"file": [message]})


def _read_header(upload):
    """Return the first ``HEADER_SIZE`` bytes of ``upload`` (fewer only at its end), whatever its short reads."""
    header = b""
    while len(header) < HEADER_SIZE:
        chunk = upload.read(HEADER_SIZE - len(header))
        if not chunk:
            break
        header += chunk
    return header


def _rewind(upload, header):
    """Seek ``upload`` back to its start; return the bytes a reader must give first if it cannot seek."""
    try:
        upload.seek(0)
    except (AttributeError, OSError):  # io.UnsupportedOperation is an OSError
        return header
    return b""


def _check_upload(upload, filename, limits):
    """
    Return (sanitised name, MIME type, header left to give again) or raise ``CompetencyRequestError``.

    The header is empty when ``upload`` was sought back to its start; for a stream that cannot
    seek, it holds the bytes already read.
    """
    name = sanitize_filename(filename)
    if not name or not extension_of(name):
        raise _file_error(_("The file needs a name with an extension."))
    header = _read_header(upload)
    if not header:
        raise _file_error(_("The file is empty."))
    mime_type = check_file_type(header, name, limits.file_kinds)
    if mime_type is None:
        raise _file_error(
            _(
                "This type of file is not accepted, or its content does not match its extension. Accepted: {types}."
            ).format(types=", ".join(allowed_extensions(limits.file_kinds)))
        )
    return name, mime_type, _rewind(upload, header)


def _too_large_message(limits):
    size_mb = limits.max_file_size / (1024 * 1024)
    size = number_format(round(size_mb, 1) if size_mb % 1 else int(size_mb))
    return _("The file is larger than the {size} MB allowed.").format(size=size)


def add_file(*, user_id, evidence_uuid, upload, filename, limits, usage_key=None):  # pylint: disable=too-many-arguments
    """
    Store an uploaded file and attach it to one of the learner's editable items.

    The file is stored under a generated key, then its row is written; if the row cannot be
    written the stored file is removed, so no file is left without its row and no row without its file.
    Uploading again a file the item already holds (same name, same bytes: a retry whose answer
    was lost) attaches nothing more and answers as the first upload did.

    Args:
        upload: a readable binary file object (read once, in chunks, if it cannot seek).
        filename: the name the learner's browser gave.
        limits: ``UploadLimits`` of the block.
        usage_key: when given, the item must belong to that block (whose limits are given).

    Raises:
        CompetencyRequestError with a ``file`` field error, CompetencyNotFoundError, CompetencyConflictError
    """
    evidence = evidence_service.get_owned_evidence(user_id, evidence_uuid, usage_key=usage_key)
    evidence_service.require_editable(evidence)
    files = Attachment.objects.filter(evidence=evidence, kind=AttachmentKind.FILE, in_draft=True)
    if files.count() >= limits.max_files and not files.filter(title=sanitize_filename(filename)).exists():
        raise _file_error(_too_many_files(limits))
    name, mime_type, header = _check_upload(upload, filename, limits)
    storage = get_attachment_storage()
    key = f"{get_setting('STORAGE_PREFIX')}/{uuid.uuid4().hex}.{extension_of(name)}"
    reader = _SizeLimitedReader(upload, limits.max_file_size, header)
    try:
        stored_key = storage.save(key, File(reader, name=key))
    except FileTooLarge as error:
        delete_quietly(storage, key)
        raise _file_error(_too_large_message(limits)) from error
    except Exception as error:  # pylint: disable=broad-except  # each storage backend raises its own errors
        delete_quietly(storage, key)
        log.exception("Could not store attachment of evidence %s", evidence_uuid)
        raise CompetencyInternalError(_("The file could not be saved. Please try again.")) from error
    duplicate = False
    try:
        with transaction.atomic():
            evidence = evidence_service.get_owned_evidence(user_id, evidence_uuid, for_update=True, usage_key=usage_key)
            evidence_service.require_editable(evidence)
            duplicate = _holds_same_file(evidence, name, reader)
            if not duplicate:
                if files.count() >= limits.max_files:
                    raise _file_error(_too_many_files(limits))
                Attachment.objects.create(
                    evidence=evidence,
                    kind=AttachmentKind.FILE,
                    title=name,
                    file_key=stored_key,
                    content_type=mime_type,
                    size=reader.size,
                )
    except BaseException as error:
        delete_quietly(storage, stored_key)
        if isinstance(error, DatabaseError):
            log.exception("Could not record attachment of evidence %s", evidence_uuid)
            raise CompetencyInternalError(_("The file could not be saved. Please try again.")) from error
        raise
    if duplicate:
        delete_quietly(storage, stored_key)
    return evidence_service.get_evidence(user_id=user_id, evidence_uuid=evidence_uuid)


def _holds_same_file(evidence, name, reader):
    """Whether ``evidence`` already has a file of this name whose bytes are those ``reader`` read (a retry)."""
    storage = get_attachment_storage()
    candidates = Attachment.objects.filter(
        evidence=evidence, kind=AttachmentKind.FILE, title=name, size=reader.size, in_draft=True
    )
    for file_key in candidates.values_list("file_key", flat=True):
        digest = hashlib.sha256()
        try:
            with storage.open(file_key, "rb") as handle:
                while chunk := handle.read(_SizeLimitedReader.CHUNK):
                    digest.update(chunk)
        except OSError:
            continue  # a lost file is no copy: attach the new one
        if digest.digest() == reader.digest.digest():
            return True
    return False


def _too_many_files(limits):
    return ngettext(
        "You can attach at most {count} file to an evidence item.",
        "You can attach at most {count} files to an evidence item.",
        limits.max_files,
    ).format(count=limits.max_files)


def add_link(*, user_id, evidence_uuid, data, limits, usage_key=None):
    """
    Attach a web link (``{"url": ..., "title": ...}``) to one of the learner's editable items (of ``usage_key``).

    A link the item already has (a retry whose answer was lost) is not added twice.
    """
    values = validate(LinkInputSerializer, data)
    with transaction.atomic():
        evidence = evidence_service.get_owned_evidence(user_id, evidence_uuid, for_update=True, usage_key=usage_key)
        evidence_service.require_editable(evidence)
        links = Attachment.objects.filter(evidence=evidence, kind=AttachmentKind.LINK, in_draft=True)
        if links.filter(url=values["url"]).exists():
            return evidence_service.get_evidence(user_id=user_id, evidence_uuid=evidence_uuid)
        if links.count() >= limits.max_links:
            message = ngettext(
                "You can add at most {count} link to an evidence item.",
                "You can add at most {count} links to an evidence item.",
                limits.max_links,
            ).format(count=limits.max_links)
            raise CompetencyRequestError(message, {"url": [message]})
        Attachment.objects.create(
            evidence=evidence, kind=AttachmentKind.LINK, url=values["url"], title=values.get("title") or values["url"]
        )
    return evidence_service.get_evidence(user_id=user_id, evidence_uuid=evidence_uuid)


def _get_owned_attachment(user_id, attachment_uuid, **filters):
    try:
        return Attachment.objects.select_related("evidence").get(
            uuid=str(attachment_uuid), evidence__user_id=user_id, **filters
        )
    except (Attachment.DoesNotExist, ValidationError, ValueError) as error:
        raise CompetencyNotFoundError(_("This attachment does not exist.")) from error


def remove_attachment(*, user_id, attachment_uuid, usage_key=None):
    """
    Remove an attachment from one of the learner's editable items (of ``usage_key``).

    One the version last submitted holds stays for the staff who review that version (out of the
    draft) until the next submission; any other goes now, its file on commit.
    """
    with transaction.atomic():
        attachment = _get_owned_attachment(user_id, attachment_uuid, in_draft=True)
        evidence = evidence_service.get_owned_evidence(
            user_id, attachment.evidence.uuid, for_update=True, usage_key=usage_key
        )
        evidence_service.require_editable(evidence)
        if str(attachment.uuid) in evidence_service.submitted_attachment_uuids(evidence):
            Attachment.objects.filter(pk=attachment.pk).update(in_draft=False)
        else:
            attachment.delete()
            delete_on_commit([attachment.file_key] if attachment.file_key else [])
    return evidence_service.get_evidence(user_id=user_id, evidence_uuid=evidence.uuid)


def open_attachment(*, user_id, attachment_uuid):
    """Open the stored file of one of the learner's own attachments, for download."""
    attachment = _get_owned_attachment(user_id, attachment_uuid)
    return open_stored_file(attachment)


def open_course_attachment(*, attachment_uuid, course_key):
    """
    Open the stored file of an attachment of evidence submitted in a course, for its staff.

    Only the files of the version last submitted are found: not those of drafts never submitted,
    nor those a learner attached since (their draft is theirs until they submit it again). The
    caller checks that the person downloading is staff of the course.
    """
    try:
        attachment = Attachment.objects.select_related("evidence").get(
            uuid=str(attachment_uuid),
            evidence__course_key=evidence_service.parse_course_key(course_key),
            evidence__version__gt=0,
        )
    except (Attachment.DoesNotExist, ValidationError, ValueError) as error:
        raise CompetencyNotFoundError(_("This attachment does not exist.")) from error
    if str(attachment.uuid) not in evidence_service.submitted_attachment_uuids(attachment.evidence):
        raise CompetencyNotFoundError(_("This attachment does not exist."))
    return open_stored_file(attachment)


def open_stored_file(attachment):
    """Return a ``StoredFile`` for an attachment row; raise ``CompetencyNotFoundError`` for links or lost files."""
    if attachment.kind != AttachmentKind.FILE or not attachment.file_key:
        raise CompetencyNotFoundError(_("This attachment has no file."))
    try:
        handle = get_attachment_storage().open(attachment.file_key, "rb")
    except (OSError, FileNotFoundError) as error:
        log.error("Stored file %s of attachment %s is missing", attachment.file_key, attachment.uuid)
        raise CompetencyNotFoundError(_("This file is no longer available.")) from error
    return StoredFile(attachment=attachment_to_data(attachment), file=handle)
