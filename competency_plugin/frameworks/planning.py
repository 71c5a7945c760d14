"""
The plan of a framework's save: everything read and decided before the write transaction opens.

The rows that exist, which change (compared by a digest of their values, so that an unchanged
re-import writes nothing), the tree's layout, the nodes to retire and the rows ready for the
database; see ``frameworks.writer`` for the transaction that writes the plan.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyConflictError
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework, ProficiencyLevel
from competency_plugin.frameworks.validation import _ASSOCIATION_FIELDS, _ROW_FIELDS, _Checked, _layout


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
