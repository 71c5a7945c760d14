"""
The stored eligibility and its Celery task: records written only when they change, the event
sent once per change, the task queued after commit by review decisions and policy changes, and
a course of 2,000 learners refreshed in a number of queries that does not grow with it.
"""
import logging
import math
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError

from competency_plugin import api, tasks
from competency_plugin.attestation import records as eligibility_records
from competency_plugin.models import EligibilityRecord, Evidence
from competency_plugin.signals.signals import ATTESTATION_ELIGIBILITY_CHANGED
from competency_plugin.tasks import recompute_eligibility
from tests.attestation.support import (
    COURSE,
    Framework,
    bulk_portfolios,
    decide,
    make_user,
    programme_policy,
    simple_policy,
    situation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="framework")
def _framework():
    return Framework()


@pytest.fixture(name="events")
def _events():
    """The data of every ATTESTATION_ELIGIBILITY_CHANGED event sent during the test."""
    received = []

    def receiver(signal, sender, eligibility, metadata, **kwargs):  # pylint: disable=unused-argument
        received.append(eligibility)

    ATTESTATION_ELIGIBILITY_CHANGED.connect(receiver)
    yield received
    ATTESTATION_ELIGIBILITY_CHANGED.disconnect(receiver)


def records():
    """{username: (eligible, policy version)} of the stored records of the course."""
    return {
        record.user.username: (record.eligible, record.policy_version)
        for record in EligibilityRecord.objects.filter(course_key=COURSE).select_related("user")
    }


def writes(queries):
    """The INSERT and UPDATE statements among captured queries."""
    return [query["sql"] for query in queries if query["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE")]


def test_refresh_stores_eligible_learners_and_reports_changes(framework):
    simple_policy(framework)
    amina, bruno = make_user("amina"), make_user("bruno")
    situation(amina, framework, "3.1")
    situation(bruno, framework, "6.1")
    changes = api.refresh_eligibility(COURSE)
    assert [(change.username, change.eligible, change.policy_version) for change in changes] == [("amina", True, 1)]
    assert changes[0].course_key == COURSE and changes[0].user_id == amina.id
    # No record means "not eligible": bruno has none.
    assert records() == {"amina": (True, 1)}


def test_refresh_without_change_writes_nothing(framework):
    simple_policy(framework)
    situation(make_user("amina"), framework, "3.1")
    api.refresh_eligibility(COURSE)
    with CaptureQueriesContext(connection) as queries:
        assert not api.refresh_eligibility(COURSE)
    assert writes(queries.captured_queries) == []


def test_revoked_validation_is_a_change(framework):
    simple_policy(framework)
    amina = make_user("amina")
    evidence = situation(amina, framework, "3.1")
    api.refresh_eligibility(COURSE)
    decide(evidence.uuid, framework, "3.1", status="not_yet")
    changes = api.refresh_eligibility(COURSE, [amina.id])
    assert [(change.username, change.eligible) for change in changes] == [("amina", False)]
    assert records() == {"amina": (False, 1)}


def test_new_policy_version_updates_the_record_without_a_change(framework):
    simple_policy(framework)
    situation(make_user("amina"), framework, "3.1")
    api.refresh_eligibility(COURSE)
    simple_policy(framework, min_authentic=1)
    assert not api.refresh_eligibility(COURSE)
    assert records() == {"amina": (True, 2)}


def test_refresh_of_some_learners_leaves_the_others(framework):
    simple_policy(framework)
    amina, bruno = make_user("amina"), make_user("bruno")
    situation(amina, framework, "3.1")
    situation(bruno, framework, "3.2")
    changes = api.refresh_eligibility(COURSE, user_ids=[bruno.id])
    assert [change.username for change in changes] == ["bruno"]
    assert records() == {"bruno": (True, 1)}


def test_learner_with_a_record_but_no_evidence_left_is_recomputed(framework):
    simple_policy(framework)
    amina = make_user("amina")
    situation(amina, framework, "3.1")
    api.refresh_eligibility(COURSE)
    Evidence.objects.filter(user=amina).delete()
    changes = api.refresh_eligibility(COURSE)
    assert [(change.username, change.eligible) for change in changes] == [("amina", False)]
    assert records() == {"amina": (False, 1)}


