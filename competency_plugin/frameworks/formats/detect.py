"""Tell the format of a framework file from its name and content, when the caller does not say."""
from __future__ import annotations

import os
import re

from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.common import decode_text, format_error, parse_json

_EXTENSIONS = {".matrix": "mahara", ".csv": "moodle-csv"}


_FIRST_CHARACTER = re.compile(r"\S")


def _json_format(text):
    """
    Return ``(format, parsed JSON)`` of a JSON document, by its top-level keys; the format is None
    when it names neither. The parsed document goes to the reader: a file is parsed once.
    """
    try:
        data = parse_json(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if "CFDocument" in data or "CFPackage" in data:
            return "case", data
        if "framework" in data:
            return "mahara", data
        return None, None
    # Unparsable: guess from the text, so that the reader reports where the JSON breaks.
    if '"CFDocument"' in text or '"CFPackage"' in text:
        return "case", None
    if '"framework"' in text:
        return "mahara", None
    return None, None


def sniff(text, filename=None):
    """
    Return ``(format, parsed JSON or None)`` for a file's decoded text; see ``detect_format``.

    The text is never copied (a large file is tens of megabytes): only its first line is looked at.

    Raises:
        CompetencyRequestError when the format cannot be told.
    """
    extension = os.path.splitext(str(filename or ""))[1].lower()
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension], None
    start = _FIRST_CHARACTER.search(text)
    start = start.start() if start else len(text)
    if text.startswith(("{", "["), start):
        found, data = _json_format(text)
        if found:
            return found, data
    elif start < len(text):
        end = text.find("\n", start)
        first_line = text[start:] if end < 0 else text[start:end]
        if "," in first_line or ";" in first_line:
            return "moodle-csv", None
    raise format_error(_(
        "Cannot tell the format of this file; give it (case, moodle-csv or mahara)."
    ), field="format")


def detect_format(content, filename=None) -> str:
    """
    Return "case", "moodle-csv" or "mahara" for a file's content (bytes or text).

    A ``.matrix`` or ``.csv`` file name decides; otherwise JSON is CASE when it has a
    ``CFDocument`` (or ``CFPackage``) and Mahara when it has a ``framework``, and text whose
    first line holds commas is a Moodle CSV.

    Raises:
        CompetencyRequestError when the format cannot be told.
    """
    return sniff(decode_text(content), filename)[0]
