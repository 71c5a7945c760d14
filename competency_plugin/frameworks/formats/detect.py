"""Tell the format of a framework file from its name and content, when the caller does not say."""
from __future__ import annotations

import json
import os

from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.common import decode_text, format_error

_EXTENSIONS = {".matrix": "mahara", ".csv": "moodle-csv"}


def _json_format(text):
    """Return the format of a JSON document by its top-level keys; None when it names neither."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if "CFDocument" in data or "CFPackage" in data:
            return "case"
        if "framework" in data:
            return "mahara"
        return None
    # Unparsable: guess from the text, so that the reader reports where the JSON breaks.
    if '"CFDocument"' in text or '"CFPackage"' in text:
        return "case"
    if '"framework"' in text:
        return "mahara"
    return None


def detect_format(content, filename=None) -> str:
    """
    Return "case", "moodle-csv" or "mahara" for a file's content (bytes or text).

    A ``.matrix`` or ``.csv`` file name decides; otherwise JSON is CASE when it has a
    ``CFDocument`` (or ``CFPackage``) and Mahara when it has a ``framework``, and text whose
    first line holds commas is a Moodle CSV.

    Raises:
        CompetencyRequestError when the format cannot be told.
    """
    extension = os.path.splitext(str(filename or ""))[1].lower()
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    text = decode_text(content).strip()
    if text.startswith(("{", "[")):
        found = _json_format(text)
        if found:
            return found
    elif text and ("," in text.split("\n", 1)[0] or ";" in text.split("\n", 1)[0]):
        return "moodle-csv"
    raise format_error(_(
        "Cannot tell the format of this file; give it (case, moodle-csv or mahara)."
    ), field="format")
