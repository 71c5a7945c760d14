"""
Chunked uploads for slow links: a file goes up in chunks, each stored as it arrives, and an upload cut
off resumes at the first byte the server lacks.

The chunks live in the attachments' Django storage, never in memory together: the finished file is
read from them, chunk after chunk, by ``add_file``, which checks it as any upload (size, count,
content: ADR 0005) and stores it; the chunks then go. Uploads left unfinished are removed by
``remove_abandoned_uploads`` (a Celery task scheduled when an upload starts). See ADR 0016.
"""
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from competency_plugin.evidence import services as evidence_service
from competency_plugin.evidence.files import _too_many_files, add_file, sanitize_filename
from competency_plugin.evidence.models import ChunkedUpload
from competency_plugin.exceptions import CompetencyConflictError, CompetencyNotFoundError, CompetencyRequestError
from competency_plugin.platform import after_commit
from competency_plugin.platform.conf import get_setting
from competency_plugin.platform.filetypes import HEADER_SIZE, allowed_extensions, check_file_type
from competency_plugin.platform.storage import delete_quietly, get_attachment_storage

__all__ = [
    "start_upload", "add_chunk", "finish_upload", "cancel_upload", "remove_abandoned_uploads", "upload_chunk_size",
    "UploadOffsetError",
]

log = logging.getLogger(__name__)


class UploadOffsetError(CompetencyConflictError):
    """A chunk that does not start at the first byte the server lacks: ``received`` says which that is."""

    def __init__(self, received):
        super().__init__(_("The upload continues from byte {received}.").format(received=received))
        self.received = received


def upload_chunk_size():
    """The size of every chunk but the last (``COMPETENCY_PORTFOLIO["UPLOAD_CHUNK_SIZE"]``)."""
    return int(get_setting("UPLOAD_CHUNK_SIZE"))


def _error(message, field="file"):
    return CompetencyRequestError(message, {field: [message]})


def _state(upload):
    return {"upload": str(upload.uuid), "received": upload.received, "size": upload.size,
            "chunk_size": upload_chunk_size()}


def start_upload(  # pylint: disable=too-many-arguments
    *, user_id, evidence_uuid, filename, size, fingerprint, limits, usage_key=None
):
    """
    Start (or find again, to resume) the chunked upload of a file to one of the learner's editable items.

    Args:
        filename, size: the file's name and size in bytes, as the browser gives them.
        fingerprint: what names the file in the browser (name, size, date): the same file sent again
            finds its upload and resumes after the bytes already received.
        limits: the block's ``UploadLimits``; the size and count are checked now, the content with the
            first chunk and the whole file once assembled.

    Returns:
        {"upload": uuid, "received": bytes already held, "size", "chunk_size"}
    """
    name = sanitize_filename(filename)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise _error(_("The file is empty."))
    if size > limits.max_file_size:
        size_mb = limits.max_file_size / (1024 * 1024)
        raise _error(_("The file is larger than the {size} MB allowed.").format(
            size=number_format(round(size_mb, 1) if size_mb % 1 else int(size_mb))))
    if not isinstance(fingerprint, str) or not fingerprint or len(fingerprint) > 255:
        raise _error(_("Invalid file fingerprint."), "fingerprint")
    with transaction.atomic():
        evidence = evidence_service.get_owned_evidence(user_id, evidence_uuid, for_update=True, usage_key=usage_key)
        evidence_service.require_editable(evidence)
        upload = ChunkedUpload.objects.filter(evidence=evidence, fingerprint=fingerprint).first()
        if upload is not None and (upload.size, upload.filename) == (size, name):
            return _state(upload)
        if upload is not None:  # the same fingerprint for another file: start again
            _forget(upload)
        held = evidence.attachments.filter(kind="file", in_draft=True).count()
        if held >= limits.max_files:
            raise _error(_too_many_files(limits))
        upload = ChunkedUpload.objects.create(evidence=evidence, fingerprint=fingerprint, filename=name, size=size)
        after_commit.schedule(after_commit.UPLOADS_CLEANUP, int(get_setting("UPLOAD_EXPIRY")) + 1)
    return _state(upload)


def _owned_upload(user_id, upload_uuid, usage_key=None):
    query = Q(uuid=str(upload_uuid), evidence__user_id=user_id)
    if usage_key is not None:
        query &= Q(evidence__usage_key=evidence_service.parse_usage_key(usage_key))
    try:
        return ChunkedUpload.objects.select_related("evidence").get(query)
    except (ChunkedUpload.DoesNotExist, ValidationError, ValueError) as error:
        raise CompetencyNotFoundError(_("This upload does not exist any more: send the file again.")) from error


