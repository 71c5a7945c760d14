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
from competency_plugin.frameworks.formats.common import check_language

IMPORT_FORMATS = ("case", "moodle-csv", "mahara")
EXPORT_FORMATS = ("case", "moodle-csv")


def read_framework(content, format, *, language=None):  # pylint: disable=redefined-builtin
    """
    Parse ``content`` in ``format`` (``IMPORT_FORMATS``) into a ``FrameworkSpec``.

    Raises:
        CompetencyRequestError naming the place in the file at fault.
    """
    readers = {"case": case.read_case, "moodle-csv": moodle_csv.read_moodle_csv, "mahara": mahara.read_mahara}
    if format not in readers:
        raise CompetencyRequestError(
            _("Unknown import format {format!r}: use one of {formats}.").format(
                format=format, formats=", ".join(IMPORT_FORMATS)
            ),
            {"format": [_("Unknown format.")]},
        )
    return readers[format](content, language=check_language(language))


def write_framework(spec, format, *, language=None, modified=None):  # pylint: disable=redefined-builtin
    """Return the text of ``spec`` in ``format`` (``EXPORT_FORMATS``)."""
    if format == "case":
        return case.write_case(spec, language=check_language(language), modified=modified)
    if format == "moodle-csv":
        return moodle_csv.write_moodle_csv(spec, language=check_language(language))
    raise CompetencyRequestError(
        _("Unknown export format {format!r}: use one of {formats}.").format(
            format=format, formats=", ".join(EXPORT_FORMATS)
        ),
        {"format": [_("Unknown format.")]},
    )
