"""
Competence frameworks: store a ``FrameworkSpec`` atomically, and read frameworks back.

``save_framework`` is the one writer every reader (built-in data, CASE, Moodle CSV, Mahara)
goes through. It validates the whole spec before writing, then upserts the framework, its
scale, its tree and its other associations in one transaction, by identifier, so that a
re-import updates rows in place and learners' claims keep pointing at the same competences.
Nodes a re-import drops are deleted, unless evidence claims them: those are kept, marked
``extra["retired"]``, and no longer offered.

The tree is stored with ``depth``, ``sort_order`` (1-based position among siblings) and a
depth-first ``path`` of zero-padded positions ("0003.0002") that lists the tree in reading
order when sorted.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections import defaultdict
from operator import itemgetter
from uuid import UUID

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q, TextField
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyInternalError,
    CompetencyNotFoundError,
    CompetencyRequestError,
)
from competency_plugin.frameworks.data import CompetenceData, FrameworkData, LevelData
from competency_plugin.frameworks.formats import EXPORT_FORMATS, IMPORT_FORMATS, read_framework_file, write_framework
from competency_plugin.frameworks.formats.common import check_language, paused_gc
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework, ProficiencyLevel
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.platform.text import text_problem, unstorable_text

log = logging.getLogger(__name__)

# Digits of one position in ``Competence.path``; a sibling group may hold 9999 nodes.
PATH_WIDTH = 4
# Rows per INSERT statement (Django lowers it to SQLite's limit of 999 parameters), and rows
# turned into model instances at a time (bounding the memory the write phase needs).
_BATCH = 500
_CHUNK = 2000
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
        for field, limit in limits.items():
            value = getattr(node, field)
            # Messages (and their translation) are built only for a value at fault.
            if value is not None and (text_problem(value) or (limit and len(value) > limit)):
                _check_text(Competence, field, value, node_ref(node, identifier), "competences")
        if node.extra and unstorable_text(node.extra):
            _check_extra(node.extra, node_ref(node, identifier), "competences")
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


# --- Writing ----------------------------------------------------------------------------------
#
# Everything is read and decided before the write transaction opens (``_plan``): the rows that
# exist, which change (compared by a digest of their values, so that an unchanged re-import
# writes nothing), the tree's layout, the nodes to retire. The transaction then only writes, in
# batches: new nodes one tree level at a time (their parents' keys are known by then), changed
# rows by an upsert on their unique key (one statement per batch, where ``bulk_update`` builds a
# CASE expression per row and field), then deletions. It opens by a compare-and-set on the
# framework's ``modified``: when the framework changed since it was read, or evidence claimed a
# node to delete, the plan is made again. On SQLite the write lock is therefore held only while
# rows are written, and pages keep answering during an import.

_ATTEMPTS = 3


class _Stale(Exception):
    """What a plan was made from changed before it was written: plan again."""


def _digest(values):
    """
    A fixed-size fingerprint of a row's values (text and numbers, JSON as the text stored), to
    tell changed rows without keeping the stored values in memory.
    """
    # The repr of a list of text and numbers is unambiguous, and much faster to build than JSON.
    return hashlib.blake2b(repr(list(values)).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _json_writer(model):
    """Return ``text(value)``: the text the ``extra`` field of ``model`` stores for ``value`` (as it is read back)."""
    ops = transaction.get_connection().ops
    encoder = model._meta.get_field("extra").encoder  # pylint: disable=protected-access

    def text(value):
        stored = ops.adapt_json_value(value, encoder)
        return stored if isinstance(stored, str) else json.dumps(value, cls=encoder)

    return text


def _stored(model, fields):
    """``values_list`` of ``fields`` with ``extra`` as its stored text (compared as such: no JSON is decoded)."""
    return model.objects.order_by().annotate(extra_text=Cast("extra", output_field=TextField())).values_list(
        *(field if field != "extra" else "extra_text" for field in fields))


def _node_values(node, placed):
    """The stored values of a node (``_ROW_FIELDS`` order) given its layout ``(parent, depth, position, path)``."""
    return (node.code or "", node.title_fr or "", node.title_en or "", node.description_fr or "",
            node.description_en or "", node.item_type or "", placed[1], placed[2], placed[3], dict(node.extra or {}))


def _association_values(association):
    return (association.association_type, str(association.origin), str(association.destination),
            association.sequence_number, dict(association.extra or {}))


@dataclasses.dataclass
class _Plan:  # pylint: disable=too-many-instance-attributes
    """What the write transaction does, decided beforehand."""

    checked: _Checked
    framework_pk: int | None
    modified: object
    levels: tuple = ()
    # Rows ready for the database (``_COMPETENCE_COLUMNS``, framework and parent set when written),
    # each with its parent's identifier: {depth: [(parent, row)]} to create, [(parent, row)] to update
    # (changed nodes, then obsolete nodes retired). Preparing them here keeps the transaction short.
    create: dict = dataclasses.field(default_factory=dict)
    update: list = dataclasses.field(default_factory=list)
    retired: int = 0
    pks: dict = dataclasses.field(default_factory=dict)
    delete: list = dataclasses.field(default_factory=list)
    associations: tuple = ()


def save_framework(spec: FrameworkSpec) -> FrameworkData:
    """
    Validate ``spec`` and store it in one transaction: create the framework, or update it in place.

    The framework, its levels (by code), its nodes and its associations (by identifier) are
    upserted; what the spec no longer holds is deleted, except nodes that evidence claims,
    which are kept and marked ``extra["retired"] = True``. Siblings are ordered by
    ``CompetenceSpec.sort_order``, then by their position in ``spec.competences``.

    Everything is read, validated and decided before the transaction; the transaction only
    writes, in batches, so that it is short (see the comment above).

    Returns:
        The ``FrameworkData`` summary of the stored framework.

    Raises:
        CompetencyRequestError: the spec is invalid (the message names the item at fault);
            nothing was written.
        CompetencyConflictError: the identifier belongs to a built-in framework and the spec is
            not built-in, or concurrent changes got in the way; nothing was written.
        CompetencyInternalError: the database failed; nothing was written.
    """
    with paused_gc():  # tens of thousands of nodes stay alive throughout: collecting them is wasted time
        checked = _check(spec)
        for _attempt in range(_ATTEMPTS):
            plan = _plan(checked)
            try:
                start = time.perf_counter()
                with transaction.atomic():
                    _write(plan)
                elapsed = time.perf_counter() - start
            except _Stale:
                log.info("Framework %s changed while it was being saved; planning again.", checked.identifier)
                continue
            except (IntegrityError, ProtectedError) as error:
                log.warning("Concurrent change while saving framework %s: %s", checked.identifier, error)
                raise CompetencyConflictError(
                    _("The framework changed while it was being saved; try again.")
                ) from error
            except DatabaseError as error:
                log.exception("Could not save framework %s", checked.identifier)
                raise CompetencyInternalError(_("The framework could not be saved.")) from error
            log.info(
                "Framework %s saved: %d nodes created, %d updated, %d retired, %d deleted; "
                "write transaction %.3f s.", checked.identifier, sum(map(len, plan.create.values())),
                len(plan.update) - plan.retired, plan.retired, len(plan.delete), elapsed,
                extra={"write_transaction_s": elapsed},
            )
            return get_framework_data(checked.identifier)
    raise CompetencyConflictError(_("The framework changed while it was being saved; try again."))


# --- Writing: the plan (reads only) -----------------------------------------------------------


def _plan(checked):
    spec = checked.spec
    row = Framework.objects.filter(identifier=checked.identifier).values("pk", "modified", "builtin").first()
    if row and row["builtin"] and not spec.builtin:
        raise CompetencyConflictError(_(
            "The framework {identifier} is built in; it is updated only by load_builtin_frameworks."
        ).format(identifier=checked.identifier))
    plan = _Plan(checked, row and row["pk"], row and row["modified"])
    plan.levels = _plan_levels(plan.framework_pk, spec.levels)
    _plan_competences(plan)
    plan.associations = _plan_associations(plan.framework_pk, checked.associations)
    return plan


def _plan_levels(framework_pk, levels):
    """Return ``(to create, to update, pks to delete)``: ``[(code, values)]``, ``[(pk, code, values)]``, ``[pk]``."""
    existing = {}
    if framework_pk:
        existing = {code: (pk, values) for pk, code, *values in ProficiencyLevel.objects.filter(
            framework_id=framework_pk).values_list("pk", "code", "label_fr", "label_en", "order", "proficient")}
    create, update = [], []
    for order, level in enumerate(levels, start=1):
        code = level.code.strip()
        values = [level.label_fr or "", level.label_en or "", order, bool(level.proficient)]
        pk, old = existing.pop(code, (None, None))
        if pk is None:
            create.append((code, values))
        elif old != values:
            update.append((pk, code, values))
    return create, update, [pk for pk, _values in existing.values()]


def _stored_nodes(framework_pk, wanted):
    """
    Read the framework's stored nodes, keeping little of them.

    Returns:
        ``{identifier: (pk, parent pk, digest of the values)}``, ``{pk: identifier}``, and the
        rows no longer ``wanted``, which may be retired: ``{identifier: (pk, parent pk, values)}``.
    """
    rows, identifiers, obsolete = {}, {}, {}
    if framework_pk:
        queryset = _stored(Competence, ("pk", "identifier", "parent_id", *_ROW_FIELDS)).filter(
            framework_id=framework_pk)
        for pk, identifier, parent_pk, *values in queryset.iterator(chunk_size=2000):
            rows[identifier] = (pk, parent_pk, _digest(values))
            identifiers[pk] = identifier
            if identifier not in wanted:
                values[-1] = json.loads(values[-1]) if values[-1] else {}
                obsolete[identifier] = (pk, parent_pk, values)
    return rows, identifiers, obsolete


def _layout_with_retired(checked, retired, rows, identifiers, kept):
    """Lay the tree out again with the ``retired`` rows, each under its nearest kept ancestor, after its siblings."""
    parents = {pk: parent_pk for pk, parent_pk, _digest_value in rows.values()}
    entries = [(key, parent, (0, order, index))
               for index, (key, parent, order) in enumerate(zip(checked.keys, checked.parents, checked.orders))]
    for identifier, (_pk, parent_pk, values) in retired.items():
        while parent_pk is not None and parent_pk not in kept:
            parent_pk = parents.get(parent_pk)
        sort_key = (1, values[_ROW_FIELDS.index("sort_order")], values[_ROW_FIELDS.index("path")])
        entries.append((identifier, identifiers.get(parent_pk), sort_key))
    wanted = set(checked.keys)
    return _layout(entries, lambda key: checked.ref_of(key) if key in wanted else str(key))


def _plan_competences(plan):
    """Fill the plan's nodes to create, update, retire and delete, with their rows ready."""
    checked = plan.checked
    wanted = set(checked.keys)
    rows, identifiers, obsolete = _stored_nodes(plan.framework_pk, wanted)
    plan.pks = {identifier: row[0] for identifier, row in rows.items() if identifier in wanted}
    claimed = set()
    if obsolete:
        claimed = _claimed(plan.framework_pk)
    retired = {identifier: row for identifier, row in obsolete.items() if row[0] in claimed}
    plan.delete = [row[0] for identifier, row in obsolete.items() if identifier not in retired]
    layout = checked.layout
    if retired:
        kept = {row[0] for row in retired.values()} | set(plan.pks.values())
        layout = _layout_with_retired(checked, retired, rows, identifiers, kept)
    json_text, prepare = _json_writer(Competence), _preparer(Competence, _COMPETENCE_COLUMNS)
    for node, key in zip(checked.spec.competences, checked.keys):
        placed = layout[key]
        row = rows.get(key)
        values = _node_values(node, placed)
        if row is None:
            plan.create.setdefault(placed[1], []).append((placed[0], prepare((None, key, None, *values))))
        elif identifiers.get(row[1]) != placed[0] or row[2] != _digest([*values[:-1], json_text(values[-1])]):
            plan.update.append((placed[0], prepare((None, key, None, *values))))
    for identifier, (pk, _parent_pk, values) in retired.items():
        placed = layout[identifier]
        values[_ROW_FIELDS.index("depth"):_ROW_FIELDS.index("path") + 1] = placed[1:]
        values[-1] = {**(values[-1] or {}), "retired": True}
        plan.update.append((placed[0], prepare((None, identifier, None, *values))))
        plan.pks[identifier] = pk
    plan.retired = len(retired)


