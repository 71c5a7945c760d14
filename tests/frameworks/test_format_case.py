"""
CASE CFPackage JSON: files of our own making, OpenSALT's real-world files, broken files, and
round trips file → database → file without loss.
"""
import copy
import datetime
import json
import re
import uuid

import pytest

from competency_plugin import api
from competency_plugin.frameworks.formats.case import read_case, write_case
from competency_plugin.frameworks.formats.case.schema import package_errors
from competency_plugin.models import Competence, CompetenceAssociation, EvidenceCompetence, Framework
from tests.factories import EvidenceFactory
from tests.frameworks.test_frameworks_save import fixture_bytes, framework_rows, normalized, sample_spec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DOC = "6f0c2a7e-3d1b-4c55-9a1e-0c9b8f7d6e50"
DOMAIN, SKILL_1, SKILL_2, SKILL_3 = (
    "0b6d9a52-5d0e-4a8f-8d33-2f4b3c1a9e01",
    "0b6d9a52-5d0e-4a8f-8d33-2f4b3c1a9e02",
    "0b6d9a52-5d0e-4a8f-8d33-2f4b3c1a9e03",
    "0b6d9a52-5d0e-4a8f-8d33-2f4b3c1a9e04",
)
EXTERNAL = "https://example.org/other-framework/items/42"
CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def link(identifier, title=""):
    return {"title": title, "identifier": identifier, "uri": f"https://case.example.org/uri/{identifier}"}


