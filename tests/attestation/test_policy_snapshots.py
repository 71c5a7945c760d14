"""A policy version is stored as a snapshot of its own schema (keys named), not ``PolicyData.to_dict()``."""
import datetime
from uuid import UUID

from competency_plugin.attestation.data import PolicyData, RequirementData
from competency_plugin.attestation.snapshots import policy_snapshot
from competency_plugin.frameworks.data import CompetenceOption

WHEN = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.timezone.utc)
FRAMEWORK = UUID("6f1c0a3e-3c3b-4f6e-9a6c-1f1d2b3c4d5e")
COMPETENCE = UUID("5b0f9b8e-0b61-4d3c-9a5e-d1a3a1f6f0aa")


def _policy():
    return PolicyData(
        course_key="course-v1:A+B+C", framework=FRAMEWORK, version=3,
        requirements=(RequirementData(
            competence=CompetenceOption(identifier=COMPETENCE, code="D1.1", title_fr="Concevoir", title_en="Design",
                                        depth=1),
            min_validated=2, min_authentic=1,
        ),),
        min_authentic=1, min_level="B", require_blocks_completed=True, certificate_gate=False, modified=WHEN,
    )


def test_the_snapshot_names_its_keys():
    assert policy_snapshot(_policy()) == {
        "schema": 1, "course_key": "course-v1:A+B+C", "framework": str(FRAMEWORK), "version": 3,
        "requirements": [{
            "competence": str(COMPETENCE), "code": "D1.1", "title_fr": "Concevoir", "title_en": "Design",
            "min_validated": 2, "min_authentic": 1,
        }],
        "min_authentic": 1, "min_level": "B", "require_blocks_completed": True, "certificate_gate": False,
        "modified": WHEN.isoformat(), "min_peer_feedback": 0,
    }


def test_same_keys_as_the_versions_stored_before_the_schema():
    """No migration: besides ``schema``, the keys are those ``to_dict`` stored until now."""
    stored_before = _policy().to_dict()
    snapshot = policy_snapshot(_policy())
    assert {key: value for key, value in snapshot.items() if key != "schema"} == stored_before
