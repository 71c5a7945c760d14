"""
Moodle competency framework CSV (the format of Moodle's tool_lpimportcsv import and export).

Fourteen columns, in order: Parent ID number, ID number, Short name, Description, Description
format, Scale values, Scale configuration, Rule type, Rule outcome, Rule config,
Cross-referenced competency ID numbers, Exported ID, Is framework, Taxonomy. A header row comes
first. The first data row is the framework itself (Is framework = 1), with its scale values
("Not yet competent,Competent") and scale configuration (JSON: ``[{"scaleid": …}, {"id": 2,
"scaledefault": 1, "proficient": 1}]``, ids counting scale values from 1); the others are
competences, attached to their parent by ID number. Cross-references list ID numbers separated
by commas, a comma inside one written ``%2C``; an empty rule config is the literal ``null``.

Mapping: short name → title, description (HTML) → description, ID number → code and, through
``uuid5``, the identifier (an ID number that is a UUID is used as is), so that importing the
file again updates the same framework in place. Scale values become levels coded "1", "2"…,
proficient as the scale configuration says. Cross-references become ``isRelatedTo``
associations. The other columns are kept in ``extra["moodle"]`` and written back. Moodle files
carry no language: their text goes to the language given, English by default.
"""
from competency_plugin.frameworks.formats.moodle_csv.read import read_moodle_csv
from competency_plugin.frameworks.formats.moodle_csv.vocabulary import COLUMNS, MOODLE_NAMESPACE, RELATED_TYPE
from competency_plugin.frameworks.formats.moodle_csv.write import write_moodle_csv

__all__ = ["COLUMNS", "MOODLE_NAMESPACE", "RELATED_TYPE", "read_moodle_csv", "write_moodle_csv"]
