"""
The one exception handler of the REST API: every error gets the same JSON body.

``{"error": code, "message": text, "field_errors": {field: [messages]}}`` where ``code`` is the
``code`` of a ``CompetencyError`` subclass (``invalid``, ``not_found``…) or of a DRF exception
(``not_authenticated``, ``authentication_failed``…). Views opt in by returning this handler from
``get_exception_handler`` so that the plugin does not depend on the host's REST_FRAMEWORK settings.

Nested validation errors (a list of objects in the body) are flattened: each message is listed
under the path of its field, ``requirements.0.competence``. Requests Django refuses to read
(``SuspiciousOperation``: too many fields or files, a body too large) get 400 or 413, and a busy
database (another request holds a lock) 503 with a ``Retry-After`` header, all with this body.
"""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from competency_plugin import api

log = logging.getLogger(__name__)

# Most specific first: the first class the error is an instance of gives the status.
_STATUS_BY_ERROR = (
    (api.CompetencyRequestError, status.HTTP_400_BAD_REQUEST),
    (api.CompetencyNotFoundError, status.HTTP_404_NOT_FOUND),
    (api.CompetencyPermissionDenied, status.HTTP_403_FORBIDDEN),
    (api.CompetencyConflictError, status.HTTP_409_CONFLICT),
    (api.CompetencyUnavailableError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (api.CompetencyInternalError, status.HTTP_500_INTERNAL_SERVER_ERROR),
)


def error_body(code, message, field_errors=None):
    """Return the body every error response of the REST API carries."""
    return {"error": code, "message": str(message), "field_errors": dict(field_errors or {})}


def competency_exception_handler(exc, context):
    """
    Convert ``exc`` into a response with the standard error body.

    Args:
        exc: the exception a view raised.
        context: DRF's handler context (``view``, ``request``…).

    Returns:
        A ``Response``, or None for exceptions neither the API nor DRF declares, which Django
        then reports as a server error.
    """
    if isinstance(exc, api.CompetencyError):
        return _competency_error_response(exc)
    if api.database_busy(exc):  # a lock met outside the API: authentication reading the user, for one
        log.warning("Database contention in the REST API: %s", exc)
        return _competency_error_response(api.busy_error())
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("invalid", _("The request is too large.")),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files: Django would answer an HTML page
        return Response(error_body("invalid", _("The request could not be read.")), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = _drf_error_body(exc, exc.detail)
    return response


def _competency_error_response(exc):
    status_code = next(
        (code for error_class, code in _STATUS_BY_ERROR if isinstance(exc, error_class)),
        status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    message = exc.message
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    if status_code >= 500:
        # The API logged the cause; the client only learns that the service failed.
        log.error("Competency API error %s returned as HTTP %s", exc.code, status_code)
        message = message or _("The service failed. Try again later.")
    response = Response(error_body(exc.code, message, exc.field_errors), status=status_code)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _drf_error_body(exc, detail):
    """Build the standard body for a DRF exception (authentication, permission, 404, validation)."""
    code = exc.default_code
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    if isinstance(detail, dict):
        message = _("The request is invalid.")
        return error_body(code, message, flatten_errors(detail))
    if isinstance(detail, list):
        return error_body(code, " ".join(str(item) for item in _messages(detail)))
    return error_body(code, detail)


def flatten_errors(detail, prefix=""):
    """
    Return ``{field path: [messages]}`` for DRF's nested error ``detail``: the messages of
    ``{"requirements": [{}, {"competence": ["…"]}]}`` are listed under ``requirements.1.competence``,
    those about a nested value as a whole under its own field.
    """
    flat = {}
    if isinstance(detail, dict):
        items = detail.items()
    elif isinstance(detail, (list, tuple)) and any(isinstance(item, (dict, list, tuple)) for item in detail):
        items = enumerate(detail)
    else:
        return {prefix or "non_field_errors": _messages(detail)}
    for key, value in items:
        if key == api_settings.NON_FIELD_ERRORS_KEY and prefix:
            path = prefix  # what is wrong with the nested value as a whole ("not a list") is said of its field
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        for field, messages in flatten_errors(value, path).items():
            flat.setdefault(field, []).extend(messages)
    return flat


def _messages(detail):
    """The messages of a list of errors (or of one error), as plain strings."""
    if isinstance(detail, (list, tuple)):
        return [message for item in detail for message in _messages(item)]
    if isinstance(detail, dict):
        return [message for item in detail.values() for message in _messages(item)]
    return [str(detail)]
