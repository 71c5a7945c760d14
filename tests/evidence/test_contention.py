"""
Database contention in review answers 503 with a ``Retry-After`` header and a message, never a 500.

The locks are real: on SQLite, a second connection to the same database file holds the write
lock (``BEGIN IMMEDIATE``: others may read, not write; ``BEGIN EXCLUSIVE``: nobody may read) while
the request runs, so the request's write, or read, fails with "database is locked" once its busy
timeout expires. On MariaDB, a second connection holds the evidence row locked
(``SELECT … FOR UPDATE``) while the decision waits for it longer than ``innodb_lock_wait_timeout``.
"""
import contextlib
import json
import os
import shutil
import sqlite3
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from competency_plugin.models import ReviewDecision
from tests.factories import UserFactory
from tests.review.support import COURSE, course_staff_of, make_framework, submitted

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

DB = os.environ.get("COMPETENCY_TEST_DB", "sqlite")
sqlite_only = pytest.mark.skipif(DB != "sqlite", reason="SQLite database locks")
mysql_only = pytest.mark.skipif(DB != "mysql", reason="MariaDB row locks: run with COMPETENCY_TEST_DB=mysql")
TIMEOUT = 20


@contextlib.contextmanager
def _default_database(path):
    """Point this thread's default connection at the SQLite file ``path`` (a short busy timeout: 5 s by default)."""
    original = connections["default"]
    settings = {**original.settings_dict, "NAME": str(path),
                "OPTIONS": {**original.settings_dict.get("OPTIONS", {}), "timeout": 0.2}}
    wrapper = original.__class__(settings, alias="default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.fixture(scope="module", name="schema_file")
def _schema_file(tmp_path_factory, django_db_blocker):
    """A SQLite file holding the schema, migrated once for the module."""
    path = tmp_path_factory.mktemp("contention") / "schema.sqlite3"
    if DB == "sqlite":
        with django_db_blocker.unblock(), _default_database(path):
            call_command("migrate", run_syncdb=True, verbosity=0)
    return path


@pytest.fixture(name="file_database")
def _file_database(tmp_path, schema_file, transactional_db):  # pylint: disable=unused-argument
    """Run the test on a copy of ``schema_file``; return the copy's path."""
    path = tmp_path / "contention.sqlite3"
    shutil.copyfile(schema_file, path)
    with _default_database(path):
        yield str(path)


class SQLiteLock:
    """Another connection holding a lock on the database file: ``IMMEDIATE`` (writes) or ``EXCLUSIVE`` (all)."""

    def __init__(self, path, mode="IMMEDIATE"):
        self.path, self.mode, self.holder = path, mode, None

    def __enter__(self):
        self.holder = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        self.holder.execute(f"BEGIN {self.mode}")
        if self.mode == "EXCLUSIVE":
            self.holder.execute("UPDATE auth_user SET last_name = last_name")
        return self

    def __exit__(self, *exc_info):
        self.holder.execute("ROLLBACK")
        self.holder.close()


def _scenario_with_submission(make_scenario):
    """A block with learner1's submitted situation; return (scenario, payload of a decision on it)."""
    framework = make_framework()
    scenario = make_scenario(f'<portfolio display_name="P" framework="{framework["framework"]}" min_evidence="1"/>')
    scenario.render(student="learner1")
    scenario.render(student="staff1")
    _, draft = scenario.post_json("save_evidence", {
        "fields": {"title": "Séance", "situation_type": "authentic", "description": "d", "analysis": "a"},
        "claims": [{"competence": framework["D1.1"], "justification": "Parce que."}]}, student="learner1")
    status, _ = scenario.post_json("submit_evidence", {"uuid": draft["evidence"]["uuid"]}, student="learner1")
    assert status == 200
    payload = {"uuid": draft["evidence"]["uuid"], "version": 1, "outcome": "accepted",
               "competences": [{"competence": framework["D1.1"], "status": "validated", "level": "B"}]}
    return scenario, payload


def _busy(response):
    """The answer to contention: 503, a retry hint, the JSON error body with a message."""
    assert response.status_code == 503, (response.status_code, response.content[:500])
    assert int(response["Retry-After"]) > 0
    body = json.loads(response.content)
    assert body["error"] == "internal" and "try again" in body["message"].lower(), body
    return body


def _post(scenario, handler, payload, student):
    return scenario.client.post(scenario.handler_url(handler, student), data=json.dumps(payload),
                                content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@sqlite_only
def test_decision_while_another_connection_writes_is_a_503_with_retry_after(file_database, make_scenario):
    """A decision met "database is locked" (another request writing): it was a 500."""
    scenario, payload = _scenario_with_submission(make_scenario)
    with SQLiteLock(file_database):
        _busy(_post(scenario, "review_decide", payload, "staff1"))
    assert not ReviewDecision.objects.exists()
    # Once the lock is gone, the same decision goes through.
    response = _post(scenario, "review_decide", payload, "staff1")
    assert response.status_code == 200, response.content[:300]
    assert ReviewDecision.objects.count() == 1


@sqlite_only
def test_learner_save_while_another_connection_writes_is_a_503_with_retry_after(file_database, make_scenario):
    scenario, _ = _scenario_with_submission(make_scenario)
    with SQLiteLock(file_database):
        _busy(_post(scenario, "save_evidence", {"fields": {"title": "Autre"}}, "learner1"))


@sqlite_only
def test_rest_review_queue_under_an_exclusive_lock_is_a_json_503(file_database, client):
    reviewer = UserFactory(username="prof")
    submitted(UserFactory(username="amina"), make_framework())
    client.force_login(reviewer)
    with course_staff_of(reviewer), SQLiteLock(file_database, "EXCLUSIVE"):
        response = client.get(f"/api/competency/v1/courses/{COURSE}/evidence/", HTTP_ACCEPT_LANGUAGE="en")
    _busy(response)


@sqlite_only
def test_course_review_page_under_an_exclusive_lock_is_a_503(file_database, client):
    reviewer = UserFactory(username="prof")
    submitted(UserFactory(username="amina"), make_framework())
    client.force_login(reviewer)
    with course_staff_of(reviewer):
        assert client.get(f"/competency/courses/{COURSE}/review/").status_code == 200
        with SQLiteLock(file_database, "EXCLUSIVE"):
            response = client.get(f"/competency/courses/{COURSE}/review/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "try again" in response.content.decode().lower()


@mysql_only
def test_decision_waiting_for_a_row_lock_is_a_503_with_retry_after(make_scenario):
    """MariaDB: another transaction holds the evidence row longer than the lock wait timeout."""
    scenario, payload = _scenario_with_submission(make_scenario)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with connection.cursor() as cursor:
                cursor.execute("START TRANSACTION")
                cursor.execute("SELECT id FROM competency_plugin_evidence WHERE uuid = %s FOR UPDATE",
                               [payload["uuid"].replace("-", "")])
                assert cursor.fetchone(), "no evidence row locked"
                locked.set()
                release.wait(TIMEOUT)
                cursor.execute("ROLLBACK")
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(TIMEOUT)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
        _busy(_post(scenario, "review_decide", payload, "staff1"))
    finally:
        release.set()
        holder.join(TIMEOUT)
    assert not ReviewDecision.objects.exists()
