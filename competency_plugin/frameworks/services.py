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
import logging
from collections import defaultdict
from uuid import UUID

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.utils.translation import gettext as _

from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyInternalError,
    CompetencyNotFoundError,
    CompetencyRequestError,
)
from competency_plugin.frameworks.data import CompetenceData, FrameworkData, LevelData
from competency_plugin.frameworks.formats import EXPORT_FORMATS, IMPORT_FORMATS, read_framework, write_framework
from competency_plugin.frameworks.formats.common import check_language
from competency_plugin.frameworks.formats.detect import detect_format
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework, ProficiencyLevel
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec
from competency_plugin.platform.text import text_problem, unstorable_text

log = logging.getLogger(__name__)

# Digits of one position in ``Competence.path``; a sibling group may hold 9999 nodes.
PATH_WIDTH = 4
_BATCH = 500
_FRAMEWORK_TEXT_FIELDS = (
    "uri", "title_fr", "title_en", "description_fr", "description_en", "version", "publisher",
    "source", "licence", "licence_uri", "language",
)
_COMPETENCE_TEXT_FIELDS = ("code", "title_fr", "title_en", "description_fr", "description_en", "item_type")


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


def node_ref(node):
    """Name a node in messages: where it came from in its file, else its code or identifier."""
    if node.source_ref:
        return node.source_ref
    if node.code:
        return _("competence {code} (identifier {identifier})").format(code=node.code, identifier=node.identifier)
    return _("competence {identifier}").format(identifier=node.identifier)


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


def _validate_competences(competences):
    """Return the nodes with UUID identifiers and parents, checking identifiers, titles and lengths."""
    nodes, first_seen = [], {}
    for node in competences:
        where = node.source_ref or _("competence {code}").format(code=node.code or node.identifier)
        identifier = _as_uuid(node.identifier, where, "competences")
        parent = None if node.parent in (None, "") else _as_uuid(node.parent, where, "competences")
        try:
            sort_order = int(node.sort_order or 0)
        except (TypeError, ValueError) as error:
            message = _("{where}: the sort order is not a number.").format(where=where)
            raise _request_error("competences", message) from error
        node = dataclasses.replace(node, identifier=identifier, parent=parent, sort_order=sort_order)
        if identifier in first_seen:
            message = _("{ref}: the identifier {identifier} is used twice (also by {other}).").format(
                ref=node_ref(node), identifier=identifier, other=node_ref(first_seen[identifier])
            )
            raise _request_error("competences", message)
        first_seen[identifier] = node
        if not (node.title_fr or "").strip() and not (node.title_en or "").strip():
            raise _request_error("competences", _("{ref}: the title is empty, in French and in English.")
                                 .format(ref=node_ref(node)))
        for field in _COMPETENCE_TEXT_FIELDS:
            _check_text(Competence, field, getattr(node, field), node_ref(node), "competences")
        _check_extra(node.extra, node_ref(node), "competences")
        nodes.append(node)
    for node in nodes:
        if node.parent is not None and node.parent not in first_seen:
            raise _request_error("competences", _("{ref}: its parent {parent} is not in the framework.")
                                 .format(ref=node_ref(node), parent=node.parent))
        if node.parent == node.identifier:
            raise _request_error("competences", _("{ref}: the node is its own parent.").format(ref=node_ref(node)))
    return nodes


def _validate_associations(associations):
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
        result.append(dataclasses.replace(association, identifier=identifier))
    return result


def _layout(entries):
    """
    Lay a forest out depth-first.

    Args:
        entries: ``(key, parent_key, sort_key, ref)`` tuples; every parent key is a key.

    Returns:
        {key: (parent_key, depth, sort_order, path)}

    Raises:
        CompetencyRequestError when parents form a cycle, a sibling group is too large or the
        tree too deep for ``Competence.path``.
    """
    children = defaultdict(list)
    refs = {}
    for key, parent, sort_key, ref in entries:
        children[parent].append((sort_key, key))
        refs[key] = ref
    max_path = _max_length(Competence, "path")
    placed = {}
    stack = [(None, 0, "")]
    while stack:
        parent, depth, prefix = stack.pop()
        siblings = sorted(children.get(parent, ()), key=lambda item: item[0])
        if len(siblings) >= 10 ** PATH_WIDTH:
            raise _request_error("competences", _("{ref}: more than {limit} nodes share this parent.").format(
                ref=refs[siblings[-1][1]], limit=10 ** PATH_WIDTH - 1
            ))
        for position, (_sort_key, key) in enumerate(siblings, start=1):
            path = f"{prefix}{position:0{PATH_WIDTH}d}"
            if len(path) > max_path:
                raise _request_error("competences", _("{ref}: the tree is nested too deeply ({depth} levels).")
                                     .format(ref=refs[key], depth=depth + 1))
            placed[key] = (parent, depth, position, path)
            stack.append((key, depth + 1, path + "."))
    if len(placed) < len(refs):
        raise _request_error("competences", _cycle_message(entries, placed, refs))
    return placed


