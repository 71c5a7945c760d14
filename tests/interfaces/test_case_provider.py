"""
The CASE 1.1 provider under ``/ims/case/v1p1/``: each endpoint, public and read only, its
``imsx_StatusInfo`` errors, the collection's paging, sorting, filtering and field selection,
what it serves being valid against the official schema, and query counts that do not grow with
the framework.
"""
import copy
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competency_plugin import api
from competency_plugin.frameworks.formats.case.schema import _validator, package_errors, package_schema
from competency_plugin.models import Competence, EvidenceCompetence
from tests.factories import EvidenceFactory
from tests.frameworks.test_format_case import DOC, DOMAIN, SKILL_1, SKILL_2, SKILL_3, own_bytes, own_package
from tests.frameworks.test_frameworks_save import fixture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROOT = "/ims/case/v1p1/"
BASE = f"http://testserver{ROOT}"
CONCEPT, CHILD_CONCEPT, SUBJECT, ITEM_TYPE, GROUPING, RUBRIC, LICENCE = (
    f"c0000000-0000-4000-8000-00000000000{index}" for index in range(1, 8)
)
STAMP = "2025-01-10T08:00:00+00:00"


def get(client, path, **params):
    return client.get(f"{ROOT}{path}", params)


def valid_as(definition, value):
    """Whether ``value`` is valid as the schema's class ``definition``."""
    validator = _validator().evolve(schema={"$ref": f"#/$defs/{definition}", "$defs": package_schema()["$defs"]})
    return [error.message for error in validator.iter_errors(value)]


def assert_error(response, status, code_minor, code_major="failure"):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["imsx_codeMajor"] == code_major and body["imsx_severity"] == "error"
    assert body["imsx_description"]
    if code_minor:
        assert body["imsx_codeMinor"]["imsx_codeMinorField"] == [
            {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code_minor}
        ]
    return body


def definitions_package():
    """Our small package, with definitions and a rubric of each kind."""
    package = own_package()
    common = {"lastChangeDateTime": STAMP}
    package["CFDefinitions"] = {
        "CFConcepts": [
            {"identifier": CONCEPT, "uri": f"https://case.example.org/c/{CONCEPT}", "title": "Numérique",
             "hierarchyCode": "1", **common},
            {"identifier": CHILD_CONCEPT, "uri": f"https://case.example.org/c/{CHILD_CONCEPT}", "title": "Outils",
             "hierarchyCode": "1.1", **common},
        ],
        "CFSubjects": [{"identifier": SUBJECT, "uri": "https://case.example.org/s", "title": "TIC",
                        "hierarchyCode": "1", **common}],
        "CFItemTypes": [{"identifier": ITEM_TYPE, "uri": "https://case.example.org/t", "title": "Domaine",
                         "description": "Un domaine", "hierarchyCode": "1", **common}],
        "CFAssociationGroupings": [{"identifier": GROUPING, "uri": "https://case.example.org/g",
                                    "title": "Progression", **common}],
        "CFLicenses": [{"identifier": LICENCE, "uri": "https://case.example.org/l", "title": "Licence",
                        "licenseText": "Texte", **common}],
    }
    package["CFRubrics"] = [{"identifier": RUBRIC, "uri": "https://case.example.org/r", "title": "Grille", **common}]
    return package


# --- Public, read only ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["CFDocuments", f"CFDocuments/{DOC}", f"CFPackages/{DOC}", f"CFItems/{SKILL_1}",
                                  f"CFAssociations/{SKILL_1}", f"CFItemAssociations/{SKILL_1}",
                                  f"CFConcepts/{CONCEPT}", f"CFRubrics/{RUBRIC}"])
def test_only_get_is_allowed(client, method, path):
    api.import_framework(own_bytes())
    response = getattr(client, method)(f"{ROOT}{path}")
    assert_error(response, 405, None, code_major="unsupported")
    assert response["Allow"] == "GET, HEAD"


