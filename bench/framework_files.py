"""
Large framework files for the "import at scale" measurements, written as real exporters write them.

``case_package(items)`` is a CASE 1.1 CFPackage as the CASE Network or OpenSALT publish it:
every item with its URI, a link to its document, a full statement and notes, a coding scheme,
an item type and a change date; the tree as ``isChildOf`` associations with
link objects at both ends and a ``sequenceNumber``; one ``isRelatedTo`` association every 50
items. 22,000 items weigh about 27 MB (compact JSON).

``moodle_csv(rows)`` is a Moodle ``tool_lpimportcsv`` file: the framework row, then one row per
competence, parents before children, with a description and one cross-reference every 50 rows.

Both are deterministic (identifiers are ``uuid5`` of the position), so that a second call gives
the same framework: importing it again measures an update in place.
"""
import csv
import io
import json
from uuid import UUID, uuid5

NAMESPACE = UUID("0b7c1f0e-5f7e-4d55-9a51-2d0f3c6c9a10")
ROOTS, FANOUT = 10, 10
STAMP = "2025-06-30T12:00:00+00:00"
STATEMENT = "Plan and evaluate learning situations in which pupils search and assess information"
NOTES = ("Observed in class over several sessions; the evidence shows the preparation, the conduct of the "
         "session and the teacher's analysis of what the pupils learnt, with the adjustments planned for the "
         "next time. ")
ITEM_TYPES = ("Domain", "Competency", "Component", "Indicator", "Descriptor", "Descriptor")


def _parent(index):
    """The parent's position of node ``index`` (None at the top): ``ROOTS`` roots, ``FANOUT`` children each."""
    return None if index < ROOTS else (index - ROOTS) // FANOUT


def _depth(index):
    depth = 0
    while index >= ROOTS:
        index, depth = (index - ROOTS) // FANOUT, depth + 1
    return depth


def _codes(count):
    """Hierarchical codes ("3.7.2"), built top-down."""
    codes = []
    for index in range(count):
        parent = _parent(index)
        position = index + 1 if parent is None else (index - ROOTS) % FANOUT + 1
        codes.append(str(position) if parent is None else f"{codes[parent]}.{position}")
    return codes


def case_package(items=22_000, *, variant="", edition=1, title="Large framework (benchmark)"):
    """
    A CASE 1.1 CFPackage of ``items`` items, as UTF-8 JSON bytes.

    ``variant`` makes another framework (other identifiers); ``edition`` changes every item's
    statement, as a new edition of the same framework would.
    """
    document_id = str(uuid5(NAMESPACE, f"case-document-{items}{variant}"))
    base = "https://case.example.org/uri/"
    document_link = {"title": title, "identifier": document_id, "uri": base + document_id}
    identifiers = [str(uuid5(NAMESPACE, f"case-{items}{variant}-item-{index}")) for index in range(items)]
    codes = _codes(items)
    package = {
        "CFDocument": {
            "identifier": document_id, "uri": base + document_id, "CFPackageURI": document_link,
            "creator": "Benchmark", "title": title, "lastChangeDateTime": STAMP, "version": f"{edition}.0",
            "description": "A framework as large as the largest published ones.", "language": "en",
            "adoptionStatus": "Adopted", "caseVersion": "1.1",
        },
        "CFItems": [],
        "CFAssociations": [],
    }
    for index, identifier in enumerate(identifiers):
        link = {"title": codes[index], "identifier": identifier, "uri": base + identifier}
        package["CFItems"].append({
            "identifier": identifier, "uri": base + identifier, "CFDocumentURI": document_link,
            "fullStatement": f"{STATEMENT} ({codes[index]})" + ("." if edition == 1 else f", ed. {edition}."),
            "humanCodingScheme": codes[index],
            "listEnumeration": codes[index].rsplit(".", 1)[-1], "CFItemType": ITEM_TYPES[min(_depth(index), 5)],
            "notes": "Observed in class over several sessions.", "language": "en",
            "lastChangeDateTime": STAMP,
        })
        parent = _parent(index)
        parent_link = document_link if parent is None else {
            "title": codes[parent], "identifier": identifiers[parent], "uri": base + identifiers[parent]}
        association = str(uuid5(NAMESPACE, f"case-{items}{variant}-child-{index}"))
        package["CFAssociations"].append({
            "identifier": association, "uri": base + association, "CFDocumentURI": document_link,
            "associationType": "isChildOf", "sequenceNumber": int(link["title"].rsplit(".", 1)[-1]),
            "originNodeURI": link, "destinationNodeURI": parent_link, "lastChangeDateTime": STAMP,
        })
        if index % 50 == 49:
            related = str(uuid5(NAMESPACE, f"case-{items}{variant}-related-{index}"))
            package["CFAssociations"].append({
                "identifier": related, "uri": base + related, "CFDocumentURI": document_link,
                "associationType": "isRelatedTo", "originNodeURI": link,
                "destinationNodeURI": {"title": codes[index - 1], "identifier": identifiers[index - 1],
                                       "uri": base + identifiers[index - 1]},
                "lastChangeDateTime": STAMP,
            })
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def moodle_csv(rows=25_000, *, idnumber="BENCH-LARGE", edition=1):
    """
    A Moodle competency framework CSV of ``rows`` competences, as UTF-8 bytes; another
    ``idnumber`` makes another framework, another ``edition`` changes every short name.
    """
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([
        "Parent ID number", "ID number", "Short name", "Description", "Description format", "Scale values",
        "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
        "Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework", "Taxonomy",
    ])
    writer.writerow([
        "", idnumber, "Large framework (benchmark)", "<p>A framework as large as the largest published ones.</p>",
        "1", "Not yet competent,Competent", '[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]',
        "", "", "", "", "", "1", "domain,competency,indicator,indicator,indicator,indicator",
    ])
    codes = [f"{idnumber}-{code}" for code in _codes(rows)]
    for index, code in enumerate(codes):
        parent = _parent(index)
        writer.writerow([
            "" if parent is None else codes[parent], code, f"Competence {code} (ed. {edition})"[:100],
            f"<p>{NOTES}</p>", "1",
            "", "", "", "0", "null", codes[index - 1] if index % 50 == 49 else "", "", "", "",
        ])
    return output.getvalue().encode("utf-8")
