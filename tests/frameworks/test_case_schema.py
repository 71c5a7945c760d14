"""
Every CASE package the plugin writes validates against 1EdTech's official CASE 1.1 CFPackage
schema (bundled in ``frameworks/formats/case/schemas/``), formats included; imported CASE 1.0
and OpenSALT habits the schema forbids travel in our extension and come back on import.
"""
import copy
import json

import pytest
from django.core.management import call_command

from competency_plugin import api
from competency_plugin.frameworks.formats.case import read_case, write_case
from competency_plugin.frameworks.formats.case.schema import SCHEMA_PATH, package_errors, package_schema
from tests.factories import UserFactory
from tests.frameworks.test_format_case import DOC, DOMAIN, SKILL_1, SKILL_2, own_bytes, own_package
from tests.frameworks.test_frameworks_save import fixture_bytes, normalized, sample_spec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FIXTURES = [
    "Ordering.json", "SmartLevelFramework.json", "WhatStandardsCouldBe.json", "Utf8TestFramework.json",
    "SequenceNumberFramework.json", "MarkdownFramework.json", "EmptyExternalFramework.json",
]
BASE = "https://lms.example.org/ims/case/v1p1/"


def test_bundled_schema_is_the_official_one_and_checks_formats():
    schema = package_schema()
    assert schema["$id"] == (
        "https://purl.imsglobal.org/spec/case/v1p1/schema/json/case_v1p1_cfpackage-jsonschema1.json"
    )
    assert schema["$defs"]["CFPckgItem"]["additionalProperties"] is False
    readme = (SCHEMA_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert "a30c942bc98f431e2d5483f37f5e0e2b087a2b34" in readme and "Apache License 2.0" in readme
    api.import_framework(own_bytes())
    package = json.loads(api.export_framework(DOC, "case"))
    assert package_errors(package) == []
    # What the schema forbids, and values of the wrong format, are caught.
    broken = copy.deepcopy(package)
    broken["CFItems"][0]["CFDocumentURI"] = {"title": "x", "identifier": DOC, "uri": "urn:x"}
    broken["CFDocument"]["CFPackageURI"] = {"title": "x", "identifier": DOC, "uri": "urn:x"}
    broken["CFItems"][1]["identifier"] = "not-a-uuid"
    broken["CFAssociations"][0]["lastChangeDateTime"] = "2025-01-10 08:00:00"
    errors = "\n".join(package_errors(broken))
    assert "$.CFItems[0]: Additional properties are not allowed ('CFDocumentURI' was unexpected)" in errors
    assert "'CFPackageURI' was unexpected" in errors
    assert "$.CFItems[1].identifier: 'not-a-uuid' is not a 'uuid'" in errors
    assert "$.CFAssociations[0].lastChangeDateTime: '2025-01-10 08:00:00' is not a 'date-time'" in errors


@pytest.mark.parametrize("language", ["fr", "en", None])
@pytest.mark.parametrize("base_url", [None, BASE])
def test_every_builtin_framework_exports_a_valid_package(language, base_url):
    api.load_builtin_frameworks()
    frameworks = api.list_frameworks()
    assert len(frameworks) >= 4
    for framework in frameworks:
        text = api.export_framework(framework.identifier, "case", language=language, base_url=base_url)
        package = json.loads(text)
        assert package_errors(package) == [], framework.title_en
        if base_url:
            assert package["CFDocument"]["uri"] == f"{BASE}CFDocuments/{framework.identifier}"
            assert all(item["uri"] == f"{BASE}CFItems/{item['identifier']}" for item in package["CFItems"])
            assert all(association["uri"] == f"{BASE}CFAssociations/{association['identifier']}"
                       for association in package["CFAssociations"])


@pytest.mark.parametrize("name", FIXTURES)
def test_opensalt_files_export_valid_packages_and_round_trip(name):
    content = fixture_bytes(f"case/{name}")
    original = read_case(content)
    api.import_framework(content, format="case")
    for base_url in (None, BASE):
        exported = api.export_framework(original.identifier, "case", base_url=base_url)
        assert package_errors(json.loads(exported)) == []
    assert normalized(read_case(exported)) == normalized(original)


def test_case_1_0_and_opensalt_extras_leave_the_package_and_come_back():
    package = own_package()
    link = {"title": "Doc", "identifier": DOC, "uri": f"https://case.example.org/uri/{DOC}"}
    package["CFDocument"]["CFPackageURI"] = {**link, "uri": "https://case.example.org/packages/1"}
    package["CFDocument"]["statusStartDate"] = "10/01/2025"  # not an ISO date
    for entry in package["CFItems"] + package["CFAssociations"]:
        entry["CFDocumentURI"] = link
    package["CFItems"][0]["lastChangeDateTime"] = "2025-01-10 08:00:00"  # OpenSALT 1.0 spelling
    package["CFItems"][0]["x-opensalt-flag"] = True
    package["CFItems"][1]["CFItemTypeURI"] = {"title": "Domaine", "identifier": "domaine",
                                              "uri": "https://case.example.org/types/domaine"}
    package["CFAssociations"][4]["associationType"] = "Relates To"  # no CASE type
    original = read_case(own_bytes(package))
    api.import_framework(own_bytes(package))
    exported = json.loads(api.export_framework(DOC, "case"))
    assert package_errors(exported) == []
    item = next(entry for entry in exported["CFItems"] if entry["identifier"] == SKILL_2)
    assert item["lastChangeDateTime"] != "2025-01-10 08:00:00"
    assert item["extensions"]["competencyPortfolio"]["caseFields"] == {
        "lastChangeDateTime": "2025-01-10 08:00:00", "x-opensalt-flag": True,
    }
    domain = next(entry for entry in exported["CFItems"] if entry["identifier"] == DOMAIN)
    assert "CFItemTypeURI" not in domain
    assert "CFItemTypeURI" in domain["extensions"]["competencyPortfolio"]["caseFields"]
    relates = next(entry for entry in exported["CFAssociations"] if entry["identifier"].endswith("000000000005"))
    assert relates["associationType"] == "ext:RelatesTo"
    assert "CFPackageURI" not in exported["CFDocument"] and "statusStartDate" not in exported["CFDocument"]
    back = read_case(json.dumps(exported))
    assert normalized(back) == normalized(original)
    assert back.associations[0].association_type == "Relates To"
    assert next(node for node in back.competences if str(node.identifier) == SKILL_1).extra == next(
        node for node in original.competences if str(node.identifier) == SKILL_1).extra


def test_a_spec_never_saved_writes_a_valid_package():
    assert package_errors(json.loads(write_case(sample_spec(), language="en"))) == []
    assert package_errors(json.loads(write_case(sample_spec(), base_url=BASE))) == []


def test_management_command_export_is_valid_and_names_the_provider(tmp_path, settings):
    api.load_builtin_frameworks()
    framework = api.list_frameworks()[0]
    settings.LMS_ROOT_URL = "https://lms.example.org"
    output = tmp_path / "framework.json"
    call_command("export_framework", str(framework.identifier), "--format", "case", "-o", str(output))
    package = json.loads(output.read_text(encoding="utf-8"))
    assert package_errors(package) == []
    assert package["CFDocument"]["uri"] == f"{BASE}CFDocuments/{framework.identifier}"
    call_command("export_framework", str(framework.identifier), "--format", "case", "-o", str(output),
                 "--base-url", "https://other.example.org/")
    package = json.loads(output.read_text(encoding="utf-8"))
    assert package_errors(package) == []
    assert package["CFItems"][0]["uri"].startswith("https://other.example.org/ims/case/v1p1/CFItems/")


def test_rest_v1_case_export_is_valid(client):
    api.load_builtin_frameworks()
    client.force_login(UserFactory())
    for framework in api.list_frameworks():
        response = client.get(f"/api/competency/v1/frameworks/{framework.identifier}/case/")
        assert response.status_code == 200
        package = response.json()
        assert package_errors(package) == []
        assert package["CFItems"][0]["uri"].startswith("http://testserver/ims/case/v1p1/CFItems/")
