"""
Check a ``FrameworkSpec`` before anything is written: identifiers, text lengths and characters,
levels, the tree (no cycle, no missing parent) and its depth-first layout.

The tree is stored with ``depth``, ``sort_order`` (1-based position among siblings) and a
depth-first ``path`` of zero-padded positions ("0003.0002") that lists the tree in reading
order when sorted; ``_layout`` computes them.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from operator import itemgetter
from uuid import UUID

from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework, ProficiencyLevel
from competency_plugin.frameworks.spec import FrameworkSpec
from competency_plugin.platform.text import text_problem, unstorable_text

# Digits of one position in ``Competence.path``; a sibling group may hold 9999 nodes.
PATH_WIDTH = 4
_FRAMEWORK_TEXT_FIELDS = (
    "uri", "title_fr", "title_en", "description_fr", "description_en", "version", "publisher",
    "source", "licence", "licence_uri", "language",
)
_COMPETENCE_TEXT_FIELDS = ("code", "title_fr", "title_en", "description_fr", "description_en", "item_type")
# The stored values of a node besides its keys and parent, in this order in plans.
_ROW_FIELDS = (*_COMPETENCE_TEXT_FIELDS, "depth", "sort_order", "path", "extra")
_ASSOCIATION_FIELDS = ("association_type", "origin", "destination", "sequence_number", "extra")


def _max_length(model, field):
    return model._meta.get_field(field).max_length  # pylint: disable=protected-access


def _request_error(field, message):
    return CompetencyRequestError(message, {field: [message]})


def _as_uuid(value, where, field):
    """Return ``value`` as a UUID, or raise naming ``where``."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value).strip())
    except (TypeError, ValueError) as error:
        message = _("{where}: {value!r} is not a valid identifier (a UUID is expected).").format(
            where=where, value=value
        )
        raise _request_error(field, message) from error


def node_ref(node, identifier=None):
    """Name a node in messages: where it came from in its file, else its code or identifier."""
    identifier = node.identifier if identifier is None else identifier
    if node.source_ref:
        return node.source_ref
    if node.code:
        return _("competence {code} (identifier {identifier})").format(code=node.code, identifier=identifier)
    return _("competence {identifier}").format(identifier=identifier)


def _check_text(model, field, value, where, error_field):
    """The text must pass ``validation.text_problem`` and fit its column."""
    value = "" if value is None else value
    limit = _max_length(model, field)
    if isinstance(value, str) and limit and len(value) > limit:
        raise _request_error(error_field, _("{where}: the {field} is longer than {limit} characters.").format(
            where=where, field=field.replace("_", " "), limit=limit
        ))
    problem = text_problem(value)
    if problem:
        raise _request_error(error_field, _("{where}: the {field}: {problem}").format(
            where=where, field=field.replace("_", " "), problem=problem
        ))


def _check_extra(extra, where, error_field):
    """Extra data kept from the file holds no text a database cannot store."""
    if unstorable_text(extra):
        raise _request_error(error_field, _("{where}: the extra data contain a character that cannot be stored.")
                             .format(where=where))


# --- Validation -------------------------------------------------------------------------------


def _validate_framework(spec):
    identifier = _as_uuid(spec.identifier, _("the framework"), "identifier")
    if not (spec.title_fr or "").strip() and not (spec.title_en or "").strip():
        raise _request_error("title", _("The framework has no title, in French or in English."))
    for field in _FRAMEWORK_TEXT_FIELDS:
        _check_text(Framework, field, getattr(spec, field), _("the framework"), field)
    _check_extra(spec.extra, _("the framework"), "extra")
    return identifier


def _validate_levels(levels):
    seen = set()
    for position, level in enumerate(levels):
        code = (level.code or "").strip()
        where = _("scale value {position} ({code})").format(position=position + 1, code=code or "?")
        if not code:
            raise _request_error("levels", _("{where}: the code is empty.").format(where=where))
        if code in seen:
            raise _request_error("levels", _("{where}: the code {code} is used twice.").format(where=where, code=code))
        seen.add(code)
        for field in ("code", "label_fr", "label_en"):
            _check_text(ProficiencyLevel, field, getattr(level, field), where, "levels")