def test_no_authentication_is_needed_and_a_bad_token_changes_nothing(client):
    api.import_framework(own_bytes())
    for headers in ({}, {"HTTP_AUTHORIZATION": "JWT not-a-token"}, {"HTTP_AUTHORIZATION": "Bearer nope"}):
        response = client.get(f"{ROOT}CFPackages/{DOC}", **headers)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
    head = client.head(f"{ROOT}CFDocuments/{DOC}")
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize("path", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemAssociations",
                                  "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings",
                                  "CFRubrics"])
def test_unknown_and_invalid_identifiers(client, path):
    api.import_framework(own_bytes(definitions_package()))
    assert_error(get(client, f"{path}/{uuid.uuid4()}"), 404, "unknownobject")
    assert_error(get(client, f"{path}/not-a-uuid"), 404, "invalid_uuid")
    # An item's identifier names no document, a document's no item, association or definition.
    other = SKILL_1 if path in ("CFDocuments", "CFPackages") else DOC
    assert_error(get(client, f"{path}/{other}"), 404, "unknownobject")


# --- Documents and packages ----------------------------------------------------------------------


def test_documents_list_and_one_document(client):
    api.load_builtin_frameworks()
    api.import_framework(own_bytes())
    response = get(client, "CFDocuments")
    assert response.status_code == 200
    documents = response.json()["CFDocuments"]
    assert response["X-Total-Count"] == str(len(documents)) == str(len(api.list_frameworks()))
    for document in documents:
        package_uri = document.pop("CFPackageURI")
        assert valid_as("CFPckgDocument", document) == []
        assert valid_as("LinkURI", package_uri) == []
        assert package_uri["uri"] == f"{BASE}CFPackages/{document['identifier']}"
    one = get(client, f"CFDocuments/{DOC}").json()
    assert one["identifier"] == DOC and one["uri"] == f"https://case.example.org/uri/{DOC}"
    assert one["CFPackageURI"]["uri"] == f"{BASE}CFPackages/{DOC}"
    assert one["title"] == "Compétences numériques des enseignants" and one["adoptionStatus"] == "Draft"
    builtin = next(document for document in documents if document["identifier"] != DOC)
    assert builtin["uri"] == f"{BASE}CFDocuments/{builtin['identifier']}"
    assert client.get(builtin["uri"]).json()["identifier"] == builtin["identifier"]


def test_documents_paging_sorting_filtering_and_fields(client):
    api.load_builtin_frameworks()
    api.import_framework(own_bytes())
    titles = sorted((document["title"] for document in get(client, "CFDocuments").json()["CFDocuments"]),
                    key=str.casefold)
    total = len(titles)
    page = get(client, "CFDocuments", limit=2, offset=1, sort="title", orderBy="asc")
    assert [document["title"] for document in page.json()["CFDocuments"]] == titles[1:3]
    assert page["X-Total-Count"] == str(total)
    links = page["Link"]
    assert '<http://testserver/ims/case/v1p1/CFDocuments?sort=title&orderBy=asc&limit=2&offset=3>; rel="next"' in links
    assert 'offset=0>; rel="prev"' in links and 'offset=0>; rel="first"' in links
    assert f'offset={(total - 1) // 2 * 2}>; rel="last"' in links
    descending = get(client, "CFDocuments", sort="title", orderBy="desc").json()["CFDocuments"]
    assert [document["title"] for document in descending] == titles[::-1]
    last = get(client, "CFDocuments", limit=2, offset=total - 1)
    assert len(last.json()["CFDocuments"]) == 1 and 'rel="next"' not in last["Link"]
    # Filters: contains, equality, AND, OR, on a list field, on a link's title.
    found = get(client, "CFDocuments", filter="title~'NUMÉRIQUES'").json()["CFDocuments"]
    assert {document["title"] for document in found} == {title for title in titles if "numériques" in title.lower()}
    assert [document["identifier"] for document in get(
        client, "CFDocuments", filter=f"identifier='{DOC}'").json()["CFDocuments"]] == [DOC]
    both = get(client, "CFDocuments", filter="language='fr' AND adoptionStatus='Draft'")
    assert [document["identifier"] for document in both.json()["CFDocuments"]] == [DOC]
    assert both["X-Total-Count"] == "1"
    either = get(client, "CFDocuments", filter=f"identifier='{DOC}' OR language='en'").json()["CFDocuments"]
    assert DOC in {document["identifier"] for document in either} and len(either) > 1
    assert [document["identifier"] for document in get(
        client, "CFDocuments", filter="subject='Numérique'").json()["CFDocuments"]] == [DOC]
    assert [document["identifier"] for document in get(
        client, "CFDocuments", filter="licenseURI~'CC BY'").json()["CFDocuments"]] == [DOC]
    assert get(client, "CFDocuments", filter="title!='nothing'")["X-Total-Count"] == str(total)
    # Field selection.
    selected = get(client, "CFDocuments", fields="identifier,title").json()["CFDocuments"]
    assert all(set(document) == {"identifier", "title"} for document in selected) and len(selected) == total


