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
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from uuid import UUID, uuid5

from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.formats.common import (
    DEFAULT_LANGUAGE,
    decode_text,
    format_error,
    in_language,
    is_uuid,
    spec_language,
)
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec

# Namespace of the identifiers derived from a framework's ID number. Never change it.
MOODLE_NAMESPACE = UUID("d708a08f-31d8-430f-9724-32de354144a0")
COLUMNS = (
    "Parent id number", "Id number", "Shortname", "Description", "Description format", "Scale values",
    "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
    "Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy",
)
(PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT, SCALE_VALUES, SCALE_CONFIGURATION, RULE_TYPE, RULE_OUTCOME,
 RULE_CONFIG, RELATED, EXPORTED_ID, IS_FRAMEWORK, TAXONOMY) = range(len(COLUMNS))
RELATED_TYPE = "isRelatedTo"
FORMAT_HTML, FORMAT_PLAIN = "1", "2"
MAX_IDNUMBER, MAX_SHORTNAME = 100, 100
# Columns of a competence row kept as they are, to be written back.
_KEPT = {
    "description_format": FORMAT, "scale_values": SCALE_VALUES, "scale_configuration": SCALE_CONFIGURATION,
    "rule_type": RULE_TYPE, "rule_outcome": RULE_OUTCOME, "rule_config": RULE_CONFIG, "exported_id": EXPORTED_ID,
    "taxonomy": TAXONOMY,
}


# --- Reading ----------------------------------------------------------------------------------


# A line and its end, as ``io.StringIO(text, newline="")`` splits them (\n, \r\n or \r).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text):
    """Yield the lines of ``text`` with their ends, one at a time (a ``StringIO`` copies the text four times over)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _rows(text):
    """Yield ``(line number where the record starts, cells)``, skipping blank records."""
    first_line = text[:text.find("\n")] if "\n" in text else text
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise format_error(_("Line {line}: {problem}.").format(line=start, problem=error)) from error


def _fit(line, cells):
    """Return the 14 cells of a record (extra empty cells at the end are tolerated)."""
    if len(cells) > len(COLUMNS) and not any(cell.strip() for cell in cells[len(COLUMNS):]):
        cells = cells[:len(COLUMNS)]
    if len(cells) != len(COLUMNS):
        raise format_error(_("Line {line}: {expected} columns expected, {found} found.").format(
            line=line, expected=len(COLUMNS), found=len(cells)
        ))
    return cells


def _is_header(cells):
    return len(cells) > IS_FRAMEWORK and cells[IS_FRAMEWORK].strip() not in ("", "0", "1")


def _identifier(idnumber, namespace):
    """Return the identifier of an ID number: itself when it is a UUID, else derived from it."""
    return UUID(idnumber) if is_uuid(idnumber) else uuid5(namespace, idnumber)


def _node_identifier(idnumber, namespace):
    """Return ``(identifier, whether the ID number is a UUID)`` with one parse."""
    if len(idnumber) >= 32:  # the shortest text ``UUID()`` accepts: 32 hexadecimal digits
        try:
            return UUID(idnumber), True
        except ValueError:
            pass
    return uuid5(namespace, idnumber), False


def _scale(line, values_text, configuration_text):
    """Return (levels, scale id, index of the default value) from the framework row's scale columns."""
    values = [value.strip() for value in values_text.split(",") if value.strip()] if values_text.strip() else []
    if not configuration_text.strip():
        return [LevelSpec(code=str(index), label_en=value) for index, value in enumerate(values, start=1)], None, None
    try:
        configuration = json.loads(configuration_text)
        if not isinstance(configuration, list) or not all(isinstance(entry, dict) for entry in configuration):
            raise ValueError("not a list of objects")
    except ValueError as error:
        raise format_error(_("Line {line}: the scale configuration is not valid JSON ({problem}).").format(
            line=line, problem=error
        )) from error
    scale_id, default, proficient = None, None, set()
    for entry in configuration:
        if "scaleid" in entry:
            scale_id = entry["scaleid"]
            continue
        try:
            index = int(entry.get("id"))
        except (TypeError, ValueError) as error:
            raise format_error(_("Line {line}: the scale configuration has an entry without a valid id.").format(
                line=line
            )) from error
        if not 1 <= index <= len(values):
            raise format_error(_("Line {line}: the scale configuration names value {index}, but the scale has "
                                 "{count} values.").format(line=line, index=index, count=len(values)))
        if str(entry.get("proficient", 0)) in ("1", "True", "true"):
            proficient.add(index)
        if str(entry.get("scaledefault", 0)) in ("1", "True", "true"):
            default = index
    levels = [
        LevelSpec(code=str(index), label_en=value, proficient=index in proficient)
        for index, value in enumerate(values, start=1)
    ]
    return levels, scale_id, default


