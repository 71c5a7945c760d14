"""Read a Moodle competency framework CSV into a ``FrameworkSpec`` (the rules are in ``formats.moodle_csv``)."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from uuid import UUID, uuid5

from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.common import DEFAULT_LANGUAGE, decode_text, format_error, is_uuid
from competency_plugin.frameworks.formats.moodle_csv.vocabulary import (
    _KEPT,
    COLUMNS,
    DESCRIPTION,
    FORMAT,
    IDNUMBER,
    IS_FRAMEWORK,
    MOODLE_NAMESPACE,
    PARENT,
    RELATED,
    RELATED_TYPE,
    SCALE_CONFIGURATION,
    SCALE_VALUES,
    SHORTNAME,
    TAXONOMY,
)
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec

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
