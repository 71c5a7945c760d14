"""
The CASE 1.1 provider's reads: stored frameworks as the objects of 1EdTech's CASE REST API.

Each function returns parsed JSON (dicts and lists) in the shape of the specification's response
(``CFDocumentDType``, ``CFPackageDType``, ``CFItemDType``, ``CFAssociationSetDType``…), built by the
CASE writer (``formats.case.write``) so that a package served and a package exported are the same.
``base_url`` is the provider's root (``https://lms.example.org/ims/case/v1p1/``): the ``uri`` of an
object imported with its own keeps it, any other is where this provider serves the object
(docs/decisions/0013-case-provider.rst). Every stored framework is served (the model has no draft
state); a node retired by a re-import is left out of its package but still served by itself,
since credentials and evidence may point to it. A missing object raises ``CompetencyNotFoundError``.
Each read costs a few queries, whatever the size of the framework.
"""
from __future__ import annotations

from uuid import UUID, uuid5

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyNotFoundError
from competency_plugin.frameworks.formats.case import schema
from competency_plugin.frameworks.formats.case import write as case_write
from competency_plugin.frameworks.formats.case.vocabulary import PROVIDER_PATH, object_uri
from competency_plugin.frameworks.formats.common import spec_language
from competency_plugin.frameworks.models import Competence, CompetenceAssociation, Framework
from competency_plugin.frameworks.reading import framework_to_spec
from competency_plugin.frameworks.spec import AssociationSpec, CompetenceSpec, FrameworkSpec
from competency_plugin.frameworks.validation import _COMPETENCE_TEXT_FIELDS, _FRAMEWORK_TEXT_FIELDS
from competency_plugin.platform import compat

# The definitions endpoints, and whether each answers with a set (the object and its children by
# ``hierarchyCode``, under this key) or with the object alone (None).
DEFINITION_KINDS = {
    "CFConcepts": "CFConcepts",
    "CFSubjects": "CFSubjects",
    "CFItemTypes": "CFItemTypes",
    "CFLicenses": None,
    "CFAssociationGroupings": None,
    "CFRubrics": None,
}


# --- Where the provider is ----------------------------------------------------------------------


def _provider_path():
    """The provider's root path as this site mounts it ("/ims/case/v1p1/" in the LMS and Studio)."""
    try:
        return reverse("competency_plugin:case-cfdocuments")[:-len("CFDocuments")]
    except NoReverseMatch:
        return "/" + PROVIDER_PATH


def case_provider_root(request_or_base=None) -> str | None:
    """
    The root URL of the CASE provider, ending with "/": from a request (its scheme and host), from a
    base URL given as text (a site root such as ``https://lms.example.org``, or the provider's root
    itself), else from the LMS's root URL (``LMS_ROOT_URL``); None when none is known.
    """
    if request_or_base is None:
        request_or_base = compat.lms_root_url()
        if not request_or_base:
            return None
    if hasattr(request_or_base, "build_absolute_uri"):
        return request_or_base.build_absolute_uri(_provider_path())
    base = str(request_or_base).rstrip("/")
    path = _provider_path().rstrip("/")
    return (base if base.endswith(path) else base + path) + "/"


def case_item_url(request_or_base, identifier) -> str:
    """
    The URL where this site's CASE provider serves the CFItem ``identifier`` (``CFItems/{identifier}``,
    the URL pattern named ``case-cfitem``), from a request or a base URL as ``case_provider_root``
    takes them. The item's CASE ``uri`` may differ: an imported item keeps its own.
    """
    root = case_provider_root(request_or_base) or _provider_path()
    return f"{root}CFItems/{UUID(str(identifier))}"


# --- Lookups -----------------------------------------------------------------------------------------


def _uuid(identifier):
    try:
        return identifier if isinstance(identifier, UUID) else UUID(str(identifier).strip())
    except (TypeError, ValueError) as error:
        raise CompetencyNotFoundError(_("No CASE object has the identifier {identifier}.").format(
            identifier=identifier)) from error


def _not_found(key):
    return CompetencyNotFoundError(_("No CASE object has the identifier {identifier}.").format(identifier=key))


def _document_spec(framework):
    """The metadata of a framework row as a ``FrameworkSpec`` without nodes (enough for its CFDocument)."""
    return FrameworkSpec(
        identifier=framework.identifier,
        **{field: getattr(framework, field) for field in _FRAMEWORK_TEXT_FIELDS},
        builtin=framework.builtin,
        extra=dict(framework.extra or {}),
    )


def _node_spec(row, parent=None):
    return CompetenceSpec(
        identifier=row.identifier,
        **{field: getattr(row, field) for field in _COMPETENCE_TEXT_FIELDS},
        parent=parent,
        sort_order=row.sort_order,
        extra=dict(row.extra or {}),
    )


