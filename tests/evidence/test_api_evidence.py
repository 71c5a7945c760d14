"""Learners' evidence through ``competency_plugin.api``: drafts, submission, deletion, ownership and input checks."""
import datetime
import json
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competency_plugin import api
from competency_plugin.models import Evidence, EvidenceStatus
from competency_plugin.platform.conf import DEFAULTS
from tests.factories import (
    COURSE_KEY,
    OTHER_USAGE_KEY,
    USAGE_KEY,
    AttachmentFactory,
    EvidenceFactory,
    LinkFactory,
    UserFactory,
    data_snapshot,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


COMPLETE = {
    "situation_type": "authentic",
    "title": "Séance de géométrie",
    "description": "Une classe de CM2, vingt tablettes.",
    "analysis": "La consigne était trop longue.",
}


@pytest.fixture(name="learner")
def fixture_learner():
    return UserFactory(username="amina")


@pytest.fixture(name="other")
def fixture_other():
    return UserFactory(username="bruno")


def save(user, data=None, **kwargs):
    """
    Call ``api.save_draft`` in the test course and block; an update is made on the stored text
    (its current ``edit_version``) unless the test names another.
    """
    kwargs.setdefault("course_key", COURSE_KEY)
    kwargs.setdefault("usage_key", USAGE_KEY)
    if kwargs.get("evidence_uuid") and "expected_version" not in kwargs:
        stored = Evidence.objects.filter(uuid=str(kwargs["evidence_uuid"])).values_list("edit_version", flat=True)
        kwargs["expected_version"] = stored.first() or 1
    return api.save_draft(user_id=user.id, data=COMPLETE if data is None else data, **kwargs)


def test_public_names_are_exported():
    for name in api.__all__:
        assert hasattr(api, name), name


class TestCreateAndUpdate:
    """Drafts are created, then updated field by field."""

    def test_create_returns_a_draft(self, learner):
        evidence = save(learner, {**COMPLETE, "occurred_on": "2026-01-15", "school_level": "CM2"})
        assert isinstance(evidence, api.EvidenceData)
        assert evidence.status == api.EvidenceStatus.DRAFT
        assert evidence.version == 0 and evidence.submitted_at is None
        assert evidence.occurred_on == datetime.date(2026, 1, 15)
        assert evidence.course_key == str(COURSE_KEY) and evidence.usage_key == str(USAGE_KEY)
        row = Evidence.objects.get(uuid=evidence.uuid)
        assert row.user_id == learner.id and row.title == COMPLETE["title"] and row.school_level == "CM2"
        json.dumps(evidence.to_dict())  # plain, serialisable data

    def test_keys_may_be_given_as_strings(self, learner):
        evidence = save(learner, course_key=str(COURSE_KEY), usage_key=str(USAGE_KEY))
        assert Evidence.objects.get(uuid=evidence.uuid).usage_key == USAGE_KEY

    @pytest.mark.parametrize("field", ["course_key", "usage_key"])
    def test_invalid_keys_are_refused(self, learner, field):
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, **{field: "not a key"})
        assert field in caught.value.field_errors
        assert not Evidence.objects.exists()

    def test_a_draft_needs_only_a_title(self, learner):
        evidence = save(learner, {"title": "Brouillon"})
        assert evidence.description == "" and evidence.situation_type == ""

    def test_create_without_title_names_the_field(self, learner):
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, {"description": "Sans titre"})
        assert list(caught.value.field_errors) == ["title"]
        assert not Evidence.objects.exists()

    def test_update_changes_only_the_fields_given(self, learner):
        evidence = save(learner)
        updated = save(learner, {"analysis": "Nouvelle analyse"}, evidence_uuid=evidence.uuid)
        assert updated.uuid == evidence.uuid
        assert updated.analysis == "Nouvelle analyse"
        assert updated.title == COMPLETE["title"] and updated.description == COMPLETE["description"]
        assert Evidence.objects.count() == 1

    def test_update_can_clear_the_date(self, learner):
        evidence = save(learner, {**COMPLETE, "occurred_on": "2026-01-15"})
        assert save(learner, {"occurred_on": None}, evidence_uuid=evidence.uuid).occurred_on is None

    def test_update_of_an_item_asked_for_revision(self, learner):
        item = EvidenceFactory(user=learner, status=EvidenceStatus.REVISION_REQUESTED, version=1)
        assert save(learner, {"title": "Revue"}, evidence_uuid=item.uuid).title == "Revue"

    @pytest.mark.parametrize("status", [EvidenceStatus.SUBMITTED, EvidenceStatus.ACCEPTED])
    def test_submitted_items_cannot_be_edited(self, learner, status):
        item = EvidenceFactory(user=learner, status=status, version=1)
        before = data_snapshot()
        with pytest.raises(api.CompetencyConflictError):
            save(learner, {"title": "Changé"}, evidence_uuid=item.uuid)
        assert data_snapshot() == before

    def test_database_failure_is_an_internal_error(self, learner):
        with mock.patch.object(Evidence.objects, "create", side_effect=DatabaseError("disk full")):
            with pytest.raises(api.CompetencyInternalError):
                save(learner)