def test_task_sends_the_event_once_per_change(framework, events):
    simple_policy(framework)
    amina = make_user("amina")
    situation(amina, framework, "3.1")
    result = recompute_eligibility.delay(COURSE)
    assert result.get() == {"course_key": COURSE, "changed": 1, "certificates_requested": 0}
    (data,) = events
    assert (data.user_id, data.username, data.course_key, data.eligible, data.policy_version) == (
        amina.id, "amina", COURSE, True, 1,
    )
    recompute_eligibility.delay(COURSE, [amina.id])
    assert len(events) == 1


def test_decision_queues_the_task_after_commit(framework, events, django_capture_on_commit_callbacks):
    simple_policy(framework)
    amina = make_user("amina")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        situation(amina, framework, "3.1")
    # Nothing is computed before the decision commits.
    assert records() == {} and events == []
    for callback in callbacks:
        callback()
    assert records() == {"amina": (True, 1)}
    assert [(data.username, data.eligible) for data in events] == [("amina", True)]


def test_policy_change_queues_the_task_for_the_course(framework, events, django_capture_on_commit_callbacks):
    amina, bruno = make_user("amina"), make_user("bruno")
    situation(amina, framework, "3.1")
    situation(bruno, framework, "6.1")
    with mock.patch.object(recompute_eligibility, "delay", wraps=recompute_eligibility.delay) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            simple_policy(framework)
    delay.assert_called_once_with(COURSE, None)
    assert records() == {"amina": (True, 1)}
    with django_capture_on_commit_callbacks(execute=True):
        api.set_policy(course_key=COURSE, framework=framework.identifier,
                       requirements=[{"competence": framework.id("6")}])
    assert records() == {"amina": (False, 2), "bruno": (True, 2)}
    assert [(data.username, data.eligible) for data in events] == [("amina", True), ("amina", False), ("bruno", True)]


def test_decision_queues_the_task_for_its_learner_only(framework, django_capture_on_commit_callbacks):
    simple_policy(framework)
    amina = make_user("amina")
    with mock.patch.object(recompute_eligibility, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            situation(amina, framework, "3.1")
    delay.assert_called_once_with(COURSE, [amina.id])


def test_broker_outage_is_logged_not_raised(framework, caplog, django_capture_on_commit_callbacks):
    simple_policy(framework)
    amina = make_user("amina")
    with mock.patch.object(recompute_eligibility, "delay", side_effect=OperationalError("connection refused")):
        with caplog.at_level(logging.ERROR, logger=tasks.__name__):
            with django_capture_on_commit_callbacks(execute=True):
                situation(amina, framework, "3.1")
    assert "Could not queue the eligibility refresh" in caplog.text
    # The decision itself is kept.
    assert api.get_eligibility(amina, COURSE).eligible


def _measure(framework, count, prefix):
    """Create ``count`` learners; return (compute, first refresh, steady refresh) queries and the reports."""
    bulk_portfolios(framework, count, prefix=prefix)
    with CaptureQueriesContext(connection) as compute:
        reports = api.get_course_eligibility(COURSE)
    with CaptureQueriesContext(connection) as first:
        changes = api.refresh_eligibility(COURSE)
    with CaptureQueriesContext(connection) as steady:
        assert not api.refresh_eligibility(COURSE)
    return compute.captured_queries, first.captured_queries, steady.captured_queries, reports, changes


def test_course_of_2000_learners_in_queries_that_do_not_grow(framework):
    programme_policy(framework)
    small = _measure(framework, 200, prefix="s")
    large = _measure(framework, 1800, prefix="t")  # 2,000 learners in the course now
    for compute, first, steady, reports, changes in (small, large):
        assert sum(report.eligible for report in reports) == len(reports) // 2
        # The engine: a fixed number of queries, whatever the course's size.
        assert len(compute) <= 6
        # A refresh: the lock, the records, the learners and the computation, then writes by batches.
        assert len(first) - len(writes(first)) <= 10
        fields = [field for field in EligibilityRecord._meta.concrete_fields if not field.primary_key]
        per_batch = min(eligibility_records.BATCH_SIZE, connection.ops.bulk_batch_size(fields, changes))
        assert len(writes(first)) == math.ceil(len(changes) / per_batch)
        assert writes(steady) == [] and len(steady) <= 10
    assert (len(small[3]), len(large[3])) == (200, 2000)
    assert len(large[4]) == 900  # the 900 newly eligible learners; the first 100 are unchanged
    assert len(small[0]) == len(large[0])
    assert len(small[2]) == len(large[2])
    assert len(small[1]) - len(writes(small[1])) == len(large[1]) - len(writes(large[1]))