def _split_related(text):
    return [part.strip().replace("%2C", ",") for part in text.split(",") if part.strip()]


def _read_framework_row(line, cells, side):
    """Return the ``FrameworkSpec`` (no nodes yet) of the framework row."""
    if cells[IS_FRAMEWORK].strip() != "1":
        raise format_error(_("Line {line}: the first row must describe the framework (Is framework = 1).").format(
            line=line
        ))
    idnumber = cells[IDNUMBER].strip()
    if not idnumber:
        raise format_error(_("Line {line}: the framework has no ID number.").format(line=line))
    levels, scale_id, default = _scale(line, cells[SCALE_VALUES], cells[SCALE_CONFIGURATION])
    for level in levels:
        level.label_fr, level.label_en = (level.label_en, "") if side == "fr" else ("", level.label_en)
    spec = FrameworkSpec(
        identifier=_identifier(idnumber, MOODLE_NAMESPACE),
        language=side,
        levels=levels,
        extra={"moodle": {
            "idnumber": idnumber,
            "description_format": cells[FORMAT],
            "scale_values": cells[SCALE_VALUES],
            "scale_configuration": cells[SCALE_CONFIGURATION],
            "scale_id": scale_id,
            "scale_default": default,
            "taxonomies": cells[TAXONOMY],
        }},
    )
    setattr(spec, f"title_{side}", cells[SHORTNAME].strip())
    setattr(spec, f"description_{side}", cells[DESCRIPTION])
    return spec


def _read_competence_rows(records, framework_identifier, side):
    """
    Read the competence rows.

    Returns:
        (nodes, {ID number: line}, {ID number: parent ID number}, [(line, ID number, cross-referenced ID number)])
    """
    nodes, lines, parents, related = [], {}, {}, []
    counters = defaultdict(int)
    ref = _("line {line} (ID number {idnumber})")
    for line, cells in records:
        cells = _fit(line, cells)
        idnumber = cells[IDNUMBER].strip()
        if cells[IS_FRAMEWORK].strip() == "1":
            raise format_error(_("Line {line}: only the first row may describe the framework.").format(line=line))
        if not idnumber:
            raise format_error(_("Line {line}: the ID number is empty.").format(line=line))
        if idnumber in lines:
            raise format_error(_("Line {line}: the ID number {idnumber} is already used on line {other}.").format(
                line=line, idnumber=idnumber, other=lines[idnumber]
            ))
        lines[idnumber] = line
        parents[idnumber] = cells[PARENT].strip()
        counters[parents[idnumber]] += 1
        identifier, idnumber_is_uuid = _node_identifier(idnumber, framework_identifier)
        node = CompetenceSpec(
            identifier=identifier,
            code="" if idnumber_is_uuid else idnumber,
            sort_order=counters[parents[idnumber]],
            extra={"moodle": {name: cells[column] for name, column in _KEPT.items()}},
            source_ref=ref.format(line=line, idnumber=idnumber),
        )
        setattr(node, f"title_{side}", cells[SHORTNAME].strip())
        setattr(node, f"description_{side}", cells[DESCRIPTION])
        nodes.append(node)
        related += [(line, idnumber, target) for target in _split_related(cells[RELATED])]
    return nodes, lines, parents, related