class TestOwnership:
    """A learner reaches only their own evidence; another's is 'not found', never shown."""

    def test_update_of_another_learners_item_is_not_found(self, learner, other):
        theirs = EvidenceFactory(user=other)
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            save(learner, {"title": "Volé"}, evidence_uuid=theirs.uuid)
        assert data_snapshot() == before

    @pytest.mark.parametrize(
        "call",
        [
            lambda user, uuid: api.get_evidence(user_id=user.id, evidence_uuid=uuid),
            lambda user, uuid: api.submit_evidence(user_id=user.id, evidence_uuid=uuid),
            lambda user, uuid: api.delete_evidence(user_id=user.id, evidence_uuid=uuid),
        ],
        ids=["get", "submit", "delete"],
    )
    def test_other_actions_on_another_learners_item_are_not_found(self, learner, other, call):
        theirs = EvidenceFactory(user=other)
        AttachmentFactory(evidence=theirs)
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            call(learner, theirs.uuid)
        assert data_snapshot() == before

    @pytest.mark.parametrize("bad_uuid", ["", "not-a-uuid", "0" * 10000, "12345678-1234-1234-1234-1234567890ab"])
    def test_malformed_or_unknown_uuids_are_not_found(self, learner, bad_uuid):
        with pytest.raises(api.CompetencyNotFoundError):
            api.get_evidence(user_id=learner.id, evidence_uuid=bad_uuid)

    def test_update_through_another_block_is_not_found(self, learner):
        """Each block applies its own rules: an item is changed only through the block that holds it."""
        evidence = save(learner, usage_key=USAGE_KEY)
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            save(learner, {"situation_type": "training"}, evidence_uuid=evidence.uuid, usage_key=OTHER_USAGE_KEY)
        assert data_snapshot() == before

    @pytest.mark.parametrize("action", ["submit", "delete"])
    def test_submit_and_delete_through_another_block_are_not_found(self, learner, action):
        item = EvidenceFactory(user=learner)
        call = api.submit_evidence if action == "submit" else api.delete_evidence
        before = data_snapshot()
        with pytest.raises(api.CompetencyNotFoundError):
            call(user_id=learner.id, evidence_uuid=item.uuid, usage_key=OTHER_USAGE_KEY)
        assert data_snapshot() == before
        call(user_id=learner.id, evidence_uuid=item.uuid, usage_key=str(USAGE_KEY))

    def test_list_shows_only_the_learners_items_in_the_block(self, learner, other):
        older = EvidenceFactory(user=learner)
        newer = EvidenceFactory(user=learner)
        EvidenceFactory(user=other)
        EvidenceFactory(user=learner, usage_key=OTHER_USAGE_KEY)
        items = api.list_evidence(user_id=learner.id, usage_key=USAGE_KEY)
        assert [item.uuid for item in items] == [newer.uuid, older.uuid]

    def test_list_costs_the_same_queries_whatever_the_items(self, learner):
        def queries_to_list():
            with CaptureQueriesContext(connection) as queries:
                items = api.list_evidence(user_id=learner.id, usage_key=USAGE_KEY)
            assert all(len(item.files) == 1 and len(item.links) == 1 for item in items)
            return len(queries)

        def add_items(count):
            for _ in range(count):
                item = EvidenceFactory(user=learner)
                AttachmentFactory(evidence=item)
                LinkFactory(evidence=item)

        add_items(1)
        with_one = queries_to_list()
        add_items(9)
        assert queries_to_list() == with_one <= 4