class _Document:
    """A framework's CFDocument, its link, language and timestamp: what its items and associations need."""

    def __init__(self, framework, base_url):
        self.framework = framework
        self.spec = _document_spec(framework)
        self.side = spec_language(self.spec)
        self.stamp = case_write.timestamp(framework.modified)
        self.base_url = base_url
        self.entry, self.link = case_write.document_entry(self.spec, self.side, self.stamp, base_url)

    def document(self):
        """The CFDocument as served alone: with its ``CFPackageURI``."""
        package_uri = object_uri("", "CFPackages", self.spec.identifier, self.base_url)
        return {**self.entry, "CFPackageURI": {**self.link, "uri": package_uri}}

    def item(self, row):
        """The CFItem of a node row, as served alone (with its ``CFDocumentURI``), and the link to it."""
        item, link = case_write.item_entry(_node_spec(row), self.side, self.stamp, self.base_url)
        return {**item, "CFDocumentURI": self.link}, link

    def link_of(self, row):
        """The link (title, identifier, uri) to a node row."""
        return case_write.item_entry(_node_spec(row), self.side, self.stamp, self.base_url)[1]

    def _alone(self, entry, alone):
        """An association as served alone (``CFAssociationDType``: with its ``CFDocumentURI``) or in a set."""
        return {**entry, "CFDocumentURI": self.link} if alone else entry

    def parent_association(self, row, links, alone=True):
        """The ``isChildOf`` of a node row; ``links`` maps node primary keys to their links."""
        parent_link = links[row.parent_id] if row.parent_id else self.link
        entry = case_write.parent_association_entry(
            _node_spec(row), links[row.pk], parent_link, self.stamp, self.base_url,
        )
        return self._alone(entry, alone)

    def association(self, row, links, alone=True):
        """A stored association; ``links`` maps the identifiers of the nodes it joins to their links."""
        spec = AssociationSpec(
            identifier=row.identifier, association_type=row.association_type, origin=row.origin,
            destination=row.destination, sequence_number=row.sequence_number, extra=dict(row.extra or {}),
        )
        entry = case_write.association_entry(spec, links, self.link, self.stamp, self.base_url)
        return self._alone(entry, alone)


def _frameworks():
    return Framework.objects.order_by("title_fr", "title_en", "id")


def _framework(key):
    framework = _frameworks().filter(identifier=key).first()
    if framework is None:
        raise _not_found(key)
    return framework


# --- Documents and packages ------------------------------------------------------------------------


def case_documents(base_url) -> list[dict]:
    """Every framework's CFDocument (``CFDocumentDType``), by title. One query."""
    return [_Document(framework, base_url).document() for framework in _frameworks()]


def case_document(base_url, identifier) -> dict:
    """The CFDocument ``identifier`` (``CFDocumentDType``)."""
    return _Document(_framework(_uuid(identifier)), base_url).document()


def case_package(base_url, identifier) -> dict:
    """The CFPackage of the framework ``identifier`` (``CFPackageDType``): valid against the official schema."""
    key = _uuid(identifier)
    framework = _framework(key)
    return case_write.build_case_package(framework_to_spec(key), modified=framework.modified, base_url=base_url)


# --- Items and associations --------------------------------------------------------------------------


def _item_row(key):
    row = Competence.objects.select_related("framework", "parent").filter(identifier=key).order_by("id").first()
    if row is None:
        raise _not_found(key)
    return row


def case_item(base_url, identifier) -> dict:
    """The CFItem ``identifier`` (``CFItemDType``, with its ``CFDocumentURI``), retired or not."""
    row = _item_row(_uuid(identifier))
    return _Document(row.framework, base_url).item(row)[0]


def case_item_associations(base_url, identifier) -> dict:
    """
    The CFItem ``identifier`` and every association it is an end of (``CFAssociationSetDType``):
    its ``isChildOf``, its children's, and the framework's other associations naming it. The item
    carries its ``CFDocumentURI``; the associations, as in a package, do not.
    """
    row = _item_row(_uuid(identifier))
    document = _Document(row.framework, base_url)
    item, _link = document.item(row)
    children = list(Competence.objects.filter(framework_id=row.framework_id, parent_id=row.pk).order_by("path", "id"))
    names = [str(row.identifier), item["uri"]]
    stored = list(
        CompetenceAssociation.objects.filter(framework_id=row.framework_id)
        .filter(Q(origin__in=names) | Q(destination__in=names)).order_by("sequence_number", "id")
    )
    others = _end_keys(stored) - {row.identifier}
    named = list(Competence.objects.filter(framework_id=row.framework_id, identifier__in=others)) if others else []
    rows = {node.pk: node for node in [row, *children, *([row.parent] if row.parent_id else [])]}
    links = {pk: document.link_of(node) for pk, node in rows.items()}
    by_identifier = {node.identifier: document.link_of(node) for node in [row, *named]}
    associations = [document.parent_association(row, links, alone=False)]
    associations += [document.parent_association(child, links, alone=False) for child in children]
    associations += [document.association(association, by_identifier, alone=False) for association in stored]
    return {"CFItem": item, "CFAssociations": associations}


