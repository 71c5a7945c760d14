"""Write a ``FrameworkSpec`` as a CASE 1.1 CFPackage (the rules are in ``frameworks.formats.case``)."""
from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from uuid import UUID, uuid5

from django.utils import timezone

from competency_plugin.frameworks.formats.case.schema import fits
from competency_plugin.frameworks.formats.case.vocabulary import (
    _TEXT_FIELDS,
    CASE_FIELDS,
    CASE_NAMESPACE,
    CASE_VERSION,
    EXTENSION,
    _key,
    object_uri,
)
from competency_plugin.frameworks.formats.common import in_language, language_side, spec_language
from competency_plugin.frameworks.spec import FrameworkSpec

# --- Writing ----------------------------------------------------------------------------------


def timestamp(value):
    """A CASE ``lastChangeDateTime``: RFC 3339, in UTC, to the second."""
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")


def _other_side(side):
    return "en" if side == "fr" else "fr"


def _extension(target, side):
    """Our extension for a spec: its text in the other language, and its non-CASE extra."""
    other = _other_side(side)
    ours = {field: getattr(target, field) for field in _TEXT_FIELDS
            if field.endswith(f"_{other}") and getattr(target, field)}
    foreign = {key: value for key, value in (target.extra or {}).items() if key != "case"}
    if foreign:
        ours["extra"] = foreign
    return ours


def _split(definition, fields):
    """Fields an imported file carried: those the schema allows in ``definition``, and the others."""
    allowed, others = {}, {}
    for key, value in fields.items():
        (allowed if fits(definition, key, value) else others)[key] = value
    return allowed, others


def _with_extensions(entry, kept_extensions, ours, others=None):
    """
    Add ``extensions``: the file's own (kept), ours, and in ours the imported fields the schema
    does not allow there (``others``), which the reader puts back.
    """
    extensions = dict(kept_extensions) if isinstance(kept_extensions, dict) else {}
    ours = dict(ours or {})
    if others:
        ours[CASE_FIELDS] = others
    if ours:
        extensions[EXTENSION] = ours
    if extensions:
        entry["extensions"] = extensions
    return entry


def _tree_order(nodes):
    """Return the nodes depth-first, siblings by ``sort_order`` then list position."""
    children = defaultdict(list)
    keys = {node.identifier for node in nodes}
    for index, node in enumerate(nodes):
        children[node.parent if node.parent in keys else None].append(((node.sort_order or 0, index), node))
    ordered = []
    stack = list(reversed([node for _key, node in sorted(children[None], key=lambda pair: pair[0])]))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed([child for _key, child in sorted(children[node.identifier], key=lambda pair: pair[0])]))
    return ordered


def document_entry(spec, side, stamp, base_url=None):
    """
    Return the CFDocument of ``spec`` (as a package holds it: no ``CFPackageURI``) and the link to
    it (``title``, ``identifier``, ``uri``) that associations and single items carry.
    """
    case = (spec.extra or {}).get("case") or {}
    document_uri = object_uri(spec.uri, "CFDocuments", spec.identifier, base_url)
    title = in_language(side, spec.title_fr, spec.title_en)
    link = {"title": title, "identifier": str(spec.identifier), "uri": document_uri}
    kept = dict(case.get("document") or {})
    kept_extensions = kept.pop("extensions", None)
    kept, others = _split("CFPckgDocument", kept)
    document = {
        "identifier": str(spec.identifier),
        "uri": document_uri,
        "creator": spec.publisher or title,
        "title": title,
        "lastChangeDateTime": stamp,
    }
    document.update(kept)
    optional = {
        "description": in_language(side, spec.description_fr, spec.description_en),
        "publisher": spec.publisher,
        "version": spec.version,
        "officialSourceURL": spec.source if re.match(r"https?://\S+$", spec.source or "") else "",
    }
    document.update({key: value for key, value in optional.items() if value})
    document["language"] = spec.language if spec.language and language_side(spec.language) == side else side
    if spec.licence_uri:
        document["licenseURI"] = licence_link(spec)
    document["caseVersion"] = CASE_VERSION
    ours = _extension(spec, side)
    if spec.source and "officialSourceURL" not in document:
        ours["source"] = spec.source
    if not spec.publisher:
        ours["publisher"] = ""
    if spec.licence and not spec.licence_uri:
        ours["licence"] = spec.licence
    if spec.levels:
        ours["levels"] = [
            {"code": level.code, "label_fr": level.label_fr, "label_en": level.label_en, "proficient": level.proficient}
            for level in spec.levels
        ]
    return _with_extensions(document, kept_extensions, ours, others), link


