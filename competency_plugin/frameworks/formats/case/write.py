"""Write a ``FrameworkSpec`` as a CASE 1.1 CFPackage (the rules are in ``frameworks.formats.case``)."""
from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from uuid import UUID, uuid5

from django.utils import timezone
from django.utils.translation import gettext as _

from competency_plugin.frameworks.formats.case.vocabulary import (
    _TEXT_FIELDS,
    CASE_NAMESPACE,
    CASE_VERSION,
    EXTENSION,
    _key,
    _uri,
)
from competency_plugin.frameworks.formats.common import in_language, language_side, spec_language
from competency_plugin.frameworks.spec import FrameworkSpec

# --- Writing ----------------------------------------------------------------------------------


def _timestamp(value):
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


def _with_extensions(entry, kept_extensions, ours):
    extensions = dict(kept_extensions or {})
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


def _write_document(spec, side, stamp):
    """Return the CFDocument of ``spec`` and the link to it that items and associations carry."""
    case = (spec.extra or {}).get("case") or {}
    document_uri = _uri(spec.uri, spec.identifier)
    title = in_language(side, spec.title_fr, spec.title_en)
    link = {"title": title, "identifier": str(spec.identifier), "uri": document_uri}
    kept = dict(case.get("document") or {})
    kept_extensions = kept.pop("extensions", None)
    document = {
        "identifier": str(spec.identifier),
        "uri": document_uri,
        "CFPackageURI": link,
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
        document["licenseURI"] = {
            "title": spec.licence or spec.licence_uri,
            "identifier": str(_key(case.get("licence_identifier") or spec.licence_uri)),
            "uri": spec.licence_uri,
        }
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
    return _with_extensions(document, kept_extensions, ours), link


def write_case(spec: FrameworkSpec, *, language=None, modified=None) -> str:
    """
    Return ``spec`` as CASE 1.1 CFPackage JSON text.

    ``language`` picks which of the framework's languages fills the CASE fields (default: the
    framework's language, else French when it has French text); the other goes to our extension.
    ``modified`` (a datetime, default now) is the document's ``lastChangeDateTime``.
    """
    side = spec_language(spec, language)
    stamp = _timestamp(modified or timezone.now())
    document, document_link = _write_document(spec, side, stamp)
    nodes = _tree_order(spec.competences)
    links, items = {}, []
    for node in nodes:
        item, links[node.identifier] = _write_item(node, side, document_link, stamp)
        items.append(item)
    associations = [
        _write_parent_link(node, links, document_link, stamp) for node in nodes
    ] + [
        _write_association(association, links, document_link, stamp) for association in spec.associations
    ]
    package = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    package.update(((spec.extra or {}).get("case") or {}).get("package") or {})
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def _write_item(node, side, document_link, stamp):
    kept = dict(((node.extra or {}).get("case") or {}).get("item") or {})
    kept_extensions = kept.pop("extensions", None)
    item_side = language_side(kept.get("language"), default=side)
    statement = getattr(node, f"title_{item_side}")
    if not statement:
        item_side = _other_side(item_side)
        statement = getattr(node, f"title_{item_side}")
        kept["language"] = item_side
    uri = _uri(kept.pop("uri", ""), node.identifier)
    item = {
        "identifier": str(node.identifier),
        "uri": uri,
        "CFDocumentURI": document_link,
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
    _with_extensions(item, kept_extensions, _extension(node, item_side))
    link = {"title": node.code or statement[:100], "identifier": str(node.identifier), "uri": uri}
    return item, link


def _write_parent_link(node, links, document_link, stamp):
    kept = dict(((node.extra or {}).get("case") or {}).get("parent_association") or {})
    identifier = str(_key(kept.pop("identifier", None) or uuid5(node.identifier, "isChildOf")))
    association = {
        "identifier": identifier,
        "uri": _uri(kept.pop("uri", ""), identifier),
        "CFDocumentURI": document_link,
        "associationType": "isChildOf",
        "sequenceNumber": node.sort_order,
        "originNodeURI": links[node.identifier],
        "destinationNodeURI": links.get(node.parent, document_link),
    }
    association.update(kept)
    association.setdefault("lastChangeDateTime", stamp)
    return association


def _end_link(text, kept_link, links, document_link):
    try:
        key = UUID(text)
    except ValueError:
        key = None
    if key is not None and key in links:
        return links[key]
    if key is not None and str(key) == document_link["identifier"]:
        return document_link
    if isinstance(kept_link, dict):
        return kept_link
    identifier = str(key) if key else str(uuid5(CASE_NAMESPACE, text))
    return {"title": "", "identifier": identifier, "uri": text if key is None else f"urn:uuid:{key}"}


def _write_association(spec, links, document_link, stamp):
    case = (spec.extra or {}).get("case") or {}
    kept = dict(case.get("association") or {})
    association = {
        "identifier": str(spec.identifier),
        "uri": _uri(kept.pop("uri", ""), spec.identifier),
        "CFDocumentURI": document_link,
        "associationType": spec.association_type,
        "originNodeURI": _end_link(spec.origin, case.get("origin"), links, document_link),
        "destinationNodeURI": _end_link(spec.destination, case.get("destination"), links, document_link),
    }
    if spec.sequence_number is not None:
        association["sequenceNumber"] = spec.sequence_number
    association.update(kept)
    association.setdefault("lastChangeDateTime", stamp)
    return association
