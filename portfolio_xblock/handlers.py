"""
The block's handlers: each validates its input, calls ``competency_plugin.api`` and maps the
API's errors onto HTTP status codes with a translated message and field-level errors.
"""
import functools
import json
import math
import uuid

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Float, Integer

from portfolio_xblock.paging import older_items
from portfolio_xblock.presentation import block_limits, plugin_api, read_only_message, render_items
from portfolio_xblock.runtime_context import block_keys, current_learner, read_only_reason
from portfolio_xblock.wording import progress_text

# API error code -> HTTP status
STATUS_BY_CODE = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409, "internal": 503}


def json_response(body, status=200):
    """Return a JSON webob response."""
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf-8")


def error_response(status, code, message, field_errors=None, current=None):
    """
    Return the JSON error every handler answers with: a code, a message, and messages per field;
    a change made on an older text also gets the stored item as ``current``.
    """
    body = {"error": code, "message": str(message), "field_errors": field_errors or {}}
    if current is not None:
        body["current"] = current
    return json_response(body, status=status)


def post_refusal(block, request, writes=True):
    """
    Return the refusal of a request to a POST handler before it is read, else None: 405 for
    another method; 403 for a handler that ``writes`` when the viewer may only look (Studio's
    preview, staff viewing as a learner: see ``runtime_context.read_only_reason``).
    """
    if request.method != "POST":
        return error_response(405, "method_not_allowed", block.ugettext("This action needs a POST request."))
    reason = read_only_reason(block) if writes else None
    if reason is None:
        return None
    return error_response(403, "read_only", read_only_message(block, reason))


def api_error_response(error):
    """Answer an API error: its status, message and field errors, and ``Retry-After`` when retrying may work."""
    response = error_response(
        STATUS_BY_CODE.get(error.code, 400), error.code, error.message, error.field_errors,
        getattr(error, "current", None),
    )
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def unreadable_request(block, error, field=None):
    """
    Answer a request Django refused to read (``SuspiciousOperation``: a body above
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields or files; ``MultiPartParserError``: a broken
    form) with the handlers' JSON error instead of Django's HTML 400 page.
    """
    if isinstance(error, RequestDataTooBig):
        status, message = 413, block.ugettext("The request is too large.")
    elif field == "file":
        status, message = 400, block.ugettext("The file sent could not be read.")
    else:
        status, message = 400, block.ugettext("The request could not be read.")
    return error_response(status, "invalid", message, {field: [message]} if field else None)


def json_payload(block, request):
    """Return (the request's JSON object, None), or (None, the error response) when it cannot be read."""
    try:
        body = request.body
    except SuspiciousOperation as error:
        return None, unreadable_request(block, error)
    try:
        payload = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        return None, error_response(400, "invalid_json", block.ugettext("The request is not valid JSON."))
    if not isinstance(payload, dict):
        return None, error_response(400, "invalid_json", block.ugettext("The request must be a JSON object."))
    return payload, None


def json_post_handler(check_caller, writes=True):
    """
    Return a decorator making ``func(self, learner, payload)`` a JSON POST handler.

    ``check_caller(block, learner)`` returns None when the caller may go on, else the error
    response to send. A handler that ``writes`` is refused (403) to a read-only viewer before
    anything else. Bad JSON is answered with 400; the API's errors with their status
    (see ``STATUS_BY_CODE``); success with what ``func`` returns, as JSON.
    """

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def handler(self, request, suffix=""):  # pylint: disable=unused-argument
            refusal = post_refusal(self, request, writes)
            if refusal is not None:
                return refusal
            payload, refusal = json_payload(self, request)
            if refusal is not None:
                return refusal
            learner = current_learner(self)
            refusal = check_caller(self, learner)
            if refusal is not None:
                return refusal
            api = plugin_api()
            try:
                return json_response(func(self, learner, payload))
            except api.CompetencyError as error:
                return api_error_response(error)

        return handler

    return decorator


def may_change_settings(block):
    """
    Whether the caller may change the block's settings: a course author in Studio, course staff elsewhere.

    Studio reaches ``submit_studio_edits`` through its own view, ``component_handler``
    (cms/djangoapps/contentstore/views/component.py), which runs any handler of the block for a
    signed-in user and saves the block only afterwards, if ``has_course_author_access``. Its runtime
    gets the services of ``load_services_for_studio``
    (cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py): a user service built
    without a role (``DjangoXBlockUserService(user)``: ``user_is_staff`` False, role ``student``,
    even for the author) and ``studio_user_permissions`` (``StudioPermissionsService``), whose
    ``can_write(course_key)`` is ``has_studio_write_access``. Studio's preview runtime
    (``_prepare_runtime_for_preview``, views/preview.py) has the same permissions service. So where
    that service exists, Studio's own rule decides.

    Every other runtime exposes the handler to whoever may view the block: the LMS
    (``handle_xblock_callback``) to every enrolled learner, the workbench to every visitor. There,
    only course staff, as the user service describes them (``current_learner``), may change settings.
    """
    permissions = block.runtime.service(block, "studio_user_permissions")
    if permissions is not None:
        return bool(permissions.can_write(block_keys(block)[0]))
    learner = current_learner(block)
    return learner is not None and learner.is_staff