class TestSubmit:
    """Submitting needs every required field, and happens once per review round."""

    def test_submit(self, learner):
        evidence = save(learner)
        submitted = api.submit_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
        assert submitted.status == api.EvidenceStatus.SUBMITTED
        assert submitted.version == 1 and submitted.submitted_at is not None
        assert api.count_submitted(user_id=learner.id, usage_key=USAGE_KEY) == 1

    def test_missing_fields_are_named(self, learner):
        evidence = save(learner, {"title": "Brouillon", "analysis": "   "})
        before = data_snapshot()
        with pytest.raises(api.CompetencyRequestError) as caught:
            api.submit_evidence(user_id=learner.id, evidence_uuid=evidence.uuid)
        assert set(caught.value.field_errors) == {"situation_type", "description", "analysis"}
        assert data_snapshot() == before

    def test_cannot_submit_twice(self, learner):
        item = EvidenceFactory(user=learner, submitted=True)
        with pytest.raises(api.CompetencyConflictError):
            api.submit_evidence(user_id=learner.id, evidence_uuid=item.uuid)
        item.refresh_from_db()
        assert item.version == 1

    def test_resubmit_after_revision_counts_a_new_version(self, learner):
        item = EvidenceFactory(user=learner, status=EvidenceStatus.REVISION_REQUESTED, version=1)
        assert api.submit_evidence(user_id=learner.id, evidence_uuid=item.uuid).version == 2
        assert api.count_submitted(user_id=learner.id, usage_key=USAGE_KEY) == 1

    def test_count_submitted_is_scoped(self, learner, other):
        EvidenceFactory(user=learner, submitted=True)
        EvidenceFactory(user=learner)
        EvidenceFactory(user=other, submitted=True)
        EvidenceFactory(user=learner, submitted=True, usage_key=OTHER_USAGE_KEY)
        assert api.count_submitted(user_id=learner.id, usage_key=USAGE_KEY) == 1

    def test_count_evidence_in_one_query(self, learner, other, django_assert_num_queries):
        EvidenceFactory(user=learner, submitted=True)
        EvidenceFactory(user=learner)
        EvidenceFactory(user=learner, status=EvidenceStatus.REVISION_REQUESTED, version=1)
        EvidenceFactory(user=other, submitted=True)
        EvidenceFactory(user=learner, submitted=True, usage_key=OTHER_USAGE_KEY)
        with django_assert_num_queries(1):
            counts = api.count_evidence(user_id=learner.id, usage_key=USAGE_KEY, max_evidence=5)
        assert (counts.recorded, counts.submitted, counts.limit, counts.can_add) == (3, 2, 5, True)
        assert not api.count_evidence(user_id=learner.id, usage_key=USAGE_KEY, max_evidence=3).can_add

    def test_the_instance_bound_applies_when_lower_than_the_blocks(self, learner, settings):
        settings.COMPETENCY_PORTFOLIO = {**settings.COMPETENCY_PORTFOLIO, "MAX_EVIDENCE_PER_BLOCK": 2}
        EvidenceFactory(user=learner)
        EvidenceFactory(user=learner)
        assert api.evidence_limit(10) == 2 and api.evidence_limit(1) == 1 and api.evidence_limit(None) == 2
        assert not api.count_evidence(user_id=learner.id, usage_key=USAGE_KEY, max_evidence=10).can_add


class TestDelete:
    """Only drafts never submitted are deleted, with their attachments; files go once committed."""

    def test_delete_draft_removes_rows_then_files_on_commit(self, learner, django_capture_on_commit_callbacks):
        item = EvidenceFactory(user=learner)
        attachment = AttachmentFactory(evidence=item)
        LinkFactory(evidence=item)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            api.delete_evidence(user_id=learner.id, evidence_uuid=item.uuid)
        assert not Evidence.objects.filter(pk=item.pk).exists()
        assert not api.list_evidence(user_id=learner.id, usage_key=USAGE_KEY)
        # Not committed yet: the file is still there (a rollback must not lose it).
        assert attachment.file_key in stored_files()
        assert len(callbacks) == 1
        callbacks[0]()
        assert attachment.file_key not in stored_files()

    def test_delete_without_files_schedules_nothing(self, learner, django_capture_on_commit_callbacks):
        item = EvidenceFactory(user=learner)
        LinkFactory(evidence=item)
        with django_capture_on_commit_callbacks() as callbacks:
            api.delete_evidence(user_id=learner.id, evidence_uuid=item.uuid)
        assert not callbacks

    @pytest.mark.parametrize(
        "status, version",
        [
            (EvidenceStatus.SUBMITTED, 1),
            (EvidenceStatus.REVISION_REQUESTED, 1),
            (EvidenceStatus.ACCEPTED, 1),
        ],
    )
    def test_submitted_items_cannot_be_deleted(self, learner, status, version, django_capture_on_commit_callbacks):
        item = EvidenceFactory(user=learner, status=status, version=version)
        AttachmentFactory(evidence=item)
        before = data_snapshot()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(api.CompetencyConflictError):
                api.delete_evidence(user_id=learner.id, evidence_uuid=item.uuid)
        assert not callbacks
        assert data_snapshot() == before


