"""
Claiming a credential: who may, what the signed OpenBadgeCredential says (validated against
1EdTech's schema), what ``verify_credential`` answers, revocation through the status list, and
the signing keys (creation, rotation).
"""
import copy
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from competency_plugin import api
from competency_plugin.credentials import status
from competency_plugin.models import IssuedCredential
from tests.attestation.support import COURSE, make_user, situation
from tests.credentials.conftest import BASE, claim, credential_settings

SCHEMA = Path(__file__).parent.parent / "fixtures" / "openbadges" / "ob_v3p0_achievementcredential_schema_draft4.json"


def ob3_schema():
    """
    1EdTech's schema of the OpenBadgeCredential brought to the current data model (VC 2.0), which
    the draft-4 copy predates, on three points only, each read from the model's source in
    1EdTech/openbadges-specification (``ob_v3p0/common_credentials.lines``, classes
    ``AchievementCredential``, ``CredentialStatus`` and ``IdentifierTypeEnum``): ``validFrom``
    (DateTimeZ, required) in place of ``issuanceDate``; ``CredentialStatus`` open to its method's
    properties (``Mixin Extensions``: a ``BitstringStatusListEntry`` has ``statusPurpose``,
    ``statusListIndex``…); and ``name`` among the identity types (the term the model adds there).
    """
    schema = json.loads(SCHEMA.read_text())
    schema["required"] = ["validFrom" if name == "issuanceDate" else name for name in schema["required"]]
    schema["properties"]["validFrom"] = schema["properties"].pop("issuanceDate")
    schema["$defs"]["CredentialStatus"]["additionalProperties"] = True
    _add_name_identity_type(schema)
    return schema


def _add_name_identity_type(node):
    """Add ``name`` to every copy of the identity types' enumeration in the schema."""
    if isinstance(node, dict):
        if "ltiUserId" in node.get("enum", ()):
            node["enum"].append("name")
        for value in node.values():
            _add_name_identity_type(value)
    elif isinstance(node, list):
        for value in node:
            _add_name_identity_type(value)


def test_an_eligible_learner_gets_a_signed_open_badge(signing, eligible, framework):
    credential, created = api.claim_credential(user=eligible, course_key=COURSE, language="fr")
    assert created
    document = credential.document
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"{BASE}/competency/credentials/{credential.identifier}.json"
    assert document["issuer"] == {"id": f"{BASE}/competency/credentials/issuer", "type": ["Profile"],
                                  "name": "Formation TIC", "url": BASE}
    subject = document["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:") and "amina" not in json.dumps(document)
    assert "identifier" not in subject and "evidence" not in document
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Competency"
    assert "3 Aspect 3 (fr)" in achievement["criteria"]["narrative"]
    (alignment,) = achievement["alignment"]
    assert alignment == {
        "type": ["Alignment"], "targetType": "CFItem", "targetName": "3.1 Module 3.1",
        "targetUrl": f"{BASE}/ims/case/v1p1/CFItems/{framework.id('3.1')}", "targetFramework": "Référentiel",
        "targetCode": "3.1",
    }
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert document["proof"]["verificationMethod"] == \
        f"{BASE}/competency/credentials/issuer#{signing['public_key_multibase']}"
    assert api.verify_credential(document).status == "valid"
    jsonschema.validate(document, ob3_schema(), cls=jsonschema.Draft4Validator)


def test_the_schema_check_can_fail(signing, eligible):
    document = copy.deepcopy(claim(eligible).document)
    del document["credentialSubject"]["achievement"]["criteria"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, ob3_schema(), cls=jsonschema.Draft4Validator)


def test_name_level_and_evidence_only_when_asked(signing, framework):
    learner = make_user("bintou", first_name="Bintou", last_name="Sow")
    evidence = situation(learner, framework, "3.2")
    item = api.get_review_item(evidence_uuid=evidence.uuid, course_key=COURSE)
    api.decide(evidence_uuid=evidence.uuid, course_key=COURSE, reviewer_id=None, version=item.evidence.version,
               base_decision=item.latest.uuid, outcome="accepted",
               competences=[{"competence": framework.id("3.2"), "status": "validated", "level": "B"}])
    document = claim(learner, include_name=True, include_evidence=True).document
    subject = document["credentialSubject"]
    assert subject["identifier"] == [{"type": "IdentityObject", "identityHash": "Bintou Sow", "identityType": "name",
                                      "hashed": False}]
    (result,) = subject["result"]
    assert result["value"] == "B" and result["alignment"][0]["targetCode"] == "3.2"
    (entry,) = document["evidence"]
    assert entry["name"] == "Séance" and entry["narrative"] == "d" and entry["genre"]
    assert "attachments" not in json.dumps(document)
    assert api.verify_credential(document).status == "valid"
    jsonschema.validate(document, ob3_schema(), cls=jsonschema.Draft4Validator)


