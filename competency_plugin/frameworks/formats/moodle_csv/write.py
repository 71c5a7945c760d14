"""Write a ``FrameworkSpec`` as a Moodle competency framework CSV (the rules are in ``formats.moodle_csv``)."""
from __future__ import annotations

import io
import json
from collections import defaultdict
from uuid import UUID

from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.formats.common import in_language, spec_language
from competency_plugin.frameworks.formats.moodle_csv.read import _scale
from competency_plugin.frameworks.formats.moodle_csv.vocabulary import (
    COLUMNS,
    FORMAT_HTML,
    FORMAT_PLAIN,
    MAX_IDNUMBER,
    MAX_SHORTNAME,
    RELATED_TYPE,
)
from competency_plugin.frameworks.spec import FrameworkSpec

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
