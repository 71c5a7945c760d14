"""
The learner's file handlers: uploads (whole, or in chunks for slow links: ``chunked_upload``) and
downloads. Each validates its input, calls ``competency_plugin.api`` and answers as ``handlers`` does.
"""
from urllib.parse import quote

from django.core.exceptions import SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from webob import Response
from xblock.core import XBlock

from portfolio_xblock.handlers import (
    STATUS_BY_CODE,
    api_error_response,
    error_response,
    json_response,
    learner_handler,
    payload_text,
    post_refusal,
    unreadable_request,
)
from portfolio_xblock.presentation import block_limits, plugin_api
from portfolio_xblock.runtime_context import block_keys, current_learner

DOWNLOAD_CHUNK = 64 * 1024


class FileHandlersMixin:
    """File handlers of the Portfolio XBlock (the answers of ``EvidenceHandlersMixin._write_result``)."""

    @learner_handler
    def upload_start(self, learner, payload):
        """
        Start, or find again to resume, a chunked upload: ``{"uuid": draft, "name", "size", "fingerprint"}``.
        Answers ``{"upload", "received", "size", "chunk_size"}``: send the chunks from ``received`` on.
        """
        return plugin_api().start_upload(
            user_id=learner.user_id, evidence_uuid=payload_text(payload, "uuid"),
            filename=payload_text(payload, "name"), size=payload.get("size"),
            fingerprint=payload.get("fingerprint"), limits=block_limits(self), usage_key=block_keys(self)[1],
        )

    @XBlock.handler
    def upload_chunk(self, request, suffix=""):
        """
        Store one chunk of a chunked upload: the raw request body, the suffix ``<upload>/<offset>``.
        Answers where the upload stands (``received``); 409 with ``received`` for a chunk out of order.
        """
        refusal = post_refusal(self, request)
        if refusal is not None:
            return refusal
        learner = current_learner(self)
        if learner is None:
            return error_response(403, "forbidden", self.ugettext("Sign in to record your evidence."))
        api = plugin_api()
        upload_uuid, _slash, offset = suffix.partition("/")
        if not offset.isdigit() or (request.content_length or 0) > api.upload_chunk_size():
            message = self.ugettext("This chunk does not fit the file.")
            return error_response(400, "invalid", message, {"file": [message]})
        try:
            return json_response(api.add_chunk(
                user_id=learner.user_id, upload_uuid=upload_uuid, offset=int(offset), data=request.body,
                limits=block_limits(self), usage_key=block_keys(self)[1],
            ))
        except api.UploadOffsetError as error:
            response = error_response(409, error.code, error.message)
            response.json_body = {**response.json_body, "received": error.received}
            return response
        except api.CompetencyError as error:
            return api_error_response(error)

    @learner_handler
    def upload_finish(self, learner, payload):
        """Attach the file of a chunked upload whose chunks are all held: ``{"upload"}``; answers as a save."""
        evidence = plugin_api().finish_upload(
            user_id=learner.user_id, upload_uuid=payload_text(payload, "upload"), limits=block_limits(self),
            usage_key=block_keys(self)[1],
        )
        name = payload_text(payload, "name") or (evidence.files[-1].title if evidence.files else "")
        return self._write_result(learner, evidence, self.ugettext("{name} attached.").format(name=name))

    @learner_handler
    def upload_cancel(self, learner, payload):
        """Drop a chunked upload and its chunks (the learner cancelled it): ``{"upload"}``."""
        plugin_api().cancel_upload(
            user_id=learner.user_id, upload_uuid=payload_text(payload, "upload"), usage_key=block_keys(self)[1]
        )
        return {"cancelled": True}

    @XBlock.handler
    def upload_file(self, request, suffix=""):  # pylint: disable=unused-argument
        """Attach an uploaded file (multipart form: ``uuid`` and ``file``) to a draft."""
        refusal = post_refusal(self, request)
        if refusal is not None:
            return refusal
        learner = current_learner(self)
        if learner is None:
            return error_response(403, "forbidden", self.ugettext("Sign in to record your evidence."))
        try:
            upload = request.POST.get("file")
        except (MultiPartParserError, SuspiciousOperation) as error:  # broken, no boundary, too many parts…
            return unreadable_request(self, error, "file")
        if upload is None or not hasattr(upload, "file"):
            message = self.ugettext("Choose a file to attach.")
            return error_response(400, "invalid", message, {"file": [message]})
        api = plugin_api()
        try:
            evidence = api.add_file(
                user_id=learner.user_id,
                evidence_uuid=request.POST.get("uuid", ""),
                upload=upload.file,
                filename=getattr(upload, "filename", "") or "",
                limits=block_limits(self),
                usage_key=block_keys(self)[1],
            )
        except api.CompetencyError as error:
            return api_error_response(error)
        message = self.ugettext("{name} attached.").format(name=evidence.files[-1].title if evidence.files else "")
        return json_response(self._write_result(learner, evidence, message))

    @XBlock.handler
    def download(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        Send an attached file as a download: learners get only their own; course staff also
        those of evidence submitted in the block's course.
        """
        learner = current_learner(self)
        if learner is None:
            return Response(self.ugettext("Sign in to download this file."), status=403, content_type="text/plain")
        api = plugin_api()
        try:
            try:
                stored = api.open_attachment(user_id=learner.user_id, attachment_uuid=suffix)
            except api.CompetencyNotFoundError:
                if not learner.is_staff:
                    raise
                stored = api.open_course_attachment(attachment_uuid=suffix, course_key=block_keys(self)[0])
        except api.CompetencyError as error:
            return Response(str(error.message), status=STATUS_BY_CODE.get(error.code, 404), content_type="text/plain")
        return attachment_response(stored)


def attachment_response(stored):
    """Stream a stored file as an attachment: never rendered inline, never type-sniffed."""

    def chunks():
        try:
            while True:
                chunk = stored.file.read(DOWNLOAD_CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            stored.file.close()

    attachment = stored.attachment
    response = Response(app_iter=chunks(), content_type=attachment.content_type or "application/octet-stream")
    response.content_length = attachment.size
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(attachment.title)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
