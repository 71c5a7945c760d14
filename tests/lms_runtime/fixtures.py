"""Pytest fixtures of the LMS-faithful runtime (imported by the test packages' conftest)."""
import re
from dataclasses import dataclass, field

import pytest
from django.test import override_settings

from tests.lms_runtime import grades
from tests.lms_runtime.runtime import LMS_UPLOAD_SETTINGS, Course, get_user

FIELDS = {
    "title": "Séance de géométrie",
    "situation_type": "authentic",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}


@dataclass
class LmsCourse:
    """A course of the LMS-faithful runtime, with helpers to act in it as learners and staff."""

    course: Course
    nodes: dict = field(default_factory=dict)

    def add(self, olx):
        """Add a block from its OLX; return its usage key."""
        return self.course.add(olx)

    def runtime(self, username, **kwargs):
        """A runtime bound to ``username`` (``real_user``/``preview`` as ``LmsRuntime``)."""
        return self.course.runtime(get_user(username), **kwargs)

    def as_user(self, username, usage_key, **kwargs):
        """Return (runtime, block) bound to ``username``."""
        runtime = self.runtime(username, **kwargs)
        return runtime, runtime.get_block(usage_key)

    def submit(self, usage_key, student="amina", **fields):
        """Record and submit a situation as ``student`` (claiming the nodes given); return its uuid."""
        runtime, block = self.as_user(student, usage_key)
        claims = [{"competence": str(node), "justification": "Parce que."} for node in self.nodes.values()]
        status, body = runtime.post_json(block, "save_evidence", {"fields": {**FIELDS, **fields}, "claims": claims})
        assert status == 200, body
        evidence = body["evidence"]["uuid"]
        status, body = runtime.post_json(block, "submit_evidence", {"uuid": evidence})
        assert status == 200, body
        return evidence

    def decide(self, usage_key, evidence, staff="staff_ana", outcome="accepted", feedback=""):
        """Open the item as ``staff`` and decide on what was read; return (status, body)."""
        runtime, block = self.as_user(staff, usage_key)
        status, body = runtime.post_json(block, "review_item", {"uuid": evidence})
        assert status == 200, body
        version = int(re.search(r'data-version="(\d+)"', body["html"]).group(1))
        base = re.search(r'data-base-decision="([^"]*)"', body["html"]).group(1) or None
        return runtime.post_json(block, "review_decide", {
            "uuid": evidence, "version": version, "base_decision": base, "outcome": outcome,
            "feedback": feedback,
            "competences": [
                {"competence": str(node), "status": "validated", "level": ""} for node in self.nodes.values()
            ],
        })


@pytest.fixture
def lms(db):  # pylint: disable=unused-argument
    """A course in the LMS-faithful runtime: the LMS's upload settings, the grades app listening."""
    with override_settings(**LMS_UPLOAD_SETTINGS), grades.connected():
        yield LmsCourse(Course())