def add_chunk(*, user_id, upload_uuid, offset, data, limits, usage_key=None):  # pylint: disable=R0913
    """
    Store the chunk ``data`` (bytes) starting at byte ``offset`` of the upload.

    A chunk must start at the first byte missing and be ``upload_chunk_size()`` long, unless it is
    the last. A chunk sent twice (its answer lost) or out of order changes nothing: the answer says
    where the upload stands (``CompetencyConflictError`` with ``received`` for one out of order).

    Returns:
        {"upload", "received", "size", "chunk_size"}
    """
    upload = _owned_upload(user_id, upload_uuid, usage_key)
    evidence_service.require_editable(upload.evidence)
    if offset + len(data) <= upload.received and offset < upload.received:
        return _state(upload)  # already held: a retry whose answer was lost
    if offset != upload.received:
        raise UploadOffsetError(upload.received)
    last = offset + len(data) == upload.size
    if not data or len(data) > upload_chunk_size() or offset + len(data) > upload.size or (
            not last and len(data) != upload_chunk_size()):
        raise _error(_("This chunk does not fit the file."))
    if offset == 0 and check_file_type(data[:HEADER_SIZE], upload.filename, limits.file_kinds) is None:
        _forget(upload)
        raise _error(_(
            "This type of file is not accepted, or its content does not match its extension. Accepted: {types}."
        ).format(types=", ".join(allowed_extensions(limits.file_kinds))))
    storage = get_attachment_storage()
    prefix = f"{get_setting('STORAGE_PREFIX')}/uploads/{upload.uuid.hex}"
    key = f"{prefix}/{len(upload.parts):05d}-{uuid.uuid4().hex[:8]}"
    stored = storage.save(key, ContentFile(data))
    moved = ChunkedUpload.objects.filter(pk=upload.pk, received=offset).update(
        received=offset + len(data), parts=[*upload.parts, stored], modified=timezone.now(),
    )
    if not moved:  # another request stored this chunk meanwhile
        delete_quietly(storage, stored)
    upload.refresh_from_db()
    return _state(upload)


class _PartsReader:
    """Read the stored parts of an upload one after the other, as one file (one part open at a time)."""

    def __init__(self, storage, keys):
        self.storage = storage
        self.keys = list(keys)
        self.handle = None

    def read(self, size=-1):
        """Read up to ``size`` bytes (never more than one part's worth at a time when ``size`` < 0)."""
        while self.keys or self.handle is not None:
            if self.handle is None:
                self.handle = self.storage.open(self.keys.pop(0), "rb")
            chunk = self.handle.read(size if size is not None and size >= 0 else 64 * 1024)
            if chunk:
                return chunk
            self.handle.close()
            self.handle = None
        return b""

    def close(self):
        """Close the part being read."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def finish_upload(*, user_id, upload_uuid, limits, usage_key=None):
    """
    Attach the file once every chunk is held: it is read from the stored parts and checked and
    stored as any upload (``add_file``); the parts go then, and so does the upload when the file is refused.

    Returns:
        EvidenceData of the item, the file attached.
    """
    upload = _owned_upload(user_id, upload_uuid, usage_key)
    if upload.received != upload.size:
        raise _error(_("The file is not complete yet: the upload continues from byte {received}.").format(
            received=upload.received))
    reader = _PartsReader(get_attachment_storage(), upload.parts)
    try:
        evidence = add_file(user_id=user_id, evidence_uuid=upload.evidence.uuid, upload=reader,
                            filename=upload.filename, limits=limits, usage_key=usage_key)
    except CompetencyRequestError:
        _forget(upload)
        raise
    finally:
        reader.close()
    _forget(upload)
    return evidence


def cancel_upload(*, user_id, upload_uuid, usage_key=None):
    """Drop an upload and the chunks it holds (the learner cancelled it)."""
    _forget(_owned_upload(user_id, upload_uuid, usage_key))


def _forget(upload):
    """Delete an upload's row, then its stored parts."""
    ChunkedUpload.objects.filter(pk=upload.pk).delete()
    storage = get_attachment_storage()
    for key in upload.parts:
        delete_quietly(storage, key)


def remove_abandoned_uploads(*, now=None):
    """
    Remove the uploads nobody added to for ``UPLOAD_EXPIRY`` seconds, with their stored chunks.

    Returns:
        the number of uploads removed.
    """
    limit = (now or timezone.now()) - timezone.timedelta(seconds=int(get_setting("UPLOAD_EXPIRY")))
    removed = 0
    for upload in ChunkedUpload.objects.filter(modified__lt=limit).iterator():
        _forget(upload)
        removed += 1
    return removed
