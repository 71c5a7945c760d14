"""
The query parameters of the CASE provider's collection (``CFDocuments``), as the specification
and 1EdTech's REST binding define them.

- ``limit`` (at least 1; 100 by default) and ``offset`` (from 0) page the collection;
  ``X-Total-Count`` gives the number of records matched, ``Link`` the ``first``, ``prev``,
  ``next`` and ``last`` pages.
- ``sort`` names a field of the records, ``orderBy`` is ``asc`` (default) or ``desc``; records
  without the field come last.
- ``filter`` is ``field<predicate>value`` clauses, joined by `` AND `` or by `` OR `` (not
  both); the predicates are ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=`` and ``~`` (contains,
  case-insensitive); the value may be in single quotes. On a list field (``subject``) a clause
  holds when one element does; on a link (``licenseURI``) it compares the link's ``title``.
- ``fields`` is a comma-separated list of the fields each record keeps.

A field the records do not have gives 400 ``invalid_sort_field`` (``sort``, ``orderBy``) or
``invalid_selection_field`` (``filter``, ``fields``, ``limit``, ``offset``).
"""
import re
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from competency_plugin.rest_api.case.responses import CaseRequestError

DEFAULT_LIMIT = 100
_CLAUSE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(!=|>=|<=|=|>|<|~)\s*(.*?)\s*$", re.S)


def _selection_error(description):
    return CaseRequestError(400, "invalid_selection_field", description)


def _integer(params, name, default, minimum):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise _selection_error(_("The parameter {name} must be an integer of at least {minimum}.").format(
            name=name, minimum=minimum))
    return value


def _comparable(value):
    """A field's value as text for comparing (a link by its title; None when absent)."""
    if isinstance(value, dict):
        value = value.get("title")
    return None if value is None else str(value)


def _values(record, field):
    value = record.get(field)
    if isinstance(value, list):
        return [_comparable(element) for element in value]
    return [_comparable(value)]


def _holds(values, predicate, wanted):
    for value in values:
        if value is None:
            continue
        if predicate == "~":
            if wanted.casefold() in value.casefold():
                return True
            continue
        if {"=": value == wanted, "!=": value != wanted, ">": value > wanted, ">=": value >= wanted,
                "<": value < wanted, "<=": value <= wanted}[predicate]:
            return True
    return predicate == "!=" and not any(value is not None for value in values)


def _clauses(text, fields):
    """Parse ``filter`` into ``(joiner, [(field, predicate, value)])``."""
    has_and, has_or = " AND " in text, " OR " in text
    if has_and and has_or:
        raise _selection_error(_("The filter may join its clauses with AND or with OR, not both."))
    joiner = "OR" if has_or else "AND"
    clauses = []
    for part in text.split(f" {joiner} "):
        match = _CLAUSE.match(part)
        if not match:
            raise _selection_error(_("The filter clause {clause!r} is not field, predicate, value.").format(
                clause=part.strip()))
        field, predicate, value = match.groups()
        if field not in fields:
            raise _selection_error(_("The filter names a field the records do not have: {field}.").format(
                field=field))
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        clauses.append((field, predicate, value))
    return joiner, clauses


def select(records, params, fields):
    """
    Apply ``filter``, ``sort``/``orderBy``, then ``offset``/``limit``, then ``fields`` to ``records``.

    ``fields`` names the fields the records may have. Returns ``(page, total, limit, offset)``.

    Raises:
        CaseRequestError: a parameter is invalid.
    """
    limit = _integer(params, "limit", DEFAULT_LIMIT, 1)
    offset = _integer(params, "offset", 0, 0)
    text = params.get("filter")
    if text:
        joiner, clauses = _clauses(text, fields)
        combine = any if joiner == "OR" else all
        records = [
            record for record in records
            if combine(_holds(_values(record, field), predicate, value) for field, predicate, value in clauses)
        ]
    order = params.get("orderBy") or "asc"
    if order not in ("asc", "desc"):
        raise CaseRequestError(400, "invalid_sort_field", _("orderBy must be asc or desc."))
    sort = params.get("sort")
    if sort:
        if sort not in fields:
            raise CaseRequestError(400, "invalid_sort_field", _("The records have no field {field} to sort on.").format(
                field=sort))
        present = [record for record in records if _comparable(record.get(sort)) is not None]
        absent = [record for record in records if _comparable(record.get(sort)) is None]
        present.sort(key=lambda record: _comparable(record[sort]).casefold(), reverse=order == "desc")
        records = present + absent
    elif order == "desc":
        records = list(reversed(records))
    wanted = [name.strip() for name in (params.get("fields") or "").split(",") if name.strip()]
    unknown = [name for name in wanted if name not in fields]
    if unknown:
        raise _selection_error(_("The records have no field {fields}.").format(fields=", ".join(unknown)))
    page = records[offset:offset + limit]
    if wanted:
        page = [{name: record[name] for name in wanted if name in record} for record in page]
    return page, len(records), limit, offset


def page_links(url, params, total, limit, offset):
    """The ``Link`` header of a page: ``first``, ``prev``, ``next`` and ``last``, keeping the other parameters."""
    def link(start, rel):
        query = {key: value for key, value in params.items() if key not in ("limit", "offset")}
        query.update({"limit": limit, "offset": start})
        return f'<{url}?{urlencode(query)}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link(0, "first")]
    if offset > 0:
        links.append(link(max(0, offset - limit), "prev"))
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    return ", ".join(links)
