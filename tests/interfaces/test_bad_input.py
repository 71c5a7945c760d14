"""
Bad input gets a clear 4xx, never a 500 (issue 12): each attack found is kept here.

- Lone surrogates (``"\\ud800"`` sent as a JSON escape) in every text a person sends: neither
  SQLite nor MariaDB can store one, the database driver failed on it.
- Requests Django refuses to read (too many fields or files, no multipart boundary, a body
  above ``DATA_UPLOAD_MAX_MEMORY_SIZE``) and nested DRF errors: JSON of the documented shape.
- Payload keys of the wrong type (a number as ``uuid`` created a new draft).
- JSON nested 100,000 deep in an imported framework.
- Formulas in every cell of the eligibility CSV, its header included.

Each refusal leaves the database as it was (``plugin_snapshot``).
"""
import csv
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from competency_plugin import api
from competency_plugin.models import Competence, Framework
from tests.factories import UserFactory
from tests.fuzz.conftest import world  # noqa: F401  pylint: disable=unused-import
from tests.fuzz.conftest import FIELDS, plugin_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

COURSE = "course-v1:workbench+portfolio+demo"
SURROGATE = b"\\ud800"  # a JSON escape: Python decodes it into the lone surrogate U+D800


def post(world, handler, body, student="learner1", **extra):  # pylint: disable=redefined-outer-name
    """POST raw JSON ``body`` (bytes) to a handler of the world's block."""
    url = f"/handler/{world.scenario.block_id}/{handler}/?student={student}"
    return world.scenario.client.post(url, data=body, content_type="application/json",
                                      HTTP_ACCEPT_LANGUAGE="en", **extra)


def json_with(payload, marker="@S@"):
    """``payload`` as JSON bytes, each ``marker`` replaced by the JSON escape of a lone surrogate."""
    return json.dumps(payload).encode().replace(marker.encode(), SURROGATE)


def refused(response, status=400):
    """The JSON error body of a refusal with ``status``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = json.loads(response.content)
    assert set(body) == {"error", "message", "field_errors"} and body["message"], body
    assert all(isinstance(messages, list) and all(isinstance(text, str) for text in messages)
               for messages in body["field_errors"].values()), body
    return body


def _draft(world):  # pylint: disable=redefined-outer-name
    """learner1's draft (the first item of the world)."""
    return world.evidence[0]


def _submitted(world):  # pylint: disable=redefined-outer-name
    """learner1's submitted item, never decided."""
    return world.evidence[1]


# --- Lone surrogates ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", [
    "justification", "title", "description", "link title", "link url", "feedback",
])
def test_lone_surrogate_in_text_is_a_field_error(world, case):  # pylint: disable=redefined-outer-name
    """Each text field refuses a lone surrogate with a 400 naming the field; nothing is written."""
    competence = world.competences[1]
    requests = {
        "justification": ("save_evidence", {
            "uuid": _draft(world), "fields": {"title": "T"},
            "claims": [{"competence": competence, "justification": "Parce que @S@."}]}, "competences"),
        "title": ("save_evidence", {"fields": {**FIELDS, "title": "Séance @S@"}}, "title"),
        "description": ("save_evidence", {"uuid": _draft(world), "fields": {"description": "@S@"}}, "description"),
        "link title": ("add_link", {"uuid": _draft(world), "url": "https://example.org/y", "title": "@S@"}, "title"),
        "link url": ("add_link", {"uuid": _draft(world), "url": "https://example.org/@S@"}, "url"),
        "feedback": ("review_decide", {
            "uuid": _submitted(world), "version": 1, "outcome": "revision_requested", "feedback": "Revoir @S@",
            "competences": [{"competence": competence, "status": "not_yet"}]}, "feedback"),
    }
    handler, payload, field = requests[case]
    before = plugin_snapshot()
    student = "staff1" if handler.startswith("review") else "learner1"
    body = refused(post(world, handler, json_with(payload), student=student))
    assert field in body["field_errors"], body
    assert "U+D800" in " ".join(body["field_errors"][field])
    assert plugin_snapshot() == before


