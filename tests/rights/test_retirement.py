"""
Retirement: when the LMS retires an account, the plugin erases that person's portfolio data.

Checked by scanning every table of the plugin (every text and JSON column, every link to the
user model) and the attachment storage for the person's id, username, email, evidence and
decision identifiers and every text they wrote; what audit needs stays, anonymous; other
learners are untouched; it is idempotent; a failure is logged and retried, never raised into
the LMS's retirement pipeline.
"""
import json
import logging
import sys
import types
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal
from edx_django_utils.plugins import connect_plugin_receivers
from edx_django_utils.plugins.constants import PluginSignals
from kombu.exceptions import OperationalError

from competency_plugin import api, tasks
from competency_plugin.apps import CompetencyPluginConfig
from competency_plugin.models import (
    Attachment,
    AttestationPolicyVersion,
    EligibilityRecord,
    Evidence,
    EvidenceCompetence,
    EvidenceVersion,
    ReviewAuditRecord,
    ReviewDecision,
)
from competency_plugin.platform import compat
from competency_plugin.platform.storage import get_attachment_storage
from competency_plugin.rights import retirement
from tests.factories import UserFactory, stored_files, usage_key
from tests.rights.portfolios import COURSE, make_framework, record_situation, reviewed_portfolio

pytestmark = pytest.mark.django_db

TEXT_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField", "URLField"}


@pytest.fixture(name="framework")
def _framework():
    return make_framework()


@pytest.fixture(name="people")
def _people():
    return {
        "learner": UserFactory(username="zoe-q7x", email="zoe.q7x@example.org"),
        "other": UserFactory(username="bruno-k2w", email="bruno.k2w@example.org"),
        "reviewer": UserFactory(username="rita-r5v", email="rita.r5v@example.org"),
    }


@pytest.fixture(name="world")
def _world(people, framework):
    """
    Zoé's reviewed situation (two files, a link), her draft (a file) and eligibility record; the
    policy changed by the reviewer; Bruno's reviewed situation. Stored files are really stored.
    """
    learner, other, reviewer = people["learner"], people["other"], people["reviewer"]
    api.set_policy(course_key=COURSE, framework=framework["framework"], requirements=[{"competence": framework["D1"]}],
                   changed_by=reviewer.id)
    reviewed, draft = reviewed_portfolio(
        learner, reviewer, "ZOEQ7X", framework,
        files=[("compte-rendu.txt", "Compte rendu ZOEQ7X\n".encode()), ("élèves.csv", b"nom;ZOEQ7X\n")],
    )
    bruno, _bruno_draft = reviewed_portfolio(other, reviewer, "BRUNOK2W", framework,
                                             files=[("bruno.txt", b"Fichier BRUNOK2W\n")])
    for user in (learner, other):
        EligibilityRecord.objects.update_or_create(user=user, course_key=COURSE,
                                                   defaults={"eligible": True, "policy_version": 1})
    return {"reviewed": reviewed, "draft": draft, "bruno": bruno, **people}


def fingerprints(user, evidence_uuids=()):
    """What would identify ``user`` or their writing: account fields, identifiers, their marker."""
    marker = {"zoe-q7x": "ZOEQ7X", "bruno-k2w": "BRUNOK2W", "rita-r5v": "RITAR5V"}[user.username]
    decisions = ReviewDecision.objects.filter(evidence__uuid__in=list(evidence_uuids))
    decision_uuids = decisions.values_list("uuid", flat=True)
    return [user.username, user.email, marker, *map(str, evidence_uuids), *map(str, decision_uuids)]


def _user_links(model, user_id):
    """The columns of ``model`` that link to the user model and hold ``user_id``."""
    user_model = get_user_model()
    return [
        f"{model.__name__}.{field.name}"
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
        and model.objects.filter(**{field.attname: user_id}).exists()
    ]


def _json_user_ids(value, user_id):
    """Whether a JSON value holds ``user_id`` under a key naming a user."""
    if isinstance(value, dict):
        return any(
            ("user" in str(key).lower() and item == user_id) or _json_user_ids(item, user_id)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_json_user_ids(item, user_id) for item in value)
    return False