class TestLimitsAndIdempotency:
    """A retried creation gives one item; a block's maximum and accepted situation types hold."""

    def test_same_client_key_creates_one_item(self, learner):
        first = save(learner, client_key="k-1")
        again = save(learner, {**COMPLETE, "title": "Retry"}, client_key="k-1")
        # One item, holding what the retry carried: edits typed before the retry are kept.
        assert again.uuid == first.uuid and again.title == "Retry"
        assert Evidence.objects.count() == 1

    def test_client_keys_belong_to_one_learner(self, learner, other):
        save(learner, client_key="k-1")
        save(other, client_key="k-1")
        assert Evidence.objects.count() == 2

    def test_retry_is_answered_even_at_the_maximum(self, learner):
        first = save(learner, client_key="k-1", max_evidence=1)
        assert save(learner, client_key="k-1", max_evidence=1).uuid == first.uuid

    def test_client_key_race_returns_the_winner(self, learner):
        winner = EvidenceFactory(user=learner, client_key="k-race")
        real_filter = Evidence.objects.filter
        calls = []

        def filter_missing_first(*args, **kwargs):
            """The first look-up runs before the concurrent request has committed."""
            calls.append(kwargs)
            if len(calls) == 1:
                return Evidence.objects.none()
            return real_filter(*args, **kwargs)

        with mock.patch.object(Evidence.objects, "filter", side_effect=filter_missing_first):
            evidence = save(learner, client_key="k-race")
        assert evidence.uuid == winner.uuid
        assert Evidence.objects.count() == 1

    def test_max_evidence(self, learner, other):
        EvidenceFactory(user=other)
        EvidenceFactory(user=learner, usage_key=OTHER_USAGE_KEY)
        save(learner, max_evidence=2)
        save(learner, max_evidence=2)
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, max_evidence=2)
        assert "2" in str(caught.value.message)
        assert Evidence.objects.filter(user=learner, usage_key=USAGE_KEY).count() == 2

    def test_instance_bound_caps_the_block(self, learner, settings):
        settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, "MAX_EVIDENCE_PER_BLOCK": 1}
        save(learner, max_evidence=10)
        with pytest.raises(api.CompetencyRequestError):
            save(learner, max_evidence=10)
        with pytest.raises(api.CompetencyRequestError):
            save(learner)
        assert Evidence.objects.count() == 1

    def test_max_evidence_does_not_block_updates(self, learner):
        evidence = save(learner, max_evidence=1)
        assert save(learner, {"title": "Encore"}, evidence_uuid=evidence.uuid, max_evidence=1).title == "Encore"

    def test_situation_type_must_be_allowed_by_the_block(self, learner):
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, allowed_situation_types=("training",))
        assert "situation_type" in caught.value.field_errors
        assert not Evidence.objects.exists()
        assert save(learner, {**COMPLETE, "situation_type": "training"}, allowed_situation_types=("training",))

    def test_situation_type_is_checked_on_update(self, learner):
        evidence = save(learner, {**COMPLETE, "situation_type": "training"})
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, {"situation_type": "authentic"}, evidence_uuid=evidence.uuid,
                 allowed_situation_types=("training",))
        assert "situation_type" in caught.value.field_errors
        assert Evidence.objects.get(uuid=evidence.uuid).situation_type == "training"