def test_lone_surrogate_in_a_policy_is_a_field_error(client):
    """The REST policy's texts go through the same check."""
    admin = UserFactory(username="admin", is_staff=True)
    client.force_login(admin)
    body = json_with({"framework": "x", "requirements": [{"competence": "@S@"}], "min_level": "@S@"})
    response = client.put(f"/api/competency/v1/courses/{COURSE}/policy/", data=body,
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    errors = refused(response)["field_errors"]
    assert "U+D800" in errors["min_level"][0] and "U+D800" in errors["requirements.0.competence"][0]


def test_lone_surrogate_in_the_api_calls_of_staff_and_policies():
    """Callers of the Python API (not only the handlers) get the field error."""
    with pytest.raises(api.CompetencyRequestError) as caught:
        api.set_policy(course_key=COURSE, framework=str(uuid.uuid4()), requirements=[], min_level="\ud800")
    assert "framework" in caught.value.field_errors or "min_level" in caught.value.field_errors
    assert api.text_problem("a\ud800") and api.text_problem("a\x00") and api.text_problem(12)
    assert api.text_problem("é" * 5, max_length=4) and api.text_problem("Séance") is None


@pytest.mark.parametrize("where", ["title", "description", "code", "extra", "level"])
def test_lone_surrogate_in_an_imported_framework_is_refused_and_nothing_is_written(where):
    """CASE text reaches the database: a lone surrogate in any of it is a 400 before anything is written."""
    item = {"identifier": str(uuid.uuid4()), "fullStatement": "Concevoir", "humanCodingScheme": "1"}
    document = {"identifier": str(uuid.uuid4()), "title": "Référentiel"}
    if where == "title":
        document["title"] = "@S@"
    elif where == "description":
        item["notes"] = item["fullStatement"] = "@S@"
    elif where == "code":
        item["humanCodingScheme"] = "@S@"
    elif where == "extra":
        item["educationLevel"] = ["@S@"]
    package = {"CFDocument": document, "CFItems": [item], "CFAssociations": []}
    if where == "level":
        package["CFRubrics"] = [{"identifier": str(uuid.uuid4()), "CFRubricCriteria": [{
            "identifier": str(uuid.uuid4()), "CFRubricCriterionLevels": [
                {"identifier": str(uuid.uuid4()), "quality": "@S@", "score": 1}]}]}]
    content = json_with(package)
    try:
        api.import_framework(content, format="case")
    except api.CompetencyRequestError as error:
        assert error.field_errors, error
    else:
        # The reader may leave a part out (rubrics it does not map): then nothing unstorable was kept.
        assert where == "level", "the surrogate was accepted"
        assert not any("\ud800" in str(row) for row in Competence.objects.values())
        return
    assert not Framework.objects.exists()


def test_a_file_name_with_a_lone_surrogate_is_cleaned(world):  # pylint: disable=redefined-outer-name
    """File names are cleaned rather than refused: the surrogate becomes "_"."""
    user_id = _user_id("learner1")
    evidence = api.add_file(
        user_id=user_id, evidence_uuid=_draft(world), upload=io.BytesIO(b"notes"), filename="no\ud800tes.txt",
        limits=api.upload_limits(),
    )
    assert "\ud800" not in evidence.files[-1].title


def _user_id(username):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    return get_user_model().objects.get(username=username).id


# --- Payload keys of the wrong type ------------------------------------------------------------


@pytest.mark.parametrize("value", [123, [], {}, True, 1.5])
@pytest.mark.parametrize("key", ["uuid", "client_key"])
def test_save_with_a_non_text_uuid_or_client_key_is_a_400(world, key, value):  # pylint: disable=redefined-outer-name
    """A number or a list as ``uuid`` was read as "no uuid" and created a new draft."""
    before = plugin_snapshot()
    body = refused(post(world, "save_evidence", json.dumps({key: value, "fields": FIELDS}).encode()))
    assert key in body["field_errors"], body
    assert plugin_snapshot() == before


@pytest.mark.parametrize("handler, key, student", [
    ("submit_evidence", "uuid", "learner1"),
    ("delete_evidence", "uuid", "learner1"),
    ("add_link", "uuid", "learner1"),
    ("remove_attachment", "uuid", "learner1"),
    ("review_item", "uuid", "staff1"),
    ("review_decide", "uuid", "staff1"),
    ("review_decide", "base_decision", "staff1"),
])
def test_every_handler_refuses_a_non_text_key(world, handler, key, student):  # pylint: disable=redefined-outer-name
    payload = {"uuid": _submitted(world), "version": 1, "outcome": "accepted", "url": "https://example.org/z",
               "competences": [{"competence": world.competences[1], "status": "validated"}], key: 7}
    before = plugin_snapshot()
    body = refused(post(world, handler, json.dumps(payload).encode(), student=student))
    assert list(body["field_errors"]) == [key], body
    assert plugin_snapshot() == before


# --- Requests Django refuses to read -----------------------------------------------------------


def _multipart(fields, boundary="b0undary"):
    parts = []
    for name, filename, content in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{content}\r\n")
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def _upload(world, body, content_type):  # pylint: disable=redefined-outer-name
    url = f"/handler/{world.scenario.block_id}/upload_file/?student=learner1"
    return world.scenario.client.post(url, data=body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("attack", ["too many fields", "too many files", "no boundary", "field too large"])
def test_upload_forms_django_refuses_are_json(world, settings, attack):  # pylint: disable=redefined-outer-name
    """Django answered these with its HTML 400 page (``SuspiciousOperation``, ``MultiPartParserError``)."""
    content_type = "multipart/form-data; boundary=b0undary"
    uuid_field = ("uuid", None, _draft(world))
    if attack == "too many fields":
        body = _multipart([uuid_field] + [(f"f{index}", None, "x") for index in range(1100)])
    elif attack == "too many files":
        body = _multipart([uuid_field] + [("file", f"n{index}.txt", "x") for index in range(120)])
    elif attack == "no boundary":
        body, content_type = _multipart([uuid_field, ("file", "notes.txt", "x")]), "multipart/form-data"
    else:
        body = _multipart([uuid_field, ("note", None, "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))])
    before = plugin_snapshot()
    body = refused(_upload(world, body, content_type), 413 if attack == "field too large" else 400)
    assert list(body["field_errors"]) == ["file"]
    assert plugin_snapshot() == before


@pytest.mark.parametrize("handler, student", [("save_evidence", "learner1"), ("review_decide", "staff1")])
def test_a_json_body_above_the_memory_limit_is_a_json_413(world, settings, handler, student):  # noqa: E501  pylint: disable=redefined-outer-name
    """A 3 MB body: Django's ``RequestDataTooBig`` became its HTML 400 page."""
    big = json.dumps({"fields": {**FIELDS, "description": "x" * 3_000_000}}).encode()
    assert len(big) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    before = plugin_snapshot()
    refused(post(world, handler, big, student=student), 413)
    assert plugin_snapshot() == before


def test_studio_edits_above_the_memory_limit_is_a_400(world):  # pylint: disable=redefined-outer-name
    response = post(world, "submit_studio_edits", b'{"values": {}, "defaults": [], "x": "' + b"x" * 3_000_000 + b'"}',
                    student="staff1")
    assert response.status_code == 400 and json.loads(response.content)["error"]


@pytest.fixture(name="admin_client")
def _admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True))
    return client


POLICY_URL = f"/api/competency/v1/courses/{COURSE}/policy/"


@pytest.mark.parametrize("attack", ["too many fields", "too many files", "no boundary", "3 MB", "deep", "nested"])
def test_rest_errors_are_json_of_the_documented_shape(admin_client, attack):
    """Django's HTML 400, a ``RecursionError`` and ``ErrorDetail(...)`` reprs: all JSON now."""
    status = 400
    if attack == "too many fields":
        response = admin_client.put(POLICY_URL, data="&".join(f"f{index}=x" for index in range(1100)),
                                    content_type="application/x-www-form-urlencoded")
    elif attack == "too many files":
        response = admin_client.put(POLICY_URL, data=_multipart([("file", f"n{i}.txt", "x") for i in range(120)]),
                                    content_type="multipart/form-data; boundary=b0undary")
    elif attack == "no boundary":
        response = admin_client.put(POLICY_URL, data=_multipart([("framework", None, "x")]),
                                    content_type="multipart/form-data")
    elif attack == "3 MB":
        status = 413
        response = admin_client.put(POLICY_URL, data=json.dumps({"framework": "x" * 3_000_000}),
                                    content_type="application/json")
    elif attack == "deep":
        response = admin_client.put(POLICY_URL, data="[" * 100_000, content_type="application/json")
    else:
        response = admin_client.put(POLICY_URL, data=json.dumps({"framework": "x", "requirements": [
            {"competence": "a"}, {"min_validated": "many"}]}), content_type="application/json")
    body = refused(response, status)
    assert "ErrorDetail" not in response.content.decode()
    if attack == "nested":
        assert set(body["field_errors"]) == {"requirements.1.competence", "requirements.1.min_validated"}


# --- JSON nested too deep in a framework file --------------------------------------------------


@pytest.mark.parametrize("content", [
    "[" * 100_000,
    '{"CFDocument": {"identifier": "x", "title": "t"}, "CFItems": ' + "[" * 100_000 + "]",
    '{"framework": {"name": "n", "x": ' + "[" * 100_000 + "}}",
], ids=["bare", "case", "mahara"])
def test_import_of_json_nested_too_deep_is_a_command_error(tmp_path, content):
    """Python's JSON parser raised ``RecursionError``: a traceback, not a ``CommandError``."""
    path = tmp_path / "deep.json"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(path))
    assert "deep.json" in str(caught.value)
    assert not Framework.objects.exists()


def test_import_with_extra_data_nested_near_the_limit_writes_nothing():
    """Parsed, but too deep to store (the JSON encoder recurses too): refused, nothing half-imported."""
    deep = "[" * 950 + "]" * 950
    content = ('{"CFDocument": {"identifier": "%s", "title": "t", "subject": %s}, "CFItems": [], "CFAssociations": []}'
               % (uuid.uuid4(), deep))
    try:
        api.import_framework(content, format="case")
    except api.CompetencyRequestError:
        assert not Framework.objects.exists()


# --- Spreadsheets ------------------------------------------------------------------------------


def test_every_cell_of_the_eligibility_csv_is_neutralised(admin_client):
    """The header carries competence codes and titles from imported files: formulas there too."""
    domain = uuid.uuid4()
    spec = api.FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="R", title_en="R",
        competences=[api.CompetenceSpec(identifier=domain, code="=1+1", title_fr="=HYPERLINK(\"http://x\")",
                                        title_en="=HYPERLINK(\"http://x\")")],
    )
    api.save_framework(spec)
    api.set_policy(course_key=COURSE, framework=str(spec.identifier),
                   requirements=[{"competence": str(domain), "min_authentic": 1}])
    learner = UserFactory(username="@learner")
    api.save_draft(user_id=learner.id, course_key=COURSE, usage_key=f"block-v1:{COURSE[10:]}+type@portfolio+block@a",
                   data={"title": "T"})
    response = admin_client.get(f"/api/competency/v1/courses/{COURSE}/eligibility/", {"format": "csv"},
                                HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'=1+1") for cell in rows[0]), rows[0]
    assert not [cell for cell in cells if cell.lstrip(" ")[:1] in ("=", "+", "-", "@")], cells