def personal_data_left(user, needles):
    """
    Scan every model of the plugin and the attachment storage; return where ``user``'s data is.

    Every text and JSON column is searched for each of ``needles`` (case-insensitive), every
    column linking to the user model for the user's id; every stored file for the needles.
    """
    found = []
    needles = [needle.lower() for needle in needles]
    for model in apps.get_app_config("competency_plugin").get_models():
        found += _user_links(model, user.id)
        columns = [field for field in model._meta.concrete_fields if field.get_internal_type() in TEXT_TYPES]
        for row in model.objects.values("pk", *[field.attname for field in columns]):
            for field in columns:
                value = row[field.attname]
                is_json = field.get_internal_type() == "JSONField"
                text = json.dumps(value, ensure_ascii=False) if is_json else str(value)
                hits = [needle for needle in needles if needle in str(text).lower()]
                if hits or (is_json and _json_user_ids(value, user.id)):
                    found.append(f"{model.__name__}#{row['pk']}.{field.name}: {hits or 'user id'}")
    storage = get_attachment_storage()
    for key in sorted(stored_files()):
        with storage.open(key, "rb") as handle:
            content = handle.read().decode("utf-8", "replace").lower()
        found += [f"file {key}: {needle}" for needle in needles if needle in content or needle in key.lower()]
    return found


def snapshot_of(user):
    """Every row of ``user``'s evidence and what hangs on it, and their stored files' contents."""
    evidence = Evidence.objects.filter(user=user)
    files = Attachment.objects.filter(evidence__in=evidence).exclude(file_key="")
    keys = sorted(files.values_list("file_key", flat=True))
    storage = get_attachment_storage()
    return {
        "evidence": list(evidence.order_by("id").values()),
        "attachments": list(Attachment.objects.filter(evidence__in=evidence).order_by("id").values()),
        "claims": list(EvidenceCompetence.objects.filter(evidence__in=evidence).order_by("id").values()),
        "versions": list(EvidenceVersion.objects.filter(evidence__in=evidence).order_by("id").values()),
        "decisions": list(ReviewDecision.objects.filter(evidence__in=evidence).order_by("id").values()),
        "eligibility": list(EligibilityRecord.objects.filter(user=user).values()),
        "files": {key: storage.open(key, "rb").read() for key in keys},
    }


@pytest.fixture(name="retire")
def _retire(django_capture_on_commit_callbacks):
    """Send the LMS's retirement signal, as its retirement pipeline does, running on-commit callbacks."""
    connect_plugin_receivers("lms.djangoapp")

    def _send(user):
        with django_capture_on_commit_callbacks(execute=True):
            responses = compat.USER_RETIRE_LMS_CRITICAL.send_robust(sender=None, user=user)
        errors = [response for _receiver, response in responses if isinstance(response, Exception)]
        assert not errors, errors
        return responses

    return _send


# --- the signal ------------------------------------------------------------------------------


def test_the_receiver_is_declared_in_the_plugin_signals_config():
    for project in ("lms.djangoapp", "cms.djangoapp"):
        config = CompetencyPluginConfig.plugin_app[PluginSignals.CONFIG][project]
        (receiver,) = [item for item in config[PluginSignals.RECEIVERS]
                       if item[PluginSignals.SIGNAL_PATH].endswith("USER_RETIRE_LMS_CRITICAL")]
        assert receiver[PluginSignals.SIGNAL_PATH] == "competency_plugin.platform.compat.USER_RETIRE_LMS_CRITICAL"


def test_the_signal_reaches_the_receiver(retire, world):
    responses = retire(world["learner"])
    assert "retire_user_data" in [receiver.__name__ for receiver, _response in responses]
    assert not Evidence.objects.filter(user=world["learner"]).exists()


def test_in_the_lms_the_receiver_listens_to_the_platforms_signal(
    monkeypatch, world, django_capture_on_commit_callbacks,
):
    """With edx-platform importable, ``compat`` resolves the LMS's own signal and the receiver is connected to it."""
    platform_signal = Signal()
    path = "openedx.core.djangoapps.user_api.accounts.signals"
    for depth in range(1, path.count(".") + 2):
        name = ".".join(path.split(".")[:depth])
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    sys.modules[path].USER_RETIRE_LMS_CRITICAL = platform_signal
    assert compat.USER_RETIRE_LMS_CRITICAL is platform_signal
    connect_plugin_receivers("lms.djangoapp")
    with django_capture_on_commit_callbacks(execute=True):
        # As the LMS's retirement view sends it.
        platform_signal.send(sender=object, user=world["learner"], retired_username="retired__user_1",
                             retired_email="retired__user_1@retired.invalid")
    assert not Evidence.objects.filter(user=world["learner"]).exists()


# --- what goes, what stays -------------------------------------------------------------------