def _end_keys(associations):
    """The node identifiers (UUIDs) at the ends of ``associations``."""
    keys = set()
    for association in associations:
        for end in (association.origin, association.destination):
            try:
                keys.add(UUID(end))
            except ValueError:
                continue
    return keys


def case_association(base_url, identifier) -> dict:
    """
    The CFAssociation ``identifier`` (``CFAssociationDType``, with its ``CFDocumentURI``): a stored
    association, or the ``isChildOf`` that places a node in its framework's tree.
    """
    key = _uuid(identifier)
    stored = CompetenceAssociation.objects.select_related("framework").filter(identifier=key).order_by("id").first()
    if stored is not None:
        document = _Document(stored.framework, base_url)
        ends = _end_keys([stored])
        rows = Competence.objects.filter(framework_id=stored.framework_id, identifier__in=ends) if ends else []
        return document.association(stored, {row.identifier: document.link_of(row) for row in rows})
    row = _child_row(key)
    document = _Document(row.framework, base_url)
    rows = {node.pk: node for node in [row, *([row.parent] if row.parent_id else [])]}
    return document.parent_association(row, {pk: document.link_of(node) for pk, node in rows.items()})


def _child_row(key):
    """The node whose ``isChildOf`` association is ``key``: named by the file it came from, else derived from it."""
    row = (Competence.objects.select_related("framework", "parent")
           .filter(extra__case__parent_association__identifier=str(key)).order_by("id").first())
    if row is not None:
        return row
    # A derived identifier (``uuid5(node, "isChildOf")``) cannot be turned back: compare with each node's.
    for pk, identifier in Competence.objects.values_list("pk", "identifier").iterator(chunk_size=2000):
        if uuid5(identifier, "isChildOf") == key:
            return Competence.objects.select_related("framework", "parent").get(pk=pk)
    raise _not_found(key)


# --- Definitions and rubrics -------------------------------------------------------------------------


def _definitions(framework, base_url, kind):
    """The ``kind`` definitions of a framework: those its file carried (valid ones), and its licence."""
    package = (((framework.extra or {}).get("case") or {}).get("package") or {})
    if kind == "CFRubrics":
        found = package.get("CFRubrics")
        found = found if isinstance(found, list) else []
        return [rubric for rubric in found if schema.fits(None, "CFRubrics", [rubric])]
    definitions = package.get("CFDefinitions") if isinstance(package.get("CFDefinitions"), dict) else {}
    found = definitions.get(kind) if isinstance(definitions.get(kind), list) else []
    found = [entry for entry in found if schema.fits("CFDefinition", kind, [entry])]
    if kind == "CFLicenses" and framework.licence_uri:
        spec = _document_spec(framework)
        identifier = case_write.licence_identifier(spec)
        if not any(entry.get("identifier") == str(identifier) for entry in found):
            found.append({
                "identifier": str(identifier),
                "uri": object_uri("", "CFLicenses", identifier, base_url),
                "title": framework.licence or framework.licence_uri,
                "licenseText": framework.licence or framework.licence_uri,
                "lastChangeDateTime": case_write.timestamp(framework.modified),
            })
    return found


def case_definition(base_url, kind, identifier) -> dict:
    """
    The definition ``identifier`` of ``kind`` (a key of ``DEFINITION_KINDS``). Concepts, subjects and
    item types come as a set: the one asked for, then its children by ``hierarchyCode``
    (``CFConceptSetDType``…); licences, association groupings and rubrics by themselves.
    """
    key = str(_uuid(identifier))
    set_key = DEFINITION_KINDS[kind]
    for framework in Framework.objects.order_by("id"):
        found = _definitions(framework, base_url, kind)
        match = next((entry for entry in found if entry.get("identifier") == key), None)
        if match is None:
            continue
        if set_key is None:
            return match
        prefix = f"{match.get('hierarchyCode')}."
        children = [entry for entry in found if str(entry.get("hierarchyCode", "")).startswith(prefix)]
        return {set_key: [match, *children]}
    raise _not_found(key)


__all__ = [
    "DEFINITION_KINDS",
    "case_association",
    "case_definition",
    "case_document",
    "case_documents",
    "case_item",
    "case_item_associations",
    "case_item_url",
    "case_package",
    "case_provider_root",
]
