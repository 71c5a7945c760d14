"""
The one check of text people send (learners' fields and justifications, links, staff feedback,
policies, imported frameworks).

``text_problem``: text only, no null character and no lone surrogate (neither SQLite nor MariaDB
can store one: the database driver fails on it), within a length. ``check_text`` raises it as a
field error; ``TextField`` applies it in the serializers.
"""
import json
import re

from django.utils.translation import gettext as _
from rest_framework import serializers

from competency_plugin.exceptions import CompetencyRequestError

__all__ = ["MAX_TEXT_LENGTH", "text_problem", "check_text", "unstorable_text", "TextField", "URLTextField"]

MAX_TEXT_LENGTH = 20000
# What no text field may hold: the null character and UTF-16 surrogates (a lone "\\ud800" from a JSON escape).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value, max_length=None):
    """
    Return why ``value`` cannot be stored as a text field (a translated message), or None.

    Args:
        value: what the caller sent.
        max_length: the field's limit in characters; None for no limit.
    """
    if not isinstance(value, str):
        return _("Enter text.")
    found = _UNSTORABLE.search(value)
    if found:
        return _("The text contains a character that cannot be stored (U+{code:04X}).").format(
            code=ord(found.group())
        )
    if max_length is not None and len(value) > max_length:
        return _("Enter at most {count} characters.").format(count=max_length)
    return None


def check_text(value, field, max_length=None):
    """Return ``value`` when ``text_problem`` finds nothing, else raise ``CompetencyRequestError`` on ``field``."""
    problem = text_problem(value, max_length)
    if problem:
        raise CompetencyRequestError(_("Some fields are not valid."), {field: [problem]})
    return value


def unstorable_text(value):
    """Whether ``value`` (text, or JSON-like data holding text) contains a character no database stores."""
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    # Imported frameworks' extra data: dumped without escapes, the JSON text shows every string and key.
    return bool(_UNSTORABLE.search(json.dumps(value, ensure_ascii=False, default=str)))


class TextField(serializers.CharField):
    """A ``CharField`` taking only text (not numbers), checked by ``text_problem``."""

    def to_internal_value(self, data):
        """Refuse what ``text_problem`` refuses, with its message; then as ``CharField``."""
        problem = text_problem(data, self.max_length)
        if problem:
            raise serializers.ValidationError(problem, code="invalid")
        return super().to_internal_value(data)


class URLTextField(TextField, serializers.URLField):
    """A ``URLField`` checked by ``text_problem`` first."""
