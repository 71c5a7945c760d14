"""
Course and usage keys from what callers send: a key or its string; a clear 400 otherwise.

``parse_course_key`` is the one answer to a bad course id, wherever it comes from (a URL's
``course_id``, a query parameter, an API argument): ``CompetencyRequestError`` naming the field,
which the REST API answers with a 400 and the pages with a 400 page.
"""
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from competency_plugin.exceptions import CompetencyRequestError

__all__ = ["parse_course_key", "parse_usage_key"]


def parse_course_key(value, field="course_key"):
    """
    Return a ``CourseKey`` from a key or its string.

    Raises:
        CompetencyRequestError: ``value`` is no course key; ``field_errors`` names ``field`` (the
            name the caller sent it under: ``course_id`` in URLs and query strings).
    """
    try:
        return value if isinstance(value, CourseKey) else CourseKey.from_string(str(value))
    except InvalidKeyError as error:
        raise CompetencyRequestError(_("Invalid course key."), {field: [_("Invalid course key.")]}) from error


def parse_usage_key(value):
    """Return a ``UsageKey`` from a key or its string, or raise ``CompetencyRequestError``."""
    try:
        return value if isinstance(value, UsageKey) else UsageKey.from_string(str(value))
    except InvalidKeyError as error:
        raise CompetencyRequestError(_("Invalid usage key."), {"usage_key": [_("Invalid usage key.")]}) from error