def _plan_associations(framework_pk, associations):
    """Return ``(rows to create, rows to update, pks to delete)``, rows ready as in ``_Plan``."""
    existing = {}
    if framework_pk:
        queryset = _stored(CompetenceAssociation, ("pk", "identifier", *_ASSOCIATION_FIELDS)).filter(
            framework_id=framework_pk)
        existing = {identifier: (pk, _digest(values)) for pk, identifier, *values in queryset.iterator(chunk_size=2000)}
    create, update = [], []
    json_text, prepare = _json_writer(CompetenceAssociation), _preparer(CompetenceAssociation, _ASSOCIATION_COLUMNS)
    for identifier, association in associations:
        values = _association_values(association)
        pk, digest = existing.pop(identifier, (None, None))
        if pk is None:
            create.append(prepare((None, identifier, *values)))
        elif digest != _digest([*values[:-1], json_text(values[-1])]):
            update.append(prepare((None, identifier, *values)))
    return create, update, [pk for pk, _digest_value in existing.values()]


# --- Writing: the transaction -----------------------------------------------------------------


def _chunks(items, size=_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _write(plan):
    """Write the plan (inside the transaction); raise ``_Stale`` when what it was made from changed."""
    framework_pk = _save_framework_row(plan)
    _save_levels(framework_pk, plan.levels)
    _save_competences(framework_pk, plan)
    _save_associations(framework_pk, plan.associations)


def _save_framework_row(plan):
    spec = plan.checked.spec
    fields = {field: getattr(spec, field) or "" for field in _FRAMEWORK_TEXT_FIELDS}
    fields.update(builtin=bool(spec.builtin), extra=dict(spec.extra or {}))
    if plan.framework_pk is None:
        try:
            with transaction.atomic():
                return Framework.objects.create(identifier=plan.checked.identifier, **fields).pk
        except IntegrityError as error:  # created meanwhile: plan again, as an update
            raise _Stale() from error
    # Compare-and-set: the first write, which takes the write lock; nothing was read in the transaction before.
    if not Framework.objects.filter(pk=plan.framework_pk, modified=plan.modified).update(
            **fields, modified=timezone.now()):
        raise _Stale()
    return plan.framework_pk


def _save_levels(framework_pk, levels):
    create, update, delete = levels
    if delete:
        ProficiencyLevel.objects.filter(pk__in=delete).delete()
    names = ("label_fr", "label_en", "order", "proficient")
    ProficiencyLevel.objects.bulk_update(
        [ProficiencyLevel(pk=pk, framework_id=framework_pk, code=code, **dict(zip(names, values)))
         for pk, code, values in update], names, batch_size=_BATCH)
    ProficiencyLevel.objects.bulk_create(
        [ProficiencyLevel(framework_id=framework_pk, code=code, **dict(zip(names, values))) for code, values in create],
        batch_size=_BATCH)


def _claimed(framework_pk):
    """The keys of the framework's nodes evidence claims (frameworks sit below evidence: no import of its models)."""
    return set(Competence.objects.filter(framework_id=framework_pk, claims__isnull=False).order_by()
               .values_list("id", flat=True).distinct())


_COMPETENCE_COLUMNS = ("framework", "identifier", "parent", *_ROW_FIELDS)
_ASSOCIATION_COLUMNS = ("framework", "identifier", *_ASSOCIATION_FIELDS)


def _preparer(model, names):
    """
    Return ``prepare(values)``: the list of ``values`` of the fields ``names`` as the database
    takes them, through each field's own conversion where it has one (UUID, JSON).
    """
    database = transaction.get_connection()  # the connection itself: ``connection`` is a proxy, slow per value
    fields = [model._meta.get_field(name) for name in names]  # pylint: disable=protected-access
    converters = [(position, field.get_db_prep_save) for position, field in enumerate(fields)
                  if field.get_internal_type() in ("UUIDField", "JSONField")]

    def prepare(values):
        row = list(values)
        for position, convert in converters:
            row[position] = convert(row[position], database)
        return row

    return prepare


def _insert(model, names, rows, *, update=()):
    """
    Insert ``rows`` (prepared lists of the values of the fields ``names``) with one ``executemany``.

    With ``update`` (field names), an upsert on ``(framework, identifier)``: a row that exists
    gets these fields (``INSERT … ON CONFLICT … DO UPDATE`` on SQLite, ``ON DUPLICATE KEY UPDATE``
    on MySQL/MariaDB). Django's ``bulk_create`` would build a model instance and prepare every
    value of every row through the ORM inside the transaction, which costs more than the
    database's own work here; ``bulk_update`` builds a CASE expression per row and field.
    """
    if not rows:
        return
    opts = model._meta  # pylint: disable=protected-access
    database = transaction.get_connection()
    fields = [opts.get_field(name) for name in names]
    quote = database.ops.quote_name
    columns, values = ", ".join(quote(field.column) for field in fields), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({values})"
    if update:
        sql += " " + database.ops.on_conflict_suffix_sql(
            fields, OnConflict.UPDATE, [opts.get_field(name).column for name in update],
            [opts.get_field(name).column for name in ("framework", "identifier")],
        )
    with database.cursor() as cursor:
        cursor.executemany(sql, rows)


def _with_keys(framework_pk, pks, rows):
    """The prepared ``rows`` (with their parent's identifier) given the framework's and the parent's keys."""
    for parent, row in rows:
        row[0], row[2] = framework_pk, pks.get(parent)
        yield row


def _save_competences(framework_pk, plan):
    """Create new nodes a tree level at a time, upsert changed and retired ones, delete the others."""
    pks = plan.pks
    for depth in sorted(plan.create):
        for chunk in _chunks(plan.create[depth]):
            _insert(Competence, _COMPETENCE_COLUMNS, list(_with_keys(framework_pk, pks, chunk)))
        # The keys of this level, which rows of the next levels point to (executemany returns none).
        if depth != max(plan.create) or plan.update:
            pks.update(Competence.objects.filter(framework_id=framework_pk, depth=depth).order_by()
                       .values_list("identifier", "pk"))
    for chunk in _chunks(plan.update):
        _insert(Competence, _COMPETENCE_COLUMNS, list(_with_keys(framework_pk, pks, chunk)),
                update=_COMPETENCE_COLUMNS[2:])
    if plan.delete:
        # Evidence may have claimed a node since the plan was made: plan again, to retire it.
        if not set(plan.delete).isdisjoint(_claimed(framework_pk)):
            raise _Stale()
        for chunk in _chunks(plan.delete):
            Competence.objects.filter(pk__in=chunk).delete()


def _save_associations(framework_pk, associations):
    create, update, delete = associations
    for chunk in _chunks(delete):
        CompetenceAssociation.objects.filter(pk__in=chunk).delete()
    for rows, fields in ((update, _ASSOCIATION_FIELDS), (create, ())):
        for chunk in _chunks(rows):
            for row in chunk:
                row[0] = framework_pk
            _insert(CompetenceAssociation, _ASSOCIATION_COLUMNS, chunk, update=fields)


# --- Reading ----------------------------------------------------------------------------------


def _frameworks():
    return Framework.objects.annotate(
        competence_total=Count("competences", distinct=True),
        competence_retired=Count("competences", filter=Q(competences__extra__retired=True), distinct=True),
    ).prefetch_related("levels")


def _get_framework(identifier, queryset=None):
    queryset = Framework.objects if queryset is None else queryset
    try:
        key = identifier if isinstance(identifier, UUID) else UUID(str(identifier).strip())
    except (TypeError, ValueError) as error:
        raise CompetencyNotFoundError(_("No framework has the identifier {identifier}.").format(
            identifier=identifier
        )) from error
    framework = queryset.filter(identifier=key).first()
    if framework is None:
        raise CompetencyNotFoundError(_("No framework has the identifier {identifier}.").format(identifier=key))
    return framework


def level_to_data(level):
    """Return the plain data of a proficiency level row."""
    return LevelData(
        code=level.code,
        label_fr=level.label_fr,
        label_en=level.label_en,
        order=level.order,
        proficient=level.proficient,
    )


def competence_to_data(row, parent=None, children=()):
    """Return the plain data of a competence row (``parent`` is the parent's identifier)."""
    return CompetenceData(
        identifier=row.identifier,
        code=row.code,
        title_fr=row.title_fr,
        title_en=row.title_en,
        description_fr=row.description_fr,
        description_en=row.description_en,
        item_type=row.item_type,
        parent=parent,
        depth=row.depth,
        sort_order=row.sort_order,
        path=row.path,
        retired=bool((row.extra or {}).get("retired")),
        children=tuple(children),
    )


def framework_to_data(framework, competences=()):
    """Return the plain data of a framework row annotated by ``_frameworks()``."""
    return FrameworkData(
        identifier=framework.identifier,
        uri=framework.uri,
        title_fr=framework.title_fr,
        title_en=framework.title_en,
        description_fr=framework.description_fr,
        description_en=framework.description_en,
        version=framework.version,
        publisher=framework.publisher,
        source=framework.source,
        licence=framework.licence,
        licence_uri=framework.licence_uri,
        language=framework.language,
        builtin=framework.builtin,
        competence_count=framework.competence_total - framework.competence_retired,
        created=framework.created,
        modified=framework.modified,
        levels=tuple(level_to_data(level) for level in framework.levels.all()),
        competences=tuple(competences),
    )


def list_frameworks() -> list[FrameworkData]:
    """Return every framework as a summary (metadata, scale, number of current nodes), by title."""
    return [framework_to_data(framework) for framework in _frameworks()]


def get_framework_data(identifier) -> FrameworkData:
    """
    Return the summary of one framework (no tree).

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    return framework_to_data(_get_framework(identifier, _frameworks()))


def get_framework_tree(identifier, *, include_retired=False) -> FrameworkData:
    """
    Return one framework with its tree.

    ``competences`` are the top-level nodes, each with its ``children``, in reading order.
    Retired nodes are left out unless ``include_retired``.

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    framework = _get_framework(identifier, _frameworks())
    rows = [
        row for row in Competence.objects.filter(framework=framework).order_by("path", "id")
        if include_retired or not (row.extra or {}).get("retired")
    ]
    identifiers = {row.pk: row.identifier for row in rows}
    children = defaultdict(list)
    for row in rows:
        children[row.parent_id if row.parent_id in identifiers else None].append(row)

    def build(row):
        return competence_to_data(
            row, identifiers.get(row.parent_id), [build(child) for child in children.get(row.pk, ())]
        )

    return framework_to_data(framework, [build(row) for row in children[None]])


def framework_to_spec(identifier) -> FrameworkSpec:
    """
    Read a stored framework back into a ``FrameworkSpec`` for the exporters (retired nodes left out).

    Nodes come in tree order with their stored ``sort_order``; levels in scale order.

    Raises:
        CompetencyNotFoundError: no framework has this identifier.
    """
    framework = _get_framework(identifier)
    rows = [
        row for row in Competence.objects.filter(framework=framework).order_by("path", "id")
        if not (row.extra or {}).get("retired")
    ]
    identifiers = {row.pk: row.identifier for row in rows}
    return FrameworkSpec(
        identifier=framework.identifier,
        **{field: getattr(framework, field) for field in _FRAMEWORK_TEXT_FIELDS},
        builtin=framework.builtin,
        levels=[
            LevelSpec(code=level.code, label_fr=level.label_fr, label_en=level.label_en, proficient=level.proficient)
            for level in framework.levels.order_by("order", "id")
        ],
        competences=[
            CompetenceSpec(
                identifier=row.identifier,
                **{field: getattr(row, field) for field in _COMPETENCE_TEXT_FIELDS},
                parent=identifiers.get(row.parent_id),
                sort_order=row.sort_order,
                extra=dict(row.extra or {}),
            )
            for row in rows
        ],
        associations=[
            AssociationSpec(
                identifier=row.identifier,
                association_type=row.association_type,
                origin=row.origin,
                destination=row.destination,
                sequence_number=row.sequence_number,
                extra=dict(row.extra or {}),
            )
            for row in framework.associations.order_by("id")
        ],
        extra=dict(framework.extra or {}),
    )


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


def export_framework(identifier, format, *, language=None) -> str:  # noqa: A002  pylint: disable=redefined-builtin
    """
    Return a stored framework as the text of a file in ``format`` ("case" or "moodle-csv").

    ``language`` ("fr"/"en") picks the language written where the format holds only one
    (default: the framework's language, else French when it has French text).

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
    return write_framework(framework_to_spec(identifier), format, language=language, modified=modified)
