"""Read a CASE CFPackage into a ``FrameworkSpec`` (the rules are in ``frameworks.formats.case``)."""
from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from operator import itemgetter
from uuid import UUID, uuid5

from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.case.vocabulary import (
    _ASSOCIATION_FIELDS,
    _CANONICAL_TYPES,
    _DOCUMENT_FIELDS,
    _ITEM_FIELDS,
    _TEXT_FIELDS,
    _TRAILING_UUID,
    CASE_NAMESPACE,
    EXTENSION,
    _key,
    _restored,
    _uri,
)
from competency_plugin.frameworks.formats.common import (
    DEFAULT_LANGUAGE,
    decode_text,
    format_error,
    is_uuid,
    language_side,
    parse_json,
)
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec, LevelSpec

# --- Reading ----------------------------------------------------------------------------------


def _load(content):
    text = decode_text(content)
    try:
        data = parse_json(text)
    except json.JSONDecodeError as error:
        raise format_error(_("The file is not valid JSON: {problem} (line {line}, column {column}).").format(
            problem=error.msg, line=error.lineno, column=error.colno
        )) from error
    return data


def _package(data):
    """Return the CFPackage of parsed JSON (unwrapping ``{"CFPackage": …}``), or raise when it is not one."""
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    data = _restored(data)
    if not isinstance(data, dict) or not isinstance(data.get("CFDocument"), dict):
        raise format_error(_("This is not a CASE package: it has no CFDocument."))
    for key in ("CFItems", "CFAssociations"):
        if not isinstance(data.get(key) or [], list):
            raise format_error(_("This is not a CASE package: {key} is not a list.").format(key=key))
    return data


class _Keys(dict):
    """
    The UUID of each identifier text met in one file, computed once (a file names every node
    several times: as an item, and at the ends of its associations).
    """

    def __init__(self):
        super().__init__()
        self.derived = set()  # texts that are not UUIDs: their key is derived with uuid5

    def __missing__(self, text):
        try:
            if len(text) < 32:  # shorter than any text ``UUID()`` accepts
                raise ValueError(text)
            key = UUID(text)
        except ValueError:
            key = uuid5(CASE_NAMESPACE, text)
            self.derived.add(text)
        self[text] = key
        return key

    def of(self, value):
        """The key of an identifier as ``_key`` gives it."""
        return self[str(value).strip()]


def _raw_identifier(entry, where):
    value = entry.get("identifier") or entry.get("sourcedId")
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise format_error(_("{where}: the identifier is missing.").format(where=where))
    return str(value).strip()


def _normal_uri(uri):
    return str(uri).strip().rstrip("/").lower()


def _sequence(value):
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _natural(text):
    """Return a sort key that orders "L1.2" before "L1.10"."""
    parts = re.split(r"(\d+)", str(text or ""))
    return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in parts if part]


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _own_extension(entry):
    """Split ``extensions`` into ours and the others (kept)."""
    extensions = entry.get("extensions")
    if not isinstance(extensions, dict):
        return {}, extensions
    ours = extensions.get(EXTENSION)
    others = {key: value for key, value in extensions.items() if key != EXTENSION}
    return (ours if isinstance(ours, dict) else {}), (others or None)


def _kept(entry, mapped, identifier=None):
    """
    Return the fields of ``entry`` that have no column.

    ``educationalLevel`` is spelt as in CASE; the ``urn:uuid:`` URI our writer gives what has
    no URI of its own is left out.
    """
    kept = {key: value for key, value in entry.items() if key not in mapped}
    if "educationalLevel" in kept:
        kept.setdefault("educationLevel", kept.pop("educationalLevel"))
    uri = kept.get("uri")
    if identifier is not None and isinstance(uri, str) and uri.startswith("urn:uuid:") and uri == _uri("", identifier):
        del kept["uri"]
    return kept


class _Resolver:
    """Find which node an association end (link object, identifier or URI) designates."""

    def __init__(self, document_key, document_uri, items, keys):
        self.keys = keys
        self.document_key = document_key
        self.items = set(items)
        self.uris = {_normal_uri(uri): key for key, uri in items.items() if uri}
        if document_uri:
            self.uris[_normal_uri(document_uri)] = document_key

    def _known(self, key):
        return key == self.document_key or key in self.items

    def resolve(self, link, where):
        """Return ``(key, link)``: key a UUID for a node of this package, else the end's identifier or URI."""
        if isinstance(link, dict):
            identifier, uri = link.get("identifier") or link.get("sourcedId"), link.get("uri")
        elif isinstance(link, str):
            identifier, uri = link, link
        else:
            identifier = uri = None
        identifier = str(identifier).strip() if isinstance(identifier, (str, int)) else ""
        uri = uri.strip() if isinstance(uri, str) else ""
        if not identifier and not uri:
            raise format_error(_("{where} names no node (neither identifier nor URI).").format(where=where))
        if identifier and self._known(self.keys[identifier]):
            return self.keys[identifier], link
        if uri and _normal_uri(uri) in self.uris:
            return self.uris[_normal_uri(uri)], link
        match = _TRAILING_UUID.search(uri or identifier)
        if match and self._known(UUID(match.group(1))):
            return UUID(match.group(1)), link
        return (identifier or uri), link


