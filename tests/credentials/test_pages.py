"""
The doors to credentials: the public JSON, verification page, issuer keys and status list; the
learner's claim (course tab and REST); staff revocation (REST, admin); the learner's export and
retirement.
"""
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from lxml import html

from competency_plugin import api
from competency_plugin.models import IssuedCredential
from competency_plugin.platform import compat
from tests.attestation.support import COURSE, make_user
from tests.credentials.conftest import BASE, claim, credential_settings
from tests.interfaces.test_openapi import check, check_request
from tests.rights.test_retirement import personal_data_left

ME = "/api/competency/v1/me/credentials/"


def _revoke_url(identifier, course=COURSE):
    return f"/api/competency/v1/courses/{course}/credentials/{identifier}/revoke/"


def test_public_json_is_the_signed_document(client, signing, eligible):
    credential = claim(eligible)
    response = client.get(f"/competency/credentials/{credential.identifier}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == credential.document
    assert client.get("/competency/credentials/00000000-0000-0000-0000-000000000000.json").status_code == 404


def test_verification_page_valid_revoked_tampered(client, signing, eligible):
    credential = claim(eligible, include_name=True, language="fr")
    url = f"/competency/credentials/{credential.identifier}/"
    page = html.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content)
    assert page.get("lang") == "fr"
    assert page.xpath("//*[@data-state]/@data-state") == ["valid"]
    assert "Formation TIC" in page.text_content() and "Amina Diallo" in page.text_content()
    assert page.xpath("//table[@data-role='competences']//td/text()")[0] == "Référentiel"
    qr_code = page.xpath("//*[local-name()='svg'][contains(@class, 'cp-qr')]")
    assert qr_code and qr_code[0].xpath("*[local-name()='title']")
    assert f"{BASE}/competency/credentials/{credential.identifier}/" in page.text_content()

    row = IssuedCredential.objects.get(uuid=credential.identifier)
    row.document = {**row.document, "name": "Doctorat"}
    row.save()
    page = html.fromstring(client.get(url).content)
    assert page.xpath("//*[@data-state]/@data-state") == ["tampered"]

    row.document = credential.document
    row.save()
    api.revoke_credential(identifier=credential.identifier, reason="Erreur de saisie")
    page = html.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
    assert page.xpath("//*[@data-state]/@data-state") == ["revoked"]
    assert "Erreur de saisie" in page.text_content()
    assert client.get("/competency/credentials/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_issuer_document_and_status_list_are_public(client, signing, eligible):
    credential = claim(eligible)
    keys = json.loads(client.get("/competency/credentials/issuer").content)
    method = credential.document["proof"]["verificationMethod"]
    assert method in keys["assertionMethod"]
    (entry,) = [item for item in keys["verificationMethod"] if item["id"] == method]
    assert entry["type"] == "Multikey" and entry["controller"] == keys["id"] == f"{BASE}/competency/credentials/issuer"
    listed = client.get("/competency/credentials/status/revocation")
    assert listed.status_code == 200
    document = json.loads(listed.content)
    assert document["id"] == credential.document["credentialStatus"]["statusListCredential"]
    assert api.verify_credential(document).valid


def test_rest_list_and_claim(client, signing, eligible):
    assert client.get(ME).status_code == 401
    client.force_login(eligible)
    assert client.get(ME).json() == []
    response = client.post(ME, {"course_id": COURSE, "include_name": True}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["include_name"] and not body["revoked"]
    assert body["document"]["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Diallo"
    assert body["verification_url"] == f"{BASE}/competency/credentials/{body['identifier']}/"
    again = client.post(ME, {"course_id": COURSE, "include_name": True}, content_type="application/json")
    assert again.status_code == 200 and again.json()["identifier"] == body["identifier"]
    assert [item["identifier"] for item in client.get(ME).json()] == [body["identifier"]]
    assert client.get(ME, {"course_id": "course-v1:Other+X+1"}).json() == []


def test_rest_claim_bad_input_and_ineligible(client, signing, framework):
    learner = make_user("chloe")
    client.force_login(learner)
    for body in ({}, {"course_id": "pas un cours"}, {"course_id": COURSE, "include_name": "peut-être"}):
        response = client.post(ME, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["field_errors"]
    response = client.post(ME, {"course_id": COURSE}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and "course_id" in response.json()["field_errors"]


def test_staff_revoke_through_rest(client, signing, eligible):
    credential = claim(eligible)
    client.force_login(eligible)
    assert client.post(_revoke_url(credential.identifier), {"reason": "moi"},
                       content_type="application/json").status_code == 403
    staff = make_user("prof", is_staff=True)
    client.force_login(staff)
    assert client.post(_revoke_url(credential.identifier), {}, content_type="application/json").status_code == 400
    assert client.post(_revoke_url(credential.identifier, "course-v1:Other+X+1"), {"reason": "r"},
                       content_type="application/json").status_code == 404
    response = client.post(_revoke_url(credential.identifier), {"reason": "Fraude"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["revoked"]
    assert IssuedCredential.objects.get(uuid=credential.identifier).revoked_by == staff
    assert client.post(_revoke_url(credential.identifier), {"reason": "Fraude"},
                       content_type="application/json").status_code == 409


def test_admin_action_revokes_with_the_reason(client, signing, eligible):
    credential = claim(eligible)
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/competency_plugin/issuedcredential/"
    row = IssuedCredential.objects.get(uuid=credential.identifier)
    client.post(url, {"action": "revoke", "_selected_action": [row.pk], "reason": ""})
    assert api.verify_credential(credential.document).status != "revoked"
    client.post(url, {"action": "revoke", "_selected_action": [row.pk], "reason": "Décision du jury"})
    result = api.verify_credential(credential.document)
    assert result.status == "revoked" and "Décision du jury" in result.reason


def test_the_tab_offers_the_claim_to_eligible_learners_only(client, signing, eligible, framework):
    tab = f"/competency/courses/{COURSE}/portfolio/"
    client.force_login(eligible)
    page = html.fromstring(client.get(tab, HTTP_ACCEPT_LANGUAGE="fr").content)
    (form,) = page.xpath("//form[@data-role='claim-credential']")
    assert form.xpath(".//input[@type='checkbox'][@name='include_name']")
    response = client.post(form.get("action"), {"include_evidence": "on"})
    assert response.status_code == 302 and "credential=issued" in response["Location"]
    page = html.fromstring(client.get(response["Location"]).content)
    (link,) = page.xpath("//ul[@data-role='credentials']//a[contains(@href, '/competency/credentials/')][1]")
    assert IssuedCredential.objects.get(user=eligible).include_evidence
    assert link.get("href").endswith("/")

    other = make_user("chloe")
    client.force_login(other)
    page = html.fromstring(client.get(tab).content)
    assert not page.xpath("//form[@data-role='claim-credential']")
    response = client.post(f"/competency/courses/{COURSE}/credentials/")
    assert "credential=failed" in response["Location"]
    assert not IssuedCredential.objects.filter(user=other).exists()


def test_the_claim_form_needs_a_signed_in_enrolled_learner(client, signing, eligible, monkeypatch):
    url = f"/competency/courses/{COURSE}/credentials/"
    assert client.post(url).status_code == 302 and not IssuedCredential.objects.exists()
    client.force_login(eligible)
    monkeypatch.setattr(compat, "is_enrolled", lambda user, course_key: False)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert client.post("/competency/courses/x+y+z/credentials/").status_code in (400, 404)


def test_the_export_holds_the_learner_s_credentials(client, signing, eligible):
    credential = claim(eligible)
    other = make_user("bruno")
    client.force_login(eligible)
    response = client.get("/api/competency/v1/me/portfolio/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert json.loads(archive.read(f"credentials/{credential.identifier}.json")) == credential.document
        assert json.loads(archive.read("portfolio.json"))["credentials"] == \
            [f"credentials/{credential.identifier}.json"]
        index = html.fromstring(archive.read("index.html"))
        assert index.xpath("//ul[@data-role='credentials']/li/a/@href") == \
            [f"credentials/{credential.identifier}.json"]
    client.force_login(other)
    response = client.get("/api/competency/v1/me/portfolio/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
    assert not [name for name in names if name.startswith("credentials/")]


def test_retirement_revokes_and_erases(client, signing, eligible):
    credential = claim(eligible, include_name=True, include_evidence=True)
    summary = api.retire_learner(eligible.id)
    assert summary.credentials_erased == 1
    row = IssuedCredential.objects.get(uuid=credential.identifier)
    assert row.user is None and row.document == {} and row.erased and row.revoked
    subject = credential.document["credentialSubject"]["id"]
    assert personal_data_left(eligible, ["Amina Diallo", subject]) == []
    assert api.verify_credential(credential.document).status == "revoked"
    assert client.get(f"/competency/credentials/{credential.identifier}.json").status_code == 410
    page = html.fromstring(client.get(f"/competency/credentials/{credential.identifier}/").content)
    assert page.xpath("//*[@data-state]/@data-state") == ["revoked"] and "Amina" not in page.text_content()
    assert api.retire_learner(eligible.id).credentials_erased == 0
    assert get_user_model().objects.filter(pk=eligible.pk).exists()


def test_retiring_staff_unlinks_their_revocations(signing, eligible):
    credential = claim(eligible)
    staff = make_user("prof", is_staff=True)
    api.revoke_credential(identifier=credential.identifier, reason="Fraude", revoked_by_id=staff.id)
    api.retire_learner(staff.id)
    row = IssuedCredential.objects.get(uuid=credential.identifier)
    assert row.revoked_by is None and row.revoked and row.document


@pytest.mark.parametrize("path", ["/competency/credentials/status/revocation"])
def test_status_list_without_a_key_is_a_503(client, db, path):
    assert client.get(path).status_code == 503


def test_a_claim_on_a_site_without_a_key_is_a_503_that_says_why(client, db, tmp_path, eligible):
    client.force_login(eligible)
    with credential_settings(tmp_path, "missing"):
        body = check(client.post(ME, {"course_id": COURSE}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"),
                     "/me/credentials/", "post")
    assert body["error"] == "unavailable" and body["message"] == "Credentials are not configured on this site."


def test_the_rest_answers_match_the_openapi_document(client, signing, eligible):
    client.force_login(eligible)
    body = {"course_id": COURSE, "include_evidence": True}
    check_request(body, "/me/credentials/", "post")
    created = check(client.post(ME, body, content_type="application/json"), "/me/credentials/", "post")
    check(client.post(ME, body, content_type="application/json"), "/me/credentials/", "post")  # 200
    check(client.post(ME, {}, content_type="application/json"), "/me/credentials/", "post")  # 400
    assert check(client.get(ME), "/me/credentials/")[0]["identifier"] == created["identifier"]
    path = "/courses/{course_id}/credentials/{identifier}/revoke/"
    check(client.post(_revoke_url(created["identifier"]), {"reason": "r"}, content_type="application/json"),
          path, "post")  # 403
    client.force_login(make_user("prof", is_staff=True))
    check_request({"reason": "Fraude"}, path, "post")
    check(client.post(_revoke_url(created["identifier"]), {"reason": "Fraude"}, content_type="application/json"),
          path, "post")
    check(client.post(_revoke_url(created["identifier"]), {"reason": "Fraude"}, content_type="application/json"),
          path, "post")  # 409


def test_alignments_resolve_through_the_case_provider(client, signing, eligible, framework):
    (alignment,) = claim(eligible).document["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetUrl"].startswith(BASE)
    response = client.get(alignment["targetUrl"][len(BASE):])
    assert response.status_code == 200, response.content[:300]
    item = response.json()
    assert item["identifier"] == framework.id("3.1") and item["humanCodingScheme"] == alignment["targetCode"]