def test_retirement_leaves_nothing_of_the_learner(retire, world):
    learner = world["learner"]
    needles = fingerprints(learner, [world["reviewed"].uuid, world["draft"].uuid])
    files = Attachment.objects.filter(evidence__user=learner).exclude(file_key="")
    keys = set(files.values_list("file_key", flat=True))
    assert len(keys) == 3
    before = personal_data_left(learner, needles)
    # The scan finds the learner's data where it is: texts, files, links, versions, feedback, records.
    for where in ("Evidence#", "EvidenceCompetence#", "EvidenceVersion#", "Attachment#", "ReviewDecision#",
                  "Evidence.user", "EligibilityRecord.user", "file "):
        assert any(where in item for item in before), where
    retire(learner)
    assert personal_data_left(learner, needles) == []
    assert not keys & stored_files()


def test_retirement_keeps_anonymous_audit_records(retire, world, framework):
    learner, reviewer = world["learner"], world["reviewer"]
    reviewed_by_rita = ReviewDecision.objects.filter(reviewer=reviewer).count()
    retire(learner)
    records = list(ReviewAuditRecord.objects.order_by("id"))
    assert [record.outcome for record in records] == ["revision_requested", "accepted"]
    assert {record.reviewer_id for record in records} == {reviewer.id}
    assert {str(record.course_key) for record in records} == {COURSE}
    assert {str(record.usage_key) for record in records} == {usage_key(COURSE, "situations")}
    assert [record.version for record in records] == [1, 2]
    assert records[1].competences == [
        {"competence": framework["D1.1"], "code": "D1.1", "status": "validated", "level": "B"}
    ]
    assert records[0].competences[0]["status"] == "not_yet"
    # Rita's decisions are still all counted: Bruno's in ReviewDecision, Zoé's in the audit records.
    assert ReviewDecision.objects.filter(reviewer=reviewer).count() + len(records) == reviewed_by_rita
    field_names = {field.name for field in ReviewAuditRecord._meta.concrete_fields}
    assert not field_names & {"user", "evidence", "feedback", "uuid", "title"}


def test_other_learners_are_untouched(retire, world):
    other = world["other"]
    before = snapshot_of(other)
    assert before["files"] and before["decisions"]
    retire(world["learner"])
    assert snapshot_of(other) == before
    assert api.get_evidence(user_id=other.id, evidence_uuid=world["bruno"].uuid).analysis == "Analyse révisée BRUNOK2W."


def test_retirement_is_idempotent(retire, world):
    retire(world["learner"])
    state = (snapshot_of(world["other"]), list(ReviewAuditRecord.objects.order_by("id").values()), stored_files())
    summary = api.retire_learner(world["learner"].id)
    assert summary == api.RetirementSummary()
    retire(world["learner"])
    records = list(ReviewAuditRecord.objects.order_by("id").values())
    assert (snapshot_of(world["other"]), records, stored_files()) == state


