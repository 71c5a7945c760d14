"""
Store a ``FrameworkSpec`` atomically: ``save_framework`` and its write transaction.

``save_framework`` is the one writer every reader (built-in data, CASE, Moodle CSV, Mahara)
goes through. It validates the whole spec before writing (``frameworks.validation``), plans
(``frameworks.planning``), then upserts the framework, its scale, its tree and its other
associations in one transaction, by identifier, so that a re-import updates rows in place and
learners' claims keep pointing at the same competences. Nodes a re-import drops are deleted,
unless evidence claims them: those are kept, marked ``extra["retired"]``, and no longer offered.
"""
from __future__ import annotations

import logging
import time

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyConflictError, CompetencyInternalError
from competency_plugin.frameworks.data import FrameworkData
from competency_plugin.frameworks.formats.common import paused_gc
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework, ProficiencyLevel
from competency_plugin.frameworks.planning import _ASSOCIATION_COLUMNS, _COMPETENCE_COLUMNS, _claimed, _plan
from competency_plugin.frameworks.reading import get_framework_data
from competency_plugin.frameworks.spec import FrameworkSpec
from competency_plugin.frameworks.validation import _ASSOCIATION_FIELDS, _FRAMEWORK_TEXT_FIELDS, _check

log = logging.getLogger(__name__)

# Rows per INSERT statement (Django lowers it to SQLite's limit of 999 parameters), and rows
# turned into model instances at a time (bounding the memory the write phase needs).
_BATCH = 500
_CHUNK = 2000

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
