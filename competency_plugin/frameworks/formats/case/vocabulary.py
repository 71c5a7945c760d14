"""
The CASE vocabulary both directions share: namespaces, versions, association types, the fields
that have a column, and the UUID a file's identifier stands for.
"""
from __future__ import annotations

import re
from uuid import UUID, uuid5

# Namespace of identifiers derived from a file's non-UUID identifiers. Never change it.
CASE_NAMESPACE = UUID("ab4f8c14-0828-4235-8768-24a6d84cbfe4")
# Key of our fields in CASE ``extensions``.
EXTENSION = "competencyPortfolio"
# Key, in our extension, of the fields an imported file carried that the CASE 1.1 schema does not
# allow where they were (CASE 1.0 and OpenSALT habits): written there, put back by the reader.
CASE_FIELDS = "caseFields"
# Where the CASE provider serves each kind of object, below its root ``/ims/case/v1p1/``.
PROVIDER_PATH = "ims/case/v1p1/"
CASE_VERSION = "1.1"
ASSOCIATION_TYPES = (
    "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy",
    "exemplar", "hasSkillLevel", "isTranslationOf",
)
_CANONICAL_TYPES = {name.lower(): name for name in ASSOCIATION_TYPES}
_TRAILING_UUID = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")
# Fields read into columns (or rebuilt on export), hence not kept in ``extra``.
_DOCUMENT_FIELDS = {
    "identifier", "sourcedId", "uri", "title", "description", "publisher", "version", "language",
    "licenseURI", "officialSourceURL", "lastChangeDateTime", "caseVersion", "extensions",
}
_ITEM_FIELDS = {
    "identifier", "sourcedId", "fullStatement", "notes", "humanCodingScheme", "CFItemType", "CFDocumentURI",
    "extensions",
}
_ASSOCIATION_FIELDS = {
    "identifier", "sourcedId", "associationType", "originNodeURI", "destinationNodeURI", "sequenceNumber",
    "CFDocumentURI",
}
_TEXT_FIELDS = ("title_fr", "title_en", "description_fr", "description_en")


def _key(value):
    """Return the UUID of a file's identifier: itself when it is a UUID (any case), else derived from it."""
    text = str(value).strip()
    try:
        return UUID(text)
    except ValueError:
        return uuid5(CASE_NAMESPACE, text)


def _uri(uri, identifier):
    return uri or f"urn:uuid:{identifier}"


def object_uri(uri, collection, identifier, base_url=None):
    """
    The ``uri`` of a CASE object: its own (``uri``, from the file it was imported from), else
    where the provider rooted at ``base_url`` serves it (``{base_url}{collection}/{identifier}``),
    else ``urn:uuid:{identifier}`` (a file written with no provider to name).
    """
    if uri:
        return uri
    if base_url:
        return f"{base_url}{collection}/{identifier}"
    return f"urn:uuid:{identifier}"


def _restored(entry):
    """
    ``entry`` with the fields our writer moved to our extension (``CASE_FIELDS``: those the
    CASE 1.1 schema does not allow where they were) put back, and our extension without them.
    """
    extensions = entry.get("extensions") if isinstance(entry, dict) else None
    ours = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
    if not isinstance(ours, dict) or not isinstance(ours.get(CASE_FIELDS), dict):
        return entry
    ours = {key: value for key, value in ours.items() if key != CASE_FIELDS}
    extensions = {key: value for key, value in extensions.items() if key != EXTENSION}
    if ours:
        extensions[EXTENSION] = ours
    restored = {key: value for key, value in entry.items() if key != "extensions"}
    if extensions:
        restored["extensions"] = extensions
    restored.update(entry["extensions"][EXTENSION][CASE_FIELDS])
    return restored