def own_package():
    """A small French CASE 1.1 package with the irregularities real files have."""
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": f"https://case.example.org/uri/{DOC}",
            "creator": "Académie d'essai",
            "title": "Compétences numériques des enseignants",
            "description": "Un référentiel d'essai.",
            "language": "fr",
            "version": "2.0",
            "adoptionStatus": "Draft",
            "subject": ["Numérique"],
            "licenseURI": {"title": "CC BY 4.0", "identifier": "5a0b1c2d-0000-4000-8000-000000000001",
                           "uri": "https://creativecommons.org/licenses/by/4.0/"},
            "lastChangeDateTime": "2025-01-10T08:00:00+00:00",
            "frameworkType": "Competency",
            "caseVersion": "1.1",
        },
        "CFItems": [
            {"identifier": SKILL_2.upper(), "uri": f"https://case.example.org/uri/{SKILL_2}",
             "fullStatement": "Concevoir une séance **avec** des outils numériques",
             "humanCodingScheme": "D1.2", "CFItemType": "Compétence", "educationalLevel": ["KG"],
             "lastChangeDateTime": "2025-01-10T08:00:00+00:00", "conceptKeywords": ["séance"]},
            {"identifier": DOMAIN, "uri": f"https://case.example.org/uri/{DOMAIN}",
             "fullStatement": "Enseigner avec le numérique", "humanCodingScheme": "D1", "CFItemType": "Domaine",
             "notes": "Domaine 1 du référentiel.", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": SKILL_1, "uri": f"https://case.example.org/uri/{SKILL_1}",
             "fullStatement": "Choose digital resources", "language": "en", "humanCodingScheme": "D1.1",
             "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": SKILL_3, "uri": f"https://case.example.org/uri/{SKILL_3}",
             "fullStatement": "Évaluer avec le numérique 🧮", "humanCodingScheme": "D1.10",
             "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
        ],
        "CFAssociations": [
            {"identifier": "a0000000-0000-4000-8000-000000000001", "associationType": "isChildOf",
             "originNodeURI": link(DOMAIN), "destinationNodeURI": link(DOC), "sequenceNumber": 1,
             "uri": "https://case.example.org/uri/a1", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            # Children in reverse sequence order; one end given by URI only, one identifier in upper case.
            {"identifier": "a0000000-0000-4000-8000-000000000002", "associationType": "isChildOf",
             "originNodeURI": f"https://case.example.org/uri/{SKILL_2}", "destinationNodeURI": link(DOMAIN),
             "sequenceNumber": 2, "uri": "https://case.example.org/uri/a2",
             "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": "a0000000-0000-4000-8000-000000000003", "associationType": "isChildOf",
             "originNodeURI": link(SKILL_1.upper()), "destinationNodeURI": link(DOMAIN), "sequenceNumber": 1,
             "uri": "https://case.example.org/uri/a3", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": "a0000000-0000-4000-8000-000000000004", "associationType": "isChildOf",
             "originNodeURI": link(SKILL_3), "destinationNodeURI": link(DOMAIN),
             "uri": "https://case.example.org/uri/a4", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": "a0000000-0000-4000-8000-000000000005", "associationType": "exactMatchOf",
             "originNodeURI": link(SKILL_1),
             "destinationNodeURI": {"title": "Elsewhere", "identifier": "ext-42", "uri": EXTERNAL},
             "uri": "https://case.example.org/uri/a5", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
            {"identifier": "a0000000-0000-4000-8000-000000000006", "associationType": "precedes",
             "originNodeURI": link(SKILL_1), "destinationNodeURI": link(SKILL_2), "sequenceNumber": 3,
             "uri": "https://case.example.org/uri/a6", "lastChangeDateTime": "2025-01-10T08:00:00+00:00"},
        ],
        "CFDefinitions": {"CFItemTypes": [{"identifier": "5a0b1c2d-0000-4000-8000-000000000002",
                                           "title": "Domaine", "typeCode": "Domaine"}]},
    }


def own_bytes(package=None):
    return json.dumps(package or own_package(), ensure_ascii=False).encode("utf-8")


def tree_of(identifier):
    """{code: (parent code, sort_order, depth)} of a stored framework."""
    rows = Competence.objects.filter(framework__identifier=identifier).select_related("parent")
    return {
        row.code or row.title_en or row.title_fr: (row.parent.code if row.parent else None, row.sort_order, row.depth)
        for row in rows
    }


def test_own_package_imports_with_its_tree_languages_and_associations():
    data = api.import_framework(own_bytes(), format="case")
    assert (data.identifier, data.title_fr, data.title_en, data.language) == (
        uuid.UUID(DOC), "Compétences numériques des enseignants", "", "fr"
    )
    assert (data.publisher, data.version, data.licence, data.licence_uri) == (
        "Académie d'essai", "2.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"
    )
    assert tree_of(DOC) == {"D1": (None, 1, 0), "D1.1": ("D1", 1, 1), "D1.2": ("D1", 2, 1), "D1.10": ("D1", 3, 1)}
    domain = Competence.objects.get(identifier=DOMAIN)
    assert (domain.title_fr, domain.description_fr, domain.item_type) == (
        "Enseigner avec le numérique", "Domaine 1 du référentiel.", "Domaine"
    )
    english = Competence.objects.get(identifier=SKILL_1)
    assert (english.title_fr, english.title_en) == ("", "Choose digital resources")
    assert Competence.objects.get(identifier=SKILL_2).title_fr.startswith("Concevoir une séance **avec**")
    assert Competence.objects.get(identifier=SKILL_3).title_fr.endswith("🧮")
    skill_2 = Competence.objects.get(identifier=SKILL_2).extra["case"]["item"]
    assert skill_2["educationLevel"] == ["KG"] and "educationalLevel" not in skill_2
    assert skill_2["conceptKeywords"] == ["séance"]
    associations = {row.association_type: row for row in CompetenceAssociation.objects.all()}
    assert set(associations) == {"exactMatchOf", "precedes"}
    assert (associations["exactMatchOf"].origin, associations["exactMatchOf"].destination) == (SKILL_1, "ext-42")
    assert associations["precedes"].destination == SKILL_2 and associations["precedes"].sequence_number == 3
    framework = Framework.objects.get()
    assert framework.extra["case"]["document"]["subject"] == ["Numérique"]
    assert framework.extra["case"]["package"]["CFDefinitions"]["CFItemTypes"][0]["title"] == "Domaine"


def test_wrapped_package_and_missing_language_use_the_language_option():
    package = own_package()
    del package["CFDocument"]["language"]
    spec = read_case(json.dumps({"CFPackage": package}))
    assert spec.title_en == "Compétences numériques des enseignants" and spec.language == "en"
    spec = read_case(json.dumps({"CFPackage": package}), language="fr")
    assert spec.title_fr == "Compétences numériques des enseignants" and spec.language == "fr"
    assert {node.code: node.title_en for node in spec.competences}["D1.1"] == "Choose digital resources"


def test_items_without_is_child_of_are_top_level_and_identifiers_need_not_be_uuids():
    package = own_package()
    package["CFItems"].append({"identifier": "local-item-7", "fullStatement": "Sans parent", "humanCodingScheme": "Z"})
    package["CFAssociations"].append({"associationType": "isRelatedTo", "originNodeURI": link("local-item-7"),
                                      "destinationNodeURI": link(DOMAIN)})
    spec = read_case(json.dumps(package))
    orphan = next(node for node in spec.competences if node.code == "Z")
    assert orphan.parent is None and orphan.identifier.version == 5
    assert orphan.extra["case"]["source_identifier"] == "local-item-7"
    related = next(item for item in spec.associations if item.association_type == "isRelatedTo")
    assert related.origin == str(orphan.identifier) and related.identifier.version == 5


# --- Real-world files -------------------------------------------------------------------------


def test_ordering_json_imports_28_items_in_natural_order():
    data = api.import_framework(fixture_bytes("case/Ordering.json"), filename="Ordering.json")
    assert data.title_en == "ACT Holistic Framework, Math" and data.competence_count == 28
    tree = api.get_framework_tree(data.identifier)
    level = tree.competences[0].children[0].children[0].children[0]
    assert level.code == "H.A.MATH.GM.PF.2DFP.L1" and level.depth == 3
    assert [child.code.rsplit(".", 1)[1] for child in level.children] == [str(number) for number in range(1, 25)]
    assert level.children[11].description_en.startswith("The number of sides a shape has")


def test_smart_level_framework_imports_14_items():
    data = api.import_framework(fixture_bytes("case/SmartLevelFramework.json"))
    tree = api.get_framework_tree(data.identifier)
    assert data.competence_count == 14
    assert [(top.title_en, len(top.children)) for top in tree.competences] == [("Item 1", 10), ("Item 2", 2)]
    assert [child.title_en for child in tree.competences[0].children][-2:] == ["Item 1.9", "Item 1.10"]


def test_what_standards_could_be_keeps_its_39_associations_of_five_types():
    content = fixture_bytes("case/WhatStandardsCouldBe.json")
    original = json.loads(content)
    assert len(original["CFItems"]) == 16 and len(original["CFAssociations"]) == 39
    data = api.import_framework(content)
    assert data.competence_count == 16
    rows = Competence.objects.filter(framework__identifier=data.identifier)
    assert rows.filter(parent__isnull=True).count() == 2
    assert {row.extra["case"]["item"]["educationLevel"] for row in rows} == {"06", "07"}
    assert {row.item_type for row in rows} == {"Cluster", "Standard", "Component"}
    types = {}
    for row in CompetenceAssociation.objects.filter(framework__identifier=data.identifier):
        types[row.association_type] = types.get(row.association_type, 0) + 1
    assert types == {"exactMatchOf": 16, "precedes": 3, "exemplar": 2, "isRelatedTo": 2}
    exported = json.loads(api.export_framework(data.identifier, "case"))
    kinds = [item["associationType"] for item in exported["CFAssociations"]]
    assert len(kinds) == 39 and set(kinds) == {"isChildOf", "exactMatchOf", "precedes", "exemplar", "isRelatedTo"}
    assert {item["identifier"] for item in exported["CFAssociations"]} == {
        item["identifier"] for item in original["CFAssociations"]
    }


def test_utf8_framework_keeps_characters_outside_the_bmp():
    data = api.import_framework(fixture_bytes("case/Utf8TestFramework.json"))
    assert data.title_en == "UTF8 𝑑 Test"
    assert Competence.objects.get(framework__identifier=data.identifier).title_en == "Item 𝑑 1"
    assert "Item 𝑑 1" in api.export_framework(data.identifier, "case")


def test_sequence_numbers_order_siblings_before_file_order():
    data = api.import_framework(fixture_bytes("case/SequenceNumberFramework.json"))
    assert [top.code for top in api.get_framework_tree(data.identifier).competences] == ["SNT.2", "SNT.1"]


def test_markdown_statements_are_kept_verbatim():
    content = fixture_bytes("case/MarkdownFramework.json")
    data = api.import_framework(content)
    statements = {item["humanCodingScheme"]: item["fullStatement"] for item in json.loads(content)["CFItems"]}
    stored = dict(Competence.objects.filter(framework__identifier=data.identifier).values_list("code", "title_en"))
    assert stored == statements and "| Column 1 | Column 2 |\r\n" in stored["MD.Table"]


def test_empty_framework_imports_without_items():
    data = api.import_framework(fixture_bytes("case/EmptyExternalFramework.json"))
    assert data.title_en == "Test Framework External Empty" and data.competence_count == 0
    exported = json.loads(api.export_framework(data.identifier, "case"))
    assert exported["CFItems"] == [] and exported["CFAssociations"] == []


@pytest.mark.parametrize("name", [
    "Ordering.json", "SmartLevelFramework.json", "WhatStandardsCouldBe.json", "Utf8TestFramework.json",
    "SequenceNumberFramework.json", "MarkdownFramework.json", "EmptyExternalFramework.json",
])
def test_real_files_round_trip_through_the_database_without_loss(name):
    content = fixture_bytes(f"case/{name}")
    original = read_case(content)
    api.import_framework(content, format="case")
    stored = api.framework_to_spec(original.identifier)
    assert normalized(stored) == normalized(original)
    exported = api.export_framework(original.identifier, "case")
    assert normalized(read_case(exported)) == normalized(original)
    # Importing the export again changes nothing.
    before = framework_rows()
    api.import_framework(exported.encode("utf-8"))
    after = framework_rows()
    for rows in (before, after):
        for framework in rows["frameworks"]:
            framework.pop("modified")
    assert after == before


# --- Broken files -----------------------------------------------------------------------------


def _cycle():
    package = own_package()
    package["CFAssociations"][0]["destinationNodeURI"] = link(SKILL_3)  # D1 under D1.10, itself under D1
    return package


def _duplicate():
    package = own_package()
    package["CFItems"][3]["identifier"] = DOMAIN
    return package


def _no_origin():
    package = own_package()
    del package["CFAssociations"][4]["originNodeURI"]
    return package


@pytest.mark.parametrize("content, fragments", [
    (own_bytes()[:700], ["not valid JSON", "line 1"]),
    (json.dumps(own_package(), indent=2)[:1500], ["not valid JSON", "line"]),
    (b"\xff\xfe{}", ["not UTF-8"]),
    (b'{"CFItems": []}', ["no CFDocument"]),
    (own_bytes(_cycle()), ["cycle", "CFItems[1] (identifier " + DOMAIN + ")", "CFItems[3]"]),
    (own_bytes(_duplicate()), ["CFItems[3]", "used twice", "CFItems[1]"]),
    (own_bytes(_no_origin()), ["CFAssociations[4].originNodeURI"]),
    (own_bytes({**own_package(), "CFItems": "none"}), ["CFItems is not a list"]),
])
def test_broken_files_are_refused_and_nothing_changes(content, fragments):
    api.import_framework(fixture_bytes("case/SmartLevelFramework.json"))
    before = framework_rows()
    with pytest.raises(api.CompetencyRequestError) as caught:
        api.import_framework(content, format="case")
    for fragment in fragments:
        assert fragment in caught.value.message
    assert framework_rows() == before


# --- Re-import and export ---------------------------------------------------------------------


def test_reimport_updates_in_place_and_keeps_claimed_items():
    api.import_framework(own_bytes())
    pks = dict(Competence.objects.values_list("identifier", "pk"))
    claim = EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence_id=pks[uuid.UUID(SKILL_3)])
    package = own_package()
    package["CFItems"][1]["fullStatement"] = "Enseigner avec le numérique (2e édition)"
    package["CFItems"] = package["CFItems"][:3]  # SKILL_3 (claimed) leaves the framework
    package["CFAssociations"] = [item for item in package["CFAssociations"] if item["originNodeURI"] != link(SKILL_3)]
    api.import_framework(own_bytes(package))
    assert dict(Competence.objects.values_list("identifier", "pk")) == pks
    assert Competence.objects.get(identifier=DOMAIN).title_fr == "Enseigner avec le numérique (2e édition)"
    claim.refresh_from_db()
    assert claim.competence.extra["retired"] is True
    assert api.get_framework_data(DOC).competence_count == 3


def test_export_is_case_1_1_with_canonical_identifiers_and_rebuilt_tree():
    api.import_framework(own_bytes())
    exported = json.loads(api.export_framework(DOC, "case"))
    document = exported["CFDocument"]
    assert document["caseVersion"] == "1.1" and document["language"] == "fr"
    # A package's document and items carry no CFPackageURI / CFDocumentURI: the CASE 1.1 schema forbids them.
    assert "CFPackageURI" not in document and document["creator"] == "Académie d'essai"
    assert package_errors(exported) == []
    assert document["licenseURI"]["uri"] == "https://creativecommons.org/licenses/by/4.0/"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", document["lastChangeDateTime"])
    assert [item["humanCodingScheme"] for item in exported["CFItems"]] == ["D1", "D1.1", "D1.2", "D1.10"]
    identifiers = [document["identifier"]] + [item["identifier"] for item in exported["CFItems"]] + [
        item["identifier"] for item in exported["CFAssociations"]
    ]
    assert all(CANONICAL_UUID.match(value) for value in identifiers)
    assert all(uuid.UUID(value).variant == uuid.RFC_4122 for value in identifiers)
    assert all(item["lastChangeDateTime"] and "CFDocumentURI" not in item
               for item in exported["CFItems"] + exported["CFAssociations"])
    tree = {(item["originNodeURI"]["identifier"], item["destinationNodeURI"]["identifier"], item["sequenceNumber"])
            for item in exported["CFAssociations"] if item["associationType"] == "isChildOf"}
    assert tree == {(DOMAIN, DOC, 1), (SKILL_1, DOMAIN, 1), (SKILL_2, DOMAIN, 2), (SKILL_3, DOMAIN, 3)}
    external = next(item for item in exported["CFAssociations"] if item["associationType"] == "exactMatchOf")
    assert external["destinationNodeURI"] == {"title": "Elsewhere", "identifier": "ext-42", "uri": EXTERNAL}
    item = next(item for item in exported["CFItems"] if item["identifier"] == SKILL_2)
    assert item["educationLevel"] == ["KG"] and item["CFItemType"] == "Compétence"
    assert item["lastChangeDateTime"] == "2025-01-10T08:00:00+00:00"


def test_bilingual_framework_round_trips_through_case_extensions():
    spec = sample_spec()
    api.save_framework(spec)
    text = api.export_framework(spec.identifier, "case", language="fr")
    exported = json.loads(text)
    assert exported["CFDocument"]["title"] == "Référentiel d'essai"
    assert exported["CFDocument"]["extensions"]["competencyPortfolio"]["title_en"] == "Test framework"
    assert [level["code"] for level in exported["CFDocument"]["extensions"]["competencyPortfolio"]["levels"]] == [
        "N", "C"
    ]
    domain = next(item for item in exported["CFItems"] if item["humanCodingScheme"] == "A")
    assert domain["fullStatement"] == "Domaine A"
    assert domain["extensions"]["competencyPortfolio"]["title_en"] == "Domain A"
    english_only = next(item for item in exported["CFItems"] if item["humanCodingScheme"] == "A.1")
    assert (english_only["fullStatement"], english_only["language"]) == ("First of A", "en")
    # The export re-imported elsewhere gives back the same framework.
    Framework.objects.all().delete()
    api.import_framework(text.encode("utf-8"))
    back = api.framework_to_spec(spec.identifier)
    expected = normalized(spec)
    expected["language"] = "fr"
    assert _without_case(normalized(back)) == expected


def _without_case(data):
    """A normalized spec without the CASE fields the writer adds (URIs, dates, creator)."""
    data["extra"].pop("case", None)
    for item in data["competences"] + data["associations"]:
        item["extra"].pop("case", None)
    return data


def test_write_case_output_reads_back_for_a_spec_never_saved():
    spec = copy.deepcopy(sample_spec())
    modified = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
    text = write_case(spec, language="en", modified=modified)
    exported = json.loads(text)
    assert exported["CFDocument"]["lastChangeDateTime"] == "2026-03-04T05:06:07+00:00"
    assert exported["CFDocument"]["title"] == "Test framework" and exported["CFDocument"]["language"] == "en"
    assert {item["lastChangeDateTime"] for item in exported["CFItems"]} == {"2026-03-04T05:06:07+00:00"}
    assert _without_case(normalized(read_case(text))) == {**_without_case(normalized(spec)), "language": "en"}
