"""
Readers and writers of the exchange formats of competence frameworks.

Every reader turns a file's content into a ``FrameworkSpec`` (nothing is written); every writer
turns a ``FrameworkSpec`` into text. ``read_framework`` and ``write_framework`` dispatch on the
format name; ``detect.detect_format`` guesses it when the caller does not say.

Languages: a framework is bilingual (``title_fr``/``title_en``), the formats are not. A CASE
file says its language (``CFDocument.language``, or each item's ``language``); Moodle CSV and
Mahara files say nothing, so their text goes to the language the caller gives, English by
default (``common.DEFAULT_LANGUAGE``).
"""
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.formats import case, mahara, moodle_csv
from competency_plugin.frameworks.formats.common import check_language, decode_text, paused_gc
from competency_plugin.frameworks.formats.detect import sniff

IMPORT_FORMATS = ("case", "moodle-csv", "mahara")
EXPORT_FORMATS = ("case", "moodle-csv")


_READERS = {"case": case.read_case, "moodle-csv": moodle_csv.read_moodle_csv, "mahara": mahara.read_mahara}
# Readers of JSON already parsed (when guessing the format parsed it).
_DATA_READERS = {"case": case.read_case_data, "mahara": mahara.read_mahara_data}


def _check_format(format):  # pylint: disable=redefined-builtin
    if format not in _READERS:
        raise CompetencyRequestError(
            _("Unknown import format {format!r}: use one of {formats}.").format(
                format=format, formats=", ".join(IMPORT_FORMATS)
            ),
            {"format": [_("Unknown format.")]},
        )


def read_framework(content, format, *, language=None):  # pylint: disable=redefined-builtin
    """
    Parse ``content`` in ``format`` (``IMPORT_FORMATS``) into a ``FrameworkSpec``.

    Raises:
        CompetencyRequestError naming the place in the file at fault.
    """
    _check_format(format)
    language = check_language(language)
    with paused_gc():
        return _READERS[format](content, language=language)


def read_framework_file(content, format=None, *, filename=None, language=None):  # pylint: disable=redefined-builtin
    """
    Read a framework file into a ``FrameworkSpec``, guessing its format when ``format`` is None
    (``detect.detect_format``). The content is decoded once and, when guessing needed it, parsed
    once: a large file is never held in several copies.

    Raises:
        CompetencyRequestError: unknown format, or the place in the file at fault.
    """
    if format is not None:
        _check_format(format)
    language = check_language(language)
    with paused_gc():
        text = decode_text(content)
        data = None
        if format is None:
            format, data = sniff(text, filename)
        if data is not None:
            del text  # the parsed document holds all the reader needs: free the text first
            return _DATA_READERS[format](data, language=language)
        return _READERS[format](text, language=language)


def write_framework(spec, format, *, language=None, modified=None, base_url=None):  # pylint: disable=redefined-builtin
    """Return the text of ``spec`` in ``format`` (``EXPORT_FORMATS``); ``base_url`` as ``case.write_case``."""
    if format == "case":
        return case.write_case(spec, language=check_language(language), modified=modified, base_url=base_url)
    if format == "moodle-csv":
        return moodle_csv.write_moodle_csv(spec, language=check_language(language))
    raise CompetencyRequestError(
        _("Unknown export format {format!r}: use one of {formats}.").format(
            format=format, formats=", ".join(EXPORT_FORMATS)
        ),
        {"format": [_("Unknown format.")]},
    )
