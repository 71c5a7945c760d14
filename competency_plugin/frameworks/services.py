"""
Competence frameworks: store a ``FrameworkSpec`` atomically, read frameworks back, import and export files.

This module is the room's public face. It imports and exports framework files, and re-exports
what the API and the other rooms use from the modules that do the work:
``frameworks.validation`` (the checks of a spec and the tree's layout), ``frameworks.writer``
(``save_framework``: its plan is made in ``frameworks.planning``, then written in one short
transaction) and ``frameworks.reading`` (rows to plain data and to specs).
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.data import FrameworkData
from competency_plugin.frameworks.formats import EXPORT_FORMATS, IMPORT_FORMATS, read_framework_file, write_framework
from competency_plugin.frameworks.formats.common import check_language
from competency_plugin.frameworks.reading import (
    _get_framework,
    competence_to_data,
    framework_to_data,
    framework_to_spec,
    get_framework_data,
    get_framework_tree,
    level_to_data,
    list_frameworks,
)
from competency_plugin.frameworks.validation import PATH_WIDTH, node_ref, validate_spec
from competency_plugin.frameworks.writer import save_framework

# --- Files ------------------------------------------------------------------------------------


def import_framework(content, *, format=None, language=None, filename=None) -> FrameworkData:  # noqa: A002  pylint: disable=redefined-builtin
    """
    Read a framework file and store it (create, or update in place when its identifier exists).

    Args:
        content: the file's bytes or text.
        format: "case", "moodle-csv" or "mahara"; guessed from ``filename`` and content when None.
        language: "fr" or "en", the language of text in files that do not say theirs (Moodle,
            Mahara, CASE without ``language``); English when None.
        filename: the file's name, a hint for guessing the format.

    Returns:
        The ``FrameworkData`` summary of the stored framework.

    Raises:
        CompetencyRequestError: the file is invalid (the message names the place at fault);
            nothing was written.
        CompetencyConflictError, CompetencyInternalError: as ``save_framework``.
    """
    language = check_language(language)
    if format is not None and format not in IMPORT_FORMATS:
        raise CompetencyRequestError(
            _("Unknown import format {format!r}: use one of {formats}.").format(
                format=format, formats=", ".join(IMPORT_FORMATS)
            ),
            {"format": [_("Unknown format.")]},
        )
    try:
        spec = read_framework_file(content, format, filename=filename, language=language)
        spec.builtin = False
        return save_framework(spec)  # a failure leaves nothing written
    except RecursionError as error:  # JSON nested deeper than Python's parser and encoder recurse
        message = _("The file is nested too deep to be read.")
        raise CompetencyRequestError(message, {"file": [message]}) from error


def export_framework(identifier, format, *, language=None, base_url=None) -> str:  # noqa: A002  pylint: disable=redefined-builtin
    """
    Return a stored framework as the text of a file in ``format`` ("case" or "moodle-csv").

    ``language`` ("fr"/"en") picks the language written where the format holds only one
    (default: the framework's language, else French when it has French text). ``base_url``, the
    root of this site's CASE provider (``api.case_provider_root``), gives the CASE objects that
    have no URI of their own the URL where the provider serves them (else a ``urn:uuid:`` URI).

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
        CompetencyRequestError: unknown format or language.
    """
    language = check_language(language)
    if format not in EXPORT_FORMATS:
        raise CompetencyRequestError(
            _("Unknown export format {format!r}: use one of {formats}.").format(
                format=format, formats=", ".join(EXPORT_FORMATS)
            ),
            {"format": [_("Unknown format.")]},
        )
    modified = _get_framework(identifier).modified
    return write_framework(framework_to_spec(identifier), format, language=language, modified=modified,
                           base_url=base_url)


__all__ = [
    "PATH_WIDTH",
    "competence_to_data",
    "export_framework",
    "framework_to_data",
    "framework_to_spec",
    "get_framework_data",
    "get_framework_tree",
    "import_framework",
    "level_to_data",
    "list_frameworks",
    "node_ref",
    "save_framework",
    "validate_spec",
]
