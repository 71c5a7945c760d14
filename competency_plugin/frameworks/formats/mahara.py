"""
Mahara SmartEvidence ``.matrix`` files (JSON), read only.

``{"framework": {institution, name, description, selfassess, evidencestatuses, standards,
standardelements}}``: each standard (``standardid``) becomes a top-level node; each standard
element becomes a child of its standard, or of another element of the same standard when its
``parentelementid`` names that element's ``elementid``. Older files nest the elements in
``standards[].standardelement`` instead; both are read. Short names become codes, names titles.
The evidence statuses (Mahara's assessment labels, not a proficiency scale), the institution
and the self-assessment flag are kept in ``extra["mahara"]``.

Identifiers are derived with ``uuid5`` from the institution and name of the framework and from
the standard and element ids, so that importing the file again updates the same framework.
Mahara files carry no language: their text goes to the language given, English by default.
"""
from __future__ import annotations

import json
from uuid import UUID, uuid5

from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.common import DEFAULT_LANGUAGE, decode_text, format_error
from competency_plugin.frameworks.spec import CompetenceSpec, FrameworkSpec

# Namespace of the identifiers of Mahara frameworks. Never change it.
MAHARA_NAMESPACE = UUID("6e2aec29-f7ae-4ffc-b342-a776ebbaf5b3")
_STANDARD_FIELDS = {"shortname", "name", "description", "standardid", "standardelement"}
_ELEMENT_FIELDS = {"shortname", "name", "description", "standardid", "elementid", "parentelementid"}


def _text(value):
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def _load(content):
    try:
        data = json.loads(decode_text(content))
    except json.JSONDecodeError as error:
        raise format_error(_("The file is not valid JSON: {problem} (line {line}, column {column}).").format(
            problem=error.msg, line=error.lineno, column=error.colno
        )) from error
    return _framework(data)


def _framework(data):
    """Return the ``framework`` object of a parsed matrix file, or raise when it is not one."""
    framework = data.get("framework") if isinstance(data, dict) else None
    if not isinstance(framework, dict) or not _text(framework.get("name")):
        raise format_error(_("This is not a Mahara SmartEvidence matrix: it has no framework with a name."))
    for key in ("standards", "standardelements"):
        if not isinstance(framework.get(key) or [], list):
            raise format_error(_("{key} is not a list.").format(key=key))
    return framework


def _node(entry, identifier, *, parent, position, side, ref, kept_fields):
    node = CompetenceSpec(
        identifier=identifier,
        code=_text(entry.get("shortname")),
        parent=parent,
        sort_order=position,
        extra={"mahara": {key: value for key, value in entry.items() if key not in kept_fields}},
        source_ref=ref,
    )
    setattr(node, f"title_{side}", _text(entry.get("name")) or _text(entry.get("shortname")))
    setattr(node, f"description_{side}", _text(entry.get("description")))
    for key in ("standardid", "elementid", "parentelementid"):
        if entry.get(key) not in (None, ""):
            node.extra["mahara"][key] = entry[key]
    return node


def read_mahara(content, *, language=None) -> FrameworkSpec:
    """
    Parse a SmartEvidence ``.matrix`` file into a ``FrameworkSpec``.

    Raises:
        CompetencyRequestError naming the standard or element at fault.
    """
    return _read(_load(content), language)


def read_mahara_data(data, *, language=None) -> FrameworkSpec:
    """``read_mahara`` for JSON already parsed, so that a file is parsed once."""
    return _read(_framework(data), language)


def _read(framework, language):
    side = language or DEFAULT_LANGUAGE
    name = _text(framework["name"])
    identifier = uuid5(MAHARA_NAMESPACE, f"{_text(framework.get('institution'))}/{name}")
    spec = FrameworkSpec(
        identifier=identifier,
        language=side,
        extra={"mahara": {
            key: value for key, value in framework.items()
            if key not in ("name", "description", "standards", "standardelements")
        }},
    )
    setattr(spec, f"title_{side}", name)
    setattr(spec, f"description_{side}", _text(framework.get("description")))

    standards = {}
    for index, standard in enumerate(framework.get("standards") or []):
        if not isinstance(standard, dict):
            raise format_error(_("standards[{index}] is not an object.").format(index=index))
        key = _text(standard.get("standardid")) or str(index + 1)
        ref = _("standards[{index}] ({name})").format(index=index, name=_text(standard.get("shortname")) or key)
        if key in standards:
            raise format_error(_("{ref}: the standard id {key} is used twice.").format(ref=ref, key=key))
        standards[key] = _node(standard, uuid5(identifier, f"standard:{key}"), parent=None, position=index + 1,
                               side=side, ref=ref, kept_fields=_STANDARD_FIELDS)
        spec.competences.append(standards[key])
        for position, element in enumerate(standard.get("standardelement") or [], start=1):
            if not isinstance(element, dict):
                raise format_error(_("{ref}: element {position} is not an object.").format(ref=ref, position=position))
            element_key = _text(element.get("elementid")) or f"#{position}"
            spec.competences.append(_node(
                element, uuid5(identifier, f"element:{key}:{element_key}"), parent=standards[key].identifier,
                position=position, side=side, kept_fields=_ELEMENT_FIELDS | {"priority", "parent"},
                ref=_("{ref}, element {position} ({name})").format(
                    ref=ref, position=position, name=_text(element.get("shortname"))
                ),
            ))

    elements, pending = {}, []
    for index, element in enumerate(framework.get("standardelements") or []):
        if not isinstance(element, dict):
            raise format_error(_("standardelements[{index}] is not an object.").format(index=index))
        standard_key = _text(element.get("standardid"))
        element_key = _text(element.get("elementid")) or f"#{index}"
        ref = _("standardelements[{index}] ({name})").format(
            index=index, name=_text(element.get("shortname")) or element_key
        )
        if standard_key not in standards:
            raise format_error(
                _("{ref}: its standard {standard} does not exist.").format(ref=ref, standard=standard_key)
            )
        if (standard_key, element_key) in elements:
            raise format_error(_("{ref}: the element id {key} is used twice in standard {standard}.").format(
                ref=ref, key=element_key, standard=standard_key
            ))
        node = _node(element, uuid5(identifier, f"element:{standard_key}:{element_key}"),
                     parent=standards[standard_key].identifier, position=index + 1, side=side, ref=ref,
                     kept_fields=_ELEMENT_FIELDS)
        elements[(standard_key, element_key)] = node
        pending.append((node, standard_key, _text(element.get("parentelementid")), ref))
    for node, standard_key, parent_key, ref in pending:
        if parent_key:
            if (standard_key, parent_key) not in elements:
                raise format_error(_("{ref}: its parent element {parent} does not exist in standard {standard}.")
                                   .format(ref=ref, parent=parent_key, standard=standard_key))
            node.parent = elements[(standard_key, parent_key)].identifier
        spec.competences.append(node)
    return spec