def _association_type(value, where):
    name = _type_name(value) if isinstance(value, str) else _type_name(str(value or ""))
    if name is None:
        raise format_error(_("{where}: the associationType is missing.").format(where=where))
    return name


@functools.lru_cache(maxsize=256)
def _type_name(text):
    """The canonical spelling of an association type (a file repeats a handful of them); None when empty."""
    name = re.sub(r"[\s_-]", "", text)
    if not name:
        return None
    if name.lower().startswith("ext:"):
        return text.strip()
    return _CANONICAL_TYPES.get(name.lower(), text.strip())


def _apply_extension(target, extension):
    """Copy our extension's text fields onto a spec (they hold the other language)."""
    for field in _TEXT_FIELDS:
        if isinstance(extension.get(field), str) and extension[field]:
            setattr(target, field, extension[field])
    if isinstance(extension.get("extra"), dict):
        target.extra.update(extension["extra"])


def _read_document(document, package, language):
    where = "CFDocument"
    document = _restored(document)
    raw = _raw_identifier(document, where)
    side = language_side(document.get("language"), default=language or DEFAULT_LANGUAGE)
    ours, others = _own_extension(document)
    licence = document.get("licenseURI")
    kept = _kept(document, _DOCUMENT_FIELDS, _key(raw))
    if others:
        kept["extensions"] = others
    # The package URI is rebuilt from the document's on export; keep it only when it says more.
    package_uri = kept.pop("CFPackageURI", None)
    package_link = package_uri if isinstance(package_uri, dict) else {"uri": package_uri}
    package_uri_text = package_link.get("uri")
    if isinstance(package_uri_text, str) and _normal_uri(package_uri_text) != _normal_uri(document.get("uri") or ""):
        kept["CFPackageURI"] = package_uri if isinstance(package_uri, dict) else {
            "title": _text(document.get("title")), "identifier": raw, "uri": package_uri
        }
    case = {"document": kept}
    extra_package = {
        key: value for key, value in package.items() if key not in ("CFDocument", "CFItems", "CFAssociations")
    }
    if extra_package:
        case["package"] = extra_package
    spec = FrameworkSpec(
        identifier=_key(raw),
        uri="" if _text(document.get("uri")) == _uri("", _key(raw)) else _text(document.get("uri")),
        version=_text(document.get("version")),
        publisher=_text(document.get("publisher")) or _text(document.get("creator")),
        source=_text(document.get("officialSourceURL")),
        language=_text(document.get("language")) or side,
        extra={"case": case},
    )
    setattr(spec, f"title_{side}", _text(document.get("title")))
    setattr(spec, f"description_{side}", _text(document.get("description")))
    if isinstance(licence, dict):
        spec.licence, spec.licence_uri = _text(licence.get("title")), _text(licence.get("uri"))
        if licence.get("identifier"):
            case["licence_identifier"] = str(licence["identifier"])
    elif isinstance(licence, str):
        spec.licence_uri = licence.strip()
    if not is_uuid(raw):
        case["source_identifier"] = raw
    _apply_extension(spec, ours)
    spec.source = spec.source or _text(ours.get("source"))
    spec.licence = spec.licence or _text(ours.get("licence"))
    if "publisher" in ours:  # our writer's stand-in creator: the framework has no publisher
        spec.publisher = _text(ours["publisher"])
    spec.levels = [
        LevelSpec(code=str(level.get("code", "")), label_fr=_text(level.get("label_fr")),
                  label_en=_text(level.get("label_en")), proficient=bool(level.get("proficient")))
        for level in ours.get("levels") or [] if isinstance(level, dict)
    ]
    return spec, side


def _read_item(item, index, side, keys, ref):
    """Return the node of ``CFItems[index]``; ``ref`` is the translated pattern of its ``source_ref``."""
    if not isinstance(item, dict):
        raise format_error(_("CFItems[{index}] is not an object.").format(index=index))
    item = _restored(item)
    raw = _raw_identifier(item, f"CFItems[{index}]")
    key = keys[raw]
    ours, others = _own_extension(item)
    kept = _kept(item, _ITEM_FIELDS, key)
    if others:
        kept["extensions"] = others
    case = {"item": kept}
    if raw in keys.derived:
        case["source_identifier"] = raw
    item_type = item.get("CFItemType")
    if isinstance(item_type, dict):
        item_type = item_type.get("title")
    node = CompetenceSpec(
        identifier=key,
        code=_text(item.get("humanCodingScheme")),
        item_type=_text(item_type),
        extra={"case": case},
        source_ref=ref.format(index=index, identifier=raw),
    )
    item_side = language_side(item.get("language"), default=side)
    statement = _text(item.get("fullStatement")) or _text(item.get("abbreviatedStatement"))
    setattr(node, f"title_{item_side}", statement)
    setattr(node, f"description_{item_side}", _text(item.get("notes")))
    _apply_extension(node, ours)
    return node