def test_a_framework_uri_is_the_alignment_target(signing, eligible, framework):
    row = framework.row("3.1")
    row.extra = {"uri": "https://frameworks.example.org/ict-cft/3.1"}
    row.save()
    (alignment,) = claim(eligible).document["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetUrl"] == "https://frameworks.example.org/ict-cft/3.1"


def test_a_learner_who_is_not_eligible_cannot_claim(signing, framework):
    learner = make_user("chloe")
    with pytest.raises(api.CompetencyRequestError) as error:
        claim(learner)
    assert "course_id" in error.value.field_errors
    assert not IssuedCredential.objects.exists()


def test_no_key_no_credential(db, tmp_path, eligible):
    with credential_settings(tmp_path, "missing"):
        with pytest.raises(api.CompetencyUnavailableError):
            claim(eligible)
    assert not IssuedCredential.objects.exists()


def test_claiming_again_returns_it_other_choices_replace_it(signing, eligible):
    first = claim(eligible)
    again, created = api.claim_credential(user=eligible, course_key=COURSE)
    assert not created and again.identifier == first.identifier
    replaced = claim(eligible, include_name=True)
    assert replaced.identifier != first.identifier
    old = api.verify_credential(first.document)
    assert old.status == "revoked" and "Replaced" in old.reason
    assert [item.identifier for item in api.list_credentials(user_id=eligible.id)] == \
        [replaced.identifier, first.identifier]


def test_revoked_says_revoked_and_the_status_list_has_its_bit(signing, eligible):
    credential = claim(eligible)
    index = int(credential.document["credentialStatus"]["statusListIndex"])
    listed = api.status_list_credential()
    assert not status.is_set(status.decode_list(listed["credentialSubject"]["encodedList"]), index)
    revoked = api.revoke_credential(identifier=credential.identifier, reason="Plagiat avéré")
    assert revoked.revoked and revoked.revocation_reason == "Plagiat avéré"
    result = api.verify_credential(credential.document)
    assert result.status == "revoked" and "Plagiat avéré" in result.reason
    listed = api.status_list_credential()
    bits = status.decode_list(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == status.LIST_SIZE and status.is_set(bits, index)
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert api.verify_credential(listed).status == "valid"
    with pytest.raises(api.CompetencyConflictError):
        api.revoke_credential(identifier=credential.identifier, reason="again")


def test_a_revocation_needs_a_reason(signing, eligible):
    credential = claim(eligible)
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(api.CompetencyRequestError) as error:
            api.revoke_credential(identifier=credential.identifier, reason=reason)
        assert "reason" in error.value.field_errors
    with pytest.raises(api.CompetencyNotFoundError):
        api.revoke_credential(identifier="not-a-uuid", reason="r")


@pytest.mark.parametrize("change", [
    lambda doc: doc["credentialSubject"]["achievement"].__setitem__("name", "Autre"),
    lambda doc: doc["credentialSubject"]["achievement"]["alignment"][0].__setitem__("targetCode", "6.1"),
    lambda doc: doc.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    lambda doc: doc["credentialStatus"].__setitem__("statusListIndex", "0"),
    lambda doc: doc["issuer"].__setitem__("name", "Autre"),
])
def test_a_changed_credential_is_invalid(signing, eligible, change):
    document = copy.deepcopy(claim(eligible).document)
    change(document)
    result = api.verify_credential(document)
    assert result.status == "invalid" and "changed" in result.reason


def test_foreign_or_malformed_documents_are_invalid(signing, eligible):
    document = claim(eligible).document
    vector = json.loads((SCHEMA.parent / "signed-credential.json").read_text())
    assert "not signed by a key" in api.verify_credential(vector).reason
    for bad in (None, [], {}, {**document, "proof": "x"}, {**document, "issuer": "https://example.org/"}):
        assert api.verify_credential(bad).status == "invalid"


def test_rotated_keys_stay_published_and_verify(signing, eligible, tmp_path):
    old = claim(eligible)
    with credential_settings(signing["dir"], "k2"):
        api.create_key(name="k2")
        new = claim(eligible, include_name=True)
        assert new.document["proof"]["verificationMethod"] != old.document["proof"]["verificationMethod"]
        keys = api.controller_document()
        assert [method["publicKeyMultibase"] for method in keys["verificationMethod"]][0] == \
            signing["public_key_multibase"]
        assert len(keys["assertionMethod"]) == 2
        assert all(method["publicKeyMultibase"].startswith("z6Mk") for method in keys["verificationMethod"])
        (signing["dir"] / "k1.pem").unlink()
        assert api.verify_credential(new.document).status == "valid"
        assert api.verify_credential(old.document).status == "revoked"  # replaced by the new claim


def test_the_command_creates_a_private_file_and_never_overwrites(db, tmp_path, capsys):
    call_command("create_credential_key", "2026-12", directory=str(tmp_path))
    path = tmp_path / "2026-12.pem"
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in path.read_bytes()
    assert "z6Mk" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create_credential_key", "2026-12", directory=str(tmp_path))
    with pytest.raises(CommandError):
        call_command("create_credential_key", "../etc", directory=str(tmp_path))