class TestInputValidation:
    """Bad input gives field errors naming each field, never a server error, and writes nothing."""

    def assert_refused(self, learner, data, *fields, **kwargs):
        before = data_snapshot()
        with pytest.raises(api.CompetencyRequestError) as caught:
            save(learner, data, **kwargs)
        assert set(caught.value.field_errors) == set(fields), caught.value.field_errors
        for messages in caught.value.field_errors.values():
            assert messages and all(isinstance(message, str) and message for message in messages)
        assert data_snapshot() == before
        return caught.value

    def test_date_in_the_future_is_refused(self, learner):
        later = timezone.localdate() + datetime.timedelta(days=2)
        error = self.assert_refused(learner, {**COMPLETE, "occurred_on": later.isoformat()}, "occurred_on")
        assert "future" in error.field_errors["occurred_on"][0]

    def test_today_is_accepted(self, learner):
        assert save(learner, {**COMPLETE, "occurred_on": timezone.localdate().isoformat()}).occurred_on

    @pytest.mark.parametrize("value", ["2026-13-45", "hier", "2026-01-01T10:00:00", 20260101, [], {}])
    def test_malformed_dates_are_refused(self, learner, value):
        self.assert_refused(learner, {**COMPLETE, "occurred_on": value}, "occurred_on")

    @pytest.mark.parametrize("name", ["status", "user_id", "uuid", "version", "client_key", "competences"])
    def test_unknown_fields_are_refused(self, learner, name):
        error = self.assert_refused(learner, {**COMPLETE, name: "accepted"}, name)
        assert error.field_errors[name]

    def test_unknown_fields_are_refused_on_update(self, learner):
        evidence = save(learner)
        self.assert_refused(learner, {"status": "accepted"}, "status", evidence_uuid=evidence.uuid)
        assert Evidence.objects.get(uuid=evidence.uuid).status == EvidenceStatus.DRAFT

    @pytest.mark.parametrize("field", ["title", "school_level", "subject", "description", "analysis"])
    def test_nul_characters_are_refused(self, learner, field):
        self.assert_refused(learner, {**COMPLETE, field: "avant\x00après"}, field)

    @pytest.mark.parametrize("field", ["title", "school_level", "subject", "description", "analysis"])
    def test_lone_surrogates_are_refused(self, learner, field):
        value = json.loads('"caf\\ud800"')  # what json.loads gives for a lone surrogate escape
        self.assert_refused(learner, {**COMPLETE, field: value}, field)

    @pytest.mark.parametrize(
        "field, length",
        [("title", 201), ("school_level", 121), ("subject", 121), ("description", 20001), ("analysis", 20001)],
    )
    def test_too_long_text_is_refused(self, learner, field, length):
        self.assert_refused(learner, {**COMPLETE, field: "a" * length}, field)

    def test_huge_strings_everywhere_give_field_errors(self, learner):
        huge = "é" * 2_000_000
        data = {name: huge for name in ("situation_type", "title", "occurred_on", "description", "analysis")}
        self.assert_refused(learner, data, *data)

    @pytest.mark.parametrize("value", [{"a": 1}, ["a"], None])
    def test_non_text_values_are_refused(self, learner, value):
        self.assert_refused(learner, {**COMPLETE, "title": value}, "title")

    def test_blank_title_is_refused(self, learner):
        self.assert_refused(learner, {**COMPLETE, "title": "   "}, "title")

    def test_unknown_situation_type_is_refused(self, learner):
        self.assert_refused(learner, {**COMPLETE, "situation_type": "imaginary"}, "situation_type")

    @pytest.mark.parametrize("data", [["title"], "title", 3, None])
    def test_data_must_be_a_mapping(self, learner, data):
        before = data_snapshot()
        with pytest.raises(api.CompetencyRequestError):
            api.save_draft(user_id=learner.id, course_key=COURSE_KEY, usage_key=USAGE_KEY, data=data)
        assert data_snapshot() == before

    @pytest.mark.parametrize("client_key", ["k\x00ey", json.loads('"k\\udc00"'), "k" * 10000])
    def test_odd_client_keys_never_cause_server_errors(self, learner, client_key):
        try:
            first = save(learner, client_key=client_key)
        except api.CompetencyRequestError as error:
            assert error.field_errors, "a refused client key names the field"
            assert not Evidence.objects.exists()
        else:
            assert save(learner, client_key=client_key).uuid == first.uuid
            assert Evidence.objects.count() == 1