def test_retirement_reports_what_it_did(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = api.retire_learner(world["learner"].id)
    assert summary == api.RetirementSummary(evidence=2, files=3, decisions_kept_anonymously=2, eligibility_records=1)


def test_a_retired_reviewer_is_unlinked_from_decisions_and_policy_changes(retire, world):
    reviewer, other = world["reviewer"], world["other"]
    retire(world["learner"])  # Rita's decisions on Zoé's evidence are now audit records.
    bruno_before = snapshot_of(other)
    retire(reviewer)
    assert personal_data_left(reviewer, [reviewer.username, reviewer.email]) == []
    assert ReviewAuditRecord.objects.count() == 2 and not ReviewAuditRecord.objects.exclude(reviewer=None).exists()
    assert not AttestationPolicyVersion.objects.exclude(changed_by=None).exists()
    # Bruno keeps his reviewed evidence and its feedback; only the link to Rita's account is gone.
    decisions = list(ReviewDecision.objects.filter(evidence__user=other).order_by("id"))
    assert [decision.reviewer_id for decision in decisions] == [None, None]
    assert [decision.feedback for decision in decisions] == ["Retour BRUNOK2W : précisez.", "Bravo BRUNOK2W."]
    after = snapshot_of(other)
    assert after["evidence"] == bruno_before["evidence"] and after["files"] == bruno_before["files"]


def test_a_learner_who_also_reviewed_their_own_evidence_leaves_no_link(retire, people, framework):
    learner = people["learner"]
    evidence = record_situation(learner, "ZOEQ7X", framework)
    from tests.rights.portfolios import review  # pylint: disable=import-outside-toplevel

    review(evidence, learner, framework, outcome="accepted", feedback="Auto ZOEQ7X")
    retire(learner)
    assert personal_data_left(learner, fingerprints(learner, [evidence.uuid])) == []
    assert ReviewAuditRecord.objects.get().reviewer_id is None


# Every column linking to an account, and what retirement does with it. A new one fails this test
# until ``rights.retirement`` handles it and this list names it.
RETIRED_LINKS = {
    "Evidence.user": "deleted with the evidence",
    "EligibilityRecord.user": "deleted",
    "ReviewDecision.reviewer": "set to null",
    "ReviewAuditRecord.reviewer": "set to null",
    "AttestationPolicyVersion.changed_by": "set to null",
    "PeerSituation.author": "deleted with the evidence",
    "PeerAllocation.reader": "deleted",
    "PeerFeedback.reader": "set to null, the texts erased (tests/peer)",
    "PeerModerationRecord.moderator": "set to null",
    "IssuedCredential.user": "set to null, the credential revoked and its document erased",
    "IssuedCredential.revoked_by": "set to null",
}


def test_every_link_to_an_account_is_handled_by_retirement():
    user_model = get_user_model()
    links = {
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("competency_plugin").get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }
    assert links == set(RETIRED_LINKS)


# --- never raises into the pipeline, retries -------------------------------------------------


def _failing(times):
    """Make the erasure fail ``times`` times (then work); return the call counter."""
    calls = {"count": 0}
    real = retirement._decisions_about  # pylint: disable=protected-access

    def flaky(evidence_ids):
        calls["count"] += 1
        if calls["count"] <= times:
            raise DatabaseError("Deadlock found when trying to get lock")
        return real(evidence_ids)

    return calls, mock.patch.object(retirement, "_decisions_about", side_effect=flaky)


def test_a_failure_is_logged_and_retried_without_raising(retire, world, caplog):
    calls, patch = _failing(times=2)
    with patch, caplog.at_level(logging.INFO, logger="competency_plugin"):
        retire(world["learner"])
    assert calls["count"] == 3
    assert "it will be retried" in caplog.text and "retrying" in caplog.text
    assert not Evidence.objects.filter(user=world["learner"]).exists()
    assert ReviewAuditRecord.objects.count() == 2


def test_a_lasting_failure_gives_up_after_the_retries_and_changes_nothing(retire, world, caplog):
    before = snapshot_of(world["learner"])
    calls, patch = _failing(times=1000)
    with patch, caplog.at_level(logging.WARNING, logger="competency_plugin"):
        retire(world["learner"])
    assert calls["count"] == 1 + 1 + retirement.MAX_RETRIES
    assert "Gave up retiring user" in caplog.text
    assert snapshot_of(world["learner"]) == before
    assert not ReviewAuditRecord.objects.exists()


def test_a_broker_failure_is_logged_not_raised(retire, world, caplog):
    _calls, patch = _failing(times=1000)
    queue = mock.patch.object(tasks.retire_user_task, "apply_async", side_effect=OperationalError("no broker"))
    with patch, queue, caplog.at_level(logging.ERROR, logger="competency_plugin"):
        retire(world["learner"])
    assert "Could not queue the retry" in caplog.text


def test_a_failure_inside_the_lms_transaction_leaves_it_usable(world):
    def broken(evidence_ids):
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM no_such_table")
        return evidence_ids

    with mock.patch.object(retirement, "_decisions_about", side_effect=broken), \
            mock.patch.object(tasks.retire_user_task, "apply_async") as queued:
        with transaction.atomic():
            assert api.retire_learner(world["learner"].id) is None
            # The LMS goes on with its own retirement steps in the same transaction.
            world["learner"].username = "retired__user_0123"
            world["learner"].save()
    queued.assert_called_once()
    assert get_user_model().objects.get(pk=world["learner"].pk).username == "retired__user_0123"


def test_stored_files_that_cannot_be_deleted_are_retried(retire, world, caplog):
    storage = get_attachment_storage()
    keys = set(Attachment.objects.filter(evidence__user=world["learner"]).exclude(file_key="")
               .values_list("file_key", flat=True))
    real_delete = storage.delete
    failures = {"count": 0}

    def flaky_delete(key):
        if failures["count"] < 2:
            failures["count"] += 1
            raise OSError("storage unavailable")
        return real_delete(key)

    with mock.patch.object(storage, "delete", side_effect=flaky_delete), \
            caplog.at_level(logging.ERROR, logger="competency_plugin"):
        retire(world["learner"])
    assert "retrying in the background" in caplog.text
    assert not keys & stored_files()


def test_a_signal_without_user_is_logged(retire, caplog):
    with caplog.at_level(logging.ERROR, logger="competency_plugin"):
        retire(None)
    assert "without a user" in caplog.text