def licence_identifier(spec):
    """The UUID of the framework's licence (its CFLicense), from the file's identifier or the licence URI."""
    case = (spec.extra or {}).get("case") or {}
    return _key(case.get("licence_identifier") or spec.licence_uri)


def licence_link(spec):
    """The ``licenseURI`` link of a framework that has a licence URI."""
    return {"title": spec.licence or spec.licence_uri, "identifier": str(licence_identifier(spec)),
            "uri": spec.licence_uri}


def _package_extras(spec):
    """The package-level fields an imported file carried (CFDefinitions, CFRubrics…): allowed ones, and others."""
    kept = dict(((spec.extra or {}).get("case") or {}).get("package") or {})
    kept_extensions = kept.pop("extensions", None)
    allowed = {}
    others = {}
    for key, value in kept.items():
        (allowed if fits(None, key, value) else others)[key] = value
    return _with_extensions(allowed, kept_extensions, {}, others)


def build_case_package(spec: FrameworkSpec, *, language=None, modified=None, base_url=None) -> dict:
    """
    Return ``spec`` as a CASE 1.1 CFPackage (parsed JSON), valid against 1EdTech's CFPackage schema.

    ``language`` picks which of the framework's languages fills the CASE fields (default: the
    framework's language, else French when it has French text); the other goes to our extension.
    ``modified`` (a datetime, default now) is the document's ``lastChangeDateTime``. ``base_url``
    (the CASE provider's root, ending with "/") gives what has no URI of its own the URL where the
    provider serves it; without it, such objects get a ``urn:uuid:`` URI.
    """
    side = spec_language(spec, language)
    stamp = timestamp(modified or timezone.now())
    document, document_link = document_entry(spec, side, stamp, base_url)
    nodes = _tree_order(spec.competences)
    links, items = {}, []
    for node in nodes:
        item, links[node.identifier] = item_entry(node, side, stamp, base_url)
        items.append(item)
    associations = [
        parent_association_entry(node, links[node.identifier], links.get(node.parent, document_link), stamp, base_url)
        for node in nodes
    ] + [
        association_entry(association, links, document_link, stamp, base_url) for association in spec.associations
    ]
    package = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    package.update(_package_extras(spec))
    return package


def write_case(spec: FrameworkSpec, *, language=None, modified=None, base_url=None) -> str:
    """Return ``spec`` as CASE 1.1 CFPackage JSON text (``build_case_package``)."""
    return json.dumps(
        build_case_package(spec, language=language, modified=modified, base_url=base_url), ensure_ascii=False, indent=2,
    ) + "\n"


def item_entry(node, side, stamp, base_url=None):
    """Return the CFItem of a node (as a package holds it: no ``CFDocumentURI``) and the link to it."""
    kept = dict(((node.extra or {}).get("case") or {}).get("item") or {})
    kept_extensions = kept.pop("extensions", None)
    item_side = language_side(kept.get("language"), default=side)
    statement = getattr(node, f"title_{item_side}")
    if not statement:
        item_side = _other_side(item_side)
        statement = getattr(node, f"title_{item_side}")
        kept["language"] = item_side
    uri = object_uri(kept.pop("uri", ""), "CFItems", node.identifier, base_url)
    kept, others = _split("CFPckgItem", kept)
    item = {
        "identifier": str(node.identifier),
        "uri": uri,
        "fullStatement": statement,
    }
    if node.code:
        item["humanCodingScheme"] = node.code
    notes = getattr(node, f"description_{item_side}")
    if notes:
        item["notes"] = notes
    if node.item_type:
        item["CFItemType"] = node.item_type
    item.update(kept)
    item.setdefault("lastChangeDateTime", stamp)
    _with_extensions(item, kept_extensions, _extension(node, item_side), others)
    link = {"title": node.code or statement[:100], "identifier": str(node.identifier), "uri": uri}
    return item, link


