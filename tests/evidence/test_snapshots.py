"""
Stored history has a schema of its own: a submitted version's snapshot names its keys and carries
``"schema": 1``; renaming a public dataclass's field cannot change what is stored, and older
snapshots (before the schema was numbered) read the same.
"""
import datetime
from uuid import UUID

import pytest

from competency_plugin.evidence.data import AttachmentData, ClaimData, EvidenceData
from competency_plugin.evidence.snapshots import SNAPSHOT_SCHEMA_VERSION, read_snapshot, snapshot_of
from competency_plugin.frameworks.data import CompetenceOption
from competency_plugin.models import EvidenceVersion
from tests.factories import UserFactory
from tests.review.support import make_framework, submitted

WHEN = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.timezone.utc)
STORED_BEFORE_THE_SCHEMA = {
    "situation_type": "authentic", "title": "Atelier", "occurred_on": "2026-03-01", "school_level": "CM2",
    "subject": "Sciences", "description": "Ce que j'ai fait.", "analysis": "Ce que j'en pense.",
    "attachments": [{
        "uuid": "5b0f9b8e-0b61-4d3c-9a5e-d1a3a1f6f0aa", "kind": "link", "title": "Vidéo", "url": "https://e.org/v",
        "content_type": "", "size": 0, "created": WHEN.isoformat(),
    }],
    "claims": [{
        "competence": "6f1c0a3e-3c3b-4f6e-9a6c-1f1d2b3c4d5e", "code": "D1.1", "title_fr": "Concevoir",
        "title_en": "Design", "justification": "Parce que.",
    }],
}


def _data():
    return EvidenceData(
        uuid=UUID("11111111-2222-3333-4444-555555555555"), course_key="course-v1:A+B+C",
        usage_key="block-v1:A+B+C+type@portfolio+block@a", situation_type="authentic", title="Atelier",
        occurred_on=datetime.date(2026, 3, 1), school_level="CM2", subject="Sciences",
        description="Ce que j'ai fait.", analysis="Ce que j'en pense.", status="submitted", version=1,
        submitted_at=WHEN, created=WHEN, modified=WHEN,
        attachments=(AttachmentData(
            uuid=UUID("5b0f9b8e-0b61-4d3c-9a5e-d1a3a1f6f0aa"), kind="link", title="Vidéo", url="https://e.org/v",
            content_type="", size=0, created=WHEN,
        ),),
        claims=(ClaimData(
            competence=CompetenceOption(
                identifier=UUID("6f1c0a3e-3c3b-4f6e-9a6c-1f1d2b3c4d5e"), code="D1.1", title_fr="Concevoir",
                title_en="Design", depth=1,
            ),
            justification="Parce que.",
        ),),
    )


def test_the_snapshot_names_its_keys_and_keeps_the_stored_shape():
    assert SNAPSHOT_SCHEMA_VERSION == 1
    assert snapshot_of(_data()) == {"schema": 1, **STORED_BEFORE_THE_SCHEMA}


def test_the_public_data_is_not_what_is_stored():
    """The public ``to_dict`` holds more (uuid, status, dates…); the snapshot only the history's keys."""
    public = _data().to_dict()
    snapshot = snapshot_of(_data())
    assert {"uuid", "status", "edit_version", "modified"} <= set(public) and not {"uuid", "status"} & set(snapshot)
    # The stored keys are asserted one by one above: a public field renamed changes ``to_dict`` only.
    assert snapshot["claims"][0]["competence"] == public["claims"][0]["competence"]


def test_older_snapshots_read_in_the_current_schema():
    assert read_snapshot(STORED_BEFORE_THE_SCHEMA) == {"schema": 1, **STORED_BEFORE_THE_SCHEMA}
    assert read_snapshot({"title": "Seul", "claims": None}) == {
        "schema": 1, "situation_type": "", "title": "Seul", "school_level": "", "subject": "", "description": "",
        "analysis": "", "occurred_on": None, "attachments": [], "claims": [],
    }
    assert read_snapshot(None)["schema"] == 1


@pytest.mark.django_db
def test_a_submission_stores_a_schema_1_snapshot():
    evidence = submitted(UserFactory(username="amina"), make_framework())
    content = EvidenceVersion.objects.get(evidence__uuid=evidence.uuid, number=1).content
    assert content["schema"] == 1
    assert set(content) == {"schema", *STORED_BEFORE_THE_SCHEMA}
    assert set(content["claims"][0]) == set(STORED_BEFORE_THE_SCHEMA["claims"][0])