def number_fields(block):
    """The names of the block's editable number fields (``Integer`` or ``Float``), in the editor's order."""
    return [name for name in block.editable_fields if isinstance(block.fields[name], (Integer, Float))]


def number_error(block, name, value):
    """
    The translated message refusing ``value`` for the number field ``name``, or None when it is a
    number the field can hold: a finite JSON number (never a text, however it is written: "1,5"
    is refused, not read as 1.5 or 15), a whole one for an ``Integer``. Ranges (a negative weight,
    a maximum under the minimum) are ``validate_field_data``'s.

    Studio's editor sends ``null`` for a number input it cannot read (``parseFloat("")`` is NaN,
    which JSON turns into null): XBlock's fields would store that null.
    """
    field = block.fields[name]
    label = block.ugettext(field.display_name)
    whole = isinstance(field, Integer)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if is_number and (not whole or value == int(value)):
        return None
    if whole:
        return block.ugettext("{field}: enter a whole number, such as 3.").format(field=label)
    return block.ugettext("{field}: enter a number, such as 1 or 0.5.").format(field=label)


def studio_edits(block, request, suffix, save):
    """
    Answer Studio's editor with ``save`` (``StudioEditableXBlockMixin``'s handler) when the caller
    may change the settings (``may_change_settings``; else 403) and the request has the shape that
    handler assumes: a JSON object with ``values`` (an object) and ``defaults`` (a list), values of
    the fields' types. Anything else gets a 400 in the editor's format (``{"error": message}``),
    where the mixin's handler would fail with a server error or, for a number field sent empty
    (``null``), store null: a weight of null silently ungrades the block. A number refused also
    names its field in ``field_errors``.
    """
    if not may_change_settings(block):
        message = block.ugettext("Only the course staff can change this component's settings.")
        return JsonHandlerError(403, message).get_response()
    refusal = JsonHandlerError(400, block.ugettext("The settings sent are not valid.")).get_response()
    if request.method == "POST":
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError, SuspiciousOperation):
            return refusal
        if not isinstance(payload, dict) or not isinstance(payload.get("values"), dict) \
                or not isinstance(payload.get("defaults"), list):
            return refusal
        field_errors = {}
        for name in number_fields(block):
            if name in payload["values"]:
                message = number_error(block, name, payload["values"][name])
                if message:
                    field_errors[name] = [message]
        if field_errors:
            message = " ".join(messages[0] for messages in field_errors.values())
            return json_response({"error": message, "field_errors": field_errors}, status=400)
    try:
        return save(request, suffix)
    except (TypeError, ValueError, OverflowError):  # a value the field cannot hold
        return refusal


def _signed_in(block, learner):
    if learner is None:
        return error_response(403, "forbidden", block.ugettext("Sign in to record your evidence."))
    return None


# A JSON POST handler for signed-in learners; anonymous callers get 403.
learner_handler = json_post_handler(_signed_in)
# The same, for a handler that only reads (read-only viewers may call it).
reader_handler = json_post_handler(_signed_in, writes=False)


def payload_text(payload, name):
    """
    The text sent as ``name``, or "" when absent or null.

    Raises the API's ``CompetencyRequestError`` on ``name`` when the value is not text, or text no
    database stores (``competency_plugin.api.check_text``): a number or a list sent as a uuid is a
    400, never an empty value that would, for one, create a new draft.
    """
    value = payload.get(name)
    if value is None:
        return ""
    return plugin_api().check_text(value, name)