def parent_association_identifier(node):
    """The identifier of a node's ``isChildOf`` association: the file's, else derived from the node's."""
    kept = ((node.extra or {}).get("case") or {}).get("parent_association") or {}
    return _key(kept.get("identifier") or uuid5(node.identifier, "isChildOf"))


def _association(kept, identifier, stamp, base_url, fields):
    """An association entry: ``fields``, then the file's other fields the schema allows, then our extension."""
    kept_extensions = kept.pop("extensions", None)
    ours = kept_extensions.pop(EXTENSION, None) if isinstance(kept_extensions, dict) else None
    if isinstance(kept_extensions, dict):
        kept_extensions = dict(kept_extensions)
    uri = object_uri(kept.pop("uri", ""), "CFAssociations", identifier, base_url)
    kept, others = _split("CFPckgAssociation", kept)
    kind = fields["associationType"]
    if not fits("CFPckgAssociation", "associationType", kind):  # a type of CASE 1.0 or of a tool's own
        others["associationType"] = kind
        fields["associationType"] = "ext:" + (re.sub(r"[^A-Za-z0-9._-]", "", kind) or "association")
    association = {"identifier": str(identifier), "uri": uri, **fields}
    association.update(kept)
    association.setdefault("lastChangeDateTime", stamp)
    return _with_extensions(association, kept_extensions, ours if isinstance(ours, dict) else {}, others)


def parent_association_entry(node, node_link, parent_link, stamp, base_url=None):
    """The ``isChildOf`` association of a node to its parent (an item, or the document)."""
    kept = dict(((node.extra or {}).get("case") or {}).get("parent_association") or {})
    kept.pop("identifier", None)
    return _association(kept, parent_association_identifier(node), stamp, base_url, {
        "associationType": "isChildOf",
        "sequenceNumber": node.sort_order,
        "originNodeURI": node_link,
        "destinationNodeURI": parent_link,
    })


def _link(link, text):
    """A ``LinkGenURI`` from a link the file gave (title, identifier and uri as text; a valid ``targetType`` kept)."""
    identifier = link.get("identifier") or link.get("sourcedId") or text
    uri = link.get("uri") or text
    result = {"title": str(link.get("title") or ""), "identifier": str(identifier), "uri": str(uri)}
    if fits("LinkGenURI", "targetType", link.get("targetType")):
        result["targetType"] = link["targetType"]
    return result


def end_link(text, kept_link, links, document_link):
    """The link of an association end: a node of the package, the document, or what the file gave."""
    try:
        key = UUID(text)
    except ValueError:
        key = None
    if key is not None and key in links:
        return links[key]
    if key is not None and str(key) == document_link["identifier"]:
        return document_link
    if isinstance(kept_link, dict):
        return _link(kept_link, text)
    identifier = str(key) if key else str(uuid5(CASE_NAMESPACE, text))
    return {"title": "", "identifier": identifier, "uri": text if key is None else f"urn:uuid:{key}"}


def association_entry(spec, links, document_link, stamp, base_url=None):
    """A stored association (other than the tree's ``isChildOf``)."""
    case = (spec.extra or {}).get("case") or {}
    fields = {
        "associationType": spec.association_type,
        "originNodeURI": end_link(spec.origin, case.get("origin"), links, document_link),
        "destinationNodeURI": end_link(spec.destination, case.get("destination"), links, document_link),
    }
    if spec.sequence_number is not None:
        fields["sequenceNumber"] = spec.sequence_number
    return _association(dict(case.get("association") or {}), spec.identifier, stamp, base_url, fields)