def _where(node):
    return node.source_ref or _("competence {code}").format(code=node.code or node.identifier)


def _check_node_texts(node, identifier, limits):
    """A node's texts pass the one text check and fit their columns; messages are built only for a value at fault."""
    for field, limit in limits.items():
        value = getattr(node, field)
        if value is not None and (text_problem(value) or (limit and len(value) > limit)):
            _check_text(Competence, field, value, node_ref(node, identifier), "competences")
    if node.extra and unstorable_text(node.extra):
        _check_extra(node.extra, node_ref(node, identifier), "competences")


def _validate_competences(competences):
    """
    Check identifiers, parents, titles and lengths, in one pass over the nodes (messages are built only on error).

    Returns:
        (identifiers, parents, sort orders): lists in the order of ``competences``; identifiers and
        parents as UUIDs (the nodes themselves are not copied).
    """
    identifiers, parents, orders, index_of = [], [], [], {}
    limits = {field: _max_length(Competence, field) for field in _COMPETENCE_TEXT_FIELDS}
    for index, node in enumerate(competences):
        identifier, parent, sort_order = node.identifier, node.parent, node.sort_order
        if not isinstance(identifier, UUID):
            identifier = _as_uuid(identifier, _where(node), "competences")
        if parent == "":
            parent = None
        elif parent is not None and not isinstance(parent, UUID):
            parent = _as_uuid(parent, _where(node), "competences")
        if type(sort_order) is not int:  # pylint: disable=unidiomatic-typecheck  # bool is refused by int()'s path too
            try:
                sort_order = int(sort_order or 0)
            except (TypeError, ValueError) as error:
                message = _("{where}: the sort order is not a number.").format(where=_where(node))
                raise _request_error("competences", message) from error
        if identifier in index_of:
            other = index_of[identifier]
            message = _("{ref}: the identifier {identifier} is used twice (also by {other}).").format(
                ref=node_ref(node, identifier), identifier=identifier,
                other=node_ref(competences[other], identifiers[other]),
            )
            raise _request_error("competences", message)
        index_of[identifier] = index
        if not (node.title_fr or "").strip() and not (node.title_en or "").strip():
            raise _request_error("competences", _("{ref}: the title is empty, in French and in English.")
                                 .format(ref=node_ref(node, identifier)))
        _check_node_texts(node, identifier, limits)
        identifiers.append(identifier)
        parents.append(parent)
        orders.append(sort_order)
    for index, parent in enumerate(parents):
        if parent is None:
            continue
        if parent not in index_of:
            raise _request_error("competences", _("{ref}: its parent {parent} is not in the framework.")
                                 .format(ref=node_ref(competences[index], identifiers[index]), parent=parent))
        if parent == identifiers[index]:
            raise _request_error("competences", _("{ref}: the node is its own parent.")
                                 .format(ref=node_ref(competences[index], identifiers[index])))
    return identifiers, parents, orders


def _validate_associations(associations):
    """Return ``[(identifier as a UUID, association)]``, checking identifiers and ends."""
    result, seen = [], set()
    for position, association in enumerate(associations):
        where = _("association {position} ({kind})").format(
            position=position + 1, kind=association.association_type or "?"
        )
        identifier = _as_uuid(association.identifier, where, "associations")
        if identifier in seen:
            raise _request_error("associations", _("{where}: the identifier {identifier} is used twice.")
                                 .format(where=where, identifier=identifier))
        seen.add(identifier)
        for field in ("association_type", "origin", "destination"):
            if not str(getattr(association, field) or "").strip():
                raise _request_error("associations", _("{where}: the {field} is empty.")
                                     .format(where=where, field=field.replace("_", " ")))
        _check_text(CompetenceAssociation, "association_type", association.association_type, where, "associations")
        _check_text(CompetenceAssociation, "origin", str(association.origin), where, "associations")
        _check_text(CompetenceAssociation, "destination", str(association.destination), where, "associations")
        _check_extra(association.extra, where, "associations")
        result.append((identifier, association))
    return result


