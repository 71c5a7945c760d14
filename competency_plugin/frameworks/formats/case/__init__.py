"""
1EdTech CASE (Competencies and Academic Standards Exchange) CFPackage JSON, versions 1.0 and 1.1.

Reading: the tree is the set of ``isChildOf`` associations (child = ``originNodeURI``, parent =
``destinationNodeURI``; an item whose parent is the CFDocument is at the top, and so is an item
with no ``isChildOf`` at all). Siblings are ordered by ``sequenceNumber``, then
``listEnumeration``, then ``humanCodingScheme`` (in natural order: 2 before 10), then file order.
Other associations, and any second parent of an item, become ``AssociationSpec`` items.
``fullStatement`` is the title and ``notes`` the description, in the language of the item
(``language``), else of the document, else the caller's, else English. Fields with no column
are kept in ``extra["case"]`` and written back on export.

The reader is tolerant of real files: ``CFPackage`` wrapper, ``sourcedId`` for ``identifier``,
link objects or plain strings (URIs or identifiers) in ``CFDocumentURI``/``CFPackageURI`` and
association ends, identifiers in upper case or without a UUID form, ``educationalLevel``
spelling, missing ``sequenceNumber``.

Writing produces a CASE 1.1 package valid against 1EdTech's official CFPackage schema (bundled
in ``schemas/``, checked by ``schema.package_errors``): every identifier in canonical RFC 4122
form, the tree's ``isChildOf`` associations rebuilt with ``sequenceNumber``, ``lastChangeDateTime``
everywhere, no ``CFDocumentURI`` on items and associations nor ``CFPackageURI`` on the document
(the schema allows them only on objects served alone). What CASE has no field for (the other
language, the proficiency scale, a citation as source) goes to ``extensions.competencyPortfolio``,
and so do the fields an imported file carried that the schema does not allow where they were
(``caseFields``: CASE 1.0 and OpenSALT habits, a ``lastChangeDateTime`` that is not RFC 3339…);
the reader restores both.
"""
from competency_plugin.frameworks.formats.case.read import read_case, read_case_data
from competency_plugin.frameworks.formats.case.schema import package_errors
from competency_plugin.frameworks.formats.case.vocabulary import (
    ASSOCIATION_TYPES,
    CASE_NAMESPACE,
    CASE_VERSION,
    EXTENSION,
)
from competency_plugin.frameworks.formats.case.write import build_case_package, write_case

__all__ = [
    "ASSOCIATION_TYPES", "CASE_NAMESPACE", "CASE_VERSION", "EXTENSION", "build_case_package", "package_errors",
    "read_case", "read_case_data", "write_case",
]