def _cycle_message(entries, placed, refs):
    """Describe one cycle among the nodes that the layout could not reach from a root."""
    parents = {key: parent for key, parent, _sort, _ref in entries}
    start = next(key for key in refs if key not in placed)
    chain, seen = [], set()
    while start not in seen:
        seen.add(start)
        chain.append(start)
        start = parents[start]
    cycle = chain[chain.index(start):]
    return _("{ref}: its parents form a cycle ({cycle}).").format(
        ref=refs[cycle[0]], cycle=" → ".join(refs[key] for key in cycle + [cycle[0]])
    )


def validate_spec(spec: FrameworkSpec) -> FrameworkSpec:
    """
    Check ``spec`` and return a copy with UUID identifiers, without touching the database.

    Raises:
        CompetencyRequestError naming the item at fault.
    """
    identifier = _validate_framework(spec)
    _validate_levels(spec.levels)
    nodes = _validate_competences(spec.competences)
    associations = _validate_associations(spec.associations)
    _layout([(node.identifier, node.parent, (node.sort_order, index), node_ref(node))
             for index, node in enumerate(nodes)])
    return dataclasses.replace(spec, identifier=identifier, competences=nodes, associations=associations)


# --- Writing ----------------------------------------------------------------------------------


def save_framework(spec: FrameworkSpec) -> FrameworkData:
    """
    Validate ``spec`` and store it in one transaction: create the framework, or update it in place.

    The framework, its levels (by code), its nodes and its associations (by identifier) are
    upserted; what the spec no longer holds is deleted, except nodes that evidence claims,
    which are kept and marked ``extra["retired"] = True``. Siblings are ordered by
    ``CompetenceSpec.sort_order``, then by their position in ``spec.competences``.

    Returns:
        The ``FrameworkData`` summary of the stored framework.

    Raises:
        CompetencyRequestError: the spec is invalid (the message names the item at fault);
            nothing was written.
        CompetencyConflictError: the identifier belongs to a built-in framework and the spec is
            not built-in, or a concurrent change got in the way; nothing was written.
        CompetencyInternalError: the database failed; nothing was written.
    """
    spec = validate_spec(spec)
    try:
        with transaction.atomic():
            framework = _upsert_framework(spec)
            _save_levels(framework, spec.levels)
            _save_competences(framework, spec.competences)
            _save_associations(framework, spec.associations)
    except (IntegrityError, ProtectedError) as error:
        log.warning("Concurrent change while saving framework %s: %s", spec.identifier, error)
        raise CompetencyConflictError(
            _("The framework changed while it was being saved; try again.")
        ) from error
    except DatabaseError as error:
        log.exception("Could not save framework %s", spec.identifier)
        raise CompetencyInternalError(_("The framework could not be saved.")) from error
    return get_framework_data(spec.identifier)


def _upsert_framework(spec):
    framework = Framework.objects.select_for_update().filter(identifier=spec.identifier).first()
    if framework is None:
        framework = Framework(identifier=spec.identifier)
    elif framework.builtin and not spec.builtin:
        raise CompetencyConflictError(_(
            "The framework {identifier} is built in; it is updated only by load_builtin_frameworks."
        ).format(identifier=spec.identifier))
    for field in _FRAMEWORK_TEXT_FIELDS:
        setattr(framework, field, getattr(spec, field) or "")
    framework.builtin = bool(spec.builtin)
    framework.extra = dict(spec.extra or {})
    framework.save()
    return framework


def _save_levels(framework, levels):
    existing = {level.code: level for level in framework.levels.all()}
    wanted = []
    for order, spec in enumerate(levels, start=1):
        code = spec.code.strip()
        level = existing.pop(code, None) or ProficiencyLevel(framework=framework, code=code)
        level.label_fr, level.label_en = spec.label_fr or "", spec.label_en or ""
        level.order, level.proficient = order, bool(spec.proficient)
        wanted.append(level)
    if existing:
        ProficiencyLevel.objects.filter(pk__in=[level.pk for level in existing.values()]).delete()
    ProficiencyLevel.objects.bulk_update(
        [level for level in wanted if level.pk], ["label_fr", "label_en", "order", "proficient"], batch_size=_BATCH
    )
    ProficiencyLevel.objects.bulk_create([level for level in wanted if not level.pk], batch_size=_BATCH)