def read_moodle_csv(content, *, language=None) -> FrameworkSpec:
    """
    Parse a Moodle competency framework CSV into a ``FrameworkSpec``.

    ``language`` ("fr"/"en", default English) is the language of the file's text.

    Raises:
        CompetencyRequestError naming the CSV line at fault.
    """
    side = language or DEFAULT_LANGUAGE
    # Records are read one at a time: the rows of a large file are never all in memory.
    records = _rows(decode_text(content))
    first = next(records, None)
    if first and _is_header(first[1]):
        _fit(*first)
        first = next(records, None)
    if not first:
        raise format_error(_("The file holds no framework row."))
    spec = _read_framework_row(first[0], _fit(*first), side)
    nodes, lines, parents, related = _read_competence_rows(records, spec.identifier, side)
    identifiers = {idnumber: node.identifier for idnumber, node in zip(lines, nodes)}
    for node, idnumber in zip(nodes, lines):
        parent = parents[idnumber]
        if parent and parent not in identifiers:
            raise format_error(_("Line {line} (ID number {idnumber}): the parent ID number {parent} does not exist.")
                               .format(line=lines[idnumber], idnumber=idnumber, parent=parent))
        node.parent = identifiers[parent] if parent else None
    for line, idnumber, target in related:
        if target not in identifiers:
            raise format_error(_("Line {line} (ID number {idnumber}): the cross-referenced ID number {target} does "
                                 "not exist.").format(line=line, idnumber=idnumber, target=target))
        spec.associations.append(AssociationSpec(
            identifier=uuid5(spec.identifier, f"{RELATED_TYPE}|{idnumber}|{target}"),
            association_type=RELATED_TYPE,
            origin=str(identifiers[idnumber]),
            destination=str(identifiers[target]),
        ))
    spec.competences = nodes
    return spec


# --- Writing ----------------------------------------------------------------------------------


