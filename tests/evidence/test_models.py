"""The plugin's models: defaults, constraints, cascades, indexes and migrations in step with the code."""
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from competency_plugin.models import Attachment, AttachmentKind, Evidence, EvidenceStatus
from tests.factories import COURSE_KEY, USAGE_KEY, AttachmentFactory, EvidenceFactory, LinkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_evidence_defaults():
    evidence = EvidenceFactory()
    evidence.refresh_from_db()
    assert evidence.uuid is not None
    assert evidence.status == EvidenceStatus.DRAFT
    assert evidence.version == 0 and evidence.submitted_at is None
    assert evidence.client_key is None
    assert evidence.created is not None and evidence.modified is not None
    assert str(evidence) == f"{evidence.uuid} (draft)"


def test_keys_are_stored_as_opaque_keys():
    evidence = EvidenceFactory()
    evidence.refresh_from_db()
    assert evidence.course_key == COURSE_KEY
    assert evidence.usage_key == USAGE_KEY
    assert Evidence.objects.filter(usage_key=USAGE_KEY, course_key=COURSE_KEY).count() == 1


def test_uuids_are_distinct():
    assert EvidenceFactory().uuid != EvidenceFactory().uuid


def test_newest_evidence_first():
    first, second, third = EvidenceFactory(), EvidenceFactory(), EvidenceFactory()
    assert list(Evidence.objects.all()) == [third, second, first]


def test_attachments_oldest_first():
    evidence = EvidenceFactory()
    first = LinkFactory(evidence=evidence)
    second = AttachmentFactory(evidence=evidence)
    assert list(evidence.attachments.all()) == [first, second]
    assert str(second) == "file: compte-rendu.txt"


def test_client_key_is_unique_per_learner():
    learner = UserFactory()
    EvidenceFactory(user=learner, client_key="k-1")
    EvidenceFactory(user=UserFactory(), client_key="k-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(user=learner, client_key="k-1")
    assert Evidence.objects.filter(client_key="k-1").count() == 2


def test_items_without_client_key_do_not_collide():
    learner = UserFactory()
    EvidenceFactory(user=learner, client_key=None)
    EvidenceFactory(user=learner, client_key=None)
    assert Evidence.objects.filter(user=learner).count() == 2


def test_deleting_evidence_deletes_its_attachments():
    evidence = EvidenceFactory()
    AttachmentFactory(evidence=evidence)
    LinkFactory(evidence=evidence)
    kept = LinkFactory()
    evidence.delete()
    assert list(Attachment.objects.all()) == [kept]


def test_deleting_a_learner_deletes_their_evidence():
    learner = UserFactory()
    AttachmentFactory(evidence=EvidenceFactory(user=learner))
    other = EvidenceFactory()
    learner.delete()
    assert list(Evidence.objects.all()) == [other]
    assert not Attachment.objects.exists()


def test_link_factory_builds_links():
    link = LinkFactory()
    assert link.kind == AttachmentKind.LINK and link.url.startswith("https://") and not link.file_key


def test_indexes_exist_in_the_database():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Evidence._meta.db_table)
    assert {"cp_evidence_usage_user", "cp_evidence_course_status"} <= set(constraints)
    unique = constraints["cp_evidence_unique_client_key"]
    assert unique["unique"] and unique["columns"] == ["user_id", "client_key"]


def test_migrations_are_in_step_with_the_models():
    out = io.StringIO()
    call_command("makemigrations", "competency_plugin", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("model", [Evidence, Attachment])
def test_models_declare_their_personal_data(model):
    assert ".. pii:" in model.__doc__ and ".. pii_retirement:" in model.__doc__