def _retained_parent(row, rows_by_pk, kept_pks):
    """Return the nearest ancestor of an obsolete ``row`` that stays in the framework, else None."""
    parent_pk = row.parent_id
    while parent_pk is not None and parent_pk not in kept_pks:
        parent = rows_by_pk.get(parent_pk)
        parent_pk = parent.parent_id if parent else None
    return parent_pk


def _split_obsolete(framework, rows, nodes):
    """Return the rows the spec drops: those evidence claims (to retire), and the others (to delete)."""
    wanted = {node.identifier for node in nodes}
    obsolete = [row for row in rows if row.identifier not in wanted]
    if not obsolete:
        return [], []
    # Through the claims' reverse relation: frameworks sit below evidence and do not import its models.
    claimed = set(Competence.objects.filter(framework=framework, claims__isnull=False).values_list("id", flat=True))
    return [row for row in obsolete if row.pk in claimed], [row for row in obsolete if row.pk not in claimed]


def _layout_with_retired(rows, nodes, retired):
    """Lay out the spec's nodes and the retired rows together; retired rows follow their new siblings."""
    rows_by_pk = {row.pk: row for row in rows}
    wanted = {node.identifier for node in nodes}
    kept_pks = {row.pk for row in retired} | {row.pk for row in rows if row.identifier in wanted}
    entries = [(node.identifier, node.parent, (0, node.sort_order, index), node_ref(node))
               for index, node in enumerate(nodes)]
    for row in retired:
        parent_pk = _retained_parent(row, rows_by_pk, kept_pks)
        parent = rows_by_pk[parent_pk].identifier if parent_pk else None
        entries.append((row.identifier, parent, (1, row.sort_order, row.path), str(row)))
    return _layout(entries)


def _save_competences(framework, nodes):
    rows = list(Competence.objects.filter(framework=framework))
    by_identifier = {row.identifier: row for row in rows}
    retired, deleted = _split_obsolete(framework, rows, nodes)
    layout = _layout_with_retired(rows, nodes, retired)

    to_create, to_update = [], []
    for node in nodes:
        row = by_identifier.get(node.identifier)
        if row is None:
            row = Competence(framework=framework, identifier=node.identifier)
            to_create.append(row)
        else:
            to_update.append(row)
        for field in _COMPETENCE_TEXT_FIELDS:
            setattr(row, field, getattr(node, field) or "")
        row.extra = dict(node.extra or {})
    for row in retired:
        row.extra = {**(row.extra or {}), "retired": True}
        to_update.append(row)

    Competence.objects.bulk_create(to_create, batch_size=_BATCH)
    pks = dict(Competence.objects.filter(framework=framework).values_list("identifier", "pk"))
    for row in to_create + to_update:
        row.pk = pks[row.identifier]
        parent, row.depth, row.sort_order, row.path = layout[row.identifier]
        row.parent_id = pks[parent] if parent else None
    Competence.objects.bulk_update(
        to_create + to_update,
        ["parent", "depth", "sort_order", "path", "extra", *_COMPETENCE_TEXT_FIELDS],
        batch_size=_BATCH,
    )
    if deleted:
        Competence.objects.filter(pk__in=[row.pk for row in deleted]).delete()


def _save_associations(framework, associations):
    existing = {row.identifier: row for row in framework.associations.all()}
    to_create, to_update = [], []
    for spec in associations:
        row = existing.pop(spec.identifier, None)
        if row is None:
            row = CompetenceAssociation(framework=framework, identifier=spec.identifier)
            to_create.append(row)
        else:
            to_update.append(row)
        row.association_type = spec.association_type
        row.origin, row.destination = str(spec.origin), str(spec.destination)
        row.sequence_number = spec.sequence_number
        row.extra = dict(spec.extra or {})
    if existing:
        CompetenceAssociation.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    CompetenceAssociation.objects.bulk_update(
        to_update, ["association_type", "origin", "destination", "sequence_number", "extra"], batch_size=_BATCH
    )
    CompetenceAssociation.objects.bulk_create(to_create, batch_size=_BATCH)


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
        spec = read_framework(content, format or detect_format(content, filename), language=language)
        spec.builtin = False
        return save_framework(spec)  # one transaction: a failure leaves nothing written
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