def _cell(value):
    """Quote a cell as Moodle's CSV writer does: when it holds a separator, a quote, a space or a line break."""
    text = "" if value is None else str(value)
    if any(character in text for character in ',"\n\r\t \\'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _line(cells):
    return ",".join(_cell(cell) for cell in cells) + "\n"


def _idnumbers(nodes):
    """ID numbers for export: each node's code when usable and unique, else its identifier."""
    counts = defaultdict(int)
    for node in nodes:
        counts[node.code] += 1
    return {
        node.identifier: node.code if node.code and counts[node.code] == 1 and len(node.code) <= MAX_IDNUMBER
        else str(node.identifier)
        for node in nodes
    }


def _scale_cells(spec, side):
    """Return the framework row's scale values and configuration; the imported ones when the scale is unchanged."""
    moodle = (spec.extra or {}).get("moodle") or {}
    levels = spec.levels
    if not levels:
        values = [_("Not yet competent"), _("Competent")]
        return ",".join(values), json.dumps([{"scaleid": ""}, {"id": 2, "scaledefault": 1, "proficient": 1}],
                                            separators=(",", ":"))
    values = ",".join(in_language(side, level.label_fr, level.label_en).replace(",", ";") or level.code
                      for level in levels)
    if moodle.get("scale_configuration") and moodle.get("scale_values") == values:
        try:
            kept = _scale(0, moodle["scale_values"], moodle["scale_configuration"])[0]
        except CompetencyRequestError:
            kept = []
        if [level.proficient for level in kept] == [level.proficient for level in levels]:
            return values, moodle["scale_configuration"]
    default = moodle.get("scale_default")
    if not isinstance(default, int) or not 1 <= default <= len(levels):
        default = next((index for index, level in enumerate(levels, start=1) if level.proficient), len(levels))
    configuration = [{"scaleid": moodle.get("scale_id") or ""}]
    for index, level in enumerate(levels, start=1):
        if level.proficient or index == default:
            configuration.append(
                {"id": index, "scaledefault": int(index == default), "proficient": int(level.proficient)}
            )
    return values, json.dumps(configuration, separators=(",", ":"))


def _format_of(text, kept):
    if kept:
        return kept
    return FORMAT_HTML if not text or text.lstrip().startswith("<") else FORMAT_PLAIN


def _ordered(nodes):
    """Parents before children, siblings by ``sort_order`` then list position."""
    children = defaultdict(list)
    keys = {node.identifier for node in nodes}
    for index, node in enumerate(nodes):
        children[node.parent if node.parent in keys else None].append(((node.sort_order or 0, index), node))
    ordered, stack = [], [None]
    while stack:
        parent = stack.pop()
        if parent is not None:
            ordered.append(parent)
        group = children[parent.identifier if parent is not None else None]
        stack.extend(reversed([node for _key, node in sorted(group, key=lambda pair: pair[0])]))
    return ordered


def write_moodle_csv(spec: FrameworkSpec, *, language=None) -> str:
    """
    Return ``spec`` as a Moodle competency framework CSV.

    ``language`` picks the framework's language written (default: the framework's language,
    else French when it has French text); Moodle has a single language per framework.
    """
    side = spec_language(spec, language)
    moodle = (spec.extra or {}).get("moodle") or {}
    nodes = _ordered(spec.competences)
    idnumbers = _idnumbers(nodes)
    related = defaultdict(list)
    for association in spec.associations:
        if association.association_type != RELATED_TYPE:
            continue
        try:
            origin, destination = UUID(association.origin), UUID(association.destination)
        except ValueError:
            continue
        if origin in idnumbers and destination in idnumbers:
            related[origin].append(idnumbers[destination].replace(",", "%2C"))
    scale_values, scale_configuration = _scale_cells(spec, side)
    description = in_language(side, spec.description_fr, spec.description_en)
    depth = _depth(nodes)
    output = io.StringIO()
    output.write(_line(COLUMNS))
    output.write(_line([
        "", moodle.get("idnumber") or str(spec.identifier),
        in_language(side, spec.title_fr, spec.title_en)[:MAX_SHORTNAME], description,
        _format_of(description, moodle.get("description_format")), scale_values, scale_configuration,
        "", "", "", "", "", "1",
        moodle.get("taxonomies") if "taxonomies" in moodle else ",".join(["competency"] * depth),
    ]))
    for node in nodes:
        kept = (node.extra or {}).get("moodle") or {}
        title = in_language(side, node.title_fr, node.title_en)
        description = in_language(side, node.description_fr, node.description_en)
        if len(title) > MAX_SHORTNAME and not description:
            description = title
        output.write(_line([
            idnumbers[node.parent] if node.parent in idnumbers else "",
            idnumbers[node.identifier],
            title[:MAX_SHORTNAME],
            description,
            _format_of(description, kept.get("description_format")),
            kept.get("scale_values", ""),
            kept.get("scale_configuration", ""),
            kept.get("rule_type", ""),
            kept.get("rule_outcome", "0"),
            kept.get("rule_config", "null"),
            ",".join(related[node.identifier]),
            kept.get("exported_id", ""),
            "",
            kept.get("taxonomy", ""),
        ]))
    return output.getvalue()


def _depth(nodes):
    """Return the number of levels of the tree (for the framework's taxonomy list)."""
    parents = {node.identifier: node.parent for node in nodes}
    deepest = 0
    for node in nodes:
        depth, parent = 1, node.parent
        while parent in parents and depth <= len(parents):
            depth, parent = depth + 1, parents[parent]
        deepest = max(deepest, depth)
    return deepest
