"""
The CASE provider's responses: JSON bodies, and the specification's ``imsx_StatusInfo`` for errors.

``imsx_codeMajor`` is ``failure`` (``unsupported`` for a method the provider does not offer),
``imsx_severity`` ``error``; ``imsx_codeMinor`` names the specification's code
(``unknownobject``, ``invalid_uuid``, ``invalid_sort_field``, ``invalid_selection_field``,
``server_busy``, ``internal_server_error``); ``imsx_description`` is for people, in the caller's
language.
"""
from django.http import JsonResponse

# The "identity of the system that has produced the code minor status code report".
CODE_MINOR_FIELD_NAME = "TargetEndSystem"


def json_response(data, status=200, headers=None):
    """``data`` as a JSON response, readable from any origin (the provider is public)."""
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def status_info(description, code_minor=None, code_major="failure"):
    """The ``imsx_StatusInfo`` body of an error."""
    body = {"imsx_codeMajor": code_major, "imsx_severity": "error", "imsx_description": str(description)}
    if code_minor:
        body["imsx_codeMinor"] = {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": CODE_MINOR_FIELD_NAME, "imsx_codeMinorFieldValue": code_minor},
        ]}
    return body


def error_response(status, description, code_minor=None, code_major="failure", headers=None):
    """An error: ``status`` with the ``imsx_StatusInfo`` body."""
    return json_response(status_info(description, code_minor, code_major), status=status, headers=headers)


class CaseRequestError(Exception):
    """A request the provider refuses: its HTTP status, ``imsx_codeMinor`` value and description."""

    def __init__(self, status, code_minor, description):
        super().__init__(description)
        self.status = status
        self.code_minor = code_minor
        self.description = description

    def response(self):
        """The error response."""
        return error_response(self.status, self.description, self.code_minor)
