"""
The world the fuzz tests attack, and the checks every answer must pass.

The world: a framework, a portfolio block collecting evidence for it, learners' drafts (with
a file and a link) and submitted items (one decided by staff), so that generated identifiers
often name real rows, of the caller or of someone else. Each example runs in a transaction
rolled back afterwards, so that examples do not see each other's writes.
"""
import contextlib
import json
import uuid
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction

from competency_plugin import api
from competency_plugin.frameworks.spec import CompetenceSpec, FrameworkSpec, LevelSpec
from tests.factories import PDF_BYTES, stored_files

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}


@dataclass(eq=False)
class World:
    """What exists before the attack: identifiers the strategies draw from."""

    scenario: object
    framework: str
    competences: list
    evidence: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    users: tuple = ("learner1", "learner2", "staff1")

    @property
    def uuids(self):
        """Every identifier of a row the world holds."""
        return [self.framework, *self.competences, *self.evidence, *self.attachments, *self.decisions]


def plugin_snapshot():
    """Every row of every table of the plugin, and every stored file: equal snapshots, nothing written."""
    tables = {
        model._meta.db_table: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("competency_plugin").get_models()
    }
    return {"tables": tables, "files": stored_files()}


@contextlib.contextmanager
def rolled_back():
    """Run the block in a transaction that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def error_message(response):
    """
    The message of an error response: JSON ``message``, or ``error`` (XBlock's ``json_handler``:
    a text, or a validation's ``messages``), else the body's text.
    """
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(content)
        message = (body.get("message") or body.get("error")) if isinstance(body, dict) else None
        if isinstance(message, dict):
            message = " ".join(item.get("text", "") for item in message.get("messages", []))
        return message.strip() if isinstance(message, str) else ""
    return content.decode("utf-8", "replace").strip()


def check_answer(response, before, *, json_errors=True, method="POST", body=b""):
    """
    The answer is a success or a 4xx with a message, never a 5xx; after a refusal nothing was written.

    ``json_errors``: refusals must be JSON (every handler and endpoint but file downloads). The
    answer to HEAD has no body, hence no message. A body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    is a 413 with the same JSON error body.
    """
    assert response.status_code < 500, (response.status_code, getattr(response, "content", b"")[:2000])
    if len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        assert response.status_code in (400, 413)
    if response.status_code >= 400:
        if json_errors:
            assert response.get("Content-Type", "").startswith("application/json"), (
                response.status_code, response.content[:300])
        if method != "HEAD":
            assert error_message(response), response.status_code
        assert plugin_snapshot() == before
    elif response.streaming:
        b"".join(response.streaming_content)  # a failure while streaming is a failure too


def _framework():
    """A small framework with a two-level scale: domain 1 holding 1.1 and 1.2."""
    nodes = {code: uuid.uuid4() for code in ("1", "1.1", "1.2")}
    spec = FrameworkSpec(
        identifier=uuid.uuid4(), title_fr="Référentiel fuzz", title_en="Fuzz framework",
        levels=[LevelSpec("A", "Débutant", "Beginner"), LevelSpec("B", "Confirmé", "Proficient", True)],
        competences=[
            CompetenceSpec(nodes["1"], code="1", title_fr="Domaine", title_en="Domain"),
            CompetenceSpec(nodes["1.1"], code="1.1", title_fr="Un", title_en="One", parent=nodes["1"]),
            CompetenceSpec(nodes["1.2"], code="1.2", title_fr="Deux", title_en="Two", parent=nodes["1"]),
        ],
    )
    api.save_framework(spec)
    return str(spec.identifier), [str(value) for value in nodes.values()]


def _ok(result):
    status, body = result
    assert status == 200, body
    return body


@pytest.fixture
def world(make_scenario):
    """Build the world through the block's own handlers."""
    framework, competences = _framework()
    scenario = make_scenario(
        f'<portfolio display_name="Fuzz" framework="{framework}" min_evidence="1" max_evidence="4" max_files="2"/>'
    )
    built = World(scenario=scenario, framework=framework, competences=competences)
    claims = [{"competence": competences[1], "justification": "Parce que."}]
    for student in ("learner1", "learner2"):
        draft = _ok(scenario.post_json("save_evidence", {"fields": FIELDS, "claims": claims}, student=student))
        uuid_ = draft["evidence"]["uuid"]
        upload = _ok(scenario.upload(uuid_, "fiche.pdf", PDF_BYTES, student=student))
        link = _ok(scenario.post_json("add_link", {"uuid": uuid_, "url": "https://example.org/x"}, student=student))
        built.evidence.append(uuid_)
        built.attachments.extend(item["uuid"] for item in link["evidence"]["attachments"])
        assert upload["evidence"]["attachments"]
        submitted = _ok(scenario.post_json("save_evidence", {"fields": FIELDS, "claims": claims}, student=student))
        _ok(scenario.post_json("submit_evidence", {"uuid": submitted["evidence"]["uuid"]}, student=student))
        built.evidence.append(submitted["evidence"]["uuid"])
    decision = api.decide(
        evidence_uuid=built.evidence[-1], course_key="course-v1:workbench+portfolio+demo",
        reviewer_id=_staff_id(scenario), version=1, base_decision=None, outcome="accepted",
        competences=[{"competence": competences[1], "status": "validated", "level": "B"}],
    )
    built.decisions.append(str(decision.decision.uuid))
    return built


def _staff_id(scenario):
    """The user id of ``staff1`` (created by the demo's user service on first use)."""
    scenario.render(student="staff1")
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    return get_user_model().objects.get(username="staff1").id