@pytest.mark.parametrize("params, code_minor", [
    ({"sort": "colour"}, "invalid_sort_field"),
    ({"sort": "title", "orderBy": "up"}, "invalid_sort_field"),
    ({"filter": "colour='red'"}, "invalid_selection_field"),
    ({"filter": "title"}, "invalid_selection_field"),
    ({"filter": "title='a' AND title='b' OR title='c'"}, "invalid_selection_field"),
    ({"fields": "identifier,colour"}, "invalid_selection_field"),
    ({"limit": "0"}, "invalid_selection_field"),
    ({"limit": "ten"}, "invalid_selection_field"),
    ({"offset": "-1"}, "invalid_selection_field"),
])
def test_documents_bad_parameters(client, params, code_minor):
    api.import_framework(own_bytes())
    assert_error(get(client, "CFDocuments", **params), 400, code_minor)


def test_error_descriptions_are_in_the_callers_language(client):
    api.import_framework(own_bytes())
    french = client.get(f"{ROOT}CFDocuments", {"sort": "couleur"}, HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get(f"{ROOT}CFDocuments", {"sort": "couleur"}, HTTP_ACCEPT_LANGUAGE="en")
    assert french.json()["imsx_description"] != english.json()["imsx_description"]


def test_package_is_valid_and_is_the_export(client):
    api.load_builtin_frameworks()
    api.import_framework(own_bytes(definitions_package()))
    for framework in api.list_frameworks():
        response = get(client, f"CFPackages/{framework.identifier}")
        assert response.status_code == 200
        package = response.json()
        assert package_errors(package) == [], framework.title_en
        exported = json.loads(api.export_framework(framework.identifier, "case", base_url=BASE))
        assert package == exported
    package = get(client, f"CFPackages/{DOC}").json()
    assert package["CFDefinitions"]["CFConcepts"][0]["identifier"] == CONCEPT
    assert package["CFRubrics"][0]["identifier"] == RUBRIC


# --- Items and associations ----------------------------------------------------------------------


def test_item_and_its_associations(client):
    api.import_framework(fixture_bytes("case/WhatStandardsCouldBe.json"))
    api.import_framework(own_bytes())
    item = get(client, f"CFItems/{SKILL_1}").json()
    document_link = item.pop("CFDocumentURI")
    assert valid_as("CFPckgItem", item) == [] and valid_as("LinkURI", document_link) == []
    assert document_link["identifier"] == DOC and item["uri"] == f"https://case.example.org/uri/{SKILL_1}"
    assert item["fullStatement"] == "Choose digital resources" and item["humanCodingScheme"] == "D1.1"

    domain = get(client, f"CFItemAssociations/{DOMAIN}").json()
    assert domain["CFItem"]["identifier"] == DOMAIN
    kinds = {(entry["associationType"], entry["originNodeURI"]["identifier"], entry["destinationNodeURI"]["identifier"])
             for entry in domain["CFAssociations"]}
    assert kinds == {("isChildOf", DOMAIN, DOC), ("isChildOf", SKILL_1, DOMAIN), ("isChildOf", SKILL_2, DOMAIN),
                     ("isChildOf", SKILL_3, DOMAIN)}
    skill = get(client, f"CFItemAssociations/{SKILL_1}").json()
    kinds = {(entry["associationType"], entry["originNodeURI"]["identifier"], entry["destinationNodeURI"]["identifier"])
             for entry in skill["CFAssociations"]}
    assert kinds == {("isChildOf", SKILL_1, DOMAIN), ("exactMatchOf", SKILL_1, "ext-42"),
                     ("precedes", SKILL_1, SKILL_2)}
    # CFAssociationSetDType: the item with its CFDocumentURI, the associations as a package holds them.
    assert skill["CFItem"]["CFDocumentURI"]["identifier"] == DOC
    for entry in domain["CFAssociations"] + skill["CFAssociations"]:
        assert valid_as("CFPckgAssociation", entry) == []
    # A framework's other associations of five types, each served by itself.
    package = get(client, "CFPackages/20c5134f-423d-4097-a971-3dd5152bf507").json()
    for association in package["CFAssociations"]:
        served = get(client, f"CFAssociations/{association['identifier']}").json()
        assert served.pop("CFDocumentURI")["identifier"] == "20c5134f-423d-4097-a971-3dd5152bf507"
        assert served == association


def test_derived_tree_associations_are_served_by_identifier(client):
    api.load_builtin_frameworks()
    framework = api.list_frameworks()[0]
    package = get(client, f"CFPackages/{framework.identifier}").json()
    tree = [association for association in package["CFAssociations"] if association["associationType"] == "isChildOf"]
    for association in tree[:3] + tree[-2:]:
        served = get(client, f"CFAssociations/{association['identifier']}").json()
        served.pop("CFDocumentURI")
        assert served == association
        assert served["uri"] == f"{BASE}CFAssociations/{association['identifier']}"


def test_a_retired_item_leaves_the_package_but_is_still_served(client):
    api.import_framework(own_bytes())
    EvidenceCompetence.objects.create(evidence=EvidenceFactory(), competence=Competence.objects.get(identifier=SKILL_3))
    package = own_package()
    package["CFItems"] = package["CFItems"][:3]
    package["CFAssociations"] = [entry for entry in package["CFAssociations"]
                                 if entry["originNodeURI"] != {"title": "", "identifier": SKILL_3,
                                                               "uri": f"https://case.example.org/uri/{SKILL_3}"}]
    api.import_framework(own_bytes(package))
    served = get(client, f"CFPackages/{DOC}").json()
    assert SKILL_3 not in {item["identifier"] for item in served["CFItems"]}
    assert get(client, f"CFItems/{SKILL_3}").json()["identifier"] == SKILL_3


# --- Definitions -----------------------------------------------------------------------------------


def test_definitions(client):
    api.import_framework(own_bytes(definitions_package()))
    concepts = get(client, f"CFConcepts/{CONCEPT}").json()
    assert [concept["identifier"] for concept in concepts["CFConcepts"]] == [CONCEPT, CHILD_CONCEPT]
    assert [concept["identifier"] for concept in get(client, f"CFConcepts/{CHILD_CONCEPT}").json()["CFConcepts"]] == [
        CHILD_CONCEPT]
    assert get(client, f"CFSubjects/{SUBJECT}").json()["CFSubjects"][0]["title"] == "TIC"
    assert get(client, f"CFItemTypes/{ITEM_TYPE}").json()["CFItemTypes"][0]["title"] == "Domaine"
    assert get(client, f"CFAssociationGroupings/{GROUPING}").json()["title"] == "Progression"
    assert get(client, f"CFRubrics/{RUBRIC}").json()["title"] == "Grille"
    assert get(client, f"CFLicenses/{LICENCE}").json()["licenseText"] == "Texte"
    # The framework's own licence, named by its CFDocument's licenseURI, is served too.
    licence_link = get(client, f"CFDocuments/{DOC}").json()["licenseURI"]
    licence = get(client, f"CFLicenses/{licence_link['identifier']}").json()
    assert valid_as("CFLicense", licence) == []
    assert licence["title"] == "CC BY 4.0" and licence["uri"] == f"{BASE}CFLicenses/{licence_link['identifier']}"


def test_definitions_the_schema_refuses_are_not_served(client):
    package = definitions_package()
    del package["CFDefinitions"]["CFConcepts"][0]["hierarchyCode"]  # required
    api.import_framework(own_bytes(package))
    assert_error(get(client, f"CFConcepts/{CONCEPT}"), 404, "unknownobject")
    served = get(client, f"CFPackages/{DOC}").json()
    assert package_errors(served) == []
    assert "CFDefinitions" not in served
    assert served["extensions"]["competencyPortfolio"]["caseFields"]["CFDefinitions"]["CFConcepts"][1][
        "identifier"] == CHILD_CONCEPT


# --- URLs for others -------------------------------------------------------------------------------


def test_item_url_for_other_rooms(rf, settings):
    path = reverse("competency_plugin:case-cfitem", kwargs={"sourced_id": SKILL_1})
    assert path == f"{ROOT}CFItems/{SKILL_1}"
    assert api.case_item_url(rf.get("/"), SKILL_1) == f"http://testserver{path}"
    assert api.case_item_url("https://lms.example.org/", uuid.UUID(SKILL_1)) == f"https://lms.example.org{path}"
    assert api.case_item_url("https://lms.example.org/ims/case/v1p1/", SKILL_1) == f"https://lms.example.org{path}"
    settings.LMS_ROOT_URL = "https://lms.example.org"
    assert api.case_item_url(None, SKILL_1) == f"https://lms.example.org{path}"
    settings.LMS_ROOT_URL = ""
    assert api.case_item_url(None, SKILL_1) == path


# --- Queries ---------------------------------------------------------------------------------------


def big_package(count):
    """A framework of ``count`` items under 10 domains, with one precedes between each pair of domains."""
    package = copy.deepcopy(own_package())
    items, associations = [], []
    domains = [str(uuid.uuid5(uuid.UUID(DOC), f"domain{index}")) for index in range(10)]
    for index, identifier in enumerate(domains):
        items.append({"identifier": identifier, "fullStatement": f"Domaine {index}", "humanCodingScheme": f"D{index}"})
        associations.append({"identifier": str(uuid.uuid5(uuid.UUID(identifier), "tree")),
                             "associationType": "isChildOf", "originNodeURI": identifier, "destinationNodeURI": DOC,
                             "sequenceNumber": index})
    for index in range(count - 10):
        identifier = str(uuid.uuid5(uuid.UUID(DOC), f"item{index}"))
        items.append({"identifier": identifier, "fullStatement": f"Item {index}", "humanCodingScheme": f"I{index}"})
        associations.append({"identifier": str(uuid.uuid5(uuid.UUID(identifier), "tree")),
                             "associationType": "isChildOf", "originNodeURI": identifier,
                             "destinationNodeURI": domains[index % 10], "sequenceNumber": index})
    package["CFItems"], package["CFAssociations"] = items, associations
    return package, domains


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_queries_do_not_grow_with_the_framework(client):
    counts = []
    for size in (20, 200):
        package, domains = big_package(size)
        api.import_framework(own_bytes(package))
        counts.append({
            "package": count_queries(client, f"CFPackages/{DOC}"),
            "document": count_queries(client, f"CFDocuments/{DOC}"),
            "documents": count_queries(client, "CFDocuments"),
            "item": count_queries(client, f"CFItems/{domains[1]}"),
            "item associations": count_queries(client, f"CFItemAssociations/{domains[1]}"),
            "association": count_queries(client, f"CFAssociations/{uuid.uuid5(uuid.UUID(domains[1]), 'tree')}"),
        })
    assert counts[0] == counts[1]
    assert counts[1]["package"] <= 5 and counts[1]["documents"] <= 2 and counts[1]["item associations"] <= 5
