"""The errors ``competency_plugin.api`` raises; callers catch these, never database errors."""


class CompetencyError(Exception):
    """Base class of every error of the plugin's API."""

    code = "error"

    def __init__(self, message="", field_errors=None, current=None):
        super().__init__(str(message))
        self.message = message
        self.field_errors = dict(field_errors or {})
        # What the object holds now, as plain JSON data, when the caller needs it to decide (a stale edit).
        self.current = current


class CompetencyRequestError(CompetencyError):
    """The caller's input was invalid; ``field_errors`` maps each field to its messages."""

    code = "invalid"


class CompetencyNotFoundError(CompetencyError):
    """The object does not exist, or is not the caller's to see."""

    code = "not_found"


class CompetencyPermissionDenied(CompetencyError):
    """The caller may not perform this action."""

    code = "forbidden"


class CompetencyConflictError(CompetencyError):
    """The object changed since the caller read it, or is in a state that forbids the action."""

    code = "conflict"


class CompetencyStaleEditError(CompetencyConflictError):
    """
    The learner's change was made on an older text than the one stored (another tab saved meanwhile).

    ``current`` holds the stored item (``EvidenceData.to_dict()``): the learner keeps their text
    by sending it again with ``current["edit_version"]``, or takes the stored one.
    """


class CompetencyInternalError(CompetencyError):
    """
    The service failed (database or storage); the details are logged, not shown.

    ``retry_after``: seconds after which trying again may work (the database was busy), or None.
    """

    code = "internal"

    def __init__(self, message="", field_errors=None, retry_after=None):
        super().__init__(message, field_errors)
        self.retry_after = retry_after


class CompetencyUnavailableError(CompetencyError):
    """A feature the site has not set up (verifiable credentials without a signing key): HTTP 503."""

    code = "unavailable"
