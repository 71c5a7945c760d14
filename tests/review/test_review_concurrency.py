"""
Two reviewers decide on the same evidence at the same moment, against the same decision in
force, each in their own transaction on their own MariaDB connection: exactly one decision is
recorded, and the other reviewer gets a conflict instead of silently overwriting it.

The race is made real, not simulated: the first reviewer to lock the evidence row is held
inside its transaction until the database shows the second reviewer's transaction waiting for
that lock; only then is the first one let through.

Run with ``COMPETENCY_TEST_DB=mysql`` (MariaDB on 127.0.0.1): SQLite has no row locks.
"""
import os
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import translation

from competency_plugin import api
from competency_plugin.models import EvidenceStatus, ReviewDecision
from competency_plugin.review import services as review_service
from tests.factories import UserFactory
from tests.review.support import decide, make_framework, submitted

pytestmark = [
    pytest.mark.mysql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("COMPETENCY_TEST_DB", "sqlite") != "mysql",
        reason="concurrent decisions need MariaDB row locks: run with COMPETENCY_TEST_DB=mysql",
    ),
]

TIMEOUT = 20


def _connection_id():
    """Return the server's id of this thread's database connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID()")
        return cursor.fetchone()[0]


def _lock_waits(connection_ids):
    """Return how many of these connections' InnoDB transactions are waiting for a lock right now."""
    if not connection_ids:
        return 0
    marks = ", ".join(["%s"] * len(connection_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
            f" WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id IN ({marks})",
            list(connection_ids),
        )
        return cursor.fetchone()[0]


def _wait_for(condition, what, outcomes):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; reviewers so far: {outcomes!r}")
        time.sleep(0.02)


def test_two_reviewers_deciding_at_once_get_one_decision_and_one_conflict(monkeypatch):
    framework = make_framework()
    learner = UserFactory(username="amina")
    reviewers = [UserFactory(username="prof-durand"), UserFactory(username="prof-martin")]
    evidence = submitted(learner, framework)

    # Hold the first transaction that gets the row lock (it has just read the evidence FOR UPDATE).
    lock_held, release = threading.Event(), threading.Event()
    holder = []
    parse = review_service.parse_competence_decisions

    def parse_holding_the_lock(*args, **kwargs):
        if not holder:
            holder.append(threading.current_thread().name)
            lock_held.set()
            assert release.wait(TIMEOUT), "the test never released the lock"
        return parse(*args, **kwargs)

    monkeypatch.setattr(review_service, "parse_competence_decisions", parse_holding_the_lock)

    barrier = threading.Barrier(2, timeout=TIMEOUT)
    outcomes = {}
    connection_ids = []

    def review(reviewer):
        try:
            connection_ids.append(_connection_id())
            barrier.wait()
            with translation.override("en"):
                outcomes[reviewer.username] = decide(
                    evidence, reviewer, framework, feedback=f"Décision de {reviewer.username}", base_decision=None
                )
        except Exception as error:  # pylint: disable=broad-except
            outcomes[reviewer.username] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=review, args=(reviewer,), name=reviewer.username) for reviewer in reviewers]
    for thread in threads:
        thread.start()
    try:
        assert lock_held.wait(TIMEOUT), "no reviewer got the row lock"
        # The other reviewer's transaction is blocked on the row the first one locked.
        _wait_for(lambda: _lock_waits(connection_ids) == 1, "the second reviewer to wait for the row lock", outcomes)
    finally:
        release.set()
        for thread in threads:
            thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)

    winner = holder[0]
    loser = next(reviewer.username for reviewer in reviewers if reviewer.username != winner)
    assert isinstance(outcomes[winner], api.DecisionData), outcomes[winner]
    assert isinstance(outcomes[loser], api.CompetencyConflictError), outcomes[loser]
    assert "Another reviewer" in str(outcomes[loser])

    decisions = list(ReviewDecision.objects.filter(evidence__uuid=evidence.uuid))
    assert len(decisions) == 1
    assert (decisions[0].reviewer.username, decisions[0].feedback) == (winner, f"Décision de {winner}")
    assert str(decisions[0].uuid) == str(outcomes[winner].uuid)
    item = api.get_review_item(evidence_uuid=evidence.uuid, course_key=evidence.course_key)
    assert item.evidence.status == EvidenceStatus.ACCEPTED