def _read_association(entry, index, spec, resolver):
    """Return ``(kind, origin key, destination key, identifier, sequence, kept fields, case extra)``."""
    where = f"CFAssociations[{index}]"
    if not isinstance(entry, dict):
        raise format_error(_("{where} is not an object.").format(where=where))
    entry = _restored(entry)
    kind = _association_type(entry.get("associationType"), where)
    origin, origin_link = resolver.resolve(entry.get("originNodeURI"), f"{where}.originNodeURI")
    destination, destination_link = resolver.resolve(entry.get("destinationNodeURI"), f"{where}.destinationNodeURI")
    raw = entry.get("identifier") or entry.get("sourcedId")
    identifier = resolver.keys.of(raw) if raw else uuid5(spec.identifier, f"{kind}|{origin}|{destination}|{index}")
    kept = _kept(entry, _ASSOCIATION_FIELDS, identifier)
    case = {"association": kept}
    for end, key, link in (("origin", origin, origin_link), ("destination", destination, destination_link)):
        if not isinstance(key, UUID) and isinstance(link, dict):
            case[end] = link
    return kind, origin, destination, identifier, _sequence(entry.get("sequenceNumber")), kept, case


def _read_associations(package, spec, by_key, resolver):
    """
    Split the associations into the tree and the others.

    Returns:
        ({item key: (parent key or None, sequenceNumber)}, [AssociationSpec, …])
    """
    parents, associations = {}, []
    for index, entry in enumerate(package.get("CFAssociations") or []):
        kind, origin, destination, identifier, sequence, kept, case = _read_association(entry, index, spec, resolver)
        tree_link = (kind == "isChildOf" and origin in by_key and origin not in parents
                     and (destination in by_key or destination == spec.identifier))
        if tree_link:
            parents[origin] = (None if destination == spec.identifier else destination, sequence)
            by_key[origin].extra["case"]["parent_association"] = {"identifier": str(identifier), **kept}
            continue
        associations.append(AssociationSpec(
            identifier=identifier,
            association_type=kind,
            origin=str(origin),
            destination=str(destination),
            sequence_number=sequence,
            extra={"case": case},
        ))
    return parents, associations


def _order_siblings(nodes, enumerations, parents, by_key):
    """
    Set each node's parent and its 1-based ``sort_order`` among its siblings.

    ``enumerations`` holds each item's ``listEnumeration``. Siblings whose sequence numbers are
    all given and distinct are ordered by them alone; the other keys are computed only for the
    groups where they can decide.
    """
    siblings = defaultdict(list)
    for index, node in enumerate(nodes):
        parent, sequence = parents.get(node.identifier, (None, None))
        if by_key.get(node.identifier) is node:
            node.parent = parent
        siblings[node.parent].append((sequence, index))
    for group in siblings.values():
        sequences = {sequence for sequence, _index in group}
        if None in sequences or len(sequences) < len(group):
            group.sort(key=lambda pair: (pair[0] is None, pair[0] or 0, _natural(enumerations[pair[1]]),
                                         _natural(nodes[pair[1]].code), pair[1]))
        else:
            group.sort(key=itemgetter(0))
        for position, (_sequence_number, index) in enumerate(group, start=1):
            nodes[index].sort_order = position


def read_case(content, *, language=None) -> FrameworkSpec:
    """
    Parse a CASE 1.0 or 1.1 CFPackage (JSON text or bytes) into a ``FrameworkSpec``.

    ``language`` ("fr"/"en") is used when neither the document nor an item says its own.

    Raises:
        CompetencyRequestError naming the place in the file at fault.
    """
    return read_case_data(_load(content), language=language)


def read_case_data(data, *, language=None) -> FrameworkSpec:
    """``read_case`` for JSON already parsed (``common.parse_json``), so that a file is parsed once."""
    package = _package(data)
    keys = _Keys()
    spec, side = _read_document(package["CFDocument"], package, language)
    items = package.get("CFItems") or []
    ref = _("CFItems[{index}] (identifier {identifier})")
    nodes, enumerations, by_key, uris = [], [], {}, {}
    for index, item in enumerate(items):
        node = _read_item(item, index, side, keys, ref)
        nodes.append(node)
        enumerations.append(item.get("listEnumeration"))
        if node.identifier not in by_key:
            by_key[node.identifier] = node
            uris[node.identifier] = item.get("uri") if isinstance(item.get("uri"), str) else ""
    parents, spec.associations = _read_associations(
        package, spec, by_key, _Resolver(spec.identifier, spec.uri, uris, keys)
    )
    _order_siblings(nodes, enumerations, parents, by_key)
    spec.competences = nodes
    return spec