class EvidenceHandlersMixin:
    """Learner handlers of the Portfolio XBlock."""

    def _write_result(self, learner, evidence, message, removed=None):
        """
        What every write answers: the item changed (as data, and as the list's ``<li>`` the script
        swaps in), or the uuid of the one ``removed``, and the learner's progress in the block.
        """
        counts = plugin_api().count_evidence(
            user_id=learner.user_id, usage_key=block_keys(self)[1], max_evidence=self.max_evidence
        )
        return {
            "message": message,
            "evidence": evidence.to_dict() if evidence is not None else None,
            "item_html": render_items(self, [evidence], learner) if evidence is not None else "",
            "removed": removed,
            "progress": progress_text(self, counts),
            "can_add": counts.can_add,
            "recorded": counts.recorded,
            "submitted": counts.submitted,
        }

    def _draft_arguments(self, payload):
        """``save_draft``'s arguments from a request: the learner's ``fields``, claims, item and version."""
        course_key, usage_key = block_keys(self)
        fields = payload.get("fields")
        if not isinstance(fields, dict):
            api = plugin_api()
            message = self.ugettext("The request must contain the situation's fields.")
            raise api.CompetencyRequestError(message, {"fields": [message]})
        if len(self.situation_types) == 1 and not fields.get("situation_type"):
            # A block accepting one kind of situation shows no choice: the kind is the block's.
            fields = {**fields, "situation_type": self.situation_types[0]}
        return {
            "course_key": course_key,
            "usage_key": usage_key,
            "data": fields,
            "evidence_uuid": payload_text(payload, "uuid") or None,
            "client_key": payload_text(payload, "client_key") or None,
            "allowed_situation_types": tuple(self.situation_types),
            "max_evidence": self.max_evidence,
            "claims": payload.get("claims"),
            "framework_identifier": self.framework or None,
            "competence_identifiers": tuple(self.competences),
            "expected_version": payload.get("edit_version"),
        }

    @learner_handler
    def save_evidence(self, learner, payload):
        """
        Create a draft (``uuid`` absent) or update one; ``fields`` holds the learner's text.

        An update names the ``edit_version`` it was made on (each answer gives the item's); a
        draft changed since (in another tab) is not overwritten: 409 with the stored item as ``current``.
        """
        evidence = plugin_api().save_draft(user_id=learner.user_id, **self._draft_arguments(payload))
        return self._write_result(learner, evidence, self.ugettext("Draft saved."))

    @learner_handler
    def submit_evidence(self, learner, payload):
        """
        Submit a draft for review, as the learner saw it: with ``edit_version`` (the script always
        sends it), a draft changed since is a 409, as for a save. Completes the block once enough
        situations are submitted.

        With ``fields`` (the form's "Save and submit"), the text is saved and submitted in one request
        and one transaction, as ``save_evidence`` takes it (``uuid`` absent: a new situation); files
        already uploaded to the draft go with it. Nothing is written when either step is refused.
        """
        api = plugin_api()
        if "fields" in payload:
            evidence = api.save_and_submit(
                user_id=learner.user_id, require_claims=bool(self.framework), block_name=self.display_name,
                **self._draft_arguments(payload),
            )
        else:
            evidence = api.submit_evidence(
                user_id=learner.user_id,
                evidence_uuid=payload_text(payload, "uuid"),
                require_claims=bool(self.framework),
                usage_key=block_keys(self)[1],
                expected_version=payload.get("edit_version"),
                block_name=self.display_name,  # staff pages name the block (ADR 0018)
            )
        result = self._write_result(learner, evidence, self.ugettext("Situation submitted."))
        if self.min_evidence and result["submitted"] >= self.min_evidence:
            self.emit_completion(1.0)
        return result

    @reader_handler
    def older_evidence(self, learner, payload):
        """
        The learner's situations older than ``before`` (the uuid of the oldest the list shows), one page:
        ``{"items_html", "evidence" (the drafts' fields), "before" (next; "" at the end), "message"}``.
        """
        return older_items(self, learner, payload_text(payload, "before") or None)

    @learner_handler
    def delete_evidence(self, learner, payload):
        """Delete a draft never submitted."""
        evidence_uuid = payload_text(payload, "uuid")
        plugin_api().delete_evidence(
            user_id=learner.user_id, evidence_uuid=evidence_uuid, usage_key=block_keys(self)[1]
        )
        removed = str(uuid.UUID(evidence_uuid))  # as the list writes it (the API accepted it: it parses)
        return self._write_result(learner, None, self.ugettext("Draft deleted."), removed=removed)

    @learner_handler
    def add_link(self, learner, payload):
        """Attach a web link: ``{"uuid", "url", "title"}``."""
        data = {key: payload[key] for key in ("url", "title") if key in payload}
        evidence = plugin_api().add_link(
            user_id=learner.user_id,
            evidence_uuid=payload_text(payload, "uuid"),
            data=data,
            limits=block_limits(self),
            usage_key=block_keys(self)[1],
        )
        return self._write_result(learner, evidence, self.ugettext("Link added."))

    @learner_handler
    def remove_attachment(self, learner, payload):
        """Remove a file or link from a draft: ``{"uuid": attachment uuid}``."""
        evidence = plugin_api().remove_attachment(
            user_id=learner.user_id, attachment_uuid=payload_text(payload, "uuid"), usage_key=block_keys(self)[1]
        )
        return self._write_result(learner, evidence, self.ugettext("Attachment removed."))