def _layout(entries, ref_of):
    """
    Lay a forest out depth-first.

    Args:
        entries: ``(key, parent_key, sort_key)`` tuples; every parent key is a key.
        ref_of: ``ref_of(key)`` names a node in messages (called only on error).

    Returns:
        {key: (parent_key, depth, sort_order, path)}

    Raises:
        CompetencyRequestError when parents form a cycle, a sibling group is too large or the
        tree too deep for ``Competence.path``.
    """
    children = defaultdict(list)
    for key, parent, sort_key in entries:
        children[parent].append((sort_key, key))
    max_path = _max_length(Competence, "path")
    placed = {}
    stack = [(None, 0, "")]
    while stack:
        parent, depth, prefix = stack.pop()
        siblings = children.pop(parent, [])
        siblings.sort(key=itemgetter(0))
        if len(siblings) >= 10 ** PATH_WIDTH:
            raise _request_error("competences", _("{ref}: more than {limit} nodes share this parent.").format(
                ref=ref_of(siblings[-1][1]), limit=10 ** PATH_WIDTH - 1
            ))
        if siblings and len(prefix) + PATH_WIDTH > max_path:
            raise _request_error("competences", _("{ref}: the tree is nested too deeply ({depth} levels).")
                                 .format(ref=ref_of(siblings[0][1]), depth=depth + 1))
        for position, (_sort_key, key) in enumerate(siblings, start=1):
            path = f"{prefix}{position:0{PATH_WIDTH}d}"
            placed[key] = (parent, depth, position, path)
            stack.append((key, depth + 1, path + "."))
    if children:
        raise _request_error("competences", _cycle_message(entries, placed, ref_of))
    return placed


def _cycle_message(entries, placed, ref_of):
    """Describe one cycle among the nodes that the layout could not reach from a root."""
    parents = {key: parent for key, parent, _sort in entries}
    start = next(key for key in parents if key not in placed)
    chain, seen = [], set()
    while start not in seen:
        seen.add(start)
        chain.append(start)
        start = parents[start]
    cycle = chain[chain.index(start):]
    return _("{ref}: its parents form a cycle ({cycle}).").format(
        ref=ref_of(cycle[0]), cycle=" → ".join(ref_of(key) for key in cycle + [cycle[0]])
    )


@dataclasses.dataclass
class _Checked:
    """A validated spec: its identifier, and its nodes' identifiers, parents and sort orders as parallel lists."""

    spec: FrameworkSpec
    identifier: UUID
    keys: list
    parents: list
    orders: list
    associations: list
    layout: dict = dataclasses.field(default_factory=dict)

    def ref_of(self, key):
        """Name the node ``key`` in messages."""
        index = self.keys.index(key)
        return node_ref(self.spec.competences[index], key)


def _check(spec):
    """Validate ``spec`` without touching the database or copying its nodes; return a ``_Checked``."""
    identifier = _validate_framework(spec)
    _validate_levels(spec.levels)
    keys, parents, orders = _validate_competences(spec.competences)
    checked = _Checked(spec, identifier, keys, parents, orders, _validate_associations(spec.associations))
    entries = [(key, parent, (order, index)) for index, (key, parent, order) in enumerate(zip(keys, parents, orders))]
    checked.layout = _layout(entries, checked.ref_of)
    return checked


def validate_spec(spec: FrameworkSpec) -> FrameworkSpec:
    """
    Check ``spec`` and return a copy with UUID identifiers, without touching the database.

    Raises:
        CompetencyRequestError naming the item at fault.
    """
    checked = _check(spec)
    return dataclasses.replace(
        spec,
        identifier=checked.identifier,
        competences=[
            dataclasses.replace(node, identifier=key, parent=parent, sort_order=order)
            for node, key, parent, order in zip(spec.competences, checked.keys, checked.parents, checked.orders)
        ],
        associations=[dataclasses.replace(association, identifier=key) for key, association in checked.associations],
    )
